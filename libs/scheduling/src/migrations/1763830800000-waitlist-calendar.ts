import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Waitlist per practitioner or specialty, and token-protected iCalendar feeds. */
export class SchedulingWaitlistCalendar1763830800000 implements MigrationInterface {
  name = 'SchedulingWaitlistCalendar1763830800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE scheduling.waitlist (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      patient_id text NOT NULL,
      practitioner_id text,
      specialty text,
      service_type text CHECK (service_type IN ('video', 'in-person')),
      note text,
      status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'cancelled')),
      offered_appointment_id text,
      offered_at timestamptz,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (practitioner_id IS NOT NULL OR specialty IS NOT NULL)
    )`);
    await q.query(
      `CREATE INDEX waitlist_waiting ON scheduling.waitlist (created_at) WHERE status = 'waiting'`,
    );
    await q.query(
      `CREATE INDEX waitlist_offer ON scheduling.waitlist (offered_appointment_id) WHERE offered_appointment_id IS NOT NULL`,
    );
    await q.query(`CREATE TABLE scheduling.calendar_feed (
      token_hash text PRIMARY KEY,
      practitioner_id text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduling.calendar_feed`);
    await q.query(`DROP TABLE scheduling.waitlist`);
  }
}
