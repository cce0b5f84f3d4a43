import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The FHIR resource store: the current version of each resource, every version ever written
 * (lifelong: nothing is lost, a delete is a tombstone version), and one index table per search
 * parameter type, filled at write time from the official R4 SearchParameter expressions.
 */
export class ResourceStore1763830300000 implements MigrationInterface {
  name = 'ResourceStore1763830300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "health_record"."resource" (
      "resource_type" text NOT NULL,
      "id" text NOT NULL,
      "version_id" integer NOT NULL,
      "last_updated" timestamptz NOT NULL,
      "deleted" boolean NOT NULL DEFAULT false,
      "content" jsonb,
      "compartments" text[] NOT NULL DEFAULT '{}',
      CONSTRAINT "PK_resource" PRIMARY KEY ("resource_type", "id")
    )`);
    await q.query(
      `CREATE INDEX "IDX_resource_type_updated" ON "health_record"."resource" ("resource_type", "last_updated", "id")`,
    );
    await q.query(
      `CREATE INDEX "IDX_resource_compartments" ON "health_record"."resource" USING gin ("compartments")`,
    );
    await q.query(`CREATE TABLE "health_record"."resource_version" (
      "resource_type" text NOT NULL,
      "id" text NOT NULL,
      "version_id" integer NOT NULL,
      "last_updated" timestamptz NOT NULL,
      "deleted" boolean NOT NULL DEFAULT false,
      "content" jsonb,
      CONSTRAINT "PK_resource_version" PRIMARY KEY ("resource_type", "id", "version_id")
    )`);
    await q.query(
      `CREATE INDEX "IDX_resource_version_updated" ON "health_record"."resource_version" ("resource_type", "last_updated")`,
    );

    const owner = `"resource_type" text NOT NULL, "resource_id" text NOT NULL, "param" text NOT NULL`;
    await q.query(
      `CREATE TABLE "health_record"."idx_string" (${owner}, "value" text NOT NULL, "norm" text NOT NULL)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_string_norm" ON "health_record"."idx_string" ("resource_type", "param", "norm" text_pattern_ops)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_string_trgm" ON "health_record"."idx_string" USING gin ("norm" gin_trgm_ops)`,
    );
    await q.query(
      `CREATE TABLE "health_record"."idx_token" (${owner}, "system" text, "code" text, "text" text)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_token_code" ON "health_record"."idx_token" ("resource_type", "param", "code", "system")`,
    );
    // One Patient per citizen identity number: enforced by the database, so concurrent
    // conditional creates cannot both win (security-and-reliability.md 4.2 (b)).
    await q.query(`CREATE UNIQUE INDEX "UQ_patient_cccd" ON "health_record"."idx_token" ("code")
      WHERE "resource_type" = 'Patient' AND "param" = 'identifier' AND "system" = 'http://fhir.hl7.org.vn/core/sid/cccd'`);
    await q.query(
      `CREATE TABLE "health_record"."idx_reference" (${owner}, "target_type" text, "target_id" text, "reference" text NOT NULL)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_reference_target" ON "health_record"."idx_reference" ("resource_type", "param", "target_id", "target_type")`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_reference_inbound" ON "health_record"."idx_reference" ("target_type", "target_id")`,
    );
    await q.query(
      `CREATE TABLE "health_record"."idx_date" (${owner}, "low" timestamptz, "high" timestamptz)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_date" ON "health_record"."idx_date" ("resource_type", "param", "low", "high")`,
    );
    await q.query(`CREATE TABLE "health_record"."idx_number" (${owner}, "value" numeric NOT NULL)`);
    await q.query(
      `CREATE INDEX "IDX_idx_number" ON "health_record"."idx_number" ("resource_type", "param", "value")`,
    );
    await q.query(
      `CREATE TABLE "health_record"."idx_quantity" (${owner}, "value" numeric NOT NULL, "system" text, "code" text, "unit" text)`,
    );
    await q.query(
      `CREATE INDEX "IDX_idx_quantity" ON "health_record"."idx_quantity" ("resource_type", "param", "value")`,
    );
    await q.query(`CREATE TABLE "health_record"."idx_uri" (${owner}, "value" text NOT NULL)`);
    await q.query(
      `CREATE INDEX "IDX_idx_uri" ON "health_record"."idx_uri" ("resource_type", "param", "value")`,
    );
    for (const t of INDEX_TABLES) {
      await q.query(
        `CREATE INDEX "IDX_${t}_owner" ON "health_record"."${t}" ("resource_type", "resource_id")`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of INDEX_TABLES) await q.query(`DROP TABLE "health_record"."${t}"`);
    await q.query(`DROP TABLE "health_record"."resource_version"`);
    await q.query(`DROP TABLE "health_record"."resource"`);
  }
}

const INDEX_TABLES = [
  'idx_string',
  'idx_token',
  'idx_reference',
  'idx_date',
  'idx_number',
  'idx_quantity',
  'idx_uri',
];
