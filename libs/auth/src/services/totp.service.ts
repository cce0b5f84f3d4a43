import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import { authenticator } from 'otplib';
import type { DataSource, EntityManager } from 'typeorm';
import { IDENTITY_CONTEXT } from '../identity.database';

/** TOTP time step (RFC 6238, 30 s). */
const STEP_MS = 30_000;
/** Accepted clock drift: one step either side (RFC 6238 §5.2). */
const checker = authenticator.clone({ window: 1 });

/**
 * The time step a code of `secret` belongs to (one step of drift either side), else undefined.
 * `now` in milliseconds.
 */
export function totpStep(code: string, secret: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = checker.clone({ epoch: now }).checkDelta(code, secret);
  return delta === null ? undefined : Math.floor(now / STEP_MS) + delta;
}

/**
 * One-time codes are used once: each account remembers the last step it accepted, and a code of
 * that step or earlier is refused. The step moves forward in one conditional UPDATE, so two
 * requests with the same code cannot both pass.
 */
@Injectable()
export class TotpCodes {
  constructor(@InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource) {}

  /** Whether `code` is a fresh code of the account's confirmed secret; if so, its step is spent. */
  async consume(accountId: string, secret: string | null, code: string | undefined): Promise<boolean> {
    if (!secret || !code) return false;
    const step = totpStep(code, secret);
    if (step === undefined) return false;
    return this.advance(this.db.manager, accountId, step, secret);
  }

  /**
   * Moves the account's last accepted step to `step` if it is later and the secret in use is still
   * `secret`; false otherwise (a replay, or the factor changed meanwhile).
   */
  async advance(em: EntityManager, accountId: string, step: number, secret: string): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await em.query(
        `UPDATE identity.account SET totp_last_step = $2
        WHERE id = $1 AND totp_secret = $3 AND (totp_last_step IS NULL OR totp_last_step < $2)
        RETURNING id`,
        [accountId, step, secret],
      ),
    );
    return rows.length > 0;
  }
}
