import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, login, startApp, systemToken, type TestApp, tokenRequest } from './support/test-app';

const STRONG = 'Benh-nhan-Can-Tho-2026';

describe('auth: accounts and tokens (platform, real HTTP and database)', () => {
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

  it('bootstraps the admin from ADMIN_USERNAME/ADMIN_PASSWORD and signs tokens verifiable with the JWKS', async () => {
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as {
      keys: { kty: string; alg: string }[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    expect(JSON.stringify(jwks)).not.toMatch(/"d":/); // no private parts published
    const { payload, protectedHeader } = await jwtVerify(admin, createLocalJWKSet(jwks as never), {
      issuer: 'http://mekong.test',
      audience: 'http://mekong.test/fhir',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.role).toBe('admin');
  });

  it('publishes SMART configuration', async () => {
    const res = await fetch(`${t.url}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_endpoint).toBe('http://mekong.test/auth/token');
    expect(body.jwks_uri).toBe('http://mekong.test/.well-known/jwks.json');
    expect(body.grant_types_supported).toEqual(['password', 'client_credentials', 'refresh_token']);
  });

  it('creates a patient account and logs in with patient context', async () => {
    const res = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'lan.nguyen',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-001',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: expect.any(String),
      username: 'lan.nguyen',
      role: 'patient',
      fhirUser: 'Patient/p-001',
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);

    const tokens = await login(t.url, 'lan.nguyen', STRONG);
    expect(tokens.patient).toBe('p-001');
    expect(tokens.scope.split(' ')).toContain('patient/*.cruds');
  });

  it('refuses a duplicate username with 409, case-insensitively, and writes nothing', async () => {
    const dto = { username: 'Dup.User', password: STRONG, role: 'patient', fhirUser: 'Patient/p-dup' };
    expect((await api(t.url, 'POST', '/auth/accounts', admin, dto)).status).toBe(201);
    const res = await api(t.url, 'POST', '/auth/accounts', admin, { ...dto, username: 'dup.user' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ statusCode: 409, code: 'AUTH.USERNAME_TAKEN' });
  });

  it('answers bad input with 400 naming the field, oversized bodies with 413, and no stack traces', async () => {
    const unknown = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'x.unknown',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-x',
      isAdmin: true,
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/isAdmin should not exist/);

    const wrongType = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 42,
      password: STRONG,
      role: 'patient',
    });
    expect(wrongType.status).toBe(400);
    expect(((await wrongType.json()) as { message: string }).message).toMatch(/username/);

    const badRole = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'x.role',
      password: STRONG,
      role: 'root',
    });
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as { message: string }).message).toMatch(/role must be one of/);

    const big = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'x.big',
      password: 'a'.repeat(2_000_000),
      role: 'patient',
    });
    expect(big.status).toBe(413);
    const bigBody = await big.text();
    expect(bigBody).toMatch(/too large/i);
    expect(bigBody).not.toMatch(/at \w+ \(/);

    const malformed = await fetch(`${t.url}/auth/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` },
      body: '{"username": ',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/SyntaxError|at JSON\.parse/);

    // none of these created an account
    const login400 = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'x.unknown',
      password: STRONG,
    });
    expect(login400.status).toBe(400);
  });

  it('refuses weak passwords with a bilingual reason', async () => {
    for (const password of ['short1!', 'password123', 'weak.one2026', 'matkhau12345']) {
      const res = await api(t.url, 'POST', '/auth/accounts', admin, {
        username: 'weak.one',
        password,
        role: 'patient',
        fhirUser: 'Patient/p-w',
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('AUTH.WEAK_PASSWORD');
      expect(body.message).toMatch(/Mật khẩu/);
    }
  });

  it('requires a bearer token and the admin role to create accounts', async () => {
    const dto = { username: 'nobody.x', password: STRONG, role: 'admin' };
    const anon = await api(t.url, 'POST', '/auth/accounts', undefined, dto);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const patient = (await login(t.url, 'lan.nguyen', STRONG)).access_token;
    const res = await api(t.url, 'POST', '/auth/accounts', patient, dto);
    expect(res.status).toBe(403);
  });

  it('lets clinic staff create patient accounts for their own facility only', async () => {
    const sys = new Fhir(t.url, await systemToken(t.url));
    expect(
      (await sys.put('Organization/tyt-an-binh', { resourceType: 'Organization', id: 'tyt-an-binh' })).status,
    ).toBe(201);
    const patient = await sys.put('Patient/p-st', {
      resourceType: 'Patient',
      id: 'p-st',
      managingOrganization: { reference: 'Organization/tyt-an-binh' },
    });
    expect(patient.status).toBe(201);
    await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'tram.yte.an.binh',
      password: STRONG,
      role: 'clinic-staff',
      fhirUser: 'Practitioner/nurse-1',
      organization: 'Organization/tyt-an-binh',
    });
    const staff = (await login(t.url, 'tram.yte.an.binh', STRONG)).access_token;
    const own = await api(t.url, 'POST', '/auth/accounts', staff, {
      username: 'patient.of.station',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-st',
    });
    expect(own.status).toBe(201);
    const other = await api(t.url, 'POST', '/auth/accounts', staff, {
      username: 'patient.elsewhere',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-el',
      organization: 'Organization/other',
    });
    expect(other.status).toBe(403);
    const doctor = await api(t.url, 'POST', '/auth/accounts', staff, {
      username: 'fake.doctor',
      password: STRONG,
      role: 'practitioner',
      fhirUser: 'Practitioner/x',
    });
    expect(doctor.status).toBe(403);
  });

  it('answers bad credentials with an OAuth error and rate-limits failures per account', async () => {
    const bad = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'lan.nguyen',
      password: 'wrong-password',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });

    const target = 'throttle.me';
    await api(t.url, 'POST', '/auth/accounts', admin, {
      username: target,
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-t',
    });
    for (let i = 0; i < 3; i++) {
      expect(
        (await tokenRequest(t.url, { grant_type: 'password', username: target, password: `nope-${i}` }))
          .status,
      ).toBe(400);
    }
    // the right password no longer helps while the account is throttled
    const limited = await tokenRequest(t.url, { grant_type: 'password', username: target, password: STRONG });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    expect(((await limited.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects malformed token requests without leaking internals', async () => {
    const noGrant = await tokenRequest(t.url, {});
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toMatchObject({ error: 'invalid_request' });
    const unsupported = await tokenRequest(t.url, { grant_type: 'authorization_code', code: 'x' });
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const badScope = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'lan.nguyen',
      password: STRONG,
      scope: 'system/*.cruds',
    });
    expect(badScope.status).toBe(400);
    expect(await badScope.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('narrows scopes on request', async () => {
    const res = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'lan.nguyen',
      password: STRONG,
      scope: 'patient/Observation.rs',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { scope: string }).scope).toBe('patient/Observation.rs');
  });

  it('rotates refresh tokens and revokes the family when a used one is replayed', async () => {
    const first = await login(t.url, 'lan.nguyen', STRONG);
    const r1 = await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refresh_token: string; access_token: string };
    expect(second.refresh_token).not.toBe(first.refresh_token);

    const replay = await tokenRequest(t.url, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // the replay revoked the whole family, including the newest token
    const after = await tokenRequest(t.url, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
    });
    expect(after.status).toBe(400);
  });

  it('revokes a refresh token on sign-out', async () => {
    const s = await login(t.url, 'lan.nguyen', STRONG);
    const rev = await fetch(`${t.url}/auth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: s.refresh_token }).toString(),
    });
    expect(rev.status).toBe(200);
    const res = await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: s.refresh_token });
    expect(res.status).toBe(400);
  });

  it('registers a system client and issues client_credentials tokens (post and basic auth)', async () => {
    const reg = await api(t.url, 'POST', '/auth/clients', admin, {
      name: 'Bệnh viện Chợ Rẫy HIS',
      scope: 'system/Patient.rs system/Observation.crus',
    });
    expect(reg.status).toBe(201);
    const client = (await reg.json()) as { client_id: string; client_secret: string; scope: string };
    expect(client.scope).toBe('system/Patient.rs system/Observation.crus');

    const post = await tokenRequest(t.url, {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
    });
    expect(post.status).toBe(200);
    const body = (await post.json()) as Record<string, unknown>;
    expect(body.scope).toBe('system/Patient.rs system/Observation.crus');
    expect(body.refresh_token).toBeUndefined();

    const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64');
    const viaBasic = await tokenRequest(
      t.url,
      { grant_type: 'client_credentials', scope: 'system/Patient.rs' },
      { Authorization: `Basic ${basic}` },
    );
    expect(((await viaBasic.json()) as { scope: string }).scope).toBe('system/Patient.rs');

    const wrong = await tokenRequest(t.url, {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: 'guess',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });

    const tooMuch = await api(t.url, 'POST', '/auth/clients', admin, { name: 'x', scope: 'user/*.cruds' });
    expect(tooMuch.status).toBe(400);
  });

  it('refuses tampered, unsigned and foreign tokens with 401', async () => {
    const [h, p, s] = admin.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin', sub: 'someone-else' })).toString(
      'base64url',
    );
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: JSON.parse(Buffer.from(h, 'base64url').toString()).kid })
      .sign(privateKey);
    const expired = await new SignJWT({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    for (const token of [`${h}.${forged}.${s}`, `${none}.${p}.`, foreign, expired, 'not-a-jwt']) {
      const res = await api(t.url, 'POST', '/auth/clients', token, { name: 'x', scope: 'system/*.rs' });
      expect(res.status).toBe(401);
      expect(await res.text()).not.toMatch(/at \w+ \(|node_modules/);
    }
  });
});

