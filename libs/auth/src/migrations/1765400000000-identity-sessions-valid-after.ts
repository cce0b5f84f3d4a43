import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access tokens end with the sessions they belong to (issue 16 §4): an account's tokens issued
 * before `sessions_valid_after` (a password change or reset, a disablement) are refused at once,
 * not when they expire; a sign-out ends its own session's tokens through the refresh family (`sid`).
 */
export class IdentitySessionsValidAfter1765400000000 implements MigrationInterface {
  name = 'IdentitySessionsValidAfter1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."account" ADD "sessions_valid_after" timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "identity"."account" DROP COLUMN "sessions_valid_after"`);
  }
}
