import { io, type Socket } from 'socket.io-client';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { ADMIN, api, createAccounts, login, startApp, systemToken, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: signing out ends that session's access tokens and live sockets; a password change
 * ends every session's — at once, not when the 15-minute tokens expire.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const NEXT = 'Mat-khau-moi-an-toan-2027';

interface Inbox {
  readonly socket: Socket;
  /** The code the handshake was refused with, if it was. */
  readonly refused?: string;
  /** Resolves with the code the server closed the socket with. */
  readonly closed: Promise<string>;
}

function inbox(url: string, token: string): Promise<Inbox> {
  return new Promise((resolve) => {
    const socket = io(`${url}/notifications`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    let ready = false;
    let closedWith: (code: string) => void = () => undefined;
    const closed = new Promise<string>((done) => (closedWith = done));
    socket.on('error', (e: { code?: string }) => {
      const code = e?.code ?? 'error';
      if (!ready) resolve({ socket, refused: code, closed });
      closedWith(code);
    });
    socket.once('ready', () => {
      ready = true;
      resolve({ socket, closed });
    });
    socket.once('connect_error', () => resolve({ socket, refused: 'connect_error', closed }));
  });
}

describe('issue 16 §4: sign-out and password change end access tokens and sockets at once', () => {
  let t: TestApp;
  let practitioner: string;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    const sys = new Fhir(t.url, await systemToken(t.url));
    practitioner = (await sys.post('Practitioner', { resourceType: 'Practitioner' })).body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(
      t.url,
      admin,
      [['two.devices', 'practitioner', `Practitioner/${practitioner}`]],
      PASSWORD,
    );
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const reads = async (token: string): Promise<number> =>
    (await new Fhir(t.url, token).get(`Practitioner/${practitioner}`)).status;

  it('signing out on one device ends that session only; changing the password ends them all', async () => {
    const phone = await login(t.url, 'two.devices', PASSWORD);
    const laptop = await login(t.url, 'two.devices', PASSWORD);
    expect([await reads(phone.access_token), await reads(laptop.access_token)]).toEqual([200, 200]);
    const phoneInbox = await inbox(t.url, phone.access_token);
    const laptopInbox = await inbox(t.url, laptop.access_token);
    expect([phoneInbox.refused, laptopInbox.refused]).toEqual([undefined, undefined]);

    const out = await fetch(`${t.url}/auth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: phone.refresh_token }).toString(),
    });
    expect(out.status).toBe(200);
    expect(await phoneInbox.closed).toBe('AUTH.SESSION_ENDED');
    expect(await reads(phone.access_token)).toBe(401);
    expect(await reads(laptop.access_token)).toBe(200);
    expect(laptopInbox.socket.connected).toBe(true);
    // the ended session's token cannot open a socket again
    const again = await inbox(t.url, phone.access_token);
    expect(again.refused).toBe('AUTH.INVALID_TOKEN');
    again.socket.close();

    const changed = await api(t.url, 'POST', '/auth/password', laptop.access_token, {
      currentPassword: PASSWORD,
      newPassword: NEXT,
    });
    expect(changed.status).toBe(204);
    expect(await laptopInbox.closed).toBe('AUTH.SESSION_ENDED');
    expect(await reads(laptop.access_token)).toBe(401);
    // a new sign-in with the new password works at once, even within the same second
    const fresh = await login(t.url, 'two.devices', NEXT);
    expect(await reads(fresh.access_token)).toBe(200);
    phoneInbox.socket.close();
    laptopInbox.socket.close();
  });
});
