import { Inject, Injectable } from '@nestjs/common';
import { PATIENT_CONTEXT_AUTHORIZER, type PatientContextAuthorizer } from '../patient-context';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { SignJWT } from 'jose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import type { OAuthClientEntity } from '../entities/oauth-client.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import { OAuthError } from '../oauth-error';
import type { PrincipalRole } from '../roles';
import { grantScopes, maximumScopes } from '../scopes';
import { KeyStore, SIGNING_ALG } from './key-store.service';
import { AccountService } from './account.service';
import { LoginThrottle } from './login-throttle.service';
import { AuthEvents } from './auth-events.service';
import { ClientService } from './client.service';
import { TotpCodes } from './totp.service';

/** The token endpoint's success body (RFC 6749 §5.1 plus SMART's `patient`). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  patient?: string;
  /** Set when the account's role must use TOTP and it has not enrolled yet: the token only allows enrolment. */
  mfa_enrollment_required?: boolean;
  /** Set after a password reset: the token only allows changing the password (POST /auth/password). */
  password_change_required?: boolean;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The audience of every access token: the FHIR base URL (SMART `aud`). */
export function tokenAudience(config: AppConfig): string {
  return `${config.publicUrl}/fhir`;
}

/**
 * Issues access tokens (ES256 JWTs) and rotating refresh tokens for the three grants. A reused
 * (already rotated) refresh token revokes its whole family: someone else holds a copy.
 */
