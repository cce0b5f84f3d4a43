import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who gets what, how (docs/notifications.md): a person's notification preferences (channels in
 * order, language, quiet hours, Zalo opt-in) and their opt-outs per channel and kind of message
 * (topic) — from a STOP/HUY reply or set through the API. A delivery may now wait for the end of
 * quiet hours, and knows the channel it falls back from.
 */
export class NotifyPreferences1796592000000 implements MigrationInterface {
  name = 'NotifyPreferences1796592000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notify.preference (
      person text PRIMARY KEY CHECK (person ~ '^(Patient|RelatedPerson|Practitioner)/[A-Za-z0-9.-]{1,64}$'),
      channels text[] NOT NULL,
      language text CHECK (language IN ('vi', 'en')),
      quiet_hours boolean NOT NULL DEFAULT true,
      zalo_opt_in boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    )`);
    await q.query(`CREATE TABLE notify.opt_out (
      person text NOT NULL,
      channel text NOT NULL,
      topic text NOT NULL,
      via text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (person, channel, topic)
    )`);
    await q.query(`ALTER TABLE notify.delivery ADD COLUMN fallback_from text`);
    await q.query(`ALTER TABLE notify.delivery ADD COLUMN not_before timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notify.delivery DROP COLUMN not_before`);
    await q.query(`ALTER TABLE notify.delivery DROP COLUMN fallback_from`);
    await q.query(`DROP TABLE notify.opt_out`);
    await q.query(`DROP TABLE notify.preference`);
  }
}
