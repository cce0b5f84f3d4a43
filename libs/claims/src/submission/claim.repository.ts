import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import { CLAIMS_CONTEXT } from '../claims.database';

export type ClaimStatus = 'queued' | 'sending' | 'accepted' | 'rejected' | 'invalid' | 'failed';
export type SubmissionOutcome = 'sending' | 'accepted' | 'rejected' | 'transient' | 'unknown';

/** A reason the claim was refused or cannot be made: a field (when known) and a message. */
export interface ClaimReason {
  readonly field?: string;
  readonly message: string;
}

export interface ClaimRow {
  readonly encounterId: string;
  readonly maLk?: string;
  readonly facilityCode?: string;
  readonly organization?: string;
  readonly patient?: string;
  readonly participants: readonly string[];
  readonly finishedAt: string;
  readonly status: ClaimStatus;
  readonly attempts: number;
  readonly lastError?: string;
  readonly reasons: readonly ClaimReason[];
  readonly updatedAt: string;
}

export interface SubmissionRow {
  readonly id: string;
  readonly attempt: number;
  readonly maLk: string;
  readonly envelopeSha256: string;
  readonly sentAt: string;
  readonly outcome: SubmissionOutcome;
  readonly httpStatus?: number;
  readonly response?: unknown;
  readonly answeredAt?: string;
}

interface Raw {
  encounter_id: string;
  ma_lk: string | null;
  facility_code: string | null;
  organization: string | null;
  patient: string | null;
  participants: string[] | null;
  finished_at: Date | string;
  status: ClaimStatus;
  attempts: number;
  last_error: string | null;
  reasons: ClaimReason[] | string | null;
  updated_at: Date | string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();
const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toClaim(r: Raw): ClaimRow {
  return {
    encounterId: r.encounter_id,
    ...(r.ma_lk ? { maLk: r.ma_lk } : {}),
    ...(r.facility_code ? { facilityCode: r.facility_code } : {}),
    ...(r.organization ? { organization: r.organization } : {}),
    ...(r.patient ? { patient: r.patient } : {}),
    participants: r.participants ?? [],
    finishedAt: iso(r.finished_at),
    status: r.status,
    attempts: r.attempts,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    reasons: json<ClaimReason[]>(r.reasons) ?? [],
    updatedAt: iso(r.updated_at),
  };
}

const COLUMNS = `encounter_id, ma_lk, facility_code, organization, patient, participants, finished_at, status,
  attempts, last_error, reasons, updated_at`;

/** claims.claim and claims.submission (docs/claims-submission.md). */
@Injectable()
export class ClaimRepository {
  constructor(@InjectDataSource(CLAIMS_CONTEXT) private readonly db: DataSource) {}

  private q(em?: EntityManager): { query: (sql: string, params?: unknown[]) => Promise<unknown> } {
    return em ?? this.db;
  }

  /**
   * A finished visit's claim, queued (inside the writer's transaction). A visit finished again after
   * its claim was invalid or failed is queued again; one already sent or being sent is left alone.
   * True when the claim is (now) queued.
   */
  async enqueue(
    em: EntityManager,
    c: {
      encounterId: string;
      organization?: string;
      patient?: string;
      participants: string[];
      finishedAt?: string;
    },
  ): Promise<boolean> {
    const rows = rowsOf(
      await em.query(
        `INSERT INTO claims.claim (encounter_id, organization, patient, participants, finished_at)
         VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()))
         ON CONFLICT (encounter_id) DO UPDATE
           SET status = 'queued', organization = EXCLUDED.organization, patient = EXCLUDED.patient,
               participants = EXCLUDED.participants, finished_at = EXCLUDED.finished_at, last_error = NULL, updated_at = now()
           WHERE claims.claim.status IN ('invalid', 'failed')
         RETURNING encounter_id`,
        [c.encounterId, c.organization ?? null, c.patient ?? null, c.participants, c.finishedAt ?? null],
      ),
    );
    return rows.length > 0;
  }

  async find(encounterId: string, em?: EntityManager): Promise<ClaimRow | undefined> {
    const rows = rowsOf(
      await this.q(em).query(`SELECT ${COLUMNS} FROM claims.claim WHERE encounter_id = $1`, [encounterId]),
    ) as Raw[];
    return rows[0] ? toClaim(rows[0]) : undefined;
  }

