import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import {
  ADMIN,
  api,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from '../support/test-app';

/**
 * Issue 16 §4: a system (client_credentials) client can be revoked by an administrator; from then
 * on it gets no token, and the tokens it already holds are refused at once, not at their expiry.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';

describe('attacks: a revoked system client is refused at once', () => {
  let t: TestApp;
  let admin: string;
  let practitioner: string;

  const register = async (name: string): Promise<{ client_id: string; client_secret: string }> => {
    const reg = await api(t.url, 'POST', '/auth/clients', admin, { name, scope: 'system/Patient.rs' });
    expect(reg.status).toBe(201);
    return (await reg.json()) as { client_id: string; client_secret: string };
  };
  const tokenOf = (c: { client_id: string; client_secret: string }): Promise<Response> =>
    tokenRequest(t.url, {
      grant_type: 'client_credentials',
      client_id: c.client_id,
      client_secret: c.client_secret,
    });

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    const sys = new Fhir(t.url, await systemToken(t.url));
    const id = (await sys.post('Practitioner', { resourceType: 'Practitioner' })).body.id as string;
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    ({ 'dr.khoa': practitioner } = (await createAccounts(
      t.url,
      admin,
      [['dr.khoa', 'practitioner', `Practitioner/${id}`]],
      PASSWORD,
    )) as { 'dr.khoa': string });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('revoked: no new token, and the token it holds is 401 on its very next request; other clients unaffected', async () => {
    const his = await register('Bệnh viện Chợ Rẫy HIS');
    const lab = await register('Phòng xét nghiệm');
    const tokenRes = await tokenOf(his);
    expect(tokenRes.status).toBe(200);
    const held = ((await tokenRes.json()) as { access_token: string }).access_token;
    const labToken = ((await (await tokenOf(lab)).json()) as { access_token: string }).access_token;
    expect((await api(t.url, 'GET', '/fhir/Patient', held)).status).toBe(200); // warms the cache: it was active

    // The administrator finds it in the list and revokes it.
    const list = await api(t.url, 'GET', '/auth/clients', admin);
    expect(list.status).toBe(200);
    const clients = (await list.json()) as Record<string, unknown>[];
    expect(clients).toContainEqual(
      expect.objectContaining({ client_id: his.client_id, name: 'Bệnh viện Chợ Rẫy HIS', active: true }),
    );
    expect(JSON.stringify(clients)).not.toMatch(/secret|argon2/i);
    const revoked = await api(t.url, 'POST', `/auth/clients/${his.client_id}/revoke`, admin);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({
      client_id: his.client_id,
      active: false,
      revoked_at: expect.any(String),
    });

    const refused = await api(t.url, 'GET', '/fhir/Patient', held);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/client revoked/);
    const again = await tokenOf(his);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: 'invalid_client' });

    expect((await api(t.url, 'GET', '/fhir/Patient', labToken)).status).toBe(200);
    // Revoking again changes nothing; an unknown client is 404.
    expect((await api(t.url, 'POST', `/auth/clients/${his.client_id}/revoke`, admin)).status).toBe(200);
    expect((await api(t.url, 'POST', '/auth/clients/mh-nobody/revoke', admin)).status).toBe(404);

    // Identity changes are auth events.
    const events = (await (await api(t.url, 'GET', '/auth/events', admin)).json()) as {
      entry: { resource: { outcomeDesc?: string; subtype: { display: string }[] } }[];
    };
    expect(events.entry.map((e) => e.resource.outcomeDesc)).toEqual(
      expect.arrayContaining([`client ${his.client_id}`, `client ${lab.client_id}`]),
    );
  });

  it('only an administrator lists or revokes: a practitioner 403, a system client 403 (even on itself), no token 401', async () => {
    const victim = await register('Trạm y tế xã');
    const victimToken = ((await (await tokenOf(victim)).json()) as { access_token: string }).access_token;
    for (const token of [practitioner, victimToken]) {
      expect((await api(t.url, 'POST', `/auth/clients/${victim.client_id}/revoke`, token)).status).toBe(403);
      expect((await api(t.url, 'GET', '/auth/clients', token)).status).toBe(403);
    }
    expect((await api(t.url, 'POST', `/auth/clients/${victim.client_id}/revoke`)).status).toBe(401);
    expect((await api(t.url, 'GET', '/auth/clients')).status).toBe(401);
    // Still working: nobody but the administrator got through.
    expect((await api(t.url, 'GET', '/fhir/Patient', victimToken)).status).toBe(200);
    expect((await tokenOf(victim)).status).toBe(200);
  });
});
