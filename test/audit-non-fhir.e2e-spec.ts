import { createHash, randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { NestContainer } from '@nestjs/core';
import { IS_PUBLIC } from '@mekong/common';
import { DateTime } from 'luxon';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { linkGuardian } from './support/guardian';
import {
  appointmentBody,
  PASSWORD,
  postSlot,
  schedulingWorld,
  type SchedulingWorld,
} from './support/scheduling-world';
import { ADMIN, api, login, startApp, type TestApp, tokenRequest } from './support/test-app';
import { VisitClient } from './support/visit-client';

/**
 * Issue 16 §4: every read of patient data is audited, also through the routes outside the FHIR API.
 * Each such GET route writes an audit row naming the patients it showed (AuditService.recordRead),
 * so the patient finds it in their own AuditEvent list ("who viewed my record"). The GET routes are
 * enumerated from the running app: a new one that is neither audited here nor declared "not patient
 * data" (docs/access-control.md "Reads outside the FHIR API") fails this test.
 */
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

/** GET routes outside /fhir that show patient data: each audited, each exercised below. */
const AUDITED = [
  'GET /auth/dependents',
  'GET /auth/accounts/review',
  'GET /scheduling/waitlist',
  'GET /consultation/waiting',
  'GET /care/immunizations/due',
  'GET /care/alerts',
  'GET /econsult/cases',
  'GET /econsult/cases/:id',
  'GET /econsult/cases/:id/documents/:uploadId',
  'GET /notify/preferences',
  'GET /eprescription/prescriptions',
  'GET /claims',
  'GET /claims/:encounterId',
];
/** GET routes outside /fhir that show no patient's data (docs/access-control.md says why). */
const NOT_PATIENT_DATA = [
  'GET /auth/clients', // OAuth clients of hospital systems
  'GET /auth/events', // sign-in events of accounts (identity), administrators only
  'GET /scheduling/schedules/:scheduleId/rules', // a practitioner's availability
  'GET /scheduling/schedules/:scheduleId/exceptions',
  'GET /care/duty-roster', // who is on call for which facilities when (directory data, like a Schedule)
  'GET /notify/opt-outs', // whether a phone number replied STOP/HUY: names no patient; admins and system clients only
];

interface AuditEvent {
  agent: { who: { reference?: string; identifier?: { value: string } } }[];
  entity?: { what: { reference?: string; display?: string }; role?: { code: string } }[];
}

/** Every GET route of the app outside /fhir, with whether it is public (Nest's own metadata). */
function getRoutes(t: TestApp): { route: string; isPublic: boolean }[] {
  const out: { route: string; isPublic: boolean }[] = [];
  const container = (t.app as unknown as { container: NestContainer }).container;
  for (const mod of container.getModules().values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!type || typeof type !== 'function' || !type.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
      if (base === undefined) continue;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as number | undefined;
        if (method === undefined || RequestMethod[method] !== 'GET') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[];
        const isPublic =
          Reflect.getMetadata(IS_PUBLIC, handler) === true || Reflect.getMetadata(IS_PUBLIC, type) === true;
        for (const b of [base].flat())
          for (const p of [sub].flat()) {
            const path = `/${[b, p].filter((x) => x && x !== '/').join('/')}`.replace(/\/+/g, '/');
            out.push({ route: `GET ${path}`, isPublic });
          }
      }
    }
  }
  return out;
}

