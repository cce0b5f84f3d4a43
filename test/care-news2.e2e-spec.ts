import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  appointmentBody,
  PASSWORD,
  postSlot,
  schedulingWorld,
  type SchedulingWorld,
} from './support/scheduling-world';
import { ADMIN, createAccounts, login, startApp, type TestApp } from './support/test-app';
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

  it('a patient just registered at a station: the station staff read score and response, and get the alert live and in their inbox', async () => {
    // Issue 15, item 10: "emergency response" vitals of a new patient (no doctor, no appointment)
    // reached nobody, and the nurse saw only "7 vitals saved".
    const station = `Organization/${w.ids.station}`;
    const nurse = w.as.nurse!;
    const other = await sys.post('Organization', {
      resourceType: 'Organization',
      name: 'Trạm Y tế xã Tân Lộc',
    });
    const otherNurse = await sys.post('Practitioner', {
      resourceType: 'Practitioner',
      name: [{ family: 'Đỗ' }],
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        [
          'nurse.other',
          'clinic-staff',
          `Practitioner/${String(otherNurse.body.id)}`,
          `Organization/${String(other.body.id)}`,
        ],
      ],
      PASSWORD,
    );
    const elsewhere = new Fhir(t.url, tokens['nurse.other']!);
    const registered = await nurse.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Trần', given: ['Văn Mới'] }],
      birthDate: '1950-07-07',
      managingOrganization: { reference: station },
    });
    expect(registered.status).toBe(201);
    const patient = registered.body.id as string;

    const sockets: Socket[] = [];
    const listen = async (
      token: string,
    ): Promise<{ rooms: string[]; received: Record<string, unknown>[] }> => {
      const socket = io(`${t.url}/notifications`, { auth: { token }, transports: ['websocket'] });
      sockets.push(socket);
      const received: Record<string, unknown>[] = [];
      socket.on('notification', (n: Record<string, unknown>) => received.push(n));
      const { rooms } = await new Promise<{ rooms: string[] }>((r) => socket.once('ready', r));
      return { rooms, received };
    };
    try {
      const here = await listen(nurse.token);
      expect(here.rooms).toContain(station);
      const there = await listen(elsewhere.token);
      const patientSocket = await listen(w.as['patient.b']!.token);
      expect(patientSocket.rooms).not.toContain(station);

      // NEWS2 13, by hand from RCP Chart 1: RR 26 → 3 · SpO2 90 % → 3 · oxygen 2 L/min → 2 ·
      // SBP 105 → 1 · pulse 115 → 2 · Alert → 0 · 39.5 °C → 2.
      const at = new Date(Date.now() - 30_000);
      const bundle = vitalsBundle(
        patient,
        { rr: 26, spo2: 90, sbp: 105, dbp: 70, pulse: 115, avpu: 'A', temp: 39.5 },
        at,
      );
      (bundle.entry as unknown[]).push({
        fullUrl: `urn:uuid:${randomUUID()}`,
        resource: {
          ...(bundle.entry as { resource: Record<string, unknown> }[])[0]!.resource,
          code: { coding: [{ system: 'http://loinc.org', code: '3151-8' }] },
          valueQuantity: { value: 2, unit: 'L/min', system: 'http://unitsofmeasure.org', code: 'L/min' },
        },
        request: { method: 'POST', url: 'Observation' },
      });
      expect((await nurse.post('', bundle)).status).toBe(200);

      // What the station's form reads right after saving: the server's score and response.
      const found = await nurse.get(
        `Observation?patient=Patient/${patient}&code=${NEWS2_CODE}&date=ge${at.toISOString()}&_sort=-date&_count=1`,
      );
      expect(found.status).toBe(200);
      const [score] = entries(found.body);
      expect(score).toMatchObject({
        valueInteger: 13,
        interpretation: [
          {
            coding: [{ system: 'https://fhir.mekong.health/CodeSystem/news2-response', code: 'emergency' }],
          },
        ],
      });

      // At once, in-app, to the station's staff; not to another station's, nor to the patient.
      const live = await (async () => {
        for (let i = 0; i < 120; i++) {
          const n = here.received.find((x) => x.about === `Observation/${score!.id}`);
          if (n) return n;
          await sleep(250);
        }
        throw new Error('no live NEWS2 alert reached the station');
      })();
      expect(live).toMatchObject({ topic: 'news2-alert', recipient: station, subject: `Patient/${patient}` });
      expect((live.text as { vi: string; en: string }).vi).toMatch(/NEWS2 = 13.*gọi 115/);
      expect((live.text as { vi: string; en: string }).en).toMatch(
        /NEWS2 early warning score = 13.*call 115/,
      );
      await sleep(500);
      expect(there.received).toEqual([]);
      // The patient is not told of the alert (their booking's confirmation reaches them, as it should).
      expect(patientSocket.received.filter((n) => String(n.topic).startsWith('news2'))).toEqual([]);

      // The station's durable inbox, once; the other station cannot read it.
      const inbox = async (as: Fhir): Promise<Resource[]> =>
        entries((await as.get(`Communication?recipient=${station}&category=alert`)).body);
      expect((await inbox(nurse)).map((c) => [c.subject, c.about])).toEqual([
        [{ reference: `Patient/${patient}` }, [{ reference: `Observation/${score!.id}` }]],
      ]);
      expect(await inbox(elsewhere)).toEqual([]);

      // Recomputed for the same set (a value added): no second alert.
      expect((await nurse.post('', vitalsBundle(patient, { temp: 39.6 }, at))).status).toBe(200);
      expect(await inbox(nurse)).toHaveLength(1);
      await sleep(500);
      expect(here.received.filter((x) => x.topic === 'news2-alert')).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.close();
    }
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
