import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Weekly availability rules and their exceptions (closed periods, one-off extra hours). */
export class SchedulingAvailability1763830600000 implements MigrationInterface {
  name = 'SchedulingAvailability1763830600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE scheduling.availability_rule (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      schedule_id text NOT NULL,
      days_of_week smallint[] NOT NULL CHECK (cardinality(days_of_week) BETWEEN 1 AND 7 AND days_of_week <@ '{1,2,3,4,5,6,7}'),
      start_time time NOT NULL,
      end_time time NOT NULL CHECK (end_time > start_time),
      slot_minutes integer NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
      service_type text NOT NULL CHECK (service_type IN ('video', 'in-person')),
      valid_from date NOT NULL,
      valid_to date CHECK (valid_to IS NULL OR valid_to >= valid_from),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      ended_at timestamptz
    )`);
    await q.query(
      `CREATE INDEX availability_rule_schedule ON scheduling.availability_rule (schedule_id) WHERE ended_at IS NULL`,
    );
    await q.query(`CREATE TABLE scheduling.availability_exception (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      schedule_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('closed', 'extra')),
      during tstzrange NOT NULL CHECK (NOT isempty(during)),
      slot_minutes integer CHECK (slot_minutes BETWEEN 5 AND 240),
      service_type text CHECK (service_type IN ('video', 'in-person')),
      reason text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX availability_exception_schedule ON scheduling.availability_exception (schedule_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scheduling.availability_exception`);
    await q.query(`DROP TABLE scheduling.availability_rule`);
  }
}
