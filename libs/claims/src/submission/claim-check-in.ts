import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { StartupTasks } from '@mekong/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import { JobQueue } from '@mekong/notify';
import type { DataSource } from 'typeorm';
import { CLAIMS_CONTEXT } from '../claims.database';
import { type CheckInRequest, ClaimSource } from '../claim-source';
import type { ClaimReason } from './claim.repository';
import { NOT_CONFIGURED } from './claim-submission';
import { GatewayClient, TransientFailure } from './gateway-client';
import { ClaimsGatewayConfig } from './gateway-config';

export const CHECK_IN_QUEUE = 'claims.check-in';

export type CheckInStatus =
  'queued' | 'sending' | 'accepted' | 'rejected' | 'invalid' | 'failed' | 'not-applicable';

/** A visit's check-in as kept (claims.check_in). */
export interface CheckInRow {
  readonly encounterId: string;
  readonly patient: string;
  readonly organization?: string;
  readonly startedAt: string;
  readonly status: CheckInStatus;
  readonly attempts: number;
  readonly facilityCode?: string;
  readonly documentSha256?: string;
  readonly lastError?: string;
  readonly reasons: readonly ClaimReason[];
  readonly httpStatus?: number;
  readonly response?: unknown;
  readonly updatedAt: string;
}