describe('auth: disabling accounts and changing passwords end sessions', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('refuses the access and refresh tokens of a disabled account', async () => {
    const created = await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'to.disable',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-dis',
    });
    const { id } = (await created.json()) as { id: string };
    const session = await login(t.url, 'to.disable', STRONG);
    expect((await api(t.url, 'GET', '/fhir/Observation', session.access_token)).status).toBe(200);
    expect((await api(t.url, 'POST', `/auth/accounts/${id}/disable`, session.access_token)).status).toBe(403);
    expect((await api(t.url, 'POST', `/auth/accounts/${id}/disable`, admin)).status).toBe(200);
    expect((await api(t.url, 'GET', '/fhir/Observation', session.access_token)).status).toBe(401);
    expect(
      (await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: session.refresh_token }))
        .status,
    ).toBe(400);
    expect(
      (await tokenRequest(t.url, { grant_type: 'password', username: 'to.disable', password: STRONG }))
        .status,
    ).toBe(400);
  });

  it('revokes refresh tokens when the password changes', async () => {
    await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'changer',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/p-ch',
    });
    const session = await login(t.url, 'changer', STRONG);
    const wrong = await api(t.url, 'POST', '/auth/password', session.access_token, {
      currentPassword: 'nope-nope-nope',
      newPassword: 'Mot-mat-khau-moi-2027',
    });
    expect(wrong.status).toBe(400);
    const weak = await api(t.url, 'POST', '/auth/password', session.access_token, {
      currentPassword: STRONG,
      newPassword: 'password1',
    });
    expect(weak.status).toBe(400);
    const ok = await api(t.url, 'POST', '/auth/password', session.access_token, {
      currentPassword: STRONG,
      newPassword: 'Mot-mat-khau-moi-2027',
    });
    expect(ok.status).toBe(204);
    expect(
      (await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: session.refresh_token }))
        .status,
    ).toBe(400);
    expect(
      (await tokenRequest(t.url, { grant_type: 'password', username: 'changer', password: STRONG })).status,
    ).toBe(400);
    expect((await login(t.url, 'changer', 'Mot-mat-khau-moi-2027')).access_token).toBeTruthy();
  });

  it('ends idle clinician sessions after CLINICIAN_IDLE_MINUTES, not patients’', async () => {
    await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'bs.idle',
      password: STRONG,
      role: 'practitioner',
      fhirUser: 'Practitioner/idle',
    });
    await api(t.url, 'POST', '/auth/accounts', admin, {
      username: 'bn.idle',
      password: STRONG,
      role: 'patient',
      fhirUser: 'Patient/idle',
    });
    const doctor = await login(t.url, 'bs.idle', STRONG);
    const patient = await login(t.url, 'bn.idle', STRONG);
    const { dataSourceToken } = await import('@mekong/database');
    const db = t.app.get<{ query(sql: string): Promise<unknown> }>(dataSourceToken('identity'));
    // 31 minutes without activity (the default limit is 30)
    await db.query(
      `UPDATE identity.account SET password_changed_at = now() - interval '1 hour' WHERE username IN ('bs.idle', 'bn.idle')`,
    );
    await db.query(`UPDATE identity.refresh_token SET created_at = now() - interval '31 minutes'`);
    const idle = await tokenRequest(t.url, {
      grant_type: 'refresh_token',
      refresh_token: doctor.refresh_token,
    });
    expect(idle.status).toBe(400);
    expect(((await idle.json()) as { error_description: string }).error_description).toMatch(/inactivity/);
    expect(
      (await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: patient.refresh_token }))
        .status,
    ).toBe(200);
  });

  it('keeps an append-only record of sign-ins and account changes for administrators', async () => {
    const res = await api(t.url, 'GET', '/auth/events?limit=200', admin);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as {
      entry: { resource: { resourceType: string; subtype: { display: string }[]; outcome: string } }[];
    };
    const kinds = new Set(bundle.entry.map((e) => `${e.resource.subtype[0]!.display}:${e.resource.outcome}`));
    for (const k of [
      'Login:0',
      'Login:4',
      'User security Attributes Changed:0',
      'User security Attributes Changed:4',
    ]) {
      expect(kinds).toContain(k);
    }
    expect(bundle.entry.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    const patient = (await login(t.url, 'changer', 'Mot-mat-khau-moi-2027')).access_token;
    expect((await api(t.url, 'GET', '/auth/events', patient)).status).toBe(403);
    const { dataSourceToken } = await import('@mekong/database');
    const db = t.app.get<{ query(sql: string): Promise<unknown> }>(dataSourceToken('identity'));
    await expect(db.query(`DELETE FROM identity.auth_event`)).rejects.toThrow(/append-only/);
  });
});

