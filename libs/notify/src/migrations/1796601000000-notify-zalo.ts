import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Zalo Notification Service (docs/notifications-zalo.md, ADR 027). `zalo_message` keeps, per
 * notification, the msg_id Zalo answered a send with, written before the delivery job ends: a job
 * run again finds the row and sends nothing. `zalo_token` is the one row of the OA's tokens: the
 * refresh token is single-use and rotates on every refresh, so the newest one must outlive the
 * process; both tokens are stored AES-256-GCM encrypted (key derived from ZALO_SECRET_KEY), never
 * in clear. `seed_sha256` tells whether ZALO_REFRESH_TOKEN was changed (re-authorised) since.
 */
export class NotifyZalo1796601000000 implements MigrationInterface {
  name = 'NotifyZalo1796601000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notify.zalo_message (
      notification_id bigint PRIMARY KEY REFERENCES notify.notification (id),
      phone text NOT NULL,
      template_id text NOT NULL,
      msg_id text NOT NULL,
      sent_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE notify.zalo_token (
      id smallint PRIMARY KEY CHECK (id = 1),
      seed_sha256 text NOT NULL,
      access_token_enc text NOT NULL,
      refresh_token_enc text NOT NULL,
      access_expires_at timestamptz NOT NULL,
      refreshed_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notify.zalo_token`);
    await q.query(`DROP TABLE notify.zalo_message`);
  }
}
