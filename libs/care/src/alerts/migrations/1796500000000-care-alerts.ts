import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The duty roster (who is on call for which facilities when) and the NEWS2 alerts' workflow
 * (who was told, who acknowledged, escalation, booking overrides). docs/decisions/018-duty-roster.md.
 */
export class CareAlerts1796500000000 implements MigrationInterface {
  name = 'CareAlerts1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE care.duty_shift (
      id uuid PRIMARY KEY,
      facility text NOT NULL,
      practitioner text NOT NULL,
      covers text[] NOT NULL CHECK (cardinality(covers) > 0),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      note text,
      created_by text NOT NULL,
      updated_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    )`);
    await q.query(`CREATE INDEX duty_shift_time ON care.duty_shift (starts_at, ends_at)`);
    await q.query(`CREATE INDEX duty_shift_facility ON care.duty_shift (facility, starts_at)`);
    await q.query(`CREATE TABLE care.news2_alert (
      id uuid PRIMARY KEY,
      patient_id text NOT NULL,
      observation_id text NOT NULL,
      facility text,
      hospital text,
      score integer,
      response text NOT NULL,
      raised_at timestamptz NOT NULL,
      notified text[] NOT NULL,
      on_call text[] NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
      acknowledged_by text,
      acknowledged_account text,
      acknowledged_at timestamptz,
      escalate_at timestamptz NOT NULL,
      escalated_at timestamptz,
      escalated_to text[],
      override_by text,
      override_account text,
      override_at timestamptz,
      override_reason text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX news2_alert_patient ON care.news2_alert (patient_id, raised_at DESC)`);
    await q.query(`CREATE INDEX news2_alert_open ON care.news2_alert (status, raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE care.news2_alert`);
    await q.query(`DROP TABLE care.duty_shift`);
  }
}
