import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, createAccounts, login, startApp, systemToken, type TestApp } from './support/test-app';

/**
 * Issue 17 item 10 (docs/care.md § The on-call doctor's access, docs/access-control.md "Facts that
 * grant access"): a NEWS2 alert routed — or escalated — to the doctor the referral hospital has on
 * call puts that doctor in the station patient's care for NEWS2_ONCALL_ACCESS_MINUTES: a CareTeam
 * the server writes (recorded-by system, audited system:care.news2-alerts), counted by the access
 * rules like any other — only while active and in its period, never against the patient's deny.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';
const ALERTS_AGENT = 'system:care.news2-alerts';
const RECORDED_BY = 'https://fhir.mekong.health/CodeSystem/recorded-by';

type Json = Record<string, unknown>;
const entries = (b: Json): Json[] => ((b.entry ?? []) as { resource: Json }[]).map((e) => e.resource);

const vital = (patient: string, code: string, value: Json, at: Date): Json => ({
  resourceType: 'Observation',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: at.toISOString(),
  ...value,
});
const qty = (value: number, unit: string): Json => ({
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
});

/** The station's vitals form's transaction: RR 26, SpO2 90 % on 2 L/min, SBP 105, pulse 115, A, 39.5 °C — NEWS2 13. */
function alerting(patient: string, at: Date): Json {
  const obs = [
    vital(patient, '9279-1', qty(26, '/min'), at),
    vital(patient, '59408-5', qty(90, '%'), at),
    vital(patient, '3151-8', qty(2, 'L/min'), at),
    vital(
      patient,
      '85354-9',
      {
        component: [
          { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, ...qty(105, 'mm[Hg]') },
          { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, ...qty(70, 'mm[Hg]') },
        ],
      },
      at,
    ),
    vital(patient, '8867-4', qty(115, '/min'), at),
    vital(
      patient,
      '67775-7',
      {
        valueCodeableConcept: {
          coding: [{ system: 'http://snomed.info/sct', code: '248234008' }],
          text: 'A',
        },
      },
      at,
    ),
    vital(patient, '8310-5', qty(39.5, 'Cel'), at),
  ];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: obs.map((resource) => ({
      fullUrl: `urn:uuid:${randomUUID()}`,
      resource,
      request: { method: 'POST', url: 'Observation' },
    })),
  };
}

/**
 * A referral hospital H with its commune station S (S.partOf = H) and another hospital H2; doctors
 * `oncall` and `late` work at H, `elsewhere` at H2, `unrelated` nowhere; `nurse` is S's staff.
 */
interface World {
  t: TestApp;
  sys: Fhir;
  ids: Record<string, string>;
  as: Record<string, Fhir>;
  admin: string;
}

