import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The claims submission queue (docs/claims-submission.md): one row per finished visit
 * (`claims.claim`, keyed by the Encounter) and every submission ever made to the BHXH gateway
 * (`claims.submission`: the envelope sent, its SHA-256, the gateway's answer) — nothing overwritten.
 */
export class Claims1797200000000 implements MigrationInterface {
  name = 'Claims1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE claims.claim (
      encounter_id text PRIMARY KEY,
      ma_lk text,
      facility_code text,
      organization text,
      patient text,
      participants text[] NOT NULL DEFAULT '{}',
      finished_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'accepted', 'rejected', 'invalid', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      reasons jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX claim_organization ON claims.claim (organization, finished_at)`);
    await q.query(`CREATE INDEX claim_status ON claims.claim (status)`);
    await q.query(`CREATE TABLE claims.submission (
      id bigserial PRIMARY KEY,
      encounter_id text NOT NULL REFERENCES claims.claim (encounter_id),
      ma_lk text NOT NULL,
      attempt integer NOT NULL,
      envelope text NOT NULL,
      envelope_sha256 text NOT NULL CHECK (envelope_sha256 ~ '^[0-9a-f]{64}$'),
      sent_at timestamptz NOT NULL DEFAULT now(),
      outcome text NOT NULL DEFAULT 'sending'
        CHECK (outcome IN ('sending', 'accepted', 'rejected', 'transient', 'unknown')),
      http_status integer,
      response jsonb,
      answered_at timestamptz
    )`);
    await q.query(`CREATE INDEX submission_encounter ON claims.submission (encounter_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE claims.submission`);
    await q.query(`DROP TABLE claims.claim`);
  }
}
