import { authenticator } from 'otplib';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { ADMIN, api, login, startApp, type TestApp, tokenRequest } from '../support/test-app';

/**
 * Issue 16 §4: every route that checks a password or a one-time code does so inside the sign-in
 * limit — the attempt reserved atomically before the check (LoginThrottle). Before, POST
 * /auth/password checked the current password outside it: 40 parallel guesses with a stolen access
 * token were all checked, and so were codes sent to POST /auth/mfa/totp/confirm.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LIMIT = 5;

interface AuditEventLike {
  outcomeDesc?: string;
  agent: { name?: string }[];
  subtype: { display: string }[];
}

describe('issue 16 §4: password and code checks are under the sign-in limit', () => {
  let t: TestApp;
  let admin: string;
  let practitioner: string;

  const account = async (username: string): Promise<void> => {
    const res = await api(t.url, 'POST', '/auth/accounts', admin, {
      username,
      password: PASSWORD,
      role: 'practitioner',
      fhirUser: `Practitioner/${practitioner}`,
    });
    if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
  };
  const eventsOf = async (username: string): Promise<AuditEventLike[]> => {
    const res = await api(t.url, 'GET', '/auth/events?limit=1000', admin);
    const bundle = (await res.json()) as { entry: { resource: AuditEventLike }[] };
    return bundle.entry.map((e) => e.resource).filter((e) => e.agent[0]?.name === username);
  };
  const signIn = (username: string, password: string): Promise<Response> =>
    tokenRequest(t.url, { grant_type: 'password', username, password });

  beforeAll(async () => {
    // All requests come from one address: the per-address limit is not under test here.
    t = await startApp(PlatformModule.register, {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(LIMIT),
      LOGIN_MAX_FAILURES_PER_ADDRESS: '10000',
    });
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const res = await api(t.url, 'POST', '/fhir/Practitioner', admin, {
      resourceType: 'Practitioner',
      name: [{ family: 'Trần', given: ['Bác sĩ'] }],
    });
    practitioner = ((await res.json()) as { id: string }).id;
    for (const u of ['doctor.change', 'doctor.confirm', 'doctor.release']) await account(u);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('POST /auth/password: of 40 parallel wrong current passwords at most 5 are checked; then even the right one waits', async () => {
    const stolen = (await login(t.url, 'doctor.change', PASSWORD)).access_token;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api(t.url, 'POST', '/auth/password', stolen, {
          currentPassword: `Doan-mat-khau-${i}-2026`,
          newPassword: 'Mat-khau-cua-ke-gian-2027',
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    const checked = statuses.filter((s) => s === 400).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
    const codes = await Promise.all(answers.map(async (r) => ((await r.json()) as { code: string }).code));
    expect(codes.filter((c) => c === 'AUTH.WRONG_PASSWORD')).toHaveLength(checked);
    expect(codes.filter((c) => c === 'AUTH.TOO_MANY_ATTEMPTS')).toHaveLength(40 - checked);
    const retryAfter = answers.filter((r) => r.status === 429).map((r) => r.headers.get('retry-after'));
    expect(retryAfter.every((v) => /^\d+$/.test(v ?? ''))).toBe(true);
    // timing-independent evidence: one 'wrong password' auth event per password checked
    const mine = (await eventsOf('doctor.change')).filter((e) =>
      e.subtype.some((s) => s.display === 'User security Attributes Changed'),
    );
    expect(mine.filter((e) => e.outcomeDesc === 'wrong password')).toHaveLength(checked);
    expect(mine.filter((e) => e.outcomeDesc === 'throttled')).toHaveLength(40 - checked);
    // the same limit as sign-in: the right current password is refused, and so is signing in
    const right = await api(t.url, 'POST', '/auth/password', stolen, {
      currentPassword: PASSWORD,
      newPassword: 'Mat-khau-cua-ke-gian-2027',
    });
    expect(right.status).toBe(429);
    expect((await signIn('doctor.change', PASSWORD)).status).toBe(429);
  });

  it('POST /auth/mfa/totp/confirm: of 40 parallel wrong codes at most 5 are checked', async () => {
    const token = (await login(t.url, 'doctor.confirm', PASSWORD)).access_token;
    const enrol = await api(t.url, 'POST', '/auth/mfa/totp', token, { password: PASSWORD });
    expect(enrol.status).toBe(201);
    const { secret } = (await enrol.json()) as { secret: string };
    const codeAt = (steps: number): string =>
      authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);
    const good = codeAt(0);
    const wrong = Array.from({ length: 40 }, (_, i) =>
      String((Number(good) + 1 + i * 7919) % 1_000_000).padStart(6, '0'),
    ).filter((c) => ![-1, 0, 1, 2].some((s) => codeAt(s) === c));
    const answers = await Promise.all(
      wrong.map((code) => api(t.url, 'POST', '/auth/mfa/totp/confirm', token, { code })),
    );
    const checked = answers.filter((r) => r.status === 400).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(wrong.length - checked);
    const mine = await eventsOf('doctor.confirm');
    expect(mine.filter((e) => e.outcomeDesc === 'bad confirmation code')).toHaveLength(checked);
    // locked: the right code waits too, and the authenticator is not enrolled
    expect((await api(t.url, 'POST', '/auth/mfa/totp/confirm', token, { code: codeAt(0) })).status).toBe(429);
  });

  it('a right current password clears the failures before it, like a sign-in', async () => {
    const token = (await login(t.url, 'doctor.release', PASSWORD)).access_token;
    for (let i = 0; i < LIMIT - 1; i++) {
      const wrong = await api(t.url, 'POST', '/auth/password', token, {
        currentPassword: `Doan-sai-${i}-2026`,
        newPassword: 'Mat-khau-moi-cua-toi-2027',
      });
      expect(wrong.status).toBe(400);
    }
    const ok = await api(t.url, 'POST', '/auth/password', token, {
      currentPassword: PASSWORD,
      newPassword: 'Mat-khau-moi-cua-toi-2027',
    });
    expect(ok.status).toBe(204);
    // four failures were forgotten: five more wrong guesses are checked before the lock
    const fresh = (await login(t.url, 'doctor.release', 'Mat-khau-moi-cua-toi-2027')).access_token;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++)
      statuses.push(
        (
          await api(t.url, 'POST', '/auth/password', fresh, {
            currentPassword: `Lai-sai-${i}-2026`,
            newPassword: 'Mat-khau-moi-nua-2028',
          })
        ).status,
      );
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(400), 429]);
  });
});
