import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account recovery (docs/access-control.md "Sessions and credentials"): a TOTP secret awaiting confirmation is kept apart from the
 * one in use (re-enrolment keeps the old factor until the new one is confirmed), the last accepted
 * TOTP time step (a code of that step or earlier is refused: no replay), and a flag that a reset
 * password must be changed before the account gets any API scope.
 */
export class IdentityAccountRecovery1765300000000 implements MigrationInterface {
  name = 'IdentityAccountRecovery1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."account" ADD "totp_pending_secret" text`);
    await q.query(`ALTER TABLE "identity"."account" ADD "totp_last_step" bigint`);
    await q.query(
      `ALTER TABLE "identity"."account" ADD "must_change_password" boolean NOT NULL DEFAULT false`,
    );
    // An enrolment never confirmed was a pending secret all along.
    await q.query(
      `UPDATE "identity"."account" SET "totp_pending_secret" = "totp_secret", "totp_secret" = NULL
        WHERE NOT "totp_enabled" AND "totp_secret" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE "identity"."account" SET "totp_secret" = "totp_pending_secret"
        WHERE NOT "totp_enabled" AND "totp_pending_secret" IS NOT NULL`,
    );
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "must_change_password"`);
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "totp_last_step"`);
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "totp_pending_secret"`);
  }
}
