import { SELF_SERVICE } from '@mekong/auth';
import { io, type Socket } from 'socket.io-client';
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
import { VisitClient } from '../support/visit-client';
import { appSurface, type Route, type SocketEvent } from '../support/app-surface';

/**
 * Issue 16 §1: one scope guard for every route and socket event. The routes and events are
 * enumerated from the running app, so a new one without a declaration — or one that an
 * identity-only token can call — fails here.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';

/** A concrete URL for a route pattern (parameters filled with harmless values). */
function concrete(path: string): string {
  return path
    .replace(':type', 'Observation')
    .replace(/:(id|ruleId|appointmentId|scheduleId)\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:(\w+)/g, 'x');
}

function connect(url: string, namespace: string, token: string): Promise<{ socket: Socket; error?: string }> {
  return new Promise((resolve) => {
    const socket = io(`${url}${namespace}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.once('ready', () => resolve({ socket }));
    socket.once('error', (e: { code?: string }) => resolve({ socket, error: e?.code ?? 'error' }));
    socket.once('connect_error', () => resolve({ socket, error: 'connect_error' }));
  });
}

describe('issue 16 §1: every route and socket event declares its scope; one guard enforces it', () => {
  let t: TestApp;
  let routes: Route[];
  let events: SocketEvent[];
  const identityOnly: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    ({ routes, events } = appSurface(t));
    const sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Record<string, unknown>): Promise<string> =>
      (await sys.post(String(body.resourceType), body)).body.id as string;
    ids.org = await mk({ resourceType: 'Organization', name: 'Trạm Y tế' });
    ids.doctor = await mk({ resourceType: 'Practitioner' });
    ids.nurse = await mk({ resourceType: 'Practitioner' });
    ids.patient = await mk({
      resourceType: 'Patient',
      managingOrganization: { reference: `Organization/${ids.org}` },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(
      t.url,
      admin,
      [
        ['pat.p', 'patient', `Patient/${ids.patient}`],
        ['doc.d', 'practitioner', `Practitioner/${ids.doctor}`],
        ['staff.s', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.org}`],
      ],
      PASSWORD,
    );
    const narrowed = async (username: string, password: string, scope: string): Promise<string> => {
      const res = await tokenRequest(t.url, { grant_type: 'password', username, password, scope });
      if (res.status !== 200) throw new Error(`${username} ${scope}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    identityOnly.patient = await narrowed('pat.p', PASSWORD, 'openid fhirUser offline_access');
    identityOnly.practitioner = await narrowed('doc.d', PASSWORD, 'openid fhirUser');
    identityOnly['clinic-staff'] = await narrowed('staff.s', PASSWORD, 'openid');
    identityOnly.admin = await narrowed(ADMIN.username, ADMIN.password, 'openid');
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('finds the routes and events it checks (the enumeration is not empty)', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['join', 'admit', 'end', 'chat']));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['POST /auth/accounts', 'GET /fhir/:type/:id', 'GET /scheduling/waitlist']),
    );
  });

  it('every HTTP route is public or declares a scope, and every socket event declares one', () => {
    expect(routes.filter((r) => !r.isPublic && !r.requirement).map((r) => `${r.method} ${r.path}`)).toEqual(
      [],
    );
    expect(events.filter((e) => !e.requirement).map((e) => `${e.namespace} ${e.event}`)).toEqual([]);
  });

  it('the public routes are exactly the expected ones', () => {
    expect(
      routes
        .filter((r) => r.isPublic)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(
      [
        'GET /.well-known/jwks.json',
        'GET /.well-known/smart-configuration',
        'GET /fhir/metadata',
        'GET /health',
        'GET /metrics',
        'GET /scheduling/calendar/:file',
        'POST /auth/revoke',
        'POST /scheduling/action-links/preview', // issue 20: the token in the body is the credential
        'POST /scheduling/action-links/use',
        'POST /auth/token',
      ].sort(),
    );
  });

  it('a token with only openid/fhirUser/offline_access is refused by every API route, whatever the role', async () => {
    const allowed: string[] = [];
    let attempts = 0;
    for (const r of routes.filter((x) => !x.isPublic && x.requirement !== SELF_SERVICE)) {
      for (const [role, token] of Object.entries(identityOnly)) {
        const noBody = r.method === 'GET' || r.method === 'HEAD'; // tus's HEAD (e-consult uploads) too
        const res = await api(t.url, r.method, concrete(r.path), token, noBody ? undefined : {});
        attempts++;
        const body = (await res.json().catch(() => ({}))) as { code?: string; issue?: { code?: string }[] };
        if (res.status !== 403 && res.status !== 401)
          allowed.push(`${role} ${r.method} ${r.path} → ${res.status} ${JSON.stringify(body).slice(0, 120)}`);
      }
    }
    expect(allowed).toEqual([]);
    expect(attempts).toBeGreaterThan(100);
  });

  it('the self-service routes take an identity-only token (an MFA-required role enrols with it)', async () => {
    const res = await api(t.url, 'POST', '/auth/password', identityOnly.patient, {
      current: 'wrong-password',
      next: 'Mat-khau-moi-an-toan-2026',
    });
    expect(res.status).toBe(400); // reached the handler: the current password is checked
  });

  it('sockets: an identity-only or narrowed token cannot connect; an event needs its own scope', async () => {
    for (const namespace of ['/consultation', '/notifications']) {
      const { socket, error } = await connect(t.url, namespace, identityOnly.patient as string);
      expect({ namespace, error }).toEqual({ namespace, error: 'AUTH.INSUFFICIENT_SCOPE' });
      socket.close();
    }
    const observationsOnly = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'pat.p',
      password: PASSWORD,
      scope: 'patient/Observation.rs',
    });
    const narrowed = ((await observationsOnly.json()) as { access_token: string }).access_token;
    const { socket, error } = await connect(t.url, '/consultation', narrowed);
    expect(error).toBe('AUTH.INSUFFICIENT_SCOPE');
    socket.close();
    // a doctor whose token reads visits but may not change them: connected, 'admit' and 'end' refused
    const readOnly = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'doc.d',
      password: PASSWORD,
      scope: 'user/Encounter.r',
    });
    const doctor = new VisitClient(t.url, ((await readOnly.json()) as { access_token: string }).access_token);
    await doctor.ready;
    for (const event of ['admit', 'end', 'invite', 'decline']) {
      const ack = await doctor.request(event, { participantId: 'x' });
      expect({ event, ack }).toEqual({
        event,
        ack: { ok: false, error: { code: 'AUTH.INSUFFICIENT_SCOPE', message: expect.any(String) } },
      });
    }
    doctor.close();
  });

  it('sockets: a disabled account is disconnected at once and cannot connect again', async () => {
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(t.url, admin, [['doc.d2', 'practitioner', `Practitioner/${ids.doctor}`]], PASSWORD);
    const token = (await login(t.url, 'doc.d2', PASSWORD)).access_token;
    const visit = new VisitClient(t.url, token);
    await visit.ready;
    const inbox = await connect(t.url, '/notifications', token);
    expect(inbox.error).toBeUndefined();
    const closed = visit.next('error');
    const inboxClosed = new Promise((resolve) => inbox.socket.once('disconnect', resolve));
    const accountId = (
      JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as { sub: string }
    ).sub;
    expect((await api(t.url, 'POST', `/auth/accounts/${accountId}/disable`, admin)).status).toBe(200);
    expect(await closed).toMatchObject({ code: 'AUTH.ACCOUNT_DISABLED' });
    await inboxClosed;
    const again = await connect(t.url, '/consultation', token);
    expect(again.error).toBe('AUTH.INVALID_TOKEN');
    again.socket.close();
    visit.close();
  });
});

describe('issue 16 §1: a socket lives as long as its token unless it re-authenticates in band', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0', ACCESS_TOKEN_TTL: '60' });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('without reauth it is closed at expiry (AUTH.TOKEN_EXPIRED); with reauth it stays open past it', async () => {
    const sys = new Fhir(t.url, await systemToken(t.url));
    const doctor = (await sys.post('Practitioner', { resourceType: 'Practitioner' })).body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(t.url, admin, [['doc', 'practitioner', `Practitioner/${doctor}`]], PASSWORD);
    const first = await login(t.url, 'doc', PASSWORD);
    const lapsing = new VisitClient(t.url, first.access_token);
    const kept = new VisitClient(t.url, first.access_token);
    await Promise.all([lapsing.ready, kept.ready]);
    const expired = lapsing.next('error', 75_000);
    // the kept socket renews 20 s in with a refreshed token of the same account
    await new Promise((r) => setTimeout(r, 20_000));
    const refreshed = await tokenRequest(t.url, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    const fresh = (await refreshed.json()) as { access_token: string };
    const ack = (await kept.socket.timeout(5000).emitWithAck('reauth', { token: fresh.access_token })) as {
      ok: boolean;
      expiresAt: number;
    };
    expect(ack).toEqual({ ok: true, expiresAt: expect.any(Number) });
    // another account's token is refused in band, and the socket keeps its own
    const otherAck = (await kept.socket.timeout(5000).emitWithAck('reauth', { token: admin })) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(otherAck).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    expect(await expired).toMatchObject({ code: 'AUTH.TOKEN_EXPIRED' });
    expect(lapsing.socket.connected).toBe(false);
    // past the first token's expiry, the renewed socket still answers events
    const reply = await kept.request('join', { appointmentId: '00000000-0000-4000-8000-000000000000' });
    expect(kept.socket.connected).toBe(true);
    expect(reply).toMatchObject({ ok: false, error: { code: expect.not.stringMatching(/^AUTH\./) } });
    kept.close();
    lapsing.close();
  });
});
