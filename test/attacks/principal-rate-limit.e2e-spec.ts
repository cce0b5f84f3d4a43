import { getStorageToken, type ThrottlerStorageService } from '@nestjs/throttler';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { ADMIN, startApp, type TestApp, tokenRequest } from '../support/test-app';

/**
 * Issue 16 §4: the per-account limit keys on the verified principal, not on the bearer token
 * string. Before, each token had its own bucket: an account holding five tokens (refreshes, several
 * sign-ins) had five times the limit, and every forged token string made a new bucket.
 * Requests come from distinct client addresses (TRUST_PROXY, X-Forwarded-For from this test, the
 * proxy in front) so that neither the per-address limit nor the sign-ins' own limit is what answers.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LIMIT = 5;

describe('issue 16 §4: limits key on the authenticated principal', () => {
  let t: TestApp;
  let practitioner: string;
  let address = 0;
  /** A client address never used before in this suite. */
  const fresh = (): string => `203.0.113.${++address}`;

  const signIn = async (username: string, password: string): Promise<string> => {
    const res = await tokenRequest(
      t.url,
      { grant_type: 'password', username, password },
      { 'X-Forwarded-For': fresh() },
    );
    if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const call = (
    method: string,
    path: string,
    token: string | undefined,
    from: string,
    body?: unknown,
  ): Promise<Response> =>
    fetch(`${t.url}${path}`, {
      method,
      headers: {
        'X-Forwarded-For': from,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'Content-Type': 'application/fhir+json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  /** A cheap authenticated read any account may make. */
  const read = (token: string | undefined, from = fresh()): Promise<number> =>
    call('GET', `/fhir/Practitioner/${practitioner}`, token, from).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_PER_ACCOUNT: String(LIMIT),
      RATE_LIMIT_PER_ADDRESS: '1000',
    });
    const admin = await signIn(ADMIN.username, ADMIN.password);
    const created = await call('POST', '/fhir/Practitioner', admin, fresh(), {
      resourceType: 'Practitioner',
      name: [{ family: 'Trần', given: ['Bác sĩ'] }],
    });
    practitioner = ((await created.json()) as { id: string }).id;
    for (const username of ['doctor.one', 'doctor.two']) {
      const res = await call('POST', '/auth/accounts', admin, fresh(), {
        username,
        password: PASSWORD,
        role: 'practitioner',
        fhirUser: `Practitioner/${practitioner}`,
      });
      if (res.status !== 201) throw new Error(`account ${username}: ${res.status}`);
    }
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('one account holding five valid tokens has one limit between them; another account has its own', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) tokens.push(await signIn('doctor.one', PASSWORD));
    expect(new Set(tokens).size).toBe(5);
    const statuses: number[] = [];
    // each token twice, round robin, each request from a new address: 10 requests of one account
    for (let i = 0; i < 10; i++) statuses.push(await read(tokens[i % 5]));
    expect(statuses.slice(0, LIMIT)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(LIMIT)).toEqual([429, 429, 429, 429, 429]);
    const limited = await call('GET', `/fhir/Practitioner/${practitioner}`, tokens[4], fresh());
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    // a new sign-in of the same account is no way around it
    expect(await read(await signIn('doctor.one', PASSWORD))).toBe(429);
    // the other account does not share the first one's bucket
    const other = await signIn('doctor.two', PASSWORD);
    expect(await read(other)).toBe(200);
  });

  it('forged tokens make no bucket of their own: they count as their address, like no token', async () => {
    const storage = t.app.get<ThrottlerStorageService>(getStorageToken());
    const from = fresh();
    const before = storage.storage.size;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await read(`forged-${i}.${'x'.repeat(20)}`, from));
    // the address's unauthenticated limit answers after LIMIT requests, whichever token they carried
    expect(statuses.slice(0, LIMIT)).toEqual(Array<number>(LIMIT).fill(401));
    expect(statuses.slice(LIMIT)).toEqual(Array<number>(20 - LIMIT).fill(429));
    expect(await read(undefined, from)).toBe(429);
    // 20 token strings: at most the address's own buckets (per-address, unauthenticated), not 20 more
    expect(storage.storage.size - before).toBeLessThanOrEqual(2);
    // another address is not limited by the first one's forgeries
    expect(await read('forged-again', fresh())).toBe(401);
  });
});
