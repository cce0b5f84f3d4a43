import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Single-use, expiring appointment action links (confirm / cancel without signing in): hashes only. */
export class SchedulingActionLinks1765000000000 implements MigrationInterface {
  name = 'SchedulingActionLinks1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE scheduling.action_link (
      token_hash text PRIMARY KEY,
      appointment_id text NOT NULL,
      action text NOT NULL CHECK (action IN ('confirm', 'cancel')),
      expires_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      used_at timestamptz,
      used_for text CHECK (used_for IN ('confirm', 'cancel')),
      CHECK ((used_at IS NULL) = (used_for IS NULL))
    )`);
    await q.query(`CREATE INDEX action_link_appointment ON scheduling.action_link (appointment_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduling.action_link`);
  }
}
