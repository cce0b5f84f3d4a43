import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
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

interface AuditEvent {
  id: string;
  agent: { who: { reference?: string; display?: string; identifier?: { value?: string } } }[];
}

/**
 * "Who viewed my record" names a system client by the name it was registered with (issue 18 item
 * 15): the AuditEvent agent of a client_credentials caller carries `who.display` = the client's
 * registered name beside its id; people keep their reference (the portal resolves their names).
 */
describe('audit trail: system clients named as registered', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it("the patient's AuditEvents name the hospital system that read the record", async () => {
    const sys = new Fhir(t.url, await systemToken(t.url));
    const patient = (
      await sys.post('Patient', { resourceType: 'Patient', name: [{ family: 'Lê', given: ['Hạnh'] }] })
    ).body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [['le.hanh', 'patient', `Patient/${patient}`]],
      PASSWORD,
    );

    // A hospital's system, registered by the administrator with its name, reads the patient.
    const reg = await api(t.url, 'POST', '/auth/clients', admin, {
      name: 'HIS Bệnh viện Vĩnh Long',
      scope: 'system/Patient.rs',
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as { client_id: string; client_secret: string };
    const his = (await (
      await tokenRequest(t.url, {
        grant_type: 'client_credentials',
        client_id: client.client_id,
        client_secret: client.client_secret,
      })
    ).json()) as { access_token: string };
    expect((await new Fhir(t.url, his.access_token).get(`Patient/${patient}`)).status).toBe(200);
    // The patient reads their own record too.
    const own = new Fhir(t.url, tokens['le.hanh']!);
    expect((await own.get(`Patient/${patient}`)).status).toBe(200);

    const audit = await own.get(`AuditEvent?patient=Patient/${patient}&_count=50`);
    expect(audit.status).toBe(200);
    const events = ((audit.body.entry ?? []) as { resource: AuditEvent }[]).map((e) => e.resource);
    const byHis = events.filter((e) => e.agent[0]?.who.identifier?.value === client.client_id);
    expect(byHis.length).toBeGreaterThan(0);
    for (const e of byHis) expect(e.agent[0]?.who.display).toBe('HIS Bệnh viện Vĩnh Long');
    const bySelf = events.filter((e) => e.agent[0]?.who.reference === `Patient/${patient}`);
    expect(bySelf.length).toBeGreaterThan(0);
    for (const e of bySelf) expect(e.agent[0]?.who.display).toBeUndefined();

    // The same name when one event is read.
    const one = await sys.get(`AuditEvent/${byHis[0]!.id}`);
    expect(one.status).toBe(200);
    expect((one.body as unknown as AuditEvent).agent[0]?.who.display).toBe('HIS Bệnh viện Vĩnh Long');
  });
});
