import { authenticator } from 'otplib';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, login, startApp, systemToken, type TestApp, tokenRequest } from './support/test-app';

/**
 * Issue 16 part 3: what an outside probe found in sign-in and account recovery — 40 parallel
 * guesses all checked against a limit of 5, an authenticator enrolled with a stolen access token
 * alone, one-time codes good twice, no way to recover an account — each replayed as the attacker
 * did it. Every test here failed on the code before its fix.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const NEW_PASSWORD = 'Mat-khau-moi-cua-toi-2027';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

/** The code of `secret` `steps` time steps (30 s) from now. */
const codeAt = (secret: string, steps = 0): string =>
  authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

interface AuditEventLike {
  subtype: { display: string }[];
  outcome: string;
  outcomeDesc?: string;
  agent: { name?: string; who: { identifier: { value: string } } }[];
}

interface TokenBody {
  access_token: string;
  refresh_token: string;
  scope: string;
  password_change_required?: boolean;
}

describe('issue 16 (3): sign-in limit race and account recovery', () => {
  let t: TestApp;
  let sys: Fhir;
  let admin: string;
  const ids: Record<string, string> = {};
  const accountId: Record<string, string> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201) throw new Error(`seed ${String(body.resourceType)}: ${r.status}`);
    return r.body.id as string;
  };
  const account = async (username: string, role: string, fhirUser: string, organization?: string) => {
    const res = await api(t.url, 'POST', '/auth/accounts', admin, {
      username,
      password: PASSWORD,
      role,
      fhirUser,
      ...(organization ? { organization } : {}),
    });
    if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
    accountId[username] = ((await res.json()) as { id: string }).id;
  };
  const signIn = (username: string, password: string, otp?: string): Promise<Response> =>
    tokenRequest(t.url, { grant_type: 'password', username, password, ...(otp ? { otp } : {}) });
  const events = async (): Promise<AuditEventLike[]> => {
    const res = await api(t.url, 'GET', '/auth/events?limit=1000', admin);
    const bundle = (await res.json()) as { entry: { resource: AuditEventLike }[] };
    return bundle.entry.map((e) => e.resource);
  };
  /** Enrols and confirms TOTP for `username` with the current step's code: secret, session, that code. */
  const enrolTotpSession = async (
    username: string,
  ): Promise<{ secret: string; token: string; confirmCode: string }> => {
    const token = (await login(t.url, username, PASSWORD)).access_token;
    const res = await api(t.url, 'POST', '/auth/mfa/totp', token, { password: PASSWORD });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    const confirmCode = codeAt(secret);
    expect((await api(t.url, 'POST', '/auth/mfa/totp/confirm', token, { code: confirmCode })).status).toBe(
      204,
    );
    return { secret, token, confirmCode };
  };
  const enrolTotp = async (username: string): Promise<string> => (await enrolTotpSession(username)).secret;
  /** Waits for the next TOTP time step (so that a later step's code exists). */
  const nextStep = (): Promise<void> =>
    new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 100));

  beforeAll(async () => {
    // The per-address limit is not under test here (all requests come from one address).
    t = await startApp(PlatformModule.register, { LOGIN_MAX_FAILURES_PER_ADDRESS: '10000' });
    sys = new Fhir(t.url, await systemToken(t.url));
    admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    ids.facilityA = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
    ids.facilityB = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Long Hồ' });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phan', given: ['Y tá A'] }] });
    ids.nurseB = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Y tá B'] }] });
    ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Bác sĩ'] }] });
    const patient = (family: string, facility: string, cccd?: string) =>
      mk({
        resourceType: 'Patient',
        name: [{ family, given: ['Thị'] }],
        ...(cccd ? { identifier: [{ system: CCCD, value: cccd }] } : {}),
        managingOrganization: { reference: `Organization/${facility}` },
      });
    ids.victim = await patient('Võ', ids.facilityA, '079190001234');
    ids.other = await patient('Nguyễn', ids.facilityB, '079190005678');
    ids.noCccd = await patient('Lý', ids.facilityA);
    await account('staff.a', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.facilityA}`);
    await account('staff.b', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.facilityB}`);
    await account('patient.victim', 'patient', `Patient/${ids.victim}`);
    await account('patient.other', 'patient', `Patient/${ids.other}`);
    await account('patient.nocccd', 'patient', `Patient/${ids.noCccd}`);
    for (const u of ['doctor.race', 'doctor.otp', 'doctor.stolen', 'doctor.replace', 'doctor.replay'])
      await account(u, 'practitioner', `Practitioner/${ids.doctor}`);
    for (const u of ['doctor.lost', 'doctor.forgot', 'doctor.plain'])
      await account(u, 'practitioner', `Practitioner/${ids.doctor}`);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  describe('A. the sign-in limit holds under parallel guesses', () => {
    it('checks at most 5 of 40 parallel wrong passwords; the rest, then the right one, get the throttle answer', async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => signIn('doctor.race', `Wrong-guess-${i}-2026`)),
      );
      const statuses = answers.map((r) => r.status);
      const checked = statuses.filter((s) => s === 400).length;
      expect(checked).toBeGreaterThanOrEqual(1);
      expect(checked).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
      for (const r of answers.filter((a) => a.status === 429)) {
        expect(r.headers.get('retry-after')).toBeTruthy();
        expect(((await r.json()) as { error: string }).error).toBe('invalid_grant');
      }
      // Timing-independent evidence: each checked password is one 'bad credentials' auth event.
      const mine = (await events()).filter((e) => e.agent[0]?.name === 'doctor.race');
      expect(mine.filter((e) => e.outcomeDesc === 'bad credentials')).toHaveLength(checked);
      expect(mine.filter((e) => e.outcomeDesc === 'throttled')).toHaveLength(40 - checked);
      // locked: the right password is refused too
      const right = await signIn('doctor.race', PASSWORD);
      expect(right.status).toBe(429);
    });

    it('checks at most 5 of 40 parallel one-time codes sent with the right password', async () => {
      const secret = await enrolTotp('doctor.otp');
      const good = codeAt(secret);
      // Codes that are surely wrong at this moment (none of the steps around now).
      const wrong = Array.from({ length: 40 }, (_, i) =>
        String((Number(good) + 1 + i * 7919) % 1_000_000).padStart(6, '0'),
      ).filter((c) => ![-1, 0, 1, 2].some((s) => codeAt(secret, s) === c));
      const answers = await Promise.all(wrong.map((otp) => signIn('doctor.otp', PASSWORD, otp)));
      const checked = answers.filter((r) => r.status === 400).length;
      expect(checked).toBeLessThanOrEqual(5);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(wrong.length - checked);
      const mine = (await events()).filter((e) => e.agent[0]?.name === 'doctor.otp');
      expect(mine.filter((e) => e.outcomeDesc === 'bad or used one-time code')).toHaveLength(checked);
      // locked: the right password with a right code is refused too
      expect((await signIn('doctor.otp', PASSWORD, codeAt(secret, 1))).status).toBe(429);
    });
  });

  describe('B1. enrolling an authenticator takes the password (and the current code once enrolled)', () => {
    it('refuses an enrolment with a stolen access token alone, or a wrong password; guesses count against the limit', async () => {
      const stolen = (await login(t.url, 'doctor.stolen', PASSWORD)).access_token;
      const bare = await api(t.url, 'POST', '/auth/mfa/totp', stolen);
      expect(bare.status).toBe(400);
      const guess = await api(t.url, 'POST', '/auth/mfa/totp', stolen, {
        password: 'Mot-doan-mat-khau-2026',
      });
      expect(guess.status).toBe(400);
      expect(((await guess.json()) as { code: string }).code).toBe('AUTH.WRONG_PASSWORD');
      for (let i = 0; i < 4; i++)
        await api(t.url, 'POST', '/auth/mfa/totp', stolen, { password: `Doan-mat-khau-${i}-2026` });
      const limited = await api(t.url, 'POST', '/auth/mfa/totp', stolen, { password: PASSWORD });
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { code: string }).code).toBe('AUTH.TOO_MANY_ATTEMPTS');
      // nothing was enrolled: there is no pending authenticator to confirm
      expect((await api(t.url, 'POST', '/auth/mfa/totp/confirm', stolen, { code: '123456' })).status).toBe(
        400,
      );
    });

    it('replaces an authenticator only with a fresh code of it; the new one counts once confirmed', async () => {
      const { secret: oldSecret, token: tk } = await enrolTotpSession('doctor.replace'); // spends this step
      const noCode = await api(t.url, 'POST', '/auth/mfa/totp', tk, { password: PASSWORD });
      expect(noCode.status).toBe(400);
      expect(((await noCode.json()) as { code: string }).code).toBe('AUTH.MFA_INVALID_CODE');
      // a code already used (here: to confirm) does not do
      const spent = await api(t.url, 'POST', '/auth/mfa/totp', tk, {
        password: PASSWORD,
        code: codeAt(oldSecret),
      });
      expect(spent.status).toBe(400);
      const ok = await api(t.url, 'POST', '/auth/mfa/totp', tk, {
        password: PASSWORD,
        code: codeAt(oldSecret, 1),
      });
      expect(ok.status).toBe(201);
      const { secret: newSecret } = (await ok.json()) as { secret: string };
      // until confirmed, the new authenticator is not the one in use
      expect((await signIn('doctor.replace', PASSWORD, codeAt(newSecret))).status).toBe(400);
      expect(
        (await api(t.url, 'POST', '/auth/mfa/totp/confirm', tk, { code: codeAt(newSecret) })).status,
      ).toBe(204);
      await nextStep();
      // once confirmed, a fresh code of the old one is refused, the new one signs in
      expect((await signIn('doctor.replace', PASSWORD, codeAt(oldSecret, 1))).status).toBe(400);
      expect((await signIn('doctor.replace', PASSWORD, codeAt(newSecret, 1))).status).toBe(200);
    }, 60_000);
  });

  describe('B2. a one-time code is accepted once', () => {
    it('refuses a replayed code and a code of an earlier step', async () => {
      const { secret, confirmCode } = await enrolTotpSession('doctor.replay');
      // the code that just confirmed the enrolment, replayed within its 30 s
      const replayed = await signIn('doctor.replay', PASSWORD, confirmCode);
      expect(replayed.status).toBe(400);
      expect(((await replayed.json()) as { error: string }).error).toBe('invalid_grant');
      const next = codeAt(secret, 1);
      expect((await signIn('doctor.replay', PASSWORD, next)).status).toBe(200);
      expect((await signIn('doctor.replay', PASSWORD, next)).status).toBe(400);
      expect((await signIn('doctor.replay', PASSWORD, codeAt(secret))).status).toBe(400);
    });
  });

  describe('B3. administrators reset a second factor, and the password of non-patient accounts', () => {
    it('resets a lost authenticator: admin only, an auth event, the sessions end', async () => {
      const secret = await enrolTotp('doctor.lost');
      const session = (await (await signIn('doctor.lost', PASSWORD, codeAt(secret, 1))).json()) as TokenBody;
      const path = `/auth/accounts/${accountId['doctor.lost']}/reset-mfa`;
      const staff = (await login(t.url, 'staff.a', PASSWORD)).access_token;
      const patient = (await login(t.url, 'patient.other', PASSWORD)).access_token;
      expect((await api(t.url, 'POST', path)).status).toBe(401);
      expect((await api(t.url, 'POST', path, staff)).status).toBe(403);
      expect((await api(t.url, 'POST', path, patient)).status).toBe(403);
      expect((await api(t.url, 'POST', path, session.access_token)).status).toBe(403);
      expect((await signIn('doctor.lost', PASSWORD)).status).toBe(400); // still needs the code

      const res = await api(t.url, 'POST', path, admin);
      expect(res.status).toBe(200);
      const refresh = await tokenRequest(t.url, {
        grant_type: 'refresh_token',
        refresh_token: session.refresh_token,
      });
      expect(refresh.status).toBe(400);
      expect((await signIn('doctor.lost', PASSWORD)).status).toBe(200);
      const adminId = JSON.parse(Buffer.from(admin.split('.')[1] as string, 'base64url').toString())
        .sub as string;
      const reset = (await events()).find(
        (e) =>
          e.subtype[0]?.display === 'User security Attributes Changed' &&
          e.outcomeDesc?.includes('second factor reset'),
      );
      expect(reset?.agent[0]?.who.identifier.value).toBe(accountId['doctor.lost']);
      expect(reset?.outcomeDesc).toContain(adminId);
      expect(
        (await api(t.url, 'POST', '/auth/accounts/00000000-0000-4000-8000-000000000000/reset-mfa', admin))
          .status,
      ).toBe(404);
    });

    it("gives a one-time password for a staff account that must be changed; refuses patients' passwords", async () => {
      const before = (await (await signIn('doctor.forgot', PASSWORD)).json()) as TokenBody;
      const res = await api(
        t.url,
        'POST',
        `/auth/accounts/${accountId['doctor.forgot']}/reset-password`,
        admin,
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const { temporaryPassword } = (await res.json()) as { temporaryPassword: string };
      expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
      expect(
        (await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: before.refresh_token }))
          .status,
      ).toBe(400);
      expect((await signIn('doctor.forgot', PASSWORD)).status).toBe(400);
      const temp = (await (await signIn('doctor.forgot', temporaryPassword)).json()) as TokenBody;
      expect(temp).toMatchObject({ scope: 'openid', password_change_required: true });
      expect((await api(t.url, 'GET', '/fhir/Patient', temp.access_token)).status).toBe(403);
      const change = await api(t.url, 'POST', '/auth/password', temp.access_token, {
        currentPassword: temporaryPassword,
        newPassword: NEW_PASSWORD,
      });
      expect(change.status).toBe(204);
      const full = (await (await signIn('doctor.forgot', NEW_PASSWORD)).json()) as TokenBody;
      expect(full.scope).toContain('user/*.cruds');
      expect(full.password_change_required).toBeUndefined();

      const patientReset = await api(
        t.url,
        'POST',
        `/auth/accounts/${accountId['patient.other']}/reset-password`,
        admin,
      );
      expect(patientReset.status).toBe(403);
      expect(((await patientReset.json()) as { code: string }).code).toBe('AUTH.PATIENT_RESET_AT_STATION');
      expect((await signIn('patient.other', PASSWORD)).status).toBe(200);
      const staff = (await login(t.url, 'staff.a', PASSWORD)).access_token;
      expect(
        (await api(t.url, 'POST', `/auth/accounts/${accountId['doctor.forgot']}/reset-password`, staff))
          .status,
      ).toBe(403);
    });
  });

  describe("B4. a patient's password is reset by their own station, after an identity check in person", () => {
    const body = { checkedInPerson: true, document: 'cccd', cccdLast4: '1234' };
    const path = (patient: string): string => `/auth/patients/${patient}/reset-password`;

    it('refuses staff of another facility exactly as for a patient that does not exist, and changes nothing', async () => {
      const staffB = (await login(t.url, 'staff.b', PASSWORD)).access_token;
      const foreign = await api(t.url, 'POST', path(ids.victim as string), staffB, body);
      const ghost = await api(t.url, 'POST', path('khong-ton-tai'), staffB, body);
      expect(foreign.status).toBe(403);
      expect(ghost.status).toBe(403);
      const strip = (b: Record<string, unknown>) => ({ ...b, correlationId: undefined });
      expect(strip((await foreign.json()) as Record<string, unknown>)).toEqual(
        strip((await ghost.json()) as Record<string, unknown>),
      );
      expect((await signIn('patient.victim', PASSWORD)).status).toBe(200);
    });

    it('refuses patients, practitioners, admins, no token, a wrong CCCD and a missing attestation', async () => {
      const staffA = (await login(t.url, 'staff.a', PASSWORD)).access_token;
      const patient = (await login(t.url, 'patient.victim', PASSWORD)).access_token;
      const other = (await login(t.url, 'patient.other', PASSWORD)).access_token;
      const doctor = (await login(t.url, 'doctor.plain', PASSWORD)).access_token;
      expect((await api(t.url, 'POST', path(ids.victim as string), undefined, body)).status).toBe(401);
      expect((await api(t.url, 'POST', path(ids.victim as string), patient, body)).status).toBe(403);
      expect((await api(t.url, 'POST', path(ids.victim as string), other, body)).status).toBe(403);
      expect((await api(t.url, 'POST', path(ids.other as string), patient, body)).status).toBe(403);
      expect((await api(t.url, 'POST', path(ids.victim as string), doctor, body)).status).toBe(403);
      expect((await api(t.url, 'POST', path(ids.victim as string), admin, body)).status).toBe(403);
      const wrong = await api(t.url, 'POST', path(ids.victim as string), staffA, {
        ...body,
        cccdLast4: '9999',
      });
      expect(wrong.status).toBe(422);
      expect(((await wrong.json()) as { code: string }).code).toBe('AUTH.IDENTITY_MISMATCH');
      const none = await api(t.url, 'POST', path(ids.noCccd as string), staffA, body);
      expect(none.status).toBe(422);
      expect(((await none.json()) as { code: string }).code).toBe('AUTH.NO_IDENTITY_DOCUMENT');
      for (const bad of [
        { document: 'cccd', cccdLast4: '1234' },
        { ...body, checkedInPerson: false },
        { ...body, document: 'passport' },
        { ...body, cccdLast4: '12a4' },
        { ...body, extra: 1 },
      ]) {
        const res = await api(t.url, 'POST', path(ids.victim as string), staffA, bad);
        expect(res.status).toBe(400);
      }
      expect((await api(t.url, 'POST', path('../x'), staffA, body)).status).toBeLessThan(500);
      expect((await signIn('patient.victim', PASSWORD)).status).toBe(200);
    });

    it("resets it for the station's staff: one-time password, sessions ended, auth event naming them, patient told", async () => {
      const session = (await login(t.url, 'patient.victim', PASSWORD)) as TokenBody;
      const staffA = (await login(t.url, 'staff.a', PASSWORD)).access_token;
      const staffId = JSON.parse(Buffer.from(staffA.split('.')[1] as string, 'base64url').toString())
        .sub as string;
      const res = await api(t.url, 'POST', path(ids.victim as string), staffA, body);
      expect(res.status).toBe(200);
      const { temporaryPassword, accountId: resetAccount } = (await res.json()) as {
        temporaryPassword: string;
        accountId: string;
      };
      expect(resetAccount).toBe(accountId['patient.victim']);
      expect(
        (await tokenRequest(t.url, { grant_type: 'refresh_token', refresh_token: session.refresh_token }))
          .status,
      ).toBe(400);
      expect((await signIn('patient.victim', PASSWORD)).status).toBe(400);
      const event = (await events()).find(
        (e) =>
          e.agent[0]?.who.identifier.value === resetAccount &&
          e.outcome === '0' &&
          e.outcomeDesc?.includes('password reset'),
      );
      expect(event?.outcomeDesc).toContain(staffId);
      expect(event?.outcomeDesc).toContain(`Organization/${ids.facilityA}`);
      expect(event?.outcomeDesc).not.toContain('1234');

      const temp = (await (await signIn('patient.victim', temporaryPassword)).json()) as TokenBody;
      expect(temp).toMatchObject({ scope: 'openid', password_change_required: true });
      expect((await api(t.url, 'GET', `/fhir/Patient/${ids.victim}`, temp.access_token)).status).toBe(403);
      await api(t.url, 'POST', '/auth/password', temp.access_token, {
        currentPassword: temporaryPassword,
        newPassword: NEW_PASSWORD,
      });
      const mine = new Fhir(t.url, (await login(t.url, 'patient.victim', NEW_PASSWORD)).access_token);
      const inbox = await mine.get(`Communication?subject=Patient/${ids.victim}`);
      expect(inbox.status).toBe(200);
      const notes = ((inbox.body.entry ?? []) as { resource: { topic?: { text?: string } } }[]).map(
        (e) => e.resource.topic?.text,
      );
      expect(notes).toContain('Mật khẩu đã được đặt lại / Your password was reset');
    });
  });
});
