import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { IDENTITY_CONTEXT } from '../identity.database';

/**
 * Sliding-window limit on failed sign-ins, per account and per client address, kept in the
 * database so it holds across replicas and restarts. Every attempt to check a password or a
 * one-time code first reserves a slot — recorded as a failure, atomically, under a lock per account
 * and per address — and only then is checked, so parallel guesses cannot all be checked before the
 * first failure is counted; a success releases the account's failures (its own reservation too).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Reserves one attempt for `username` from `address`: false (nothing recorded) when the account
   * or the address already has the limit of failures and attempts in flight within the window.
   */
  async reserve(username: string, address: string): Promise<boolean> {
    const { maxFailuresPerAccount, maxFailuresPerAddress, failureWindowSeconds } = this.config.auth;
    const key = username.toLowerCase();
    const since = new Date(Date.now() - failureWindowSeconds * 1000);
    return this.db.transaction(async (em) => {
      // Always the account's lock first, then the address's: no two attempts wait on each other in a cycle.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`login-account:${key}`]);
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`login-address:${address}`]);
      const rows: { by_user: string; by_address: string }[] = await em.query(
        `SELECT
           count(*) FILTER (WHERE username_key = $1) AS by_user,
           count(*) FILTER (WHERE address = $2) AS by_address
         FROM identity.login_failure WHERE at > $3 AND (username_key = $1 OR address = $2)`,
        [key, address, since],
      );
      const row = rows[0];
      if (Number(row?.by_user) >= maxFailuresPerAccount || Number(row?.by_address) >= maxFailuresPerAddress) {
        return false;
      }
      await em.query(`INSERT INTO identity.login_failure (username_key, address) VALUES ($1, $2)`, [
        key,
        address,
      ]);
      return true;
    });
  }

  /** A successful sign-in: the account's failures (and the attempt's reservation) are cleared. */
  async release(username: string): Promise<void> {
    await this.db.query(`DELETE FROM identity.login_failure WHERE username_key = $1`, [
      username.toLowerCase(),
    ]);
  }

  /** Seconds a refused caller should wait (the window). */
  get retryAfterSeconds(): number {
    return this.config.auth.failureWindowSeconds;
  }
}
