import { randomUUID } from 'node:crypto';
import { PlatformModule } from '../apps/platform/src/platform.module';
import type { Fhir } from './support/fhir-client';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';
import { VisitClient } from './support/visit-client';

/**
 * Early warning (docs/care.md § Early warning (NEWS2)): the vitals a station posts (one
 * transaction Bundle) are scored with NEWS2 (RCP 2017) in the same transaction; an alert raises
 * the patient's Flag, notifies the responsible doctors and moves the patient up the waiting room.
 */
const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';

interface Vitals {
  rr?: number;
  spo2?: number;
  /** Inhaled O2 concentration, % (LOINC 3150-0): 21 = air. */
  fio2?: number;
  sbp?: number;
  dbp?: number;
  pulse?: number;
  avpu?: 'A' | 'V' | 'P' | 'U';
  temp?: number;
}

const AVPU = { A: '248234008', V: '300202002', P: '450847001', U: '422768004' } as const;

/** The transaction Bundle the station's vitals form posts (apps/portal/src/station/vitals.ts), plus air/oxygen. */
function vitalsBundle(patient: string, v: Vitals, at: Date): Record<string, unknown> {
  const base = {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: at.toISOString(),
  };
  const code = (c: string, display: string) => ({
    coding: [{ system: 'http://loinc.org', code: c, display }],
  });
  const q = (value: number, unit: string) => ({
    value,
    unit,
    system: 'http://unitsofmeasure.org',
    code: unit,
  });
  const obs: Record<string, unknown>[] = [];
  if (v.pulse !== undefined)
    obs.push({ ...base, code: code('8867-4', 'Heart rate'), valueQuantity: q(v.pulse, '/min') });
  if (v.spo2 !== undefined)
    obs.push({ ...base, code: code('59408-5', 'Oxygen saturation'), valueQuantity: q(v.spo2, '%') });
  if (v.temp !== undefined)
    obs.push({ ...base, code: code('8310-5', 'Body temperature'), valueQuantity: q(v.temp, 'Cel') });
  if (v.rr !== undefined)
    obs.push({ ...base, code: code('9279-1', 'Respiratory rate'), valueQuantity: q(v.rr, '/min') });
  if (v.sbp !== undefined && v.dbp !== undefined)
    obs.push({
      ...base,
      code: code('85354-9', 'Blood pressure panel'),
      component: [
        { code: code('8480-6', 'Systolic'), valueQuantity: q(v.sbp, 'mm[Hg]') },
        { code: code('8462-4', 'Diastolic'), valueQuantity: q(v.dbp, 'mm[Hg]') },
      ],
    });
  if (v.avpu)
    obs.push({
      ...base,
      code: code('67775-7', 'Level of responsiveness'),
      valueCodeableConcept: {
        coding: [{ system: 'http://snomed.info/sct', code: AVPU[v.avpu] }],
        text: v.avpu,
      },
    });
  if (v.fio2 !== undefined)
    obs.push({
      ...base,
      code: code('3150-0', 'Inhaled oxygen concentration'),
      valueQuantity: q(v.fio2, '%'),
    });
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
 * NEWS2 = 7 for an adult, by hand from RCP 2017 Chart 1:
 * RR 22 → 2 (21–24) · SpO2 95 % Scale 1 → 1 (94–95) · air → 0 · SBP 105 → 1 (101–110) ·
 * pulse 115 → 2 (111–130) · Alert → 0 · 38.5 °C → 1 (38.1–39.0). No single 3; total 7 ≥ 5: alert.
 */
const SEVEN: Vitals = { rr: 22, spo2: 95, fio2: 21, sbp: 105, dbp: 70, pulse: 115, avpu: 'A', temp: 38.5 };
/** Every parameter 0: RR 16, SpO2 98, air, SBP 125, pulse 72, Alert, 36.8 °C. */
const NORMAL: Vitals = { rr: 16, spo2: 98, fio2: 21, sbp: 125, dbp: 80, pulse: 72, avpu: 'A', temp: 36.8 };

type Resource = Record<string, unknown> & { id: string; meta: { versionId: string } };
const entries = (b: Record<string, unknown>): Resource[] =>
  ((b.entry ?? []) as { resource: Resource }[]).map((e) => e.resource);

describe('care: NEWS2 early warning from vitals', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let sys: Fhir;
  let child: string;
  const appointments: Record<string, string> = {};
  const clients: VisitClient[] = [];
  const client = async (token: string): Promise<VisitClient> => {
    const c = new VisitClient(t.url, token);
    clients.push(c);
    await c.ready;
    return c;
  };
  const waiting = async (token: string): Promise<Record<string, unknown>[]> => {
    const res = await fetch(`${t.url}/consultation/waiting`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>[];
  };
  const news2Of = async (patient: string): Promise<Resource[]> =>
    entries((await sys.get(`Observation?subject=Patient/${patient}&code=${NEWS2_CODE}&_sort=date`)).body);
  const flagsOf = async (patient: string): Promise<Resource[]> =>
    entries((await sys.get(`Flag?subject=Patient/${patient}`)).body);
  const postVitals = async (patient: string, v: Vitals, at: Date): Promise<void> => {
    const r = await sys.post('', vitalsBundle(patient, v, at));
    expect(r.status).toBe(200);
  };
  const setPatient = async (id: string, extra: Record<string, unknown>): Promise<void> => {
    const current = (await sys.get(`Patient/${id}`)).body;
    const r = await sys.put(`Patient/${id}`, { ...current, ...extra });
    expect(r.status).toBe(200);
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { CONSULT_MARGIN_MINUTES: '30' });
    w = await schedulingWorld(t);
    sys = w.sys;
    // A: 66 years old, general practitioner "other"; B: adult; the child: 9 years old.
    await setPatient(w.ids.A!, {
      birthDate: '1960-05-01',
      generalPractitioner: [{ reference: `Practitioner/${w.ids.other}` }],
    });
    await setPatient(w.ids.B!, { birthDate: '1985-02-10' });
    const c = await sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Bé'] }],
      birthDate: `${new Date().getUTCFullYear() - 9}-03-03`,
    });
    child = c.body.id as string;
    // Both wait for the doctor today: A (routine, priority 5) and B (more urgent, priority 2).
    for (const [p, minutes, priority] of [
      ['A', 2, 5],
      ['B', 8, 2],
    ] as const) {
      const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + minutes * 60000), 5);
      const a = await sys.post('Appointment', appointmentBody(slot, w.ids[p]!, w.ids.doctor!, { priority }));
      if (a.status !== 201) throw new Error(`appointment ${a.status} ${JSON.stringify(a.body)}`);
      appointments[p] = a.body.id as string;
    }
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await t?.db.drop();
  });

  it('moves the patient whose vitals score NEWS2 7 to the top of the waiting room, with Flag and alert', async () => {
    const doctor = w.as.doctor!.token;
    const a = await client(w.as['patient.a']!.token);
    expect(await a.request('join', { appointmentId: appointments.A! })).toMatchObject({ ok: true });
    const b = await client(w.as['patient.b']!.token);
    expect(await b.request('join', { appointmentId: appointments.B! })).toMatchObject({ ok: true });
    // Before: B first (priority 2), then A (priority 5); nobody has a NEWS2 yet.
    const before = await waiting(doctor);
    expect(before.map((e) => e.actor)).toEqual([`Patient/${w.ids.B}`, `Patient/${w.ids.A}`]);
    expect(before.every((e) => e.alert === undefined && e.news2 === undefined)).toBe(true);

    const at = new Date(Date.now() - 20 * 60_000);
    await postVitals(w.ids.A!, SEVEN, at);

    // The score, in the same transaction as the vitals.
    const [score, ...more] = await news2Of(w.ids.A!);
    expect(more).toEqual([]);
    expect(score).toMatchObject({
      status: 'final',
      valueInteger: 7,
      subject: { reference: `Patient/${w.ids.A}` },
      effectiveDateTime: at.toISOString(),
    });
    const components = (
      score!.component as { code: { coding: { code: string }[] }; valueInteger: number }[]
    ).map((c) => [c.code.coding[0]!.code, c.valueInteger]);
    expect(components).toEqual([
      ['1104301000000104', 2], // respiration rate 22
      ['1104311000000102', 1], // SpO2 95 % (Scale 1)
      ['1104331000000105', 0], // air
      ['1104341000000101', 1], // systolic 105
      ['1104351000000103', 2], // pulse 115
      ['1104361000000100', 0], // alert
      ['1104371000000107', 1], // 38.5 °C
    ]);
    const vitals = entries(
      (await sys.get(`Observation?subject=Patient/${w.ids.A}&category=vital-signs&_count=50`)).body,
    );
    expect(vitals).toHaveLength(7);
    expect((score!.derivedFrom as { reference: string }[]).map((r) => r.reference).sort()).toEqual(
      vitals.map((v) => `Observation/${v.id}`).sort(),
    );

    // The Flag.
    const [flag] = await flagsOf(w.ids.A!);
    expect(flag).toMatchObject({
      status: 'active',
      category: [{ coding: [{ code: 'clinical' }] }],
      code: { coding: [{ code: 'news2-alert' }] },
      subject: { reference: `Patient/${w.ids.A}` },
      period: { start: at.toISOString() },
    });
    expect(flag!.code).toMatchObject({ text: expect.stringContaining('7') });

    // The alert to the doctor of today's appointment and to the general practitioner, once each.
    for (const p of [w.ids.doctor!, w.ids.other!]) {
      const inbox = entries((await sys.get(`Communication?recipient=Practitioner/${p}&category=alert`)).body);
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toMatchObject({
        subject: { reference: `Patient/${w.ids.A}` },
        about: [{ reference: `Observation/${score!.id}` }],
      });
    }
    expect(
      entries((await sys.get(`Communication?recipient=Practitioner/${w.ids.nurse}&category=alert`)).body),
    ).toEqual([]);

    // The waiting room: A now first, with the score.
    const after = await waiting(doctor);
    expect(after.map((e) => [e.actor, e.alert, e.news2])).toEqual([
      [`Patient/${w.ids.A}`, true, 7],
      [`Patient/${w.ids.B}`, undefined, undefined],
    ]);
    // The socket queue the doctor sees in A's room shows the alert too.
    const host = await client(doctor);
    expect(await host.request('join', { appointmentId: appointments.A! })).toMatchObject({ ok: true });
    const queue = await host.next('queue');
    expect(queue.waiting).toEqual([
      expect.objectContaining({ actor: `Patient/${w.ids.A}`, alert: true, news2: 7 }),
    ]);

    // Recomputed for the same time (a vital added to the set): a new version, never a duplicate,
    // and not notified again.
    await postVitals(w.ids.A!, { temp: 38.5 }, at);
    const again = await news2Of(w.ids.A!);
    expect(again.map((o) => [o.id, o.meta.versionId, o.valueInteger])).toEqual([[score!.id, '2', 7]]);
    expect(
      entries((await sys.get(`Communication?recipient=Practitioner/${w.ids.doctor}&category=alert`)).body),
    ).toHaveLength(1);

    // A later normal score: the Flag becomes inactive (a new version), A goes back behind B.
    const later = new Date(at.getTime() + 18 * 60_000); // outside the 15-minute window of the first set
    await postVitals(w.ids.A!, NORMAL, later);
    const scores = await news2Of(w.ids.A!);
    expect(scores.map((o) => o.valueInteger)).toEqual([7, 0]);
    const [cleared] = await flagsOf(w.ids.A!);
    expect(cleared).toMatchObject({
      id: flag!.id,
      status: 'inactive',
      meta: { versionId: String(Number(flag!.meta.versionId) + 1) },
      period: { start: at.toISOString(), end: later.toISOString() },
    });
    expect((await waiting(doctor)).map((e) => [e.actor, e.alert])).toEqual([
      [`Patient/${w.ids.B}`, undefined],
      [`Patient/${w.ids.A}`, false],
    ]);
  });

  it('a missing parameter: incomplete, no total, no alert (never scored 0)', async () => {
    const noRespirationRate: Vitals = { ...NORMAL, rr: undefined };
    const at = new Date(Date.now() - 120_000);
    await postVitals(w.ids.B!, { ...noRespirationRate, pulse: 115 }, at);
    const [score, ...more] = await news2Of(w.ids.B!);
    expect(more).toEqual([]);
    expect(score).not.toHaveProperty('valueInteger');
    expect(score).toMatchObject({
      dataAbsentReason: { coding: [{ code: 'unknown' }], text: 'incomplete' },
      note: [{ text: expect.stringContaining('missing respirationRate') }],
    });
    expect(score!.component).toHaveLength(6);
    expect(await flagsOf(w.ids.B!)).toEqual([]);
    expect(entries((await sys.get(`Communication?subject=Patient/${w.ids.B}&category=alert`)).body)).toEqual(
      [],
    );
  });

  it('is not computed for a patient under 16', async () => {
    await postVitals(child, SEVEN, new Date(Date.now() - 60_000));
    expect(
      entries((await sys.get(`Observation?subject=Patient/${child}&category=vital-signs`)).body),
    ).toHaveLength(7);
    expect(await news2Of(child)).toEqual([]);
    expect(await flagsOf(child)).toEqual([]);
  });
});
