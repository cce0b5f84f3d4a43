import { Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import { authenticator } from 'otplib';
import { DataSource } from 'typeorm';
import { AccountEntity } from '../entities/account.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import type { Principal } from '../roles';
import { AuthEvents } from './auth-events.service';
import { LoginThrottle } from './login-throttle.service';
import { PasswordService } from './password.service';
import { TotpCodes, totpStep } from './totp.service';

const invalidCode = (): DomainError =>
  new DomainError('AUTH.MFA_INVALID_CODE', 400, 'Invalid or already used code / Mã không đúng hoặc đã dùng');

/**
 * TOTP enrolment (RFC 6238). Enrolling — or replacing an authenticator — takes the current password
 * and, once a factor is in use, its current code: an access token alone (stolen, 15 minutes) cannot
 * bind an attacker's authenticator. Password and code checks count against the sign-in limit. The
 * new secret waits until a first code confirms it; the factor in use stays valid meanwhile.
 */
@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly throttle: LoginThrottle,
    private readonly totp: TotpCodes,
    private readonly events: AuthEvents,
  ) {}

  async enrol(
    p: Principal,
    password: string,
    code: string | undefined,
    address: string,
  ): Promise<{ secret: string; otpauth_uri: string }> {
    const account = await this.account(p);
    await this.reserve(account, address);
    if (!account.active || !(await this.passwords.verify(account.passwordHash, password))) {
      await this.refused(account, address, 'wrong password');
      throw new DomainError(
        'AUTH.WRONG_PASSWORD',
        400,
        'Current password is wrong / Mật khẩu hiện tại không đúng',
      );
    }
    if (account.totpEnabled && !(await this.totp.consume(account.id, account.totpSecret, code))) {
      await this.refused(account, address, code ? 'bad or used one-time code' : 'one-time code missing');
      throw new DomainError(
        'AUTH.MFA_INVALID_CODE',
        400,
        'A valid code of the authenticator in use is required / Cần mã hợp lệ từ ứng dụng xác thực đang dùng',
      );
    }
    await this.throttle.release(account.username);
    const secret = authenticator.generateSecret();
    await this.db.getRepository(AccountEntity).update({ id: account.id }, { totpPendingSecret: secret });
    return { secret, otpauth_uri: authenticator.keyuri(account.username, 'Mekong Health', secret) };
  }

  /**
   * A first code of the pending secret makes it the factor in use (its step is then spent). The
   * code is checked inside the sign-in limit, like every code and password check.
   */
  async confirm(p: Principal, code: string, address: string): Promise<void> {
    const account = await this.account(p);
    const pending = account.totpPendingSecret;
    if (!pending) throw invalidCode(); // nothing to check a code against
    await this.reserve(account, address);
    const step = totpStep(code, pending);
    if (step === undefined) {
      await this.refused(account, address, 'bad confirmation code');
      throw invalidCode();
    }
    const rows = rowsOf<{ id: string }>(
      await this.db.query(
        `UPDATE identity.account
          SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled = true,
              totp_last_step = GREATEST(COALESCE(totp_last_step, $3), $3), updated_at = now()
        WHERE id = $1 AND totp_pending_secret = $2 RETURNING id`,
        [account.id, pending, step],
      ),
    );
    if (rows.length === 0) {
      await this.refused(account, address, 'bad confirmation code');
      throw invalidCode();
    }
    await this.throttle.release(account.username);
    await this.events.record({
      event: 'mfa-enrolled',
      outcome: 'success',
      accountId: account.id,
      address,
      detail: account.totpEnabled ? 'authenticator replaced' : 'authenticator enrolled',
    });
  }

  /** Reserves the attempt in the sign-in limit, or answers 429 (an auth event either way on refusal). */
  private async reserve(account: AccountEntity, address: string): Promise<void> {
    if (await this.throttle.reserve(account.username, address)) return;
    await this.refused(account, address, 'throttled');
    throw new DomainError(
      'AUTH.TOO_MANY_ATTEMPTS',
      429,
      'Too many failed attempts; try again later / Sai quá nhiều lần, vui lòng thử lại sau',
      { 'Retry-After': String(this.throttle.retryAfterSeconds) },
    );
  }

  private refused(account: AccountEntity, address: string, why: string): Promise<void> {
    return this.events.record({
      event: 'mfa-enrolled',
      outcome: 'failure',
      accountId: account.id,
      username: account.username,
      address,
      detail: why,
    });
  }

  private async account(p: Principal): Promise<AccountEntity> {
    if (p.role === 'system')
      throw new DomainError('AUTH.FORBIDDEN', 403, 'System clients have no second factor');
    const account = await this.db.getRepository(AccountEntity).findOneBy({ id: p.subject });
    if (!account) throw new DomainError('AUTH.ACCOUNT_NOT_FOUND', 404, 'No such account');
    return account;
  }
}
