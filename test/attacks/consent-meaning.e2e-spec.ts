import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { ADMIN, createAccounts, login, startApp, systemToken, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: a fact that grants access counts only with its full meaning and when written by
 * someone entitled to grant it. A Consent whose provision denies a doctor used to grant that doctor
 * the record (only its actor was read); a doctor could pass access on by writing a Consent.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';

function consent(patient: string, actor: string, type: 'permit' | 'deny'): Record<string, unknown> {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    provision: { type, actor: [{ role: { text: 'xem hồ sơ' }, reference: { reference: actor } }] },
  };
}

describe('issue 16 §4: a Consent counts with its meaning and its writer', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    const sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Record<string, unknown>): Promise<string> =>
      (await sys.post(String(body.resourceType), body)).body.id as string;
    for (const d of ['gp', 'denied', 'permitted', 'passedOn'])
      ids[d] = await mk({ resourceType: 'Practitioner' });
    ids.patient = await mk({
      resourceType: 'Patient',
      generalPractitioner: [{ reference: `Practitioner/${ids.gp}` }],
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        ['the.patient', 'patient', `Patient/${ids.patient}`],
        ['doctor.gp', 'practitioner', `Practitioner/${ids.gp}`],
        ['doctor.denied', 'practitioner', `Practitioner/${ids.denied}`],
        ['doctor.permitted', 'practitioner', `Practitioner/${ids.permitted}`],
        ['doctor.passed', 'practitioner', `Practitioner/${ids.passedOn}`],
      ],
      PASSWORD,
    );
    for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const reads = async (who: string): Promise<number> =>
    (await (as[who] as Fhir).get(`Patient/${ids.patient}`)).status;

  it('a deny Consent grants nothing; a permit Consent by the patient does', async () => {
    const me = as['the.patient'] as Fhir;
    expect(
      (await me.post('Consent', consent(ids.patient!, `Practitioner/${ids.denied}`, 'deny'))).status,
    ).toBe(201);
    expect(
      (await me.post('Consent', consent(ids.patient!, `Practitioner/${ids.permitted}`, 'permit'))).status,
    ).toBe(201);
    expect({ denied: await reads('doctor.denied'), permitted: await reads('doctor.permitted') }).toEqual({
      denied: 404,
      permitted: 200,
    });
  });

  it('a doctor cannot pass access on by writing a Consent for the patient', async () => {
    expect(await reads('doctor.gp')).toBe(200);
    const passed = await (as['doctor.gp'] as Fhir).post(
      'Consent',
      consent(ids.patient!, `Practitioner/${ids.passedOn}`, 'permit'),
    );
    expect(passed.status).toBe(201); // the doctor may record it; it grants nothing
    expect(await reads('doctor.passed')).toBe(404);
  });

  it("the patient's deny ends even the general practitioner's access; revoking the deny restores it", async () => {
    const me = as['the.patient'] as Fhir;
    const deny = await me.post('Consent', consent(ids.patient!, `Practitioner/${ids.gp}`, 'deny'));
    expect(deny.status).toBe(201);
    expect(await reads('doctor.gp')).toBe(404);
    expect(
      (await me.put(`Consent/${String(deny.body.id)}`, { ...deny.body, status: 'inactive' })).status,
    ).toBe(200);
    expect(await reads('doctor.gp')).toBe(200);
  });
});
