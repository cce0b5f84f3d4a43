import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP second factor for accounts, and the patient context a refresh token carries (guardians). */
export class IdentityMfaAndContext1763830500000 implements MigrationInterface {
  name = 'IdentityMfaAndContext1763830500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."account" ADD "totp_secret" text`);
    await q.query(`ALTER TABLE "identity"."account" ADD "totp_enabled" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "identity"."refresh_token" ADD "patient" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."refresh_token" DROP COLUMN "patient"`);
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "totp_enabled"`);
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "totp_secret"`);
  }
}
