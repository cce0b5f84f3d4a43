import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { IDENTITY_CONTEXT } from '../identity.database';

export type AuthEventName =
  'login' | 'refresh' | 'logout' | 'password-change' | 'account-disabled' | 'mfa-enrolled';

/** Append-only record of sign-ins (successful and failed) and account security changes. */
@Injectable()
export class AuthEvents {
  constructor(@InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource) {}

  async record(e: {
    event: AuthEventName;
    outcome: 'success' | 'failure';
    accountId?: string;
    username?: string;
    address?: string;
    detail?: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO identity.auth_event (event, outcome, account_id, username, source_address, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        e.event,
        e.outcome,
        e.accountId ?? null,
        e.username?.toLowerCase() ?? null,
        e.address ?? null,
        e.detail ?? null,
      ],
    );
  }

  /** The newest events, for administrators (GET /auth/events). */
  async list(limit: number): Promise<Record<string, unknown>[]> {
    return this.db.query(
      `SELECT id, recorded, event, outcome, account_id AS "accountId", username, source_address AS "sourceAddress", detail
       FROM identity.auth_event ORDER BY recorded DESC LIMIT $1`,
      [limit],
    );
  }
}
