import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who created each account (null: the system, or an account created before this migration), so an
 * operator can review patient accounts made by clinic staff (GET /auth/accounts/review).
 */
export class IdentityAccountCreator1765000000000 implements MigrationInterface {
  name = 'IdentityAccountCreator1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."account" ADD "created_by" uuid`);
    await q.query(
      `CREATE INDEX "IDX_account_fhir_user" ON "identity"."account" ("fhir_user") WHERE "fhir_user" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "identity"."IDX_account_fhir_user"`);
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "created_by"`);
  }
}