@Injectable()
export class TokenService {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyStore,
    private readonly accounts: AccountService,
    private readonly clients: ClientService,
    private readonly throttle: LoginThrottle,
    private readonly events: AuthEvents,
    private readonly totp: TotpCodes,
    @Inject(PATIENT_CONTEXT_AUTHORIZER) private readonly guardians: PatientContextAuthorizer,
  ) {}

  async passwordGrant(
    username: string,
    password: string,
    scope: string | undefined,
    address: string,
    opts: { patient?: string; otp?: string } = {},
  ): Promise<TokenResponse> {
    // The attempt is counted before anything is checked: parallel guesses cannot outrun the limit.
    if (!(await this.throttle.reserve(username, address))) {
      await this.events.record({
        event: 'login',
        outcome: 'failure',
        username,
        address,
        detail: 'throttled',
      });
      throw new OAuthError(
        'invalid_grant',
        'Too many failed sign-in attempts; try again later / Đăng nhập sai quá nhiều lần, vui lòng thử lại sau',
        429,
        { 'Retry-After': String(this.throttle.retryAfterSeconds) },
        'AUTH.TOO_MANY_ATTEMPTS',
      );
    }
    const account = await this.accounts.authenticate(username, password);
    if (!account) {
      await this.events.record({
        event: 'login',
        outcome: 'failure',
        username,
        address,
        detail: 'bad credentials',
      });
      throw new OAuthError('invalid_grant', 'Invalid username or password / Sai tên đăng nhập hoặc mật khẩu');
    }
    // Second factor (RFC 6238): a wrong or already used code leaves the attempt counted as a failure.
    if (account.totpEnabled && !(await this.totp.consume(account.id, account.totpSecret, opts.otp))) {
      await this.events.record({
        event: 'login',
        outcome: 'failure',
        accountId: account.id,
        username,
        address,
        detail: opts.otp ? 'bad or used one-time code' : 'one-time code missing',
      });
      // The password was right: say whether the code was missing (the portal then asks for it) or wrong.
      throw new OAuthError(
        'invalid_grant',
        'A valid one-time code (otp) is required / Cần mã xác thực một lần hợp lệ',
        400,
        {},
        opts.otp ? 'AUTH.OTP_INVALID' : 'AUTH.OTP_REQUIRED',
      );
    }
    await this.throttle.release(username);
    // Roles that must use a second factor but have not enrolled get a token good for enrolment only;
    // a reset password, one good for changing it.
    const mustEnrol = !account.totpEnabled && this.config.mfaRequiredRoles.includes(account.role);
    const restricted = mustEnrol || account.mustChangePassword;
    const granted = restricted ? ['openid'] : grantScopes(scope, maximumScopes(account.role));
    if (!granted)
      throw new OAuthError('invalid_scope', 'Requested scope exceeds what this account may be granted');
    const patient = await this.patientContext(account, opts.patient);
    await this.events.record({
      event: 'login',
      outcome: 'success',
      accountId: account.id,
      username,
      address,
    });
    const issued = await this.issueForAccount(account, granted, randomUUID(), undefined, patient);
    return {
      ...issued,
      ...(mustEnrol ? { mfa_enrollment_required: true } : {}),
      ...(account.mustChangePassword ? { password_change_required: true } : {}),
    };
  }

  /** The patient a patient-role token is for: the account's own, or a child it is guardian of. */
  private async patientContext(
    account: AccountEntity,
    requested: string | undefined,
  ): Promise<string | undefined> {
    const own =
      account.role === 'patient' && account.fhirUser?.startsWith('Patient/')
        ? account.fhirUser.slice(8)
        : undefined;
    if (requested === undefined || requested === own) return own;
    if (
      account.role !== 'patient' ||
      !this.guardians ||
      !(await this.guardians.mayActFor(account.fhirUser ?? undefined, requested))
    ) {
      throw new OAuthError(
        'invalid_request',
        'This account may not act for that patient / Tài khoản không được đại diện cho bệnh nhân này',
      );
    }
    return requested;
  }

  async clientCredentialsGrant(
    clientId: string,
    secret: string,
    scope: string | undefined,
  ): Promise<TokenResponse> {
    const client = await this.clients.authenticate(clientId, secret);
    if (!client)
      throw new OAuthError('invalid_client', 'Client authentication failed', 401, {
        'WWW-Authenticate': 'Basic',
      });
    const granted = grantScopes(scope, client.scope.split(' '));
    if (!granted) throw new OAuthError('invalid_scope', 'Requested scope exceeds the client registration');
    return this.issueForClient(client, granted);
  }

  /**
   * Refresh-token grant (rotating). With `patient`, a patient-role session switches context: to
   * the account's own record or a child it is guardian of (as the password grant's `patient`),
   * without the password again; anyone else → invalid_request and the refresh token stays
   * usable. Both outcomes are auth events (`switch-patient`).
   */
  async refreshGrant(
    refreshToken: string,
    scope: string | undefined,
    patient?: string,
    address = 'unknown',
  ): Promise<TokenResponse> {
    // A context switch is decided before the token's transaction: the guardian check reads the
    // record on its own connection, which on the embedded engine would wait for that transaction.
    const switchTo =
      patient === undefined ? undefined : await this.switchContext(refreshToken, patient, address);
    const outcome = await this.db.transaction(async (em): Promise<TokenResponse | 'replayed'> => {
      const repo = em.getRepository(RefreshTokenEntity);
      const row = await repo.findOne({
        where: { tokenHash: sha256(refreshToken) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.expiresAt.getTime() <= Date.now()) {
        throw new OAuthError('invalid_grant', 'Refresh token invalid or expired');
      }
      if (row.revokedAt) {
        // Committed, not thrown: an exception here would roll the family's revocation back.
        await repo.update({ familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
        return 'replayed';
      }
      // The transactional manager, never the global repository: on the embedded engine another
      // connection would wait for this very transaction (see VERIFIED.md, PGlite).
      const account = await em.getRepository(AccountEntity).findOneBy({ id: row.accountId });
      if (!account?.active || account.passwordChangedAt.getTime() > row.createdAt.getTime()) {
        throw new OAuthError('invalid_grant', 'Refresh token no longer valid');
      }
      // Clinician and admin sessions end after CLINICIAN_IDLE_MINUTES without use (ASVS 3.3.2 L2):
      // each refresh token is issued at the session's last activity.
      if (
        account.role !== 'patient' &&
        Date.now() - row.createdAt.getTime() > this.config.auth.clinicianIdleMinutes * 60_000
      ) {
        throw new OAuthError(
          'invalid_grant',
          'Session expired after inactivity; sign in again / Phiên đã hết hạn, vui lòng đăng nhập lại',
        );
      }
      const granted = grantScopes(scope, row.scope.split(' '));
      if (!granted) throw new OAuthError('invalid_scope', 'Requested scope exceeds the original grant');
      await repo.update({ id: row.id }, { revokedAt: new Date() });
      return this.issueForAccount(account, granted, row.familyId, repo, switchTo ?? row.patient ?? undefined);
    });
    if (outcome === 'replayed') {
      throw new OAuthError('invalid_grant', 'Refresh token already used; the session was revoked');
    }
    return outcome;
  }

  /**
   * `patient` for the session of `refreshToken`: the account's own record or a child it is
   * guardian of (as the password grant's `patient`), recorded as a `switch-patient` auth event;
   * anyone else → invalid_request, and the refresh token is left as it was. Undefined (the
   * token's own context stays) when the token is unknown (the grant then refuses it) or already in
   * that context.
   */
  private async switchContext(
    refreshToken: string,
    patient: string,
    address: string,
  ): Promise<string | undefined> {
    const row = await this.db
      .getRepository(RefreshTokenEntity)
      .findOneBy({ tokenHash: sha256(refreshToken) });
    const account = row && (await this.db.getRepository(AccountEntity).findOneBy({ id: row.accountId }));
    if (!row || !account || patient === row.patient) return undefined;
    const record = (outcome: 'success' | 'failure') =>
      this.events.record({
        event: 'switch-patient',
        outcome,
        accountId: account.id,
        address,
        detail: `Patient/${patient}`,
      });
    try {
      const context = await this.patientContext(account, patient);
      await record('success');
      return context;
    } catch (err) {
      await record('failure');
      throw err;
    }
  }

  /** RFC 7009 revocation (sign-out): the token's whole family stops working. */
  async revoke(refreshToken: string): Promise<void> {
    const repo = this.db.getRepository(RefreshTokenEntity);
    const row = await repo.findOneBy({ tokenHash: sha256(refreshToken) });
    if (!row) return;
    await repo.update({ familyId: row.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    // The session's access tokens (and live sockets) end with it, not when they expire.
    this.accounts.sessionEnded(row.accountId, row.familyId);
    await this.events.record({ event: 'logout', outcome: 'success', accountId: row.accountId });
  }

  private async issueForAccount(
    account: AccountEntity,
    scopes: string[],
    familyId: string,
    repo = this.db.getRepository(RefreshTokenEntity),
    patient?: string,
  ): Promise<TokenResponse> {
    const accessToken = await this.sign(account.id, account.role, scopes, {
      fhirUser: account.fhirUser ?? undefined,
      patient,
      organization: account.organization ?? undefined,
      sid: familyId,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    await repo.insert({
      tokenHash: sha256(refreshToken),
      familyId,
      accountId: account.id,
      scope: scopes.join(' '),
      patient: patient ?? null,
      expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtl * 1000),
    });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.auth.accessTokenTtl,
      scope: scopes.join(' '),
      refresh_token: refreshToken,
      ...(patient ? { patient } : {}),
    };
  }

  private async issueForClient(client: OAuthClientEntity, scopes: string[]): Promise<TokenResponse> {
    const accessToken = await this.sign(client.clientId, 'system', scopes, {});
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.config.auth.accessTokenTtl,
      scope: scopes.join(' '),
    };
  }

  private async sign(
    subject: string,
    role: PrincipalRole,
    scopes: string[],
    claims: { fhirUser?: string; patient?: string; organization?: string; sid?: string },
  ): Promise<string> {
    const { kid, key } = this.keys.signingKey();
    const defined = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    return new SignJWT({ ...defined, role, scope: scopes.join(' '), iat_ms: Date.now() })
      .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'at+jwt' })
      .setIssuer(this.config.publicUrl)
      .setAudience(tokenAudience(this.config))
      .setSubject(subject)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.config.auth.accessTokenTtl}s`)
      .sign(key);
  }
}
