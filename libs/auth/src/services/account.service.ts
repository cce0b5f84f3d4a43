import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import type { AccountRole, Principal } from '../roles';
import { LoginThrottle } from './login-throttle.service';
import { PasswordService } from './password.service';
import { AuthEvents } from './auth-events.service';
import { PATIENT_CONTEXT_AUTHORIZER, type PatientContextAuthorizer } from '../patient-context';

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly role: AccountRole;
  readonly fhirUser?: string;
  readonly organization?: string;
}

/** A patient account an operator should review: its Patient is not managed by the facility it was created for. */
export interface AccountToReview extends AccountView {
  readonly createdBy: string | null;
  readonly createdAt: string;
  /** The Patient's managing organization now (null: none; 'missing': no such Patient). */
  readonly managingOrganization: string | null | 'missing';
}

export interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly role: AccountRole;
  readonly fhirUser: string | null;
  readonly organization: string | null;
}

/** The fhirUser resource type each role must link to (admins may have none). */
const FHIR_USER_TYPE: Record<AccountRole, 'Patient' | 'Practitioner' | undefined> = {
  patient: 'Patient',
  practitioner: 'Practitioner',
  'clinic-staff': 'Practitioner',
  admin: undefined,
};

function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505';
}

const usernameTaken = (): DomainError =>
  new DomainError('AUTH.USERNAME_TAKEN', 409, 'Username already exists / Tên đăng nhập đã tồn tại');

