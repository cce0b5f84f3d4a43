import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { LoginFailureEntity } from '../entities/login-failure.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import { OAuthError } from '../oauth-error';

/**
 * Sliding-window limit on failed sign-ins, per account and per client address, kept in the
 * database so it holds across replicas and restarts. A success clears the account's failures.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 when either the account or the address has too many recent failures. */
  async assertAllowed(username: string, address: string): Promise<void> {
    const { maxFailuresPerAccount, maxFailuresPerAddress, failureWindowSeconds } = this.config.auth;
    const since = new Date(Date.now() - failureWindowSeconds * 1000);
    const rows: { by_user: string; by_address: string }[] = await this.db.query(
      `SELECT
         count(*) FILTER (WHERE username_key = $1) AS by_user,
         count(*) FILTER (WHERE address = $2) AS by_address
       FROM identity.login_failure WHERE at > $3 AND (username_key = $1 OR address = $2)`,
      [username.toLowerCase(), address, since],
    );
    const row = rows[0];
    if (Number(row?.by_user) >= maxFailuresPerAccount || Number(row?.by_address) >= maxFailuresPerAddress) {
      throw new OAuthError(
        'invalid_grant',
        'Too many failed sign-in attempts; try again later / Đăng nhập sai quá nhiều lần, vui lòng thử lại sau',
        429,
        { 'Retry-After': String(failureWindowSeconds) },
      );
    }
  }

  async recordFailure(username: string, address: string): Promise<void> {
    await this.db.getRepository(LoginFailureEntity).insert({ usernameKey: username.toLowerCase(), address });
  }

  async recordSuccess(username: string): Promise<void> {
    await this.db.getRepository(LoginFailureEntity).delete({ usernameKey: username.toLowerCase() });
  }
}
