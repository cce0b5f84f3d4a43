import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `notification.dedup_key` is unique: a reminder is recorded (and sent) once however often its
 * job runs. Deliveries keep every attempt's outcome per channel.
 */
export class NotifyInit1763830700000 implements MigrationInterface {
  name = 'NotifyInit1763830700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notify.notification (
      id bigserial PRIMARY KEY,
      dedup_key text NOT NULL UNIQUE,
      topic text NOT NULL,
      recipient text NOT NULL,
      subject text,
      about text,
      title text NOT NULL,
      body jsonb NOT NULL,
      communication_id text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX notification_recipient ON notify.notification (recipient, created_at DESC)`);
    await q.query(`CREATE TABLE notify.delivery (
      id bigserial PRIMARY KEY,
      notification_id bigint NOT NULL REFERENCES notify.notification (id),
      channel text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      delivered_at timestamptz,
      UNIQUE (notification_id, channel)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notify.delivery`);
    await q.query(`DROP TABLE notify.notification`);
  }
}
