import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Break-glass grants (time-limited emergency access) and the audit trail. The audit table is
 * append-only in the database itself: a trigger refuses UPDATE, DELETE and TRUNCATE, so no API,
 * bug or administrator session of the application can rewrite it (ASVS 7.3.3).
 */
export class AccessAndAudit1763830400000 implements MigrationInterface {
  name = 'AccessAndAudit1763830400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "health_record"."break_glass" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "practitioner" text NOT NULL,
      "account" text NOT NULL,
      "patient_id" text NOT NULL,
      "reason" text NOT NULL,
      "started_at" timestamptz NOT NULL DEFAULT now(),
      "expires_at" timestamptz NOT NULL,
      CONSTRAINT "PK_break_glass" PRIMARY KEY ("id")
    )`);
    await q.query(
      `CREATE INDEX "IDX_break_glass_practitioner" ON "health_record"."break_glass" ("practitioner", "expires_at")`,
    );
    await q.query(`CREATE TABLE "health_record"."audit_event" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "recorded" timestamptz NOT NULL DEFAULT clock_timestamp(),
      "action" text NOT NULL,
      "subtype" text NOT NULL,
      "outcome" text NOT NULL,
      "agent" text NOT NULL,
      "agent_role" text NOT NULL,
      "agent_who" text,
      "patient_ids" text[] NOT NULL DEFAULT '{}',
      "entity" text,
      "source_address" text,
      "purpose" text,
      "detail" text,
      CONSTRAINT "PK_audit_event" PRIMARY KEY ("id")
    )`);
    await q.query(
      `CREATE INDEX "IDX_audit_event_patients" ON "health_record"."audit_event" USING gin ("patient_ids")`,
    );
    await q.query(
      `CREATE INDEX "IDX_audit_event_recorded" ON "health_record"."audit_event" ("recorded", "id")`,
    );
    await q.query(`CREATE FUNCTION "health_record"."audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`);
    await q.query(`CREATE TRIGGER "TRG_audit_event_append_only" BEFORE UPDATE OR DELETE ON "health_record"."audit_event"
      FOR EACH ROW EXECUTE FUNCTION "health_record"."audit_event_append_only"()`);
    await q.query(`CREATE TRIGGER "TRG_audit_event_no_truncate" BEFORE TRUNCATE ON "health_record"."audit_event"
      FOR EACH STATEMENT EXECUTE FUNCTION "health_record"."audit_event_append_only"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "health_record"."audit_event"`);
    await q.query(`DROP FUNCTION "health_record"."audit_event_append_only"()`);
    await q.query(`DROP TABLE "health_record"."break_glass"`);
  }
}
