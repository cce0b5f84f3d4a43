import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFY_CONTEXT } from '../notify.database';

export interface SentZalo {
  readonly phone: string;
  readonly templateId: string;
  readonly msgId: string;
}

/** The OA's tokens as stored: encrypted (TokenCipher), with the seed they descend from. */
export interface StoredZaloTokens {
  readonly seedSha256: string;
  readonly accessTokenEnc: string;
  readonly refreshTokenEnc: string;
  readonly accessExpiresAt: Date;
}

/** The Zalo channel's tables: the msg_id of each notification sent, and the OA's tokens. */
@Injectable()
export class ZaloRepository {
  constructor(@InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource) {}

  /** The message Zalo already accepted for this notification: never sent again. */
  async sent(notificationId: string): Promise<SentZalo | undefined> {
    const rows: { phone: string; template_id: string; msg_id: string }[] = await this.db.query(
      `SELECT phone, template_id, msg_id FROM notify.zalo_message WHERE notification_id = $1`,
      [notificationId],
    );
    const r = rows[0];
    return r ? { phone: r.phone, templateId: r.template_id, msgId: r.msg_id } : undefined;
  }

  /** Records Zalo's msg_id right after its answer, before the delivery job may finish. */
  async recordSent(notificationId: string, phone: string, templateId: string, msgId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO notify.zalo_message (notification_id, phone, template_id, msg_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT (notification_id) DO NOTHING`,
      [notificationId, phone, templateId, msgId],
    );
  }

  async tokens(em?: EntityManager): Promise<StoredZaloTokens | undefined> {
    const rows: {
      seed_sha256: string;
      access_token_enc: string;
      refresh_token_enc: string;
      access_expires_at: Date;
    }[] = await (em ?? this.db).query(
      `SELECT seed_sha256, access_token_enc, refresh_token_enc, access_expires_at FROM notify.zalo_token WHERE id = 1`,
    );
    const r = rows[0];
    return r
      ? {
          seedSha256: r.seed_sha256,
          accessTokenEnc: r.access_token_enc,
          refreshTokenEnc: r.refresh_token_enc,
          accessExpiresAt: new Date(r.access_expires_at),
        }
      : undefined;
  }

  async saveTokens(em: EntityManager, t: StoredZaloTokens): Promise<void> {
    await em.query(
      `INSERT INTO notify.zalo_token (id, seed_sha256, access_token_enc, refresh_token_enc, access_expires_at, refreshed_at)
       VALUES (1, $1, $2, $3, $4, now())
       ON CONFLICT (id) DO UPDATE SET seed_sha256 = $1, access_token_enc = $2, refresh_token_enc = $3,
         access_expires_at = $4, refreshed_at = now()`,
      [t.seedSha256, t.accessTokenEnc, t.refreshTokenEnc, t.accessExpiresAt.toISOString()],
    );
  }

  /**
   * Runs `work` holding the token lock (a transaction-scoped advisory lock): the refresh token is
   * single-use, so two processes must never both spend it.
   */
  withTokenLock<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('notify.zalo_token'))`);
      return work(em);
    });
  }
}