  /** Claims filtered by status and finish time; `who` narrows to a facility or a participant. */
  async list(f: {
    status?: ClaimStatus;
    from?: string;
    to?: string;
    organization?: string;
    participant?: string;
    limit: number;
  }): Promise<ClaimRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown): void => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.status) add('status = ?', f.status);
    if (f.from) add('finished_at >= ?', f.from);
    if (f.to) add('finished_at <= ?', f.to);
    if (f.organization) add('organization = ?', f.organization);
    if (f.participant) add('? = ANY (participants)', f.participant);
    params.push(f.limit);
    const rows = rowsOf(
      await this.db.query(
        `SELECT ${COLUMNS} FROM claims.claim ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY finished_at DESC, encounter_id LIMIT $${params.length}`,
        params,
      ),
    ) as Raw[];
    return rows.map(toClaim);
  }

  async submissions(encounterId: string): Promise<SubmissionRow[]> {
    const rows = rowsOf(
      await this.db.query(
        `SELECT id, attempt, ma_lk, envelope_sha256, sent_at, outcome, http_status, response, answered_at
         FROM claims.submission WHERE encounter_id = $1 ORDER BY id`,
        [encounterId],
      ),
    ) as {
      id: string | number;
      attempt: number;
      ma_lk: string;
      envelope_sha256: string;
      sent_at: Date | string;
      outcome: SubmissionOutcome;
      http_status: number | null;
      response: unknown;
      answered_at: Date | string | null;
    }[];
    return rows.map((r) => ({
      id: String(r.id),
      attempt: r.attempt,
      maLk: r.ma_lk,
      envelopeSha256: r.envelope_sha256,
      sentAt: iso(r.sent_at),
      outcome: r.outcome,
      ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
      ...(r.response !== null && r.response !== undefined ? { response: json(r.response as string) } : {}),
      ...(r.answered_at ? { answeredAt: iso(r.answered_at) } : {}),
    }));
  }

  /** Claims still queued because no gateway was configured when their job ran. */
  async waiting(reason: string): Promise<string[]> {
    const rows = rowsOf(
      await this.db.query(
        `SELECT encounter_id FROM claims.claim WHERE status = 'queued' AND last_error = $1`,
        [reason],
      ),
    ) as { encounter_id: string }[];
    return rows.map((r) => r.encounter_id);
  }

  /** Back to queued (a resend, or a transient failure awaiting its retry). */
  async requeue(encounterId: string, lastError?: string): Promise<void> {
    await this.db.query(
      `UPDATE claims.claim SET status = 'queued', last_error = $2, updated_at = now() WHERE encounter_id = $1`,
      [encounterId, lastError ?? null],
    );
  }

  /** Still queued, and why (no gateway configured). */
  async note(encounterId: string, lastError: string): Promise<void> {
    await this.db.query(
      `UPDATE claims.claim SET last_error = $2, updated_at = now() WHERE encounter_id = $1`,
      [encounterId, lastError],
    );
  }

  async settle(
    encounterId: string,
    status: Exclude<ClaimStatus, 'queued' | 'sending'>,
    reasons: readonly ClaimReason[],
    facts: { maLk?: string; facilityCode?: string; lastError?: string } = {},
  ): Promise<void> {
    await this.db.query(
      `UPDATE claims.claim SET status = $2, reasons = $3::jsonb, last_error = $4,
         ma_lk = COALESCE($5, ma_lk), facility_code = COALESCE($6, facility_code), updated_at = now()
       WHERE encounter_id = $1`,
      [
        encounterId,
        status,
        JSON.stringify(reasons),
        facts.lastError ?? null,
        facts.maLk ?? null,
        facts.facilityCode ?? null,
      ],
    );
  }

  /**
   * Before anything goes out: the attempt counted, the claim `sending`, an earlier submission still
   * `sending` (its answer was lost with the process) marked `unknown`, and the new submission
   * recorded with its envelope and SHA-256 — committed. Returns the submission's id and attempt.
   */
  async startSubmission(
    encounterId: string,
    c: { maLk: string; facilityCode: string; envelope: string },
  ): Promise<{ id: string; attempt: number }> {
    return this.db.transaction(async (em) => {
      const rows = rowsOf(
        await em.query(
          `UPDATE claims.claim SET status = 'sending', attempts = attempts + 1, ma_lk = $2, facility_code = $3,
             updated_at = now()
           WHERE encounter_id = $1 RETURNING attempts`,
          [encounterId, c.maLk, c.facilityCode],
        ),
      ) as { attempts: number }[];
      const attempt = rows[0]?.attempts ?? 1;
      await em.query(
        `UPDATE claims.submission SET outcome = 'unknown' WHERE encounter_id = $1 AND outcome = 'sending'`,
        [encounterId],
      );
      const sha = createHash('sha256').update(c.envelope, 'utf8').digest('hex');
      const ins = rowsOf(
        await em.query(
          `INSERT INTO claims.submission (encounter_id, ma_lk, attempt, envelope, envelope_sha256)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [encounterId, c.maLk, attempt, c.envelope, sha],
        ),
      ) as { id: string | number }[];
      return { id: String(ins[0]!.id), attempt };
    });
  }

  async answer(
    id: string,
    outcome: SubmissionOutcome,
    httpStatus: number | undefined,
    response: unknown,
  ): Promise<void> {
    await this.db.query(
      `UPDATE claims.submission SET outcome = $2, http_status = $3, response = $4::jsonb, answered_at = now() WHERE id = $1`,
      [id, outcome, httpStatus ?? null, JSON.stringify(response ?? null)],
    );
  }
}
