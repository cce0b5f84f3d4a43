import { PlatformModule } from '../apps/platform/src/platform.module';
import { ADMIN, api, login, startApp, type TestApp, tokenRequest } from './support/test-app';

const STRONG = 'Benh-nhan-Vinh-Long-2026';

/**
 * What the token endpoint tells a sign-in screen (issue 18 item 14): after a right password, that
 * the account's authenticator code is missing (`AUTH.OTP_REQUIRED`: the portal shows the code field
 * only then) or wrong (`AUTH.OTP_INVALID`); a lockout is `AUTH.TOO_MANY_ATTEMPTS` with Retry-After.
 * A wrong password says nothing about a second factor.
 */
describe('token endpoint: codes a sign-in screen acts on', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' });
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('OTP_REQUIRED only after the right password, OTP_INVALID for a wrong code, then TOO_MANY_ATTEMPTS', async () => {
    const { authenticator } = await import('otplib');
    const created = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'hai.tran',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-hai',
    });
    expect(created.status).toBe(201);
    const own = (await login(t.url, 'hai.tran', STRONG)).access_token;
    const enrol = (await (await api(t.url, 'POST', '/auth/mfa/totp', own, { password: STRONG })).json()) as {
      secret: string;
    };
    const confirmed = await api(t.url, 'POST', '/auth/mfa/totp/confirm', own, {
      code: authenticator.generate(enrol.secret),
    });
    expect(confirmed.status).toBeLessThan(300);

    const wrongPassword = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'hai.tran',
      password: 'not-it',
    });
    expect(wrongPassword.status).toBe(400);
    const wrongBody = (await wrongPassword.json()) as Record<string, unknown>;
    expect(wrongBody.error).toBe('invalid_grant');
    expect(wrongBody.code).toBeUndefined();

    const noCode = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'hai.tran',
      password: STRONG,
    });
    expect(noCode.status).toBe(400);
    expect(await noCode.json()).toMatchObject({ error: 'invalid_grant', code: 'AUTH.OTP_REQUIRED' });

    const badCode = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'hai.tran',
      password: STRONG,
      otp: '000000',
    });
    expect(badCode.status).toBe(400);
    expect(await badCode.json()).toMatchObject({ error: 'invalid_grant', code: 'AUTH.OTP_INVALID' });

    // Three failures (wrong password, no code, wrong code) reach the limit: locked, and for how long.
    const locked = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'hai.tran',
      password: STRONG,
      otp: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(enrol.secret),
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: 'invalid_grant', code: 'AUTH.TOO_MANY_ATTEMPTS' });
  });
});
