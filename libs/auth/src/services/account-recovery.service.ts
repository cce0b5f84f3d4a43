import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ACCOUNT_NOTICES, type AccountNotices } from '../account-notices';
import { AccountEntity } from '../entities/account.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import { PATIENT_CONTEXT_AUTHORIZER, type PatientContextAuthorizer } from '../patient-context';
import type { Principal } from '../roles';
import { AccountService } from './account.service';
import { AuthEvents } from './auth-events.service';
import { PasswordService } from './password.service';

/** Letters and digits that cannot be mistaken for one another when read out or copied by hand. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A one-time password to hand over in person: 16 characters (≈ 92 bits), in groups of four. */
export function temporaryPassword(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.replace(/(.{4})(?!$)/g, '$1-');
}

const notManaged = (): DomainError =>
  new DomainError(
    'AUTH.PATIENT_NOT_MANAGED',
    403,
    'Only staff of the station that manages this patient may reset their password / Chỉ nhân viên cơ sở quản lý bệnh nhân mới được đặt lại mật khẩu',
  );

const noAccount = (): DomainError =>
  new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account / Không có tài khoản này');

/** What a password reset hands back: the one-time password, to be changed at the first sign-in. */
export interface PasswordResetResult {
  readonly accountId: string;
  readonly temporaryPassword: string;
}

/**
 * Account recovery (docs/access-control.md "Sessions and credentials"): an administrator resets an
 * account's second factor, or the password of a non-patient account; a patient's password is reset
 * only by staff of the station that manages the patient, after checking their CCCD in person. Every
 * reset ends the account's sessions (refresh tokens) and is an auth event naming who did it.
 */
