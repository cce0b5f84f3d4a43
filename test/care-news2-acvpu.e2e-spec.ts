import { randomUUID } from 'node:crypto';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';

/**
 * Issue 17 item 9: the station's form records ACVPU (apps/portal/src/station/vitals.ts: LOINC
 * 67775-7 "Level of responsiveness", SNOMED CT value); the server scores each level as RCP NEWS2
 * Chart 1's consciousness row: Alert 0; "C, V, P or U" 3 ("newly confused … scored as 3 points",
 * openEHR NEWS2 archetype at0025, SECONDARY; docs/research/issue-17-sources.md § 1.2 and § 1.4).
 */
const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';
const CONSCIOUSNESS_SCORE = '1104361000000100';

/** The codes the portal's form posts (vitals.ts AVPU), one row per ACVPU level, with the chart's score. */
const ROWS = [
  ['A', '248234008', 0],
  ['C', '130987000', 3],
  ['V', '300202002', 3],
  ['P', '450847001', 3],
  ['U', '422768004', 3],
] as const;

/** Every other parameter scores 0: RR 16, SpO₂ 98 % on air, SBP 125, pulse 72, 36.8 °C. */
function bundle(patient: string, snomed: string, level: string, at: Date): Record<string, unknown> {
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
  const code = (c: string) => ({ coding: [{ system: 'http://loinc.org', code: c }] });
  const q = (value: number, unit: string) => ({
    value,
    unit,
    system: 'http://unitsofmeasure.org',
    code: unit,
  });
  const obs = [
    { ...base, code: code('9279-1'), valueQuantity: q(16, '/min') },
    { ...base, code: code('59408-5'), valueQuantity: q(98, '%') },
    { ...base, code: code('3151-8'), valueQuantity: q(0, 'L/min') },
    {
      ...base,
      code: code('85354-9'),
      component: [
        { code: code('8480-6'), valueQuantity: q(125, 'mm[Hg]') },
        { code: code('8462-4'), valueQuantity: q(80, 'mm[Hg]') },
      ],
    },
    { ...base, code: code('8867-4'), valueQuantity: q(72, '/min') },
    { ...base, code: code('8310-5'), valueQuantity: q(36.8, 'Cel') },
    {
      ...base,
      code: code('67775-7'),
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed }], text: level },
    },
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

describe('care: NEWS2 scores every ACVPU level the station records (new confusion = 3)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it.each(ROWS)('%s (SNOMED CT %s) scores %i', async (level, snomed, score) => {
    const p = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Lâm', given: [`ACVPU ${level}`] }],
      birthDate: '1950-04-04',
    });
    expect(p.status).toBe(201);
    const patient = String(p.body.id);
    const posted = await w.sys.post('', bundle(patient, snomed, level, new Date(Date.now() - 60_000)));
    expect(posted.status).toBe(200);
    const found = await w.sys.get(`Observation?subject=Patient/${patient}&code=${NEWS2_CODE}`);
    const news2 = ((found.body.entry ?? []) as { resource: Record<string, unknown> }[]).map(
      (e) => e.resource,
    );
    expect(news2).toHaveLength(1);
    const components = (
      news2[0]!.component as { code: { coding: { code: string }[] }; valueInteger: number }[]
    ).map((c) => [c.code.coding[0]!.code, c.valueInteger]);
    expect(components).toContainEqual([CONSCIOUSNESS_SCORE, score]);
    // Every other parameter scores 0: the total is the consciousness score; a single 3 is an alert.
    expect(news2[0]!.valueInteger).toBe(score);
    const flags = await w.sys.get(`Flag?subject=Patient/${patient}`);
    expect(((flags.body.entry ?? []) as unknown[]).length).toBe(score === 3 ? 1 : 0);
  });
});