describe('issue 16 §4: reads of patient data outside the FHIR API are in the patient’s audit trail', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let admin: string;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};
  const clients: VisitClient[] = [];

  /** The AuditEvents `viewer` sees about `patient`. */
  const trail = async (viewer: Fhir, patient: string): Promise<AuditEvent[]> => {
    const r = await viewer.get(`AuditEvent?patient=Patient/${patient}&_count=1000`);
    expect(r.status).toBe(200);
    return ((r.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
  };
  /** The events of `trail` naming `what` (a route, or a FHIR entity) made by `agent`. */
  const readsOf = (events: AuditEvent[], what: string, agent: string): AuditEvent[] =>
    events.filter(
      (e) =>
        (e.entity ?? []).some((x) => x.role?.code !== '1' && (x.what.display ?? x.what.reference) === what) &&
        (e.agent[0]?.who.reference ?? e.agent[0]?.who.identifier?.value) === agent,
    );
  const get = (path: string, token: string): Promise<Response> => api(t.url, 'GET', path, token);
  const accountId = async (token: string): Promise<string> =>
    (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

  // National e-prescriptions on (through the app's configuration), towards an address nobody listens on:
  // a prescription is recorded when written, its sending merely retries (docs/eprescription.md).
  const erxEnv: Record<string, string> = {
    EPRESCRIPTION_URL: 'http://127.0.0.1:9',
    EPRESCRIPTION_SECRET_KEY: 'audit-non-fhir-eprescription-key-0123456789',
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { ...erxEnv, CONSULT_MARGIN_MINUTES: '30' });
    w = await schedulingWorld(t);
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const r = await w.sys.post(String(body.resourceType), body);
      if (r.status !== 201) throw new Error(`seed ${String(body.resourceType)}: ${r.status}`);
      return r.body.id as string;
    };
    const station = { managingOrganization: { reference: `Organization/${w.ids.station}` } };
    // A newborn of the station (due for its birth doses this month) and her mother, its guardian.
    ids.child = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Trần', given: ['Gia', 'Bảo'] }],
      birthDate: DateTime.now().setZone('Asia/Ho_Chi_Minh').toISODate(),
      ...station,
    });
    ids.mum = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Lê', given: ['Thị', 'Mai'] }],
      identifier: [{ system: CCCD, value: '092180001111' }],
      ...station,
    });
    ids.moved = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Đỗ', given: ['Chuyển'] }],
      ...station,
    });
    const nurse = w.as.nurse!;
    await linkGuardian(nurse, {
      child: ids.child!,
      guardian: ids.mum!,
      cccd: '092180001111',
      name: { family: 'Lê', given: ['Thị', 'Mai'] },
      reader: w.sys,
    });
    for (const [username, patient, by] of [
      ['mai.le', ids.mum, admin],
      ['moved.patient', ids.moved, nurse.token], // made at the station, for the station's patient
    ] as const) {
      const res = await api(t.url, 'POST', '/auth/accounts', by, {
        username,
        password: PASSWORD,
        role: 'patient',
        fhirUser: `Patient/${patient}`,
      });
      if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
      as[username] = new Fhir(t.url, (await login(t.url, username, PASSWORD)).access_token);
    }
    const forChild = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'mai.le',
      password: PASSWORD,
      patient: ids.child,
    });
    if (forChild.status !== 200) throw new Error(`token for the child: ${forChild.status}`);
    as.mumForChild = new Fhir(t.url, ((await forChild.json()) as { access_token: string }).access_token);
  }, 120000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await t?.db.drop();
  });

  it('every GET route outside /fhir is either audited or declared not patient data', () => {
    const routes = getRoutes(t);
    const undeclared = routes
      .filter((r) => !r.isPublic && !r.route.startsWith('GET /fhir'))
      .map((r) => r.route)
      .filter((r) => !AUDITED.includes(r) && !NOT_PATIENT_DATA.includes(r));
    expect(undeclared).toEqual([]);
    // and the lists name routes that exist (they do not rot)
    const all = routes.map((r) => r.route);
    expect([...AUDITED, ...NOT_PATIENT_DATA].filter((r) => !all.includes(r))).toEqual([]);
  });

  it('GET /scheduling/waitlist: the station nurse reading a patient’s waitlist is in that patient’s trail', async () => {
    const joined = await api(t.url, 'POST', '/scheduling/waitlist', w.as['patient.b']!.token, {
      patient: `Patient/${w.ids.B}`,
      practitioner: `Practitioner/${w.ids.doctor}`,
    });
    expect(joined.status).toBe(201);
    const res = await get(`/scheduling/waitlist?patient=Patient/${w.ids.B}`, w.as.nurse!.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(1);
    const seen = readsOf(
      await trail(w.as['patient.b']!, w.ids.B!),
      'GET /scheduling/waitlist',
      `Practitioner/${w.ids.nurse}`,
    );
    expect(seen).toHaveLength(1);
    // the event names B to B and nobody else: A finds nothing of it
    expect(
      readsOf(
        await trail(w.as['patient.a']!, w.ids.A!),
        'GET /scheduling/waitlist',
        `Practitioner/${w.ids.nurse}`,
      ),
    ).toEqual([]);
  });

  it('GET /notify/preferences: the station nurse reading a patient’s notification preferences is in that patient’s trail', async () => {
    const res = await get(`/notify/preferences?person=Patient/${w.ids.B}`, w.as.nurse!.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ person: `Patient/${w.ids.B}`, quietHours: true });
    const seen = readsOf(
      await trail(w.as['patient.b']!, w.ids.B!),
      'GET /notify/preferences',
      `Practitioner/${w.ids.nurse}`,
    );
    expect(seen).toHaveLength(1);
  });

  it('GET /care/immunizations/due: the station’s vaccination list is in each listed child’s trail', async () => {
    const month = DateTime.now().setZone('Asia/Ho_Chi_Minh').toFormat('yyyy-MM');
    const res = await get(`/care/immunizations/due?month=${month}`, w.as.nurse!.token);
    expect(res.status).toBe(200);
    const due = (await res.json()) as { patient: { id: string } }[];
    expect(due.map((d) => d.patient.id)).toContain(ids.child);
    const seen = readsOf(
      await trail(as.mumForChild!, ids.child!),
      'ImmunizationRecommendation?month',
      `Practitioner/${w.ids.nurse}`,
    );
    expect(seen.length).toBeGreaterThanOrEqual(1);
  });

  it('GET /care/alerts: the station reading its NEWS2 alerts is in the patient’s trail', async () => {
    // A respiration rate of 26 scores 3 on its own (RCP Chart 1): an alert for Mai, raised at the station.
    const at = new Date(Date.now() - 60_000).toISOString();
    const vital = (code: string, value: number, unit: string): Record<string, unknown> => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      request: { method: 'POST', url: 'Observation' },
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code }] },
        subject: { reference: `Patient/${ids.mum}` },
        effectiveDateTime: at,
        valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
      },
    });
    const posted = await w.as.nurse!.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [vital('9279-1', 26, '/min'), vital('8867-4', 80, '/min')],
    });
    expect(posted.status).toBe(200);
    const res = await get('/care/alerts', w.as.nurse!.token);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { patientId: string }[]).map((a) => a.patientId)).toContain(ids.mum);
    const seen = readsOf(
      await trail(as['mai.le']!, ids.mum!),
      'GET /care/alerts',
      `Practitioner/${w.ids.nurse}`,
    );
    expect(seen).toHaveLength(1);
  });

  it('GET /auth/dependents: a parent listing her children is in each child’s trail', async () => {
    const res = await get('/auth/dependents', as['mai.le']!.token);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { dependents: { patient: string }[] }).dependents).toEqual([
      expect.objectContaining({ patient: ids.child }),
    ]);
    const seen = readsOf(
      await trail(as.mumForChild!, ids.child!),
      'GET /auth/dependents',
      `Patient/${ids.mum}`,
    );
    expect(seen).toHaveLength(1);
  });

  it('GET /auth/accounts/review: the administrator seeing where a patient is managed is in that patient’s trail', async () => {
    // the patient moves to the hospital: the station's account for them is now one to review
    const moved = (await w.sys.get(`Patient/${ids.moved}`)).body;
    const put = await w.sys.put(`Patient/${ids.moved}`, {
      ...moved,
      managingOrganization: { reference: `Organization/${w.ids.hospital}` },
    });
    expect(put.status).toBe(200);
    const res = await get('/auth/accounts/review', admin);
    expect(res.status).toBe(200);
    const listed = ((await res.json()) as { accounts: { fhirUser: string }[] }).accounts;
    expect(listed.map((a) => a.fhirUser)).toContain(`Patient/${ids.moved}`);
    const seen = readsOf(
      await trail(as['moved.patient']!, ids.moved!),
      'GET /auth/accounts/review',
      await accountId(admin),
    );
    expect(seen).toHaveLength(1);
  });

  it('GET /consultation/waiting: the doctor seeing who waits is in the waiting patient’s trail', async () => {
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 5 * 60000), 10);
    const a = await w.sys.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    expect(a.status).toBe(201);
    const patient = new VisitClient(t.url, w.as['patient.a']!.token);
    clients.push(patient);
    await patient.ready;
    expect(await patient.request('join', { appointmentId: a.body.id as string })).toMatchObject({
      ok: true,
      state: 'waiting',
    });
    const res = await get('/consultation/waiting', w.as.doctor!.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([expect.objectContaining({ actor: `Patient/${w.ids.A}` })]);
    const seen = readsOf(
      await trail(w.as['patient.a']!, w.ids.A!),
      'GET /consultation/waiting',
      `Practitioner/${w.ids.doctor}`,
    );
    expect(seen).toHaveLength(1);
    // nobody waiting for the other doctor: nothing recorded for that empty answer
    expect(await (await get('/consultation/waiting', w.as['doctor.other']!.token)).json()).toEqual([]);
    expect(
      readsOf(
        await trail(w.as['patient.a']!, w.ids.A!),
        'GET /consultation/waiting',
        `Practitioner/${w.ids.other}`,
      ),
    ).toEqual([]);
  });

  it('GET /eprescription/prescriptions: the doctor reading a visit’s national prescriptions is in the patient’s trail', async () => {
    const patient = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Phạm', given: ['Thu'] }],
      generalPractitioner: [{ reference: `Practitioner/${w.ids.doctor}` }],
    });
    const encounter = await w.sys.post('Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${patient.body.id as string}` },
      participant: [{ individual: { reference: `Practitioner/${w.ids.doctor}` } }],
    });
    const cred = await api(t.url, 'PUT', '/eprescription/credentials', w.as.doctor!.token, {
      facilityCode: '92001',
      facilityLinkCode: 'CT-BVTW',
      doctorLinkCode: 'BS-1',
      password: 'x',
    });
    expect(cred.status).toBe(204);
    const mr = await w.as.doctor!.post('MedicationRequest', {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      category: [
        { coding: [{ system: 'https://fhir.mekong.health/CodeSystem/e-prescription-type', code: 'c' }] },
      ],
      medicationCodeableConcept: {
        coding: [{ system: 'https://fhir.mekong.health/CodeSystem/drugs-bhyt', code: '40.677' }],
        text: 'Omeprazol 20 mg',
      },
      subject: { reference: `Patient/${patient.body.id as string}` },
      encounter: { reference: `Encounter/${encounter.body.id as string}` },
      requester: { reference: `Practitioner/${w.ids.doctor}` },
      dosageInstruction: [{ text: '1 viên trước ăn sáng' }],
      dispenseRequest: {
        quantity: { value: 14, unit: 'viên' },
        expectedSupplyDuration: { value: 14, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
      },
    });
    expect(mr.status).toBe(201);
    const res = await get(
      `/eprescription/prescriptions?encounter=${encounter.body.id as string}`,
      w.as.doctor!.token,
    );
    expect(res.status).toBe(200);
    const seen = readsOf(
      await trail(w.sys, patient.body.id as string),
      'GET /eprescription/prescriptions',
      `Practitioner/${w.ids.doctor}`,
    );
    expect(seen).toHaveLength(1);
  });

  it('GET /claims and /claims/:encounterId: the doctor reading a visit’s insurance claim is in the patient’s trail', async () => {
    const patient = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Võ', given: ['Claim'] }],
    });
    // A visit finished: its claim is queued (no BHXH gateway configured here, so it waits unsent).
    const encounter = await w.sys.post('Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${patient.body.id as string}` },
      participant: [{ individual: { reference: `Practitioner/${w.ids.doctor}` } }],
    });
    const enc = encounter.body.id as string;
    const list = await get('/claims', w.as.doctor!.token);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { encounter: string }[]).map((c) => c.encounter)).toContain(
      `Encounter/${enc}`,
    );
    const one = await get(`/claims/${enc}`, w.as.doctor!.token);
    expect(one.status).toBe(200);
    const events = await trail(w.sys, patient.body.id as string);
    expect(readsOf(events, 'GET /claims', `Practitioner/${w.ids.doctor}`)).toHaveLength(1);
    expect(readsOf(events, 'GET /claims/:encounterId', `Practitioner/${w.ids.doctor}`)).toHaveLength(1);
  });

  it('GET /econsult/cases, /:id and its documents: the specialist reading a case is in the patient’s trail', async () => {
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const r = await w.sys.post(String(body.resourceType), body);
      if (r.status !== 201) throw new Error(`seed ${String(body.resourceType)}: ${r.status}`);
      return r.body.id as string;
    };
    const hospital = await mk({ resourceType: 'Organization', name: 'Bệnh viện tuyến trên' });
    const station = await mk({
      resourceType: 'Organization',
      name: 'Trạm Y tế xã Tân Phú',
      partOf: { reference: `Organization/${hospital}` },
    });
    const derm = await mk({ resourceType: 'Practitioner', name: [{ family: 'Da', given: ['Liễu'] }] });
    const nurse = await mk({ resourceType: 'Practitioner', name: [{ family: 'Điều', given: ['Dưỡng'] }] });
    await mk({
      resourceType: 'PractitionerRole',
      active: true,
      practitioner: { reference: `Practitioner/${derm}` },
      organization: { reference: `Organization/${hospital}` },
      specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394582007' }] }],
    });
    const patient = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Phạm', given: ['Tư', 'Vấn'] }],
      managingOrganization: { reference: `Organization/${station}` },
    });
    const tokens: Record<string, string> = {};
    for (const [username, role, fhirUser, organization] of [
      ['ec.nurse', 'clinic-staff', `Practitioner/${nurse}`, `Organization/${station}`],
      ['ec.derm', 'practitioner', `Practitioner/${derm}`, undefined],
      ['ec.patient', 'patient', `Patient/${patient}`, undefined],
    ] as const) {
      const res = await api(t.url, 'POST', '/auth/accounts', admin, {
        username,
        password: PASSWORD,
        role,
        fhirUser,
        ...(organization ? { organization } : {}),
      });
      if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
      tokens[username] = (await login(t.url, username, PASSWORD)).access_token;
    }
    const roster = await api(t.url, 'POST', '/care/duty-roster', admin, {
      practitioner: `Practitioner/${derm}`,
      facility: `Organization/${hospital}`,
      covers: [`Organization/${hospital}`],
      start: new Date(Date.now() - 3600_000).toISOString(),
      end: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(roster.status).toBe(201);
    const sent = await api(t.url, 'POST', '/econsult/cases', tokens['ec.nurse'], {
      patient,
      specialty: '394582007',
      question: 'Nốt ruồi thay đổi màu, xin ý kiến',
      priority: 'routine',
      consent: true,
    });
    expect(sent.status).toBe(201);
    const c = (await sent.json()) as { id: string; serviceRequestId: string };
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]);
    const b64 = (x: string): string => Buffer.from(x).toString('base64');
    const tus = { Authorization: `Bearer ${tokens['ec.nurse']}`, 'Tus-Resumable': '1.0.0' };
    const created = await fetch(`${t.url}/econsult/cases/${c.id}/uploads`, {
      method: 'POST',
      headers: {
        ...tus,
        'Upload-Length': String(jpeg.length),
        'Upload-Metadata': `filename ${b64('not-ruoi.jpg')},filetype ${b64('image/jpeg')},sha256 ${b64(createHash('sha256').update(jpeg).digest('hex'))}`,
      },
    });
    expect(created.status).toBe(201);
    const uploadId = (created.headers.get('location') ?? '').split('/').pop()!;
    const patched = await fetch(`${t.url}/econsult/cases/${c.id}/uploads/${uploadId}`, {
      method: 'PATCH',
      headers: { ...tus, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: jpeg,
    });
    expect(patched.status).toBe(204);
    expect((await get('/econsult/cases', tokens['ec.derm']!)).status).toBe(200);
    expect((await get(`/econsult/cases/${c.id}`, tokens['ec.derm']!)).status).toBe(200);
    expect((await get(`/econsult/cases/${c.id}/documents/${uploadId}`, tokens['ec.derm']!)).status).toBe(200);
    const events = await trail(new Fhir(t.url, tokens['ec.patient']!), patient);
    const by = `Practitioner/${derm}`;
    expect(readsOf(events, 'GET /econsult/cases', by)).toHaveLength(1);
    expect(readsOf(events, `ServiceRequest/${c.serviceRequestId}`, by)).toHaveLength(1);
    const documentReads = events.filter(
      (e) =>
        (e.agent[0]?.who.reference ?? e.agent[0]?.who.identifier?.value) === by &&
        (e.entity ?? []).some((x) => (x.what.reference ?? '').startsWith('DocumentReference/')),
    );
    expect(documentReads).toHaveLength(1);
  });
});
