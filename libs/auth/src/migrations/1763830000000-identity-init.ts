import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentityInit1763830000000 implements MigrationInterface {
  name = 'IdentityInit1763830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "identity"."account" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "username" text NOT NULL,
      "password_hash" text NOT NULL,
      "role" text NOT NULL,
      "fhir_user" text,
      "organization" text,
      "active" boolean NOT NULL DEFAULT true,
      "password_changed_at" timestamptz NOT NULL DEFAULT now(),
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_account" PRIMARY KEY ("id"),
      CONSTRAINT "CHK_account_role" CHECK ("role" IN ('patient', 'practitioner', 'clinic-staff', 'admin'))
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_account_username" ON "identity"."account" (lower("username"))`);
    await q.query(`CREATE TABLE "identity"."oauth_client" (
      "client_id" text NOT NULL,
      "name" text NOT NULL,
      "secret_hash" text NOT NULL,
      "scope" text NOT NULL,
      "active" boolean NOT NULL DEFAULT true,
      "created_by" uuid,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_oauth_client" PRIMARY KEY ("client_id")
    )`);
    await q.query(`CREATE TABLE "identity"."refresh_token" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "token_hash" text NOT NULL,
      "family_id" uuid NOT NULL,
      "account_id" uuid NOT NULL,
      "scope" text NOT NULL,
      "expires_at" timestamptz NOT NULL,
      "revoked_at" timestamptz,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_refresh_token" PRIMARY KEY ("id"),
      CONSTRAINT "FK_refresh_token_account" FOREIGN KEY ("account_id")
        REFERENCES "identity"."account" ("id") ON DELETE CASCADE
    )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_refresh_token_hash" ON "identity"."refresh_token" ("token_hash")`);
    await q.query(`CREATE INDEX "IDX_refresh_token_family" ON "identity"."refresh_token" ("family_id")`);
    await q.query(`CREATE TABLE "identity"."signing_key" (
      "kid" text NOT NULL,
      "alg" text NOT NULL,
      "public_jwk" jsonb NOT NULL,
      "private_jwk" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "retired_at" timestamptz,
      CONSTRAINT "PK_signing_key" PRIMARY KEY ("kid")
    )`);
    await q.query(`CREATE TABLE "identity"."login_failure" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "username_key" text NOT NULL,
      "address" text NOT NULL,
      "at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "PK_login_failure" PRIMARY KEY ("id")
    )`);
    await q.query(
      `CREATE INDEX "IDX_login_failure_user" ON "identity"."login_failure" ("username_key", "at")`,
    );
    await q.query(`CREATE INDEX "IDX_login_failure_address" ON "identity"."login_failure" ("address", "at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "identity"."login_failure"`);
    await q.query(`DROP TABLE "identity"."signing_key"`);
    await q.query(`DROP TABLE "identity"."refresh_token"`);
    await q.query(`DROP TABLE "identity"."oauth_client"`);
    await q.query(`DROP TABLE "identity"."account"`);
  }
}
