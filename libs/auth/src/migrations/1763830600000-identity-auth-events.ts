import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in and account security events, append-only like the record's audit trail. */
export class IdentityAuthEvents1763830600000 implements MigrationInterface {
  name = 'IdentityAuthEvents1763830600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "identity"."auth_event" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "recorded" timestamptz NOT NULL DEFAULT clock_timestamp(),
      "event" text NOT NULL,
      "outcome" text NOT NULL,
      "account_id" uuid,
      "username" text,
      "source_address" text,
      "detail" text,
      CONSTRAINT "PK_auth_event" PRIMARY KEY ("id")
    )`);
    await q.query(`CREATE INDEX "IDX_auth_event_recorded" ON "identity"."auth_event" ("recorded")`);
    await q.query(`CREATE FUNCTION "identity"."auth_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'auth_event is append-only'; END $$`);
    await q.query(`CREATE TRIGGER "TRG_auth_event_append_only" BEFORE UPDATE OR DELETE ON "identity"."auth_event"
      FOR EACH ROW EXECUTE FUNCTION "identity"."auth_event_append_only"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "identity"."auth_event"`);
    await q.query(`DROP FUNCTION "identity"."auth_event_append_only"()`);
  }
}
