import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every delivery through a channel other than the in-app inbox is kept in the record as its own
 * Communication (partOf the notification's): to whom, through which channel, what was sent and its
 * delivery status. `communication_id` links the delivery to it.
 */
export class NotifyDeliveryCommunication1796591000000 implements MigrationInterface {
  name = 'NotifyDeliveryCommunication1796591000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notify.delivery ADD COLUMN communication_id text`);
    await q.query(`ALTER TABLE notify.delivery ADD COLUMN sent_text text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notify.delivery DROP COLUMN sent_text`);
    await q.query(`ALTER TABLE notify.delivery DROP COLUMN communication_id`);
  }
}
