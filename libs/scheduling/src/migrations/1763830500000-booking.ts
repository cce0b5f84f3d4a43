import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Booking state owned by scheduling. The rules that must hold under any concurrency live here as
 * constraints, so two scheduling processes sharing the database cannot both win:
 * - `slot_no_overlap`: a practitioner's active slots never overlap (exclusion constraint);
 * - `booking_no_overlap`: a practitioner has at most one live (held or booked) booking at any
 *   instant (exclusion constraint), and `booking_one_per_slot` one live booking per slot.
 * Rows are never deleted: a released booking keeps its history (who, when, why).
 */
export class SchedulingBooking1763830500000 implements MigrationInterface {
  name = 'SchedulingBooking1763830500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE scheduling.slot (
      slot_id text PRIMARY KEY,
      schedule_id text NOT NULL,
      practitioner_id text NOT NULL,
      during tstzrange NOT NULL CHECK (NOT isempty(during)),
      rule_id uuid,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT slot_no_overlap EXCLUDE USING gist (practitioner_id WITH =, during WITH &&) WHERE (active)
    )`);
    await q.query(`CREATE INDEX slot_schedule ON scheduling.slot (schedule_id, lower(during))`);
    await q.query(`CREATE INDEX slot_rule ON scheduling.slot (rule_id) WHERE rule_id IS NOT NULL`);
    await q.query(`CREATE TABLE scheduling.booking (
      id bigserial PRIMARY KEY,
      slot_id text NOT NULL REFERENCES scheduling.slot (slot_id),
      appointment_id text NOT NULL,
      practitioner_id text NOT NULL,
      patient_id text NOT NULL,
      during tstzrange NOT NULL,
      status text NOT NULL CHECK (status IN ('held', 'booked', 'released')),
      hold_expires_at timestamptz,
      booked_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      released_at timestamptz,
      release_reason text,
      CONSTRAINT booking_no_overlap EXCLUDE USING gist (practitioner_id WITH =, during WITH &&)
        WHERE (status <> 'released')
    )`);
    await q.query(
      `CREATE UNIQUE INDEX booking_one_per_slot ON scheduling.booking (slot_id) WHERE status <> 'released'`,
    );
    await q.query(`CREATE INDEX booking_appointment ON scheduling.booking (appointment_id)`);
    await q.query(`CREATE INDEX booking_held ON scheduling.booking (hold_expires_at) WHERE status = 'held'`);
    await q.query(`CREATE TABLE scheduling.idempotency (
      subject text NOT NULL,
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
      request_hash text NOT NULL,
      status integer NOT NULL,
      response jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (subject, key)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduling.idempotency`);
    await q.query(`DROP TABLE scheduling.booking`);
    await q.query(`DROP TABLE scheduling.slot`);
  }
}
