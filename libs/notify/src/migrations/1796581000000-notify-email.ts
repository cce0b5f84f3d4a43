import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email over SMTP (docs/notifications-email.md). `email_message` keeps, per notification, the
 * Message-ID of the email an SMTP server accepted, written as soon as it answered 250 to the
 * message: a delivery job run again finds the row and sends nothing (ADR 023 says which window is
 * left).
 */
export class NotifyEmail1796581000000 implements MigrationInterface {
  name = 'NotifyEmail1796581000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notify.email_message (
      notification_id bigint PRIMARY KEY REFERENCES notify.notification (id),
      address text NOT NULL,
      message_id text NOT NULL,
      response text,
      accepted_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notify.email_message`);
  }
}