/** Accounts of the identity context: creation rules, lookups, password checks. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly events: AuthEvents,
    private readonly throttle: LoginThrottle,
    @Inject(PATIENT_CONTEXT_AUTHORIZER) private readonly patients: PatientContextAuthorizer,
  ) {}

  /**
   * Creates an account on behalf of `actor` (undefined: the system, e.g. admin bootstrap).
   * Admins create any account; clinic staff only patient accounts of their own facility, for a
   * Patient their facility manages (Patient.managingOrganization). A Patient has at most one active
   * sign-in: a second account for it is refused (409) until an admin disables the first
   * (docs/access-control.md "Accounts").
   */
  async create(input: NewAccount, actor?: Principal): Promise<AccountView> {
    let organization = input.organization;
    if (actor && actor.role !== 'admin') {
      if (actor.role !== 'clinic-staff' || input.role !== 'patient') {
        throw new DomainError('AUTH.FORBIDDEN', 403, 'Only admins create this kind of account');
      }
      if (!actor.organization) {
        throw new DomainError('AUTH.FORBIDDEN', 403, 'Your account is not attached to a facility');
      }
      if (organization !== undefined && organization !== actor.organization) {
        throw new DomainError(
          'AUTH.FORBIDDEN',
          403,
          'Clinic staff create patient accounts for their own facility only',
        );
      }
      organization = actor.organization;
    }
    const expected = FHIR_USER_TYPE[input.role];
    if (expected && !input.fhirUser?.startsWith(`${expected}/`)) {
      throw new DomainError(
        'AUTH.INVALID_FHIR_USER',
        400,
        `fhirUser must be ${expected}/<id> for role ${input.role}`,
      );
    }
    if (!expected && input.fhirUser !== undefined && !/^Practitioner\//.test(input.fhirUser)) {
      throw new DomainError(
        'AUTH.INVALID_FHIR_USER',
        400,
        'fhirUser of an admin, if any, must be Practitioner/<id>',
      );
    }
    if (actor?.role === 'clinic-staff') await this.assertManagedBy(input.fhirUser as string, actor);
    this.passwords.assertStrong(input.password, [input.username]);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      const row = await this.db.transaction(async (em) => {
        const named: unknown[] = await em.query(
          `SELECT 1 FROM identity.account WHERE lower(username) = lower($1)`,
          [input.username],
        );
        if (named.length > 0) throw usernameTaken();
        if (input.role === 'patient') {
          // One active sign-in per Patient; the lock serialises two creations for the same one.
          await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`account:${input.fhirUser}`]);
          const taken: unknown[] = await em.query(
            `SELECT 1 FROM identity.account WHERE fhir_user = $1 AND role = 'patient' AND active`,
            [input.fhirUser],
          );
          if (taken.length > 0) {
            throw new DomainError(
              'AUTH.PATIENT_HAS_ACCOUNT',
              409,
              'This patient already has a sign-in; an administrator must disable it before another is made / Bệnh nhân này đã có tài khoản',
            );
          }
        }
        return em.getRepository(AccountEntity).save({
          username: input.username,
          passwordHash,
          role: input.role,
          fhirUser: input.fhirUser ?? null,
          organization: organization ?? null,
          createdBy: actor && actor.role !== 'system' ? actor.subject : null,
        });
      });
      if (actor) {
        await this.events.record({
          event: 'account-create',
          outcome: 'success',
          accountId: row.id,
          username: row.username,
          detail: `${row.role} ${row.fhirUser ?? ''} created by ${actor.subject}`.trim(),
        });
      }
      return toView(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw usernameTaken();
      throw err;
    }
  }

  /** Clinic staff link a sign-in only to a Patient their own facility manages. */
  private async assertManagedBy(fhirUser: string, actor: Principal): Promise<void> {
    const id = fhirUser.slice('Patient/'.length);
    const managed = this.patients ? await this.patients.managingOrganizations([id]) : undefined;
    if (!managed?.has(id) || managed.get(id) !== actor.organization) {
      await this.events.record({
        event: 'account-create',
        outcome: 'failure',
        accountId: actor.subject,
        detail: `refused: ${fhirUser} is not managed by ${actor.organization ?? 'no facility'}`,
      });
      throw new DomainError(
        'AUTH.PATIENT_NOT_MANAGED',
        403,
        'Clinic staff create sign-ins only for patients their facility manages / Chỉ tạo tài khoản cho bệnh nhân do cơ sở quản lý',
      );
    }
  }

  /**
   * Patient accounts to review: those whose Patient is missing or not managed by the facility the
   * account was created for (every staff-made account; admin-made ones naming a facility).
   */
  async accountsToReview(): Promise<AccountToReview[]> {
    const rows = await this.db
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where(`a.role = 'patient' AND a.fhir_user LIKE 'Patient/%' AND a.organization IS NOT NULL`)
      .orderBy('a.created_at')
      .getMany();
    const ids = [...new Set(rows.map((a) => (a.fhirUser as string).slice('Patient/'.length)))];
    const managed = this.patients ? await this.patients.managingOrganizations(ids) : new Map();
    const out: AccountToReview[] = [];
    for (const a of rows) {
      const id = (a.fhirUser as string).slice('Patient/'.length);
      const org: string | null | 'missing' = managed.has(id) ? (managed.get(id) ?? null) : 'missing';
      if (org === a.organization) continue;
      out.push({
        ...toView(a),
        createdBy: a.createdBy,
        createdAt: a.createdAt.toISOString(),
        managingOrganization: org,
      });
    }
    return out;
  }

  /** Creates the account unless one with that username exists; true when it created one. */
  async createIfAbsent(input: NewAccount): Promise<boolean> {
    if (await this.findByUsername(input.username)) return false;
    try {
      await this.create(input);
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'AUTH.USERNAME_TAKEN') return false;
      throw err;
    }
  }

  private readonly disabledListeners: ((id: string) => void)[] = [];
  private readonly endedListeners: ((id: string, sessionId?: string) => void)[] = [];

  onDisabled(listener: (id: string) => void): void {
    this.disabledListeners.push(listener);
  }

  onSessionsEnded(listener: (id: string, sessionId?: string) => void): void {
    this.endedListeners.push(listener);
  }

  /**
   * Ends every session of the account inside `em`'s transaction: its refresh tokens are revoked and
   * its access tokens issued until now are refused (sessions_valid_after). Call `sessionEnded`
   * after the commit so this process's guard and sockets act at once.
   */
  async endSessions(em: EntityManager, id: string): Promise<void> {
    // The issuer's clock, like the tokens' iat_ms: one clock decides which side of the change a token is on.
    await em.query(`UPDATE identity.account SET sessions_valid_after = $2 WHERE id = $1`, [id, new Date()]);
    await em.query(
      `UPDATE identity.refresh_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL`,
      [id],
    );
  }

  /** Announces ended sessions (all of the account's, or the one named) to this process. */
  sessionEnded(id: string, sessionId?: string): void {
    for (const l of this.endedListeners) l(id, sessionId);
  }

  /** Whether a sign-in session (refresh token family) has ended: it has no live refresh token left. */
  async isSessionEnded(sessionId: string): Promise<boolean> {
    const rows: { live: boolean }[] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM identity.refresh_token WHERE family_id = $1 AND revoked_at IS NULL AND expires_at > now()) AS live`,
      [sessionId],
    );
    return rows[0]?.live !== true;
  }

  /** Disables an account: it can no longer sign in, its refresh tokens die, its access tokens are refused. */
  async disable(id: string): Promise<AccountView> {
    const view = await this.db.transaction(async (em) => {
      const account = await em.getRepository(AccountEntity).findOneBy({ id });
      if (!account) throw new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account');
      await em.getRepository(AccountEntity).update({ id }, { active: false });
      await this.endSessions(em, id);
      return toView({ ...account, active: false });
    });
    for (const l of this.disabledListeners) l(id);
    await this.events.record({ event: 'account-disabled', outcome: 'success', accountId: id });
    return view;
  }

  /**
   * Changes one's own password (current one required); every refresh token of the account dies.
   * The current password is checked inside the sign-in limit: the attempt is reserved first
   * (LoginThrottle), so a stolen access token cannot guess it faster than a sign-in could.
   */
  async changePassword(id: string, current: string, next: string, address: string): Promise<void> {
    const account = await this.findById(id);
    if (!account) throw new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account');
    if (!(await this.throttle.reserve(account.username, address))) {
      await this.events.record({
        event: 'password-change',
        outcome: 'failure',
        accountId: id,
        username: account.username,
        address,
        detail: 'throttled',
      });
      throw new DomainError(
        'AUTH.TOO_MANY_ATTEMPTS',
        429,
        'Too many failed attempts; try again later / Sai quá nhiều lần, vui lòng thử lại sau',
        { 'Retry-After': String(this.throttle.retryAfterSeconds) },
      );
    }
    if (!account.active || !(await this.passwords.verify(account.passwordHash, current))) {
      await this.events.record({
        event: 'password-change',
        outcome: 'failure',
        accountId: id,
        username: account.username,
        address,
        detail: 'wrong password',
      });
      throw new DomainError(
        'AUTH.WRONG_PASSWORD',
        400,
        'Current password is wrong / Mật khẩu hiện tại không đúng',
      );
    }
    await this.throttle.release(account.username);
    this.passwords.assertStrong(next, [account.username]);
    const passwordHash = await this.passwords.hash(next);
    await this.db.transaction(async (em) => {
      await em.query(
        `UPDATE identity.account SET password_hash = $2, password_changed_at = now(), must_change_password = false, updated_at = now() WHERE id = $1`,
        [id, passwordHash],
      );
      await this.endSessions(em, id);
    });
    // Every session ends with the old password: access tokens and live sockets too, not at expiry.
    this.sessionEnded(id);
    await this.events.record({ event: 'password-change', outcome: 'success', accountId: id });
  }

  /**
   * Whether the account may still act, and since when its tokens count (milliseconds since the
   * epoch; earlier ones are refused) — one read, checked on every request, cached briefly by the guard.
   */
  async accessState(id: string): Promise<{ active: boolean; validAfter?: number }> {
    const rows: { active: boolean; after: number | null }[] = await this.db.query(
      `SELECT active, floor(extract(epoch FROM sessions_valid_after) * 1000)::float8 AS after
         FROM identity.account WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    return {
      active: row?.active === true,
      ...(typeof row?.after === 'number' ? { validAfter: row.after } : {}),
    };
  }

  findByUsername(username: string): Promise<AccountEntity | null> {
    return this.db
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .where('lower(a.username) = lower(:username)', { username })
      .getOne();
  }

  findById(id: string): Promise<AccountEntity | null> {
    return this.db.getRepository(AccountEntity).findOneBy({ id });
  }

  /** The active account whose password matches, else null (constant work either way). */
  async authenticate(username: string, password: string): Promise<AccountEntity | null> {
    const account = await this.findByUsername(username);
    const ok = await this.passwords.verify(account?.passwordHash, password);
    return ok && account?.active ? account : null;
  }
}

export function toView(a: AccountEntity): AccountView {
  return { id: a.id, username: a.username, role: a.role, fhirUser: a.fhirUser, organization: a.organization };
}