@Injectable()
export class AccountRecoveryService {
  private readonly log = new Logger(AccountRecoveryService.name);

  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly accounts: AccountService,
    private readonly passwords: PasswordService,
    private readonly events: AuthEvents,
    @Inject(PATIENT_CONTEXT_AUTHORIZER) private readonly patients: PatientContextAuthorizer,
    @Inject(ACCOUNT_NOTICES) private readonly notices: AccountNotices,
  ) {}

  /** Admin: removes the account's second factor (it enrols again with its password); sessions end. */
  async resetSecondFactor(accountId: string, admin: Principal): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.lockAccount(em, accountId);
      await em.query(
        `UPDATE identity.account SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled = false,
                totp_last_step = NULL, updated_at = now() WHERE id = $1`,
        [accountId],
      );
      await this.endSessions(em, accountId);
    });
    this.accounts.sessionEnded(accountId);
    await this.events.record({
      event: 'mfa-reset',
      outcome: 'success',
      accountId,
      detail: `second factor reset by administrator ${admin.subject}`,
    });
  }

  /** Admin: a one-time password for a practitioner, clinic-staff or admin account; sessions end. */
  async resetStaffPassword(accountId: string, admin: Principal): Promise<PasswordResetResult> {
    const password = temporaryPassword();
    const hash = await this.passwords.hash(password);
    await this.db.transaction(async (em) => {
      const account = await this.lockAccount(em, accountId);
      if (account.role === 'patient') {
        throw new DomainError(
          'AUTH.PATIENT_RESET_AT_STATION',
          403,
          "A patient's password is reset by the staff of their station, after an identity check in person / Mật khẩu của bệnh nhân do nhân viên trạm y tế quản lý đặt lại sau khi đối chiếu giấy tờ",
        );
      }
      await this.setPassword(em, accountId, hash);
    });
    this.accounts.sessionEnded(accountId);
    await this.events.record({
      event: 'password-reset',
      outcome: 'success',
      accountId,
      detail: `password reset by administrator ${admin.subject}`,
    });
    return { accountId, temporaryPassword: password };
  }

  /**
   * Clinic staff: a one-time password for the sign-in of a Patient their facility manages, once
   * they have checked the patient's CCCD in person (`cccdLast4`, matched against the record). Staff
   * of another facility get the same answer as for a Patient that does not exist. The patient's
   * sessions end and they are told (in-app, in their record).
   */
  async resetPatientPassword(
    patientId: string,
    staff: Principal,
    cccdLast4: string,
  ): Promise<PasswordResetResult> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) {
      throw new DomainError('AUTH.INVALID_PATIENT_ID', 400, 'Not a Patient id / Mã bệnh nhân không hợp lệ');
    }
    const managed = this.patients ? await this.patients.managingOrganizations([patientId]) : undefined;
    const facility = staff.organization;
    if (!facility || managed?.get(patientId) !== facility) {
      await this.refusePatientReset(staff, patientId, `not managed by ${facility ?? 'no facility'}`);
      throw notManaged();
    }
    const matches = await this.patients?.cccdEndsWith(patientId, cccdLast4);
    if (matches !== true) {
      await this.refusePatientReset(
        staff,
        patientId,
        matches === false ? 'CCCD does not match' : 'no CCCD on record',
      );
      throw matches === false
        ? new DomainError(
            'AUTH.IDENTITY_MISMATCH',
            422,
            "The CCCD checked does not match the patient's record; nothing was changed / Số CCCD đã kiểm tra không khớp với hồ sơ, không có gì thay đổi",
          )
        : new DomainError(
            'AUTH.NO_IDENTITY_DOCUMENT',
            422,
            "The patient's record has no CCCD to check against; record it first / Hồ sơ bệnh nhân chưa có số CCCD để đối chiếu",
          );
    }
    const password = temporaryPassword();
    const hash = await this.passwords.hash(password);
    const accountId = await this.db.transaction(async (em) => {
      const rows: { id: string }[] = await em.query(
        `SELECT id FROM identity.account WHERE fhir_user = $1 AND role = 'patient' AND active FOR UPDATE`,
        [`Patient/${patientId}`],
      );
      const id = rows[0]?.id;
      if (!id) throw noAccount();
      await this.setPassword(em, id, hash);
      return id;
    });
    this.accounts.sessionEnded(accountId);
    const resetId = randomUUID();
    await this.events.record({
      event: 'password-reset',
      outcome: 'success',
      accountId,
      detail: `password reset by clinic staff ${staff.subject} of ${facility} after an in-person CCCD check (reset ${resetId})`,
    });
    await this.tellPatient(accountId, patientId, facility, resetId);
    return { accountId, temporaryPassword: password };
  }

  private async tellPatient(
    accountId: string,
    patientId: string,
    facility: string,
    resetId: string,
  ): Promise<void> {
    try {
      if (!this.notices) throw new Error('no notification port in this deployable');
      await this.notices.passwordReset(patientId, facility, resetId);
    } catch (err) {
      // The reset stands (the patient is at the desk); its auth event records that no notice went out.
      this.log.error(
        { resetId, err: err instanceof Error ? err.message : String(err) },
        'password reset notice failed',
      );
      await this.events.record({
        event: 'password-reset',
        outcome: 'failure',
        accountId,
        detail: `patient not notified of reset ${resetId}`,
      });
    }
  }

  private refusePatientReset(staff: Principal, patientId: string, why: string): Promise<void> {
    return this.events.record({
      event: 'password-reset',
      outcome: 'failure',
      accountId: staff.subject,
      detail: `refused to clinic staff ${staff.subject} for Patient/${patientId}: ${why}`,
    });
  }

  private async lockAccount(em: EntityManager, id: string): Promise<AccountEntity> {
    const account = await em
      .getRepository(AccountEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!account) throw noAccount();
    return account;
  }

  /**
   * New password hash, to be changed at the next sign-in; every refresh token of the account dies,
   * and its failed sign-ins are forgotten (someone locked out by their own guesses can sign in).
   */
  private async setPassword(em: EntityManager, id: string, hash: string): Promise<void> {
    await em.query(
      `UPDATE identity.account SET password_hash = $2, password_changed_at = now(), must_change_password = true,
              updated_at = now() WHERE id = $1`,
      [id, hash],
    );
    await em.query(
      `DELETE FROM identity.login_failure WHERE username_key = (SELECT lower(username) FROM identity.account WHERE id = $1)`,
      [id],
    );
    await this.endSessions(em, id);
  }

  /** Every session ends — refresh tokens and the access tokens issued until now (after commit: `ended`). */
  private async endSessions(em: EntityManager, id: string): Promise<void> {
    await this.accounts.endSessions(em, id);
  }
}
