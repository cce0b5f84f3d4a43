import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * System clients can be revoked (issue 16 §4): when and by whom. A revoked client gets no token
 * and its access tokens already issued are refused (`active` false, kept with the record of it).
 */
export class IdentityClientRevocation1765500000000 implements MigrationInterface {
  name = 'IdentityClientRevocation1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."oauth_client" ADD "revoked_at" timestamptz`);
    await q.query(`ALTER TABLE "identity"."oauth_client" ADD "revoked_by" uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."oauth_client" DROP COLUMN "revoked_by"`);
    await q.query(`ALTER TABLE "identity"."oauth_client" DROP COLUMN "revoked_at"`);
  }
}