interface Raw {
  encounter_id: string;
  patient: string;
  organization: string | null;
  started_at: Date | string;
  status: CheckInStatus;
  attempts: number;
  facility_code: string | null;
  document: string | null;
  document_sha256: string | null;
  last_error: string | null;
  reasons: ClaimReason[] | string | null;
  http_status: number | null;
  response: unknown;
  updated_at: Date | string;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function toRow(r: Raw): CheckInRow {
  return {
    encounterId: r.encounter_id,
    patient: r.patient,
    ...(r.organization ? { organization: r.organization } : {}),
    startedAt: new Date(r.started_at).toISOString(),
    status: r.status,
    attempts: r.attempts,
    ...(r.facility_code ? { facilityCode: r.facility_code } : {}),
    ...(r.document_sha256 ? { documentSha256: r.document_sha256 } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
    reasons: json<ClaimReason[]>(r.reasons) ?? [],
    ...(r.http_status !== null ? { httpStatus: r.http_status } : {}),
    ...(r.response !== null && r.response !== undefined ? { response: json(r.response as string) } : {}),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/**
 * The check-in (XML0) of each insured visit, sent to the BHXH gateway when the visit starts — QĐ
 * 130/QĐ-BYT Điều 3 as amended by QĐ 4750: "right after the first cost" of the visit, which for a
 * video visit is the examination, begun when the doctor first admits the patient. Consultation
 * calls `visitStarted` then (its published API); the row and a durable job are committed together.
 * The job makes the document once from the record (ClaimSource.checkInOf: MA_LK = the Encounter
 * the visit will be written as, so it matches the claim), keeps it with its SHA-256, and sends
 * that same document on every attempt: accepted; rejected with the gateway's reasons (not
 * retried); invalid (what is missing; not sent); not-applicable (uninsured); 5xx, 429, timeout or
 * unreachable: retried with backoff, failed when the retries run out.
 */
@Injectable()
export class ClaimCheckIn implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ClaimsCheckIn');

  constructor(
    @InjectDataSource(CLAIMS_CONTEXT) private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly source: ClaimSource,
    private readonly config: ClaimsGatewayConfig,
    private readonly startup: StartupTasks,
  ) {}

  onModuleInit(): void {
    const s = this.config.settings;
    this.jobs.work<{ encounterId: string }>(CHECK_IN_QUEUE, (job) => this.send(job.encounterId), {
      retryLimit: s?.retryLimit ?? 12,
      retryDelay: s?.retryDelaySeconds ?? 30,
      retryBackoff: true,
      expireInSeconds: s?.expireSeconds ?? 120,
      retentionDays: 30,
    });
  }

  /** Check-ins left waiting for a gateway get their job again once one is configured. */
  onApplicationBootstrap(): void {
    if (!this.config.settings) return;
    this.startup.register({
      name: 'claims-check-ins-waiting',
      order: 20,
      run: async () => {
        const rows = rowsOf(
          await this.db.query(
            `SELECT encounter_id FROM claims.check_in WHERE status = 'queued' AND last_error = $1`,
            [NOT_CONFIGURED],
          ),
        ) as { encounter_id: string }[];
        for (const r of rows) await this.enqueueJob(r.encounter_id);
      },
    });
  }

  /**
   * Published API: a visit has started (its first charge). Idempotent per visit: a second call
   * (a rejoin, a second admission) neither adds a row nor a job.
   */
  async visitStarted(v: CheckInRequest): Promise<void> {
    await this.db.transaction(async (em) => {
      const rows = rowsOf(
        await em.query(
          `INSERT INTO claims.check_in (encounter_id, patient, organization, started_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT (encounter_id) DO NOTHING RETURNING encounter_id`,
          [v.encounterId, v.patient, v.organization ?? null, v.startedAt],
        ),
      );
      if (rows.length > 0)
        await this.jobs.send(CHECK_IN_QUEUE, { encounterId: v.encounterId }, { key: v.encounterId, em });
    });
  }

  private enqueueJob(encounterId: string): Promise<string | null> {
    return this.jobs.send(CHECK_IN_QUEUE, { encounterId }, { key: encounterId });
  }

  async find(encounterId: string): Promise<CheckInRow | undefined> {
    const rows = rowsOf(
      await this.db.query(`SELECT * FROM claims.check_in WHERE encounter_id = $1`, [encounterId]),
    ) as Raw[];
    return rows[0] ? toRow(rows[0]) : undefined;
  }

  private async update(encounterId: string, set: Record<string, unknown>): Promise<void> {
    const cols = Object.keys(set);
    await this.db.query(
      `UPDATE claims.check_in SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now()
       WHERE encounter_id = $1`,
      [encounterId, ...cols.map((c) => set[c])],
    );
  }

  async send(encounterId: string): Promise<void> {
    const rows = rowsOf(
      await this.db.query(`SELECT * FROM claims.check_in WHERE encounter_id = $1`, [encounterId]),
    ) as Raw[];
    const row = rows[0];
    if (!row || (row.status !== 'queued' && row.status !== 'sending')) return;
    const s = this.config.settings;
    if (!s) return this.update(encounterId, { last_error: NOT_CONFIGURED });
    let document = row.document;
    let facilityCode = row.facility_code;
    if (!document || !facilityCode) {
      const made = await this.source.checkInOf({
        encounterId,
        patient: row.patient,
        ...(row.organization ? { organization: row.organization } : {}),
        startedAt: new Date(row.started_at).toISOString(),
      });
      if (!made.ok)
        return this.update(encounterId, {
          status: 'invalid',
          reasons: JSON.stringify(made.problems.map((p) => ({ field: p.field, message: p.message }))),
          facility_code: made.facilityCode ?? null,
          last_error: null,
        });
      if (made.document === undefined)
        return this.update(encounterId, { status: 'not-applicable', last_error: made.reason });
      document = made.document;
      facilityCode = made.facilityCode;
      // Kept before it goes out: every attempt sends these same bytes.
      await this.update(encounterId, {
        document,
        document_sha256: createHash('sha256').update(document, 'utf8').digest('hex'),
        facility_code: facilityCode,
      });
    }
    const attempts = row.attempts + 1;
    await this.update(encounterId, { status: 'sending', attempts });
    try {
      const outcome = await new GatewayClient(s).checkIn(document, facilityCode);
      const answer = JSON.stringify(outcome.answer);
      if (outcome.kind === 'accepted')
        return this.update(encounterId, {
          status: 'accepted',
          http_status: outcome.httpStatus,
          response: answer,
          reasons: '[]',
          last_error: null,
        });
      this.logger.warn(`check-in ${encounterId} rejected by the gateway (${outcome.reasons.length} reasons)`);
      return this.update(encounterId, {
        status: 'rejected',
        http_status: outcome.httpStatus,
        response: answer,
        reasons: JSON.stringify(outcome.reasons.map((message) => ({ message }))),
      });
    } catch (err) {
      if (!(err instanceof TransientFailure)) throw err;
      const failed = attempts > s.retryLimit;
      await this.update(encounterId, {
        status: failed ? 'failed' : 'queued',
        last_error: err.message,
        http_status: err.httpStatus ?? null,
        response: JSON.stringify({ error: err.message, answer: err.answer ?? null }),
      });
      if (!failed) throw err;
    }
  }
}
