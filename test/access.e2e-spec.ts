import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  type AccountSpec,
  ADMIN,
  api,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

const PASSWORD = 'Mat-khau-an-toan-2026';
const now = Date.now();
const iso = (offsetDays: number): string => new Date(now + offsetDays * 86400000).toISOString();

function observation(patient: string, value = 80): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: iso(-1),
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

function consent(patient: string, actor: string, status = 'active'): Record<string, unknown> {
  return {
    resourceType: 'Consent',
    status,
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    provision: { type: 'permit', actor: [{ role: { text: 'xem hồ sơ' }, reference: { reference: actor } }] },
  };
}

/**
 * OWASP API1 (BOLA), BFLA, scope and relationship tests from shared/reference/security-and-reliability.md,
 * with real accounts and data. A resource the caller may not see answers 404, like a missing one.
 */
describe('access control: each person sees exactly what they may', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const r = await sys.post(String(body.resourceType), body);
      if (r.status !== 201)
        throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    ids.station = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
    ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Bác sĩ'] }] });
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Bác sĩ khác'] }] });
    ids.nurse = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phan', given: ['Y tá'] }] });
    ids.A = await mk({ resourceType: 'Patient', name: [{ family: 'Nguyễn', given: ['An'] }] });
    ids.B = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Võ', given: ['Bình'] }],
      managingOrganization: { reference: `Organization/${ids.station}` },
    });
    ids.obsA = await mk(observation(ids.A, 72));
    ids.obsB = await mk(observation(ids.B, 99));
    await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${ids.A}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: iso(-2), end: iso(-2) },
    });

    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['patient.a', 'patient', `Patient/${ids.A}`],
      ['patient.b', 'patient', `Patient/${ids.B}`],
      ['doctor.d', 'practitioner', `Practitioner/${ids.doctor}`],
      ['doctor.other', 'practitioner', `Practitioner/${ids.other}`],
      ['nurse.station', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.station}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    for (const [username, token] of Object.entries(tokens)) as[username] = new Fhir(t.url, token);
    as.admin = new Fhir(t.url, admin);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('BOLA read: patient A reaches nothing of patient B, by id, search, include, history or $everything', async () => {
    const a = as['patient.a']!;
    expect((await a.get(`Observation/${ids.obsA}`)).status).toBe(200);
    const refused = [
      `Observation/${ids.obsB}`,
      `Observation/${ids.obsB}/_history`,
      `Observation/${ids.obsB}/_history/1`,
      `Patient/${ids.B}`,
      `Patient/${ids.B}/$everything`,
    ];
    for (const path of refused) {
      const res = await a.get(path);
      expect({ path, status: res.status, type: res.body.resourceType }).toEqual({
        path,
        status: 404,
        type: 'OperationOutcome',
      });
    }
    expect(Fhir.ids((await a.get(`Observation?subject=Patient/${ids.B}`)).body)).toEqual([]);
    expect(Fhir.ids((await a.get(`Observation?patient=${ids.B}`)).body)).toEqual([]);
    expect(Fhir.ids((await a.get('Observation')).body)).toEqual([ids.obsA]);
    const rev = await a.get(`Patient?_revinclude=Observation:subject`);
    expect((rev.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id).sort()).toEqual(
      [ids.A, ids.obsA].sort(),
    );
    const history = await a.get('Observation/_history');
    expect((history.body.entry as { fullUrl: string }[]).every((e) => !e.fullUrl.endsWith(ids.obsB!))).toBe(
      true,
    );
    const everything = await a.get(`Patient/${ids.A}/$everything`);
    const mine = Fhir.ids(everything.body);
    expect(mine).toEqual(expect.arrayContaining([ids.A, ids.obsA])); // and her encounter
    expect(mine).not.toContain(ids.obsB);
    expect(mine).not.toContain(ids.B);
    // probing B's existence through a conditional create finds nothing to return
    const probe = await a.post('Observation', observation(ids.A, 60), { 'If-None-Exist': `_id=${ids.obsB}` });
    expect(probe.status).toBe(201);
  });

  it('BOLA write: patient A cannot write B’s data or move her own data to B', async () => {
    const a = as['patient.a']!;
    expect((await a.post('Observation', observation(ids.B!))).status).toBe(403);
    const own = (await a.post('Observation', observation(ids.A!, 65))).body;
    expect(
      (await a.put(`Observation/${String(own.id)}`, { ...own, subject: { reference: `Patient/${ids.B}` } }))
        .status,
    ).toBe(403);
    const bObs = (await sys.get(`Observation/${ids.obsB}`)).body;
    expect([403, 404]).toContain((await a.put(`Observation/${ids.obsB}`, bObs)).status);
    expect([403, 404]).toContain((await a.delete(`Observation/${ids.obsB}`)).status);
    const tx = await a.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: observation(ids.B!), request: { method: 'POST', url: 'Observation' } }],
    });
    expect(tx.status).toBe(403);
    expect((await sys.get(`Observation/${ids.obsB}`)).body.meta).toMatchObject({ versionId: '1' }); // untouched
  });

  it('property-level: a patient cannot change protected elements of her own record', async () => {
    const a = as['patient.a']!;
    const me = (await a.get(`Patient/${ids.A}`)).body;
    expect(
      (
        await a.put(`Patient/${ids.A}`, {
          ...me,
          generalPractitioner: [{ reference: `Practitioner/${ids.other}` }],
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await a.put(`Patient/${ids.A}`, {
          ...me,
          managingOrganization: { reference: `Organization/${ids.station}` },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await a.put(`Patient/${ids.A}`, {
          ...me,
          meta: {
            security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }],
          },
        })
      ).status,
    ).toBe(403);
    const ok = await a.put(`Patient/${ids.A}`, {
      ...me,
      telecom: [{ system: 'phone', value: '0912345678' }],
    });
    expect(ok.status).toBe(200);
  });

  it('scopes: a token narrowed to patient/Observation.rs can neither write nor read other types', async () => {
    const res = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'patient.a',
      password: PASSWORD,
      scope: 'patient/Observation.rs',
    });
    const narrow = new Fhir(t.url, ((await res.json()) as { access_token: string }).access_token);
    expect((await narrow.get(`Observation/${ids.obsA}`)).status).toBe(200);
    expect((await narrow.post('Observation', observation(ids.A!))).status).toBe(403);
    expect((await narrow.get('Condition')).status).toBe(403);
  });

  it('care relationship: the doctor of A’s encounter reads A, not B; another doctor reads neither', async () => {
    const d = as['doctor.d']!;
    expect((await d.get(`Observation/${ids.obsA}`)).status).toBe(200);
    expect((await d.get(`Observation/${ids.obsB}`)).status).toBe(404);
    expect(Fhir.ids((await d.get('Observation')).body)).not.toContain(ids.obsB);
    expect((await d.post('Observation', observation(ids.A!, 77))).status).toBe(201);
    expect((await d.post('Observation', observation(ids.B!, 77))).status).toBe(403);
    expect((await as['doctor.other']!.get(`Observation/${ids.obsA}`)).status).toBe(404);
  });

  it('consent: granted then revoked takes effect on the very next request', async () => {
    const a = as['patient.a']!;
    const other = as['doctor.other']!;
    const granted = await a.post('Consent', consent(ids.A!, `Practitioner/${ids.other}`));
    expect(granted.status).toBe(201);
    expect((await other.get(`Observation/${ids.obsA}`)).status).toBe(200);
    const revoked = await a.put(`Consent/${String(granted.body.id)}`, {
      ...granted.body,
      status: 'inactive',
    });
    expect(revoked.status).toBe(200);
    expect((await other.get(`Observation/${ids.obsA}`)).status).toBe(404);
    // a patient cannot grant access to someone else's record
    expect((await a.post('Consent', consent(ids.B!, `Practitioner/${ids.other}`))).status).toBe(403);
  });

  it('clinic staff: their facility’s patients only, and register patients at their own facility', async () => {
    const s = as['nurse.station']!;
    expect((await s.get(`Observation/${ids.obsB}`)).status).toBe(200);
    expect((await s.get(`Observation/${ids.obsA}`)).status).toBe(404);
    const mine = await s.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Mới' }],
      managingOrganization: { reference: `Organization/${ids.station}` },
    });
    expect(mine.status).toBe(201);
    expect((await s.post('Observation', observation(String(mine.body.id), 70))).status).toBe(201);
    const elsewhere = await s.post('Patient', { resourceType: 'Patient', name: [{ family: 'Khác' }] });
    expect(elsewhere.status).toBe(403);
  });

  it('admin: directory data yes, clinical data no (without break-glass)', async () => {
    const admin = as.admin!;
    expect((await admin.get(`Practitioner/${ids.doctor}`)).status).toBe(200);
    expect((await admin.get(`Observation/${ids.obsA}`)).status).toBe(404);
    expect(Fhir.ids((await admin.get('Patient')).body)).toEqual([]);
    expect((await admin.post('Observation', observation(ids.A!))).status).toBe(403);
    expect(
      (await admin.post('Organization', { resourceType: 'Organization', name: 'Bệnh viện Đa khoa Cần Thơ' }))
        .status,
    ).toBe(201);
    expect(
      (await as['doctor.d']!.post('Organization', { resourceType: 'Organization', name: 'X' })).status,
    ).toBe(403);
  });

  it('audit: patients see who read their record; the trail is append-only and records refusals', async () => {
    const a = as['patient.a']!;
    await as['doctor.d']!.get(`Observation/${ids.obsA}`);
    await a.get(`Observation/${ids.obsB}`); // refused (404), must still be on record

    const mine = await a.get(`AuditEvent?patient=${ids.A}`);
    expect(mine.status).toBe(200);
    const events = (mine.body.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    const doctorRead = events.find(
      (e) =>
        (e.agent as { who: { reference?: string } }[])[0]!.who.reference === `Practitioner/${ids.doctor}` &&
        (e.subtype as { code: string }[])[0]!.code === 'read',
    );
    expect(doctorRead).toMatchObject({ resourceType: 'AuditEvent', action: 'R', outcome: '0' });
    const writes = events.filter((e) => e.action === 'C');
    expect(writes.length).toBeGreaterThan(0); // creates are audited in their own statement
    // nothing about B leaks into A's trail
    expect(JSON.stringify(events)).not.toContain(`Patient/${ids.B}`);
    const bTrail = await a.get(`AuditEvent?patient=${ids.B}`);
    expect(bTrail.body.entry).toEqual([]);

    const refusals = await as.admin!.get('AuditEvent?_count=200');
    const refused = (
      refusals.body.entry as { resource: { outcome: string; entity?: { what: { reference: string } }[] } }[]
    )
      .map((e) => e.resource)
      .filter((e) => e.outcome === '4' && e.entity?.[0]?.what.reference === `Observation/${ids.obsB}`);
    expect(refused.length).toBeGreaterThan(0);

    expect((await as['doctor.d']!.get('AuditEvent')).status).toBe(403);
    const event = events[0]!;
    for (const attempt of [
      () => sys.post('AuditEvent', { ...event, id: undefined }),
      () => sys.put(`AuditEvent/${String(event.id)}`, event),
      () => sys.delete(`AuditEvent/${String(event.id)}`),
    ]) {
      expect((await attempt()).status).toBe(405);
    }
    const { dataSourceToken } = await import('@mekong/database');
    const db = t.app.get<{ query(sql: string): Promise<unknown> }>(dataSourceToken('health_record'));
    await expect(db.query(`UPDATE health_record.audit_event SET outcome = '0'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query(`DELETE FROM health_record.audit_event`)).rejects.toThrow(/append-only/);
  });

  it('break-glass: a practitioner without a relationship opens a record with a reason, flagged, time-limited and told to the patient', async () => {
    const other = as['doctor.other']!;
    // a fresh patient, no relationship with this doctor
    const pid = (await sys.post('Patient', { resourceType: 'Patient', name: [{ family: 'Cấp cứu' }] })).body
      .id as string;
    const obs = (await sys.post('Observation', observation(pid, 140))).body.id as string;
    expect((await other.get(`Observation/${obs}`)).status).toBe(404);

    const params = (reason: string): Record<string, unknown> => ({
      resourceType: 'Parameters',
      parameter: [{ name: 'reason', valueString: reason }],
    });
    expect((await other.post(`Patient/${pid}/$break-glass`, params('x'))).status).toBe(400); // a reason is required
    expect(
      (await as['patient.a']!.post(`Patient/${pid}/$break-glass`, params('Bệnh nhân bất tỉnh tại trạm y tế')))
        .status,
    ).toBe(403);
    expect(
      (await as.admin!.post(`Patient/${pid}/$break-glass`, params('Bệnh nhân bất tỉnh tại trạm y tế')))
        .status,
    ).toBe(403);

    const opened = await other.post(
      `Patient/${pid}/$break-glass`,
      params('Bệnh nhân bất tỉnh tại trạm y tế, cần xem tiền sử dị ứng'),
    );
    expect(opened.status).toBe(200);
    const expires = (opened.body.parameter as { name: string; valueInstant?: string }[]).find(
      (x) => x.name === 'expires',
    )!.valueInstant!;
    const minutes = (new Date(expires).getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(50);
    expect(minutes).toBeLessThanOrEqual(60);
    expect((await other.get(`Observation/${obs}`)).status).toBe(200);

    // the patient is told, in their own record
    const told = await sys.get(`Communication?subject=Patient/${pid}`);
    expect(JSON.stringify(told.body)).toContain('khẩn cấp');
    // and the trail flags the opening and the reads under it as emergency access
    const trail = await as.admin!.get(`AuditEvent?patient=${pid}`);
    const purposes = (
      trail.body.entry as {
        resource: { subtype: { code: string }[]; purposeOfEvent?: { coding: { code: string }[] }[] };
      }[]
    ).map((e) => `${e.resource.subtype[0]!.code}:${e.resource.purposeOfEvent?.[0]?.coding[0]?.code ?? ''}`);
    expect(purposes).toEqual(expect.arrayContaining(['break-glass:ETREAT', 'read:ETREAT']));
  });

  it('guardians: a parent gets a token for their child, and that token reaches the child only', async () => {
    const child = (
      await sys.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Nguyễn', given: ['Bé'] }],
        birthDate: '2025-03-01',
      })
    ).body.id as string;
    const childObs = (await sys.post('Observation', observation(child, 120))).body.id as string;
    const mother = (
      await sys.post('RelatedPerson', {
        resourceType: 'RelatedPerson',
        patient: { reference: `Patient/${child}` },
        relationship: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
        ],
        // the guardian is identified by her CCCD, which her own Patient carries too
        identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '092180001234' }],
        name: [{ family: 'Nguyễn', given: ['An'] }],
      })
    ).body.id as string;
    const me = (await sys.get(`Patient/${ids.A}`)).body;
    expect(
      (
        await sys.put(`Patient/${ids.A}`, {
          ...me,
          identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '092180001234' }],
          link: [{ other: { reference: `RelatedPerson/${mother}` }, type: 'seealso' }],
        })
      ).status,
    ).toBe(200);

    // The parent's client learns which children it may open (and nobody else learns anything).
    const own = (await login(t.url, 'patient.a', PASSWORD)).access_token;
    const dependents = await api(t.url, 'GET', '/auth/dependents', own);
    expect(await dependents.json()).toEqual({
      dependents: [{ patient: child, name: 'Nguyễn Bé', birthDate: '2025-03-01' }],
    });
    const none = await api(
      t.url,
      'GET',
      '/auth/dependents',
      (await login(t.url, 'patient.b', PASSWORD)).access_token,
    );
    expect(await none.json()).toEqual({ dependents: [] });
    expect((await api(t.url, 'GET', '/auth/dependents')).status).toBe(401);

    const forChild = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'patient.a',
      password: PASSWORD,
      patient: child,
    });
    expect(forChild.status).toBe(200);
    const body = (await forChild.json()) as { access_token: string; patient: string; refresh_token: string };
    expect(body.patient).toBe(child);
    const asMother = new Fhir(t.url, body.access_token);
    expect((await asMother.get(`Observation/${childObs}`)).status).toBe(200);
    // a token for the child is not a token for the parent (SMART patient context), nor for anyone else
    expect((await asMother.get(`Observation/${ids.obsA}`)).status).toBe(404);
    const refreshed = await tokenRequest(t.url, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token,
    });
    const inChild = (await refreshed.json()) as { patient: string; refresh_token: string };
    expect(inChild.patient).toBe(child);

    // The parent switches between their own record and the child's in the same session, without
    // the password again (refresh grant with `patient`).
    const switchTo = (refreshToken: string, patient: string) =>
      tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: refreshToken, patient });
    const toOwn = await switchTo(inChild.refresh_token, ids.A!);
    expect(toOwn.status).toBe(200);
    const ownAgain = (await toOwn.json()) as { access_token: string; patient: string; refresh_token: string };
    expect(ownAgain.patient).toBe(ids.A);
    const asSelf = new Fhir(t.url, ownAgain.access_token);
    expect((await asSelf.get(`Observation/${ids.obsA}`)).status).toBe(200);
    expect((await asSelf.get(`Observation/${childObs}`)).status).toBe(404);
    // Someone who is not their child: refused, and the session's refresh token still works.
    const notMine = await switchTo(ownAgain.refresh_token, ids.B!);
    expect(notMine.status).toBe(400);
    expect(((await notMine.json()) as { error: string }).error).toBe('invalid_request');
    const backToChild = await switchTo(ownAgain.refresh_token, child);
    expect(backToChild.status).toBe(200);
    const childAgain = (await backToChild.json()) as { access_token: string; patient: string };
    expect(childAgain.patient).toBe(child);
    expect((await new Fhir(t.url, childAgain.access_token).get(`Observation/${childObs}`)).status).toBe(200);
    // Each switch, allowed or not, is in the administrators' sign-in record.
    const events = (await (
      await api(
        t.url,
        'GET',
        '/auth/events?limit=200',
        (await login(t.url, ADMIN.username, ADMIN.password)).access_token,
      )
    ).json()) as {
      entry: { resource: { outcome: string; entity?: { what: { reference: string } }[] } }[];
    };
    const switches = events.entry
      .map((e) => e.resource)
      .filter((r) => r.entity?.[0])
      .map((r) => `${r.entity![0]!.what.reference}:${r.outcome}`);
    expect(switches).toEqual(
      expect.arrayContaining([`Patient/${ids.A}:0`, `Patient/${ids.B}:4`, `Patient/${child}:0`]),
    );
    // patient B is nobody's child here
    const stranger = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'patient.b',
      password: PASSWORD,
      patient: child,
    });
    expect(stranger.status).toBe(400);
  });

  it('TOTP: once enrolled, signing in needs the one-time code; roles that must use it get no API scope until they enrol', async () => {
    const { authenticator } = await import('otplib');
    const d = (await login(t.url, 'doctor.d', PASSWORD)).access_token;
    const enrol = await api(t.url, 'POST', '/auth/mfa/totp', d, { password: PASSWORD });
    expect(enrol.status).toBe(201);
    const { secret, otpauth_uri } = (await enrol.json()) as { secret: string; otpauth_uri: string };
    expect(otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
    expect((await api(t.url, 'POST', '/auth/mfa/totp/confirm', d, { code: '000000' })).status).toBe(400);
    expect(
      (await api(t.url, 'POST', '/auth/mfa/totp/confirm', d, { code: authenticator.generate(secret) }))
        .status,
    ).toBe(204);
    expect(
      (await tokenRequest(t.url, { grant_type: 'password', username: 'doctor.d', password: PASSWORD }))
        .status,
    ).toBe(400);
    const withCode = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'doctor.d',
      password: PASSWORD,
      // the next step's code: the current one was spent confirming (each code is good once)
      otp: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret),
    });
    expect(withCode.status).toBe(200);
  });

  it('care relationships also come from CareTeam membership and being the general practitioner', async () => {
    const other = as['doctor.other']!;
    const viaTeam = (await sys.post('Patient', { resourceType: 'Patient', name: [{ family: 'Nhóm' }] })).body
      .id as string;
    const viaGp = (
      await sys.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Gia đình' }],
        generalPractitioner: [{ reference: `Practitioner/${ids.other}` }],
      })
    ).body.id as string;
    const teamObs = (await sys.post('Observation', observation(viaTeam, 88))).body.id as string;
    const gpObs = (await sys.post('Observation', observation(viaGp, 66))).body.id as string;
    expect((await other.get(`Observation/${gpObs}`)).status).toBe(200);
    expect((await other.get(`Observation/${teamObs}`)).status).toBe(404);
    const team = await sys.post('CareTeam', {
      resourceType: 'CareTeam',
      status: 'active',
      subject: { reference: `Patient/${viaTeam}` },
      participant: [{ member: { reference: `Practitioner/${ids.other}` } }],
    });
    expect(team.status).toBe(201);
    expect((await other.get(`Observation/${teamObs}`)).status).toBe(200);
    // leaving the team ends the access
    expect(
      (await sys.put(`CareTeam/${String(team.body.id)}`, { ...team.body, status: 'inactive' })).status,
    ).toBe(200);
    expect((await other.get(`Observation/${teamObs}`)).status).toBe(404);
  });
});
