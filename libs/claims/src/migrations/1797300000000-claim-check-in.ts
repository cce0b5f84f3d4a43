import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The check-in of each insured visit (XML0, sent to the BHXH gateway when the visit starts;
 * docs/claims-submission.md "Check-in"): one row per visit, keyed by the Encounter it will be
 * written as (the MA_LK), with the document sent, its SHA-256 and the gateway's last answer.
 */
export class ClaimCheckIn1797300000000 implements MigrationInterface {
  name = 'ClaimCheckIn1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE claims.check_in (
      encounter_id text PRIMARY KEY,
      organization text,
      patient text NOT NULL,
      started_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'accepted', 'rejected', 'invalid', 'failed', 'not-applicable')),
      attempts integer NOT NULL DEFAULT 0,
      facility_code text,
      document text,
      document_sha256 text CHECK (document_sha256 ~ '^[0-9a-f]{64}$'),
      last_error text,
      reasons jsonb,
      http_status integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX check_in_status ON claims.check_in (status)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE claims.check_in`);
  }
}
