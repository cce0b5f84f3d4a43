import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { StartupTasks } from '@mekong/common';
import { FhirStore, type RecordWrite } from '@mekong/health-record';
import { JobQueue } from '@mekong/notify';
import type { EntityManager } from 'typeorm';
import { ClaimSource } from '../claim-source';
import { ClaimRepository } from './claim.repository';
import { GatewayClient, TransientFailure } from './gateway-client';
import { ClaimsGatewayConfig } from './gateway-config';

export const CLAIM_QUEUE = 'claims.submit';

export interface ClaimJob {
  readonly encounterId: string;
}

export const NOT_CONFIGURED = 'gateway not configured (BHXH_GATEWAY_URL): the claim waits, unsent';

const validInstant = (period: unknown): string | undefined => {
  const end = (period as { end?: unknown } | undefined)?.end;
  return typeof end === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(end) && !Number.isNaN(Date.parse(end))
    ? end
    : undefined;
};

const ref = (r: unknown): string | undefined => (r as { reference?: string } | undefined)?.reference;

/**
 * The submission queue (docs/claims-submission.md). An Encounter becoming `finished` queues its
 * claim and a durable job in the writer's transaction. The job makes the claim from the record as
 * it is now (ClaimSource), records the submission (envelope, SHA-256) before sending, sends it to
 * the BHXH gateway and records the answer: accepted; rejected with the gateway's reasons (not
 * retried); invalid with the problems when the claim cannot be made (not sent); network error, 5xx
 * or timeout: retried with backoff, `failed` when the retries run out.
 */
@Injectable()
export class ClaimSubmission implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ClaimsSubmission');

  constructor(
    private readonly store: FhirStore,
    private readonly jobs: JobQueue,
    private readonly claims: ClaimRepository,
    private readonly source: ClaimSource,
    private readonly config: ClaimsGatewayConfig,
    private readonly startup: StartupTasks,
  ) {}

  /**
   * With a gateway configured, claims left waiting (queued while none was) get their job again,
   * once the job queue has started (its task is order 10). A claim whose job still waits is not
   * doubled (the job key).
   */
  onApplicationBootstrap(): void {
    if (!this.config.settings) return;
    this.startup.register({
      name: 'claims-waiting',
      order: 20,
      run: async () => {
        for (const id of await this.claims.waiting(NOT_CONFIGURED)) await this.enqueueJob(id);
      },
    });
  }

  onModuleInit(): void {
    this.store.observe({
      name: 'claims.submission',
      types: ['Encounter'],
      afterWrites: (em, writes) => this.afterWrites(em, writes),
    });
    const s = this.config.settings;
    // Registered even unconfigured: a job sent to a queue nobody works is dropped.
    this.jobs.work<ClaimJob>(CLAIM_QUEUE, (job) => this.send(job.encounterId), {
      retryLimit: s?.retryLimit ?? 12,
      retryDelay: s?.retryDelaySeconds ?? 30,
      retryBackoff: true,
      expireInSeconds: s?.expireSeconds ?? 120,
      retentionDays: 30,
    });
  }

  private async afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void> {
    for (const w of writes) {
      if (w.type !== 'Encounter' || w.content?.status !== 'finished' || w.previous?.status === 'finished')
        continue;
      const participants = ((w.content.participant ?? []) as { individual?: unknown }[])
        .map((p) => ref(p.individual))
        .filter((r): r is string => !!r);
      const queued = await this.claims.enqueue(em, {
        encounterId: w.id,
        ...(ref(w.content.serviceProvider) ? { organization: ref(w.content.serviceProvider) } : {}),
        ...(ref(w.content.subject) ? { patient: ref(w.content.subject) } : {}),
        participants,
        // When the visit ended (Encounter.period.end), else now: the correction window counts from it.
        ...(validInstant(w.content.period) ? { finishedAt: validInstant(w.content.period) } : {}),
      });
      if (queued) await this.enqueueJob(w.id, em);
    }
  }

  /** The job, keyed by the encounter (a second one while the first waits is a no-op). */
  enqueueJob(encounterId: string, em?: EntityManager): Promise<string | null> {
    return this.jobs.send(CLAIM_QUEUE, { encounterId } satisfies ClaimJob, {
      key: encounterId,
      ...(em ? { em } : {}),
    });
  }

  async send(encounterId: string): Promise<void> {
    const claim = await this.claims.find(encounterId);
    if (!claim || (claim.status !== 'queued' && claim.status !== 'sending')) return;
    const s = this.config.settings;
    if (!s) return this.claims.note(encounterId, NOT_CONFIGURED);
    const made = await this.source.claimOf(encounterId);
    if (!made.ok)
      return this.claims.settle(
        encounterId,
        'invalid',
        made.problems.map((p) => ({ field: p.field, message: p.message })),
        made.facilityCode ? { facilityCode: made.facilityCode } : {},
      );
    const { maLk, envelope } = made.claim;
    const sub = await this.claims.startSubmission(encounterId, {
      maLk,
      facilityCode: made.facilityCode,
      envelope,
    });
    try {
      const outcome = await new GatewayClient(s).submit(envelope, made.facilityCode);
      await this.claims.answer(sub.id, outcome.kind, outcome.httpStatus, outcome.answer);
      if (outcome.kind === 'accepted') return this.claims.settle(encounterId, 'accepted', []);
      this.logger.warn(`claim ${maLk} rejected by the gateway (${outcome.reasons.length} reasons)`);
      return this.claims.settle(
        encounterId,
        'rejected',
        outcome.reasons.map((message) => ({ message })),
      );
    } catch (err) {
      if (!(err instanceof TransientFailure)) throw err;
      await this.claims.answer(sub.id, 'transient', err.httpStatus, {
        error: err.message,
        answer: err.answer ?? null,
      });
      if (sub.attempt > s.retryLimit)
        return this.claims.settle(
          encounterId,
          'failed',
          [{ message: `no answer after ${sub.attempt} attempts` }],
          {
            lastError: err.message,
          },
        );
      await this.claims.requeue(encounterId, err.message);
      throw err;
    }
  }
}