describe('auth: MFA_REQUIRED_ROLES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MFA_REQUIRED_ROLES: 'practitioner,admin' });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('gives a practitioner without TOTP a token good only for enrolment', async () => {
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)) as {
      access_token: string;
      scope: string;
    };
    expect(admin.scope).toBe('openid'); // the admin must enrol too
    const { authenticator } = await import('otplib');
    const enrol = (await (
      await api(t.url, 'POST', '/auth/mfa/totp', admin.access_token, { password: ADMIN.password })
    ).json()) as {
      secret: string;
    };
    await api(t.url, 'POST', '/auth/mfa/totp/confirm', admin.access_token, {
      code: authenticator.generate(enrol.secret),
    });
    const full = await tokenRequest(t.url, {
      grant_type: 'password',
      username: ADMIN.username,
      password: ADMIN.password,
      // the next step's code: the current one was spent confirming (each code is good once)
      otp: authenticator.clone({ epoch: Date.now() + 30_000 }).generate(enrol.secret),
    });
    const fullBody = (await full.json()) as {
      access_token: string;
      scope: string;
      mfa_enrollment_required?: boolean;
    };
    expect(fullBody.scope).toContain('user/*.cruds');
    expect(fullBody.mfa_enrollment_required).toBeUndefined();

    await api(t.url, 'POST', '/auth/accounts', fullBody.access_token, {
      username: 'bs.moi',
      password: STRONG,
      role: 'practitioner',
      fhirUser: 'Practitioner/new',
    });
    const res = await tokenRequest(t.url, { grant_type: 'password', username: 'bs.moi', password: STRONG });
    const body = (await res.json()) as {
      access_token: string;
      scope: string;
      mfa_enrollment_required?: boolean;
    };
    expect(body).toMatchObject({ scope: 'openid', mfa_enrollment_required: true });
    expect((await api(t.url, 'GET', '/fhir/Observation', body.access_token)).status).toBe(403);
    expect((await api(t.url, 'POST', '/auth/mfa/totp', body.access_token, { password: STRONG })).status).toBe(
      201,
    );
  });
});

describe('auth: failed sign-ins are limited per client address too', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { LOGIN_MAX_FAILURES_PER_ADDRESS: '4' });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('blocks an address that guesses across many accounts, whatever the account', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await tokenRequest(t.url, {
        grant_type: 'password',
        username: `guess-${i}`,
        password: 'Wrong-guess-123',
      });
      expect(res.status).toBe(400);
    }
    const blocked = await tokenRequest(t.url, {
      grant_type: 'password',
      username: ADMIN.username,
      password: ADMIN.password,
    });
    expect(blocked.status).toBe(429);
  });
});
