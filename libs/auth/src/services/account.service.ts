import { Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource, QueryFailedError } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import type { AccountRole, Principal } from '../roles';
import { PasswordService } from './password.service';
import { AuthEvents } from './auth-events.service';

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly role: AccountRole;
  readonly fhirUser?: string;
  readonly organization?: string;
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

/** Accounts of the identity context: creation rules, lookups, password checks. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly events: AuthEvents,
  ) {}

  /**
   * Creates an account on behalf of `actor` (undefined: the system, e.g. admin bootstrap).
   * Admins create any account; clinic staff only patient accounts of their own facility.
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
    this.passwords.assertStrong(input.password, [input.username]);
    const passwordHash = await this.passwords.hash(input.password);
    try {
      const row = await this.db.getRepository(AccountEntity).save({
        username: input.username,
        passwordHash,
        role: input.role,
        fhirUser: input.fhirUser ?? null,
        organization: organization ?? null,
      });
      return toView(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new DomainError(
          'AUTH.USERNAME_TAKEN',
          409,
          'Username already exists / Tên đăng nhập đã tồn tại',
        );
      }
      throw err;
    }
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

  onDisabled(listener: (id: string) => void): void {
    this.disabledListeners.push(listener);
  }

  /** Disables an account: it can no longer sign in, its refresh tokens die, its access tokens are refused. */
  async disable(id: string): Promise<AccountView> {
    const view = await this.db.transaction(async (em) => {
      const account = await em.getRepository(AccountEntity).findOneBy({ id });
      if (!account) throw new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account');
      await em.getRepository(AccountEntity).update({ id }, { active: false });
      await em.query(
        `UPDATE identity.refresh_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      return toView({ ...account, active: false });
    });
    for (const l of this.disabledListeners) l(id);
    await this.events.record({ event: 'account-disabled', outcome: 'success', accountId: id });
    return view;
  }

  /** Changes one's own password (current one required); every refresh token of the account dies. */
  async changePassword(id: string, current: string, next: string): Promise<void> {
    const account = await this.findById(id);
    if (!account?.active || !(await this.passwords.verify(account.passwordHash, current))) {
      await this.events.record({ event: 'password-change', outcome: 'failure', accountId: id });
      throw new DomainError(
        'AUTH.WRONG_PASSWORD',
        400,
        'Current password is wrong / Mật khẩu hiện tại không đúng',
      );
    }
    this.passwords.assertStrong(next, [account.username]);
    const passwordHash = await this.passwords.hash(next);
    await this.db.transaction(async (em) => {
      await em.query(
        `UPDATE identity.account SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`,
        [id, passwordHash],
      );
      await em.query(
        `UPDATE identity.refresh_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL`,
        [id],
      );
    });
    await this.events.record({ event: 'password-change', outcome: 'success', accountId: id });
  }

  /** Whether the account may still act (checked on every request, cached briefly by the guard). */
  async isActive(id: string): Promise<boolean> {
    const rows: { active: boolean }[] = await this.db.query(
      `SELECT active FROM identity.account WHERE id = $1`,
      [id],
    );
    return rows[0]?.active === true;
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