async function world(t: TestApp): Promise<World> {
  const sys = new Fhir(t.url, await systemToken(t.url));
  const ids: Record<string, string> = {};
  const mk = async (body: Json): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  ids.H = await mk({ resourceType: 'Organization', name: 'Bệnh viện Đa khoa Trung ương Cần Thơ' });
  ids.S = await mk({
    resourceType: 'Organization',
    name: 'Trạm Y tế xã An Bình',
    partOf: { reference: `Organization/${ids.H}` },
  });
  ids.H2 = await mk({ resourceType: 'Organization', name: 'Bệnh viện Đa khoa tỉnh Sóc Trăng' });
  for (const [key, family, org] of [
    ['oncall', 'Trần', ids.H],
    ['late', 'Đỗ', ids.H],
    ['elsewhere', 'Lê', ids.H2],
    ['unrelated', 'Ngô', undefined],
    ['nurse', 'Phan', undefined],
  ] as const) {
    ids[key] = await mk({ resourceType: 'Practitioner', name: [{ family, given: ['Minh'] }] });
    if (org)
      await mk({
        resourceType: 'PractitionerRole',
        active: true,
        practitioner: { reference: `Practitioner/${ids[key]}` },
        organization: { reference: `Organization/${org}` },
      });
  }
  const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
  const tokens = await createAccounts(
    t.url,
    admin,
    [
      ['doctor.oncall', 'practitioner', `Practitioner/${ids.oncall}`],
      ['doctor.late', 'practitioner', `Practitioner/${ids.late}`],
      ['doctor.elsewhere', 'practitioner', `Practitioner/${ids.elsewhere}`],
      ['doctor.unrelated', 'practitioner', `Practitioner/${ids.unrelated}`],
      ['nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.S}`],
    ],
    PASSWORD,
  );
  const as: Record<string, Fhir> = {};
  for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
  return { t, sys, ids, as, admin };
}

/** A duty-roster row written by the administrator. */
async function onCall(
  w: World,
  practitioner: string,
  facility: string,
  covers: string[],
  start: Date,
): Promise<void> {
  const r = await api(w.t.url, 'POST', '/care/duty-roster', w.admin, {
    practitioner: `Practitioner/${practitioner}`,
    facility: `Organization/${facility}`,
    covers: covers.map((c) => `Organization/${c}`),
    start: start.toISOString(),
    end: new Date(Date.now() + 12 * 3600_000).toISOString(),
  });
  if (r.status !== 201) throw new Error(`roster: ${r.status} ${await r.text()}`);
}

/** A patient the station nurse registers (no doctor, no appointment). */
async function register(w: World, family: string): Promise<string> {
  const r = await w.as.nurse!.post('Patient', {
    resourceType: 'Patient',
    name: [{ family, given: ['Văn Mới'] }],
    birthDate: '1950-07-07',
    managingOrganization: { reference: `Organization/${w.ids.S}` },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const careTeams = async (w: World, patient: string): Promise<Json[]> =>
  entries((await w.sys.get(`CareTeam?patient=Patient/${patient}`)).body);

/** What each doctor gets for the Patient and one of its Observations. */
async function reach(w: World, who: string, patient: string, observation: string): Promise<[number, number]> {
  const p = await w.as[who]!.get(`Patient/${patient}`);
  const o = await w.as[who]!.get(`Observation/${observation}`);
  return [p.status, o.status];
}

describe('care: the on-call doctor of a NEWS2 alert is in the patient’s care for a while (issue 17 item 10)', () => {
  let w: World;
  let patient: string;
  let temperature: string;
  let careTeam: Json;
  const at = new Date(Date.now() - 30_000);

  beforeAll(async () => {
    const t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    w = await world(t);
    const hourAgo = new Date(Date.now() - 3600_000);
    await onCall(w, w.ids.oncall!, w.ids.H!, [w.ids.H!, w.ids.S!], hourAgo);
    // On call too, but for the other hospital: not for the station.
    await onCall(w, w.ids.elsewhere!, w.ids.H2!, [w.ids.H2!], hourAgo);
    patient = await register(w, 'Trần');
    // A lone reading earlier (no NEWS2 set, no alert).
    const r = await w.as.nurse!.post(
      'Observation',
      vital(patient, '8310-5', qty(37.9, 'Cel'), new Date(Date.now() - 3600_000)),
    );
    if (r.status !== 201) throw new Error(`temperature: ${r.status}`);
    temperature = r.body.id as string;
  });
  afterAll(async () => {
    await w?.t.close();
    await w?.t.db.drop();
  });

  it('before the alert no hospital doctor reaches the station’s patient', async () => {
    for (const who of ['doctor.oncall', 'doctor.elsewhere', 'doctor.unrelated'])
      expect({ who, reach: await reach(w, who, patient, temperature) }).toEqual({ who, reach: [404, 404] });
    expect(await careTeams(w, patient)).toEqual([]);
  });

  it('the alert routed to the on-call doctor gives them the record — read and write — and nobody else', async () => {
    expect((await w.as.nurse!.post('', alerting(patient, at))).status).toBe(200);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([200, 200]);
    const seen = entries(
      (await w.as['doctor.oncall']!.get(`Observation?patient=Patient/${patient}&_count=50`)).body,
    );
    expect(seen.map((o) => o.id)).toContain(temperature);
    expect(seen.some((o) => JSON.stringify(o.code).includes('1104051000000101'))).toBe(true);
    expect(
      entries(
        (await w.as['doctor.oncall']!.get(`Observation?patient=Patient/${patient}&code=${NEWS2_CODE}`)).body,
      ),
    ).toHaveLength(1);
    // Writes as clinically appropriate: a working diagnosis in the patient's record.
    const dx = await w.as['doctor.oncall']!.post('Condition', {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { text: 'Nghi nhiễm khuẩn huyết / suspected sepsis' },
      subject: { reference: `Patient/${patient}` },
    });
    expect(dx.status).toBe(201);
    // Not a doctor on call for another facility, nor one on call for nobody.
    for (const who of ['doctor.elsewhere', 'doctor.unrelated', 'doctor.late'])
      expect({ who, reach: await reach(w, who, patient, temperature) }).toEqual({ who, reach: [404, 404] });
    expect(
      entries((await w.as['doctor.elsewhere']!.get(`Observation?patient=Patient/${patient}`)).body),
    ).toEqual([]);

    // The fact: one CareTeam the server wrote, naming the alert, the doctor, the patient and the station.
    const teams = await careTeams(w, patient);
    expect(teams).toHaveLength(1);
    careTeam = teams[0]!;
    expect(careTeam).toMatchObject({
      status: 'active',
      subject: { reference: `Patient/${patient}` },
      participant: [{ member: { reference: `Practitioner/${w.ids.oncall}` } }],
      managingOrganization: [{ reference: `Organization/${w.ids.S}` }],
      category: [{ coding: [{ system: 'http://loinc.org', code: 'LA27975-4' }] }],
      identifier: [{ system: 'https://fhir.mekong.health/identifier/news2-alert' }],
      meta: { tag: [{ system: RECORDED_BY, code: 'system' }] },
    });
    const period = careTeam.period as { start: string; end: string };
    expect(Date.parse(period.start)).toBe(at.getTime());
    // LOCAL POLICY default: 24 hours after the alert reached the doctor.
    const hours = (Date.parse(period.end) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);

    // Audited in the patient's trail as the server's write under care's named reason.
    const trail = entries((await w.sys.get(`AuditEvent?patient=Patient/${patient}&_count=200`)).body);
    const write = trail.find((e) =>
      JSON.stringify(e.entity).includes(`CareTeam/${careTeam.id as string}/_history/1`),
    );
    expect(JSON.stringify(write?.agent)).toContain(ALERTS_AGENT);
  });

  it('acknowledging the alert does not end it; the same alert processed again writes no second CareTeam', async () => {
    const alerts = await api(w.t.url, 'GET', '/care/alerts', w.as['doctor.oncall']!.token);
    const alert = ((await alerts.json()) as Json[]).find((a) => a.patientId === patient)!;
    expect(alert.onCall).toEqual([`Practitioner/${w.ids.oncall}`]);
    const ack = await api(
      w.t.url,
      'POST',
      `/care/alerts/${alert.id as string}/acknowledge`,
      w.as['doctor.oncall']!.token,
    );
    expect(ack.status).toBe(200);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([200, 200]);

    // The station sends the same set again: the same NEWS2 Observation, the same alert.
    expect((await w.as.nurse!.post('', alerting(patient, at))).status).toBe(200);
    const teams = await careTeams(w, patient);
    expect(teams).toHaveLength(1);
    expect(teams[0]!.meta).toMatchObject({ versionId: '1' });
    expect(teams[0]!.period).toEqual(careTeam.period);
  });

  it('the patient’s deny Consent still wins over it', async () => {
    const tokens = await createAccounts(
      w.t.url,
      w.admin,
      [['pt.tran', 'patient', `Patient/${patient}`]],
      PASSWORD,
    );
    const me = new Fhir(w.t.url, tokens['pt.tran']!);
    // The patient sees who was given their record, and why.
    expect((await me.get(`CareTeam/${careTeam.id as string}`)).status).toBe(200);
    const deny = await me.post('Consent', {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${patient}` },
      provision: {
        type: 'deny',
        actor: [{ role: { text: 'xem hồ sơ' }, reference: { reference: `Practitioner/${w.ids.oncall}` } }],
      },
    });
    expect(deny.status).toBe(201);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([404, 404]);
    // Withdrawn, the alert's care relationship counts again.
    expect(
      (await me.put(`Consent/${deny.body.id as string}`, { ...deny.body, status: 'inactive' })).status,
    ).toBe(200);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([200, 200]);
  });

  it('ends with its period, or when the station ends it', async () => {
    const id = careTeam.id as string;
    // The station's staff (the patient's managing facility) may end it early.
    const current = (await w.sys.get(`CareTeam/${id}`)).body;
    const ended = await w.as.nurse!.put(`CareTeam/${id}`, { ...current, status: 'inactive' });
    expect(ended.status).toBe(200);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([404, 404]);
    // Active again but its period over (as after NEWS2_ONCALL_ACCESS_MINUTES): nothing.
    const past = {
      start: new Date(Date.now() - 2 * 86400_000).toISOString(),
      end: new Date(Date.now() - 86400_000).toISOString(),
    };
    expect(
      (await w.sys.put(`CareTeam/${id}`, { ...ended.body, status: 'active', period: past })).status,
    ).toBe(200);
    expect(await reach(w, 'doctor.oncall', patient, temperature)).toEqual([404, 404]);
  });

  it('rejects a bad NEWS2_ONCALL_ACCESS_MINUTES at boot, naming the variable', async () => {
    const { loadConfig } = await import('@mekong/common');
    for (const bad of ['0', 'abc', '10081'])
      expect(() => loadConfig({ NEWS2_ONCALL_ACCESS_MINUTES: bad })).toThrow(/NEWS2_ONCALL_ACCESS_MINUTES/);
    expect(loadConfig({}).care.news2OnCallAccessMinutes).toBe(24 * 60);
    expect(loadConfig({ NEWS2_ONCALL_ACCESS_MINUTES: '90' }).care.news2OnCallAccessMinutes).toBe(90);
  });
});

describe('care: an escalation’s on-call doctor gets the same, and the window set by configuration ends it', () => {
  const ACCESS_MINUTES = 0.25; // 15 s
  let w: World;

  beforeAll(async () => {
    const t = await startApp(PlatformModule.register, {
      MEDIA_WORKERS: '0',
      JOB_POLL_SECONDS: '0.5',
      NEWS2_ESCALATE_MINUTES: '0.1', // 6 s
      NEWS2_ONCALL_ACCESS_MINUTES: String(ACCESS_MINUTES),
    });
    w = await world(t);
  });
  afterAll(async () => {
    await w?.t.close();
    await w?.t.db.drop();
  });

  it('nobody acknowledges: the doctor on call at escalation joins, the first doctor keeps it longer; both lose it after the window', async () => {
    await onCall(w, w.ids.oncall!, w.ids.H!, [w.ids.S!], new Date(Date.now() - 3600_000));
    const patient = await register(w, 'Lý');
    const at = new Date(Date.now() - 10_000);
    // `late` comes on duty after the vitals were taken: not called at first, on call at escalation.
    await onCall(w, w.ids.late!, w.ids.H!, [w.ids.S!], new Date());
    expect((await w.as.nurse!.post('', alerting(patient, at))).status).toBe(200);
    const news2 = entries(
      (await w.as.nurse!.get(`Observation?patient=Patient/${patient}&code=${NEWS2_CODE}`)).body,
    )[0]!;
    const obs = news2.id as string;
    expect((await w.as['doctor.oncall']!.get(`Observation/${obs}`)).status).toBe(200);
    expect((await w.as['doctor.late']!.get(`Observation/${obs}`)).status).toBe(404);
    const first = (await careTeams(w, patient))[0]!;

    let teams: Json[] = [];
    for (let i = 0; i < 60 && teams.length < 2; i++) {
      await sleep(500);
      teams = await careTeams(w, patient);
    }
    expect(teams).toHaveLength(2);
    expect((await w.as['doctor.late']!.get(`Observation/${obs}`)).status).toBe(200);
    const member = (c: Json): string =>
      (c.participant as { member: { reference: string } }[])[0]!.member.reference;
    const again = teams.find((c) => member(c) === `Practitioner/${w.ids.oncall}`)!;
    const late = teams.find((c) => member(c) === `Practitioner/${w.ids.late}`)!;
    expect(again.meta).toMatchObject({ versionId: '2' });
    const end = (c: Json): number => Date.parse((c.period as { end: string }).end);
    expect(end(again)).toBeGreaterThan(end(first));
    expect((again.period as { start: string }).start).toBe((first.period as { start: string }).start);
    expect(end(late) - Date.parse((late.period as { start: string }).start)).toBe(ACCESS_MINUTES * 60_000);
    // Still nobody else.
    expect((await w.as['doctor.unrelated']!.get(`Observation/${obs}`)).status).toBe(404);

    // The window (NEWS2_ONCALL_ACCESS_MINUTES) passes: the record closes again for both.
    await sleep(Math.max(end(again), end(late)) - Date.now() + 1500);
    for (const who of ['doctor.oncall', 'doctor.late'])
      expect({ who, status: (await w.as[who]!.get(`Patient/${patient}`)).status }).toEqual({
        who,
        status: 404,
      });
  });
});
