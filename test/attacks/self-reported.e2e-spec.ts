import { news2FlagId } from '@mekong/care';
import { RECORDED_BY_SYSTEM } from '@mekong/health-record';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { ADMIN, createAccounts, login, startApp, systemToken, type TestApp } from '../support/test-app';

/**
 * Issue 16 §2, authorship: who recorded a version is the authenticated writer, never the body.
 * Three vitals a patient posted themselves made an active NEWS2 alert and put them first in the
 * waiting room; a self-reported set is now scored and shown as such, and raises nothing.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';

function vital(patient: string, code: string, value: number, unit: string, at: string, extra = {}) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...extra,
  };
}

describe('issue 16 §2: self-reported vitals are scored as such and raise no alert', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Record<string, unknown>): Promise<string> =>
      (await sys.post(String(body.resourceType), body)).body.id as string;
    ids.org = await mk({ resourceType: 'Organization', name: 'Trạm Y tế' });
    ids.nurse = await mk({ resourceType: 'Practitioner' });
    ids.patient = await mk({
      resourceType: 'Patient',
      birthDate: '1960-01-01',
      managingOrganization: { reference: `Organization/${ids.org}` },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        ['self.patient', 'patient', `Patient/${ids.patient}`],
        ['station.nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.org}`],
      ],
      PASSWORD,
    );
    for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const post = async (who: Fhir, at: string, extra = {}): Promise<void> => {
    for (const [code, value, unit] of [
      ['9279-1', 30, '/min'],
      ['59408-5', 85, '%'],
      ['8867-4', 140, '/min'],
    ] as const) {
      const res = await who.post('Observation', vital(ids.patient as string, code, value, unit, at, extra));
      expect(res.status).toBe(201);
    }
  };
  const news2At = async (at: string): Promise<Record<string, unknown> | undefined> => {
    const found = await sys.get(
      `Observation?patient=Patient/${ids.patient}&code=1104051000000101&date=${at}`,
    );
    return (found.body.entry as { resource: Record<string, unknown> }[] | undefined)?.[0]?.resource;
  };

  it('the recorded-by tag is the writer’s role, whatever the body claims', async () => {
    const forged = await (as['self.patient'] as Fhir).post(
      'Observation',
      vital(ids.patient as string, '8310-5', 37, 'Cel', new Date().toISOString(), {
        performer: [{ reference: `Practitioner/${ids.nurse}` }],
        meta: { tag: [{ system: RECORDED_BY_SYSTEM, code: 'clinic-staff' }] },
      }),
    );
    expect(forged.status).toBe(201);
    const tags = (forged.body.meta as { tag: { system: string; code: string }[] }).tag;
    expect(tags.filter((x) => x.system === RECORDED_BY_SYSTEM)).toEqual([
      { system: RECORDED_BY_SYSTEM, code: 'patient' },
    ]);
  });

  it('a patient’s own alarming vitals (even claiming a nurse as performer) raise no Flag; the same recorded by the station do', async () => {
    const at = new Date(Date.now() - 60 * 60_000).toISOString();
    await post(as['self.patient'] as Fhir, at, { performer: [{ reference: `Practitioner/${ids.nurse}` }] });
    const own = await news2At(at);
    expect(own).toBeDefined();
    expect(JSON.stringify(own?.meta)).toContain('self-reported');
    const flag = await sys.get(`Flag/${news2FlagId(ids.patient as string)}`);
    expect(flag.status === 404 || (flag.body as { status?: string }).status !== 'active').toBe(true);

    const later = new Date(Date.now() - 10 * 60_000).toISOString();
    await post(as['station.nurse'] as Fhir, later);
    const staff = await news2At(later);
    expect(JSON.stringify(staff?.meta ?? {})).not.toContain('self-reported');
    expect((await sys.get(`Flag/${news2FlagId(ids.patient as string)}`)).body).toMatchObject({
      status: 'active',
    });
  });
});
