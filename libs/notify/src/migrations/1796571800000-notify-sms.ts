import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS over SMPP (docs/notifications-sms.md). `sms_message` keeps each part's submit_sm_resp
 * message_id before the delivery job finishes: a part with a row is never submitted again (the
 * exactly-once rule), and a delivery receipt finds its part by message_id. `sms_opt_out` holds
 * the numbers that answered STOP or HUY. A delivery may now be `submitted` (accepted by the SMSC,
 * receipt awaited) or `refused` (never to be retried: an invalid number, an opt-out).
 */
export class NotifySms1796571800000 implements MigrationInterface {
  name = 'NotifySms1796571800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notify.sms_message (
      notification_id bigint NOT NULL REFERENCES notify.notification (id),
      part smallint NOT NULL CHECK (part >= 1),
      parts smallint NOT NULL CHECK (parts >= part),
      phone text NOT NULL,
      message_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('submitted', 'delivered', 'undeliverable', 'expired', 'rejected', 'deleted', 'unknown')),
      submitted_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      error text,
      PRIMARY KEY (notification_id, part)
    )`);
    await q.query(`CREATE INDEX sms_message_message_id ON notify.sms_message (message_id)`);
    await q.query(`CREATE TABLE notify.sms_opt_out (
      phone text PRIMARY KEY,
      keyword text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`ALTER TABLE notify.delivery DROP CONSTRAINT delivery_status_check`);
    await q.query(
      `ALTER TABLE notify.delivery ADD CONSTRAINT delivery_status_check CHECK (status IN ('pending', 'submitted', 'delivered', 'failed', 'refused'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE notify.delivery SET status = 'delivered' WHERE status = 'submitted'`);
    await q.query(`UPDATE notify.delivery SET status = 'failed' WHERE status = 'refused'`);
    await q.query(`ALTER TABLE notify.delivery DROP CONSTRAINT delivery_status_check`);
    await q.query(
      `ALTER TABLE notify.delivery ADD CONSTRAINT delivery_status_check CHECK (status IN ('pending', 'delivered', 'failed'))`,
    );
    await q.query(`DROP TABLE notify.sms_opt_out`);
    await q.query(`DROP TABLE notify.sms_message`);
  }
}
