import { randomUUID } from 'node:crypto';
import { PlatformModule } from '../apps/platform/src/platform.module';
import type { Fhir } from './support/fhir-client';
import { schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';

/**
 * NEWS2 SpO₂ Scale 2 (issue 17 item 1; docs/care.md § SpO₂ Scale 2; decision 017): a set is scored
 * on Scale 2 only while the patient has an active Goal with an SpO₂ target of 88–92 % recorded by a
 * practitioner, and every NEWS2 Observation says which scale it used and why.
 */
const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';
const SCALE_EXT = 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale';
const SPO2_SCALE1 = '1104311000000102';

type Resource = Record<string, unknown> & { id: string; meta: { versionId: string } };
const entries = (b: Record<string, unknown>): Resource[] =>
  ((b.entry ?? []) as { resource: Resource }[]).map((e) => e.resource);

/** The station's vitals form: every other parameter in its 0 band; `o2` L/min (0 = air). */
function vitals(patient: string, spo2: number, o2: number, at: Date): Record<string, unknown> {
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
  const q = (value: number, unit: string) => ({
    value,
    unit,
    system: 'http://unitsofmeasure.org',
    code: unit,
  });
  const code = (c: string) => ({ coding: [{ system: 'http://loinc.org', code: c }] });
  const obs = [
    { ...base, code: code('9279-1'), valueQuantity: q(16, '/min') },
    { ...base, code: code('59408-5'), valueQuantity: q(spo2, '%') },
    { ...base, code: code('3151-8'), valueQuantity: q(o2, 'L/min') },
    {
      ...base,
      code: code('85354-9'),
      component: [
        { code: code('8480-6'), valueQuantity: q(125, 'mm[Hg]') },
        { code: code('8462-4'), valueQuantity: q(80, 'mm[Hg]') },
      ],
    },
    { ...base, code: code('8867-4'), valueQuantity: q(72, '/min') },
    {
      ...base,
      code: code('67775-7'),
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008' }], text: 'A' },
    },
    { ...base, code: code('8310-5'), valueQuantity: q(36.8, 'Cel') },
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

/** The decision as the portal records it: SpO₂ target 88–92 %, who, since, why. */
function scale2Goal(patient: string, practitioner: string, startDate: string): Record<string, unknown> {
  return {
    resourceType: 'Goal',
    lifecycleStatus: 'active',
    category: [
      { coding: [{ system: 'https://fhir.mekong.health/CodeSystem/care-goal', code: 'news2-spo2-scale-2' }] },
    ],
    description: { text: 'Mục tiêu SpO₂ 88–92 % (NEWS2 thang 2) / SpO₂ target 88–92 % (NEWS2 Scale 2)' },
    subject: { reference: `Patient/${patient}` },
    startDate,
    expressedBy: { reference: `Practitioner/${practitioner}`, display: 'BS. Trần Minh' },
    addresses: [{ display: 'Suy hô hấp tăng CO2 (khí máu) / hypercapnic respiratory failure (blood gas)' }],
    target: [
      {
        measure: { coding: [{ system: 'http://loinc.org', code: '59408-5', display: 'Oxygen saturation' }] },
        detailRange: {
          low: { value: 88, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
          high: { value: 92, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
        },
      },
    ],
  };
}

describe('care: NEWS2 SpO2 Scale 2 under a recorded clinician decision', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let sys: Fhir;
  let minutes = 240;
  const today = new Date().toISOString().slice(0, 10);

  /** Posts a set (each at its own time) and returns its NEWS2 Observation. */
  const score = async (as: Fhir, patient: string, spo2: number, o2: number): Promise<Resource> => {
    const at = new Date(Date.now() - minutes-- * 60_000);
    const r = await as.post('', vitals(patient, spo2, o2, at));
    expect(r.status).toBe(200);
    const found = entries(
      (await sys.get(`Observation?patient=Patient/${patient}&code=${NEWS2_CODE}&date=${at.toISOString()}`))
        .body,
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  const spo2Of = (o: Resource): { code?: string; valueInteger: number } => {
    const c = (o.component as { code: { coding: { code: string }[] }; valueInteger: number }[])[1]!;
    return { code: c.code.coding[0]?.code, valueInteger: c.valueInteger };
  };
  const scaleOf = (o: Resource): Record<string, unknown> => {
    const ext = (o.extension as { url: string; extension?: { url: string }[] }[]).find(
      (e) => e.url === SCALE_EXT,
    );
    return Object.fromEntries(
      (ext?.extension ?? []).map((e) => [e.url, Object.entries(e).find(([k]) => k.startsWith('value'))?.[1]]),
    );
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    w = await schedulingWorld(t);
    sys = w.sys;
    // A (70, COPD with hypercapnic failure) is the doctor's patient; both are the station's.
    for (const [id, extra] of [
      [
        w.ids.A!,
        {
          birthDate: '1956-01-01',
          generalPractitioner: [{ reference: `Practitioner/${w.ids.doctor}` }],
          managingOrganization: { reference: `Organization/${w.ids.station}` },
        },
      ],
      [w.ids.B!, { birthDate: '1966-01-01' }],
    ] as const) {
      const current = (await sys.get(`Patient/${id}`)).body;
      const r = await sys.put(`Patient/${id}`, { ...current, ...extra });
      if (r.status !== 200) throw new Error(`seed Patient ${r.status}`);
    }
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('without a decision: Scale 1, stated so — 88 % on air scores 3 (alert), 97 % on oxygen scores 0', async () => {
    const low = await score(w.as.doctor!, w.ids.A!, 88, 0);
    expect(spo2Of(low)).toEqual({ code: SPO2_SCALE1, valueInteger: 3 });
    expect(scaleOf(low)).toEqual({
      scale: 1,
      rule: 'news2.spo2.scale1.default',
      reason: 'Scale 1 (no active Scale 2 decision)',
    });
    const high = await score(w.as.doctor!, w.ids.A!, 97, 2);
    expect(spo2Of(high)).toEqual({ code: SPO2_SCALE1, valueInteger: 0 });
    expect(high.valueInteger).toBe(2); // oxygen 2
  });

  it('a practitioner sets it: 88 % on air scores 0 (no false alert), 97 % on oxygen scores 3; ending it stops it', async () => {
    const created = await w.as.doctor!.post('Goal', scale2Goal(w.ids.A!, w.ids.doctor!, today));
    expect(created.status).toBe(201);
    const goal = created.body as Resource;
    expect((goal.meta as { tag?: { code: string }[] }).tag).toContainEqual(
      expect.objectContaining({ code: 'practitioner' }),
    );

    const onTarget = await score(w.as.nurse!, w.ids.A!, 88, 0);
    expect(spo2Of(onTarget)).toEqual({ code: 'spo2-scale2', valueInteger: 0 });
    expect(onTarget.valueInteger).toBe(0);
    expect(scaleOf(onTarget)).toMatchObject({
      scale: 2,
      rule: 'news2.spo2.scale2.recorded-goal',
      decision: { reference: `Goal/${goal.id}/_history/${goal.meta.versionId}` },
      reason: expect.stringContaining('hypercapnic respiratory failure'),
    });
    // No alert from it: the patient's NEWS2 Flag (raised by the Scale 1 88 % earlier) is cleared.
    const flag = entries((await sys.get(`Flag?subject=Patient/${w.ids.A}`)).body)[0];
    expect(flag?.status).toBe('inactive');

    const over = await score(w.as.nurse!, w.ids.A!, 97, 2);
    expect(spo2Of(over)).toEqual({ code: 'spo2-scale2', valueInteger: 3 });
    expect(over.valueInteger).toBe(5); // 3 + oxygen 2: alert
    expect(entries((await sys.get(`Flag?subject=Patient/${w.ids.A}`)).body)[0]?.status).toBe('active');

    // The doctor ends it (when, why): the next set is Scale 1 again.
    const ended = await w.as.doctor!.put(`Goal/${goal.id}`, {
      ...goal,
      lifecycleStatus: 'cancelled',
      statusDate: today,
      statusReason: 'Khí máu bình thường / normocapnic on repeat blood gas',
    });
    expect(ended.status).toBe(200);
    const after = await score(w.as.nurse!, w.ids.A!, 88, 0);
    expect(spo2Of(after)).toEqual({ code: SPO2_SCALE1, valueInteger: 3 });
    expect(scaleOf(after)).toMatchObject({ scale: 1, reason: 'Scale 1 (no active Scale 2 decision)' });
    expect(JSON.stringify(after.note)).toContain(
      `Goal/${goal.id}/_history/2 not followed: not active (cancelled`,
    );
  });

  it('a decision recorded by station staff or a system client is ignored (Scale 1); a patient cannot record one', async () => {
    const byNurse = await w.as.nurse!.post('Goal', scale2Goal(w.ids.B!, w.ids.doctor!, today));
    expect(byNurse.status).toBe(201);
    const bySystem = await sys.post('Goal', scale2Goal(w.ids.B!, w.ids.doctor!, today));
    expect(bySystem.status).toBe(201);
    const patientTry = await w.as['patient.b']!.post('Goal', scale2Goal(w.ids.B!, w.ids.doctor!, today));
    expect(patientTry.status).toBe(403);
    // A doctor unrelated to the patient cannot record one either (the record's access rules).
    const stranger = await w.as['doctor.other']!.post('Goal', scale2Goal(w.ids.B!, w.ids.other!, today));
    expect({ status: stranger.status, id: stranger.body.id }).toEqual({ status: 403, id: undefined });
    expect(entries((await sys.get(`Goal?patient=Patient/${w.ids.B}`)).body)).toHaveLength(2);

    const s = await score(w.as.nurse!, w.ids.B!, 88, 0);
    expect(spo2Of(s)).toEqual({ code: SPO2_SCALE1, valueInteger: 3 });
    expect(scaleOf(s)).toMatchObject({ scale: 1, reason: 'Scale 1 (no active Scale 2 decision)' });
    const notes = JSON.stringify(s.note);
    expect(notes).toContain(
      `Goal/${String(byNurse.body.id)}/_history/1 not followed: recorded by clinic-staff`,
    );
    expect(notes).toContain(`Goal/${String(bySystem.body.id)}/_history/1 not followed: recorded by system`);
  });
});
