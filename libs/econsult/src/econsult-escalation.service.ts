import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FhirStore } from '@mekong/health-record';
import { JobQueue } from '@mekong/notify';
import { EconsultCaseRepository } from './econsult-case.repository';
import { EconsultDuty } from './econsult-duty';
import { EconsultNotices } from './econsult-notices';
import { ESCALATION_QUEUE, EconsultService, type EscalationJob } from './econsult.service';

/** LOCAL POLICY: a case escalates at most this many times; past it the station has been told each time. */
export const MAX_ESCALATIONS = 5;

/**
 * A case unanswered by its deadline (docs/econsult.md § Escalation): a durable job (pg-boss, enqueued
 * with the case and after each escalation, so it runs after a restart too) passes it to another of
 * the specialty's clinicians on duty — else any doctor on call at the hospital — with a new deadline,
 * and tells the station (the sender and their facility). Idempotent: a job whose round is stale, or
 * for an answered case, does nothing.
 */
@Injectable()
export class EconsultEscalationService implements OnModuleInit {
  constructor(
    private readonly cases: EconsultCaseRepository,
    private readonly duty: EconsultDuty,
    private readonly store: FhirStore,
    private readonly jobs: JobQueue,
    private readonly notices: EconsultNotices,
    private readonly econsult: EconsultService,
  ) {}

  onModuleInit(): void {
    this.jobs.work<EscalationJob>(ESCALATION_QUEUE, (d) => this.escalate(d.caseId, d.round));
  }

  async escalate(caseId: string, round: number): Promise<void> {
    await this.store.transaction(async (em) => {
      const c = await this.cases.get(caseId, em, true);
      if (!c || c.status === 'completed' || c.escalations !== round) return;
      const now = new Date();
      if (now.getTime() < Date.parse(c.dueAt)) return;
      const others = (list: string[]): string[] => list.filter((p) => p !== c.assignee);
      const to =
        others(await this.duty.onDuty(em, c.hospital, c.specialty, now))[0] ??
        others(await this.duty.onCall(em, c.hospital, now))[0];
      const dueAt = this.econsult.deadline(c.priority, now);
      await this.cases.escalate(em, c.id, to, dueAt);
      await this.econsult.updateTask(em, c, {
        ...(to ? { owner: { reference: to }, status: 'requested' } : {}),
        businessStatus: { text: 'escalated' },
        restriction: { period: { end: dueAt.toISOString() } },
      });
      const escalated = { ...c, escalations: c.escalations + 1 };
      await this.notices.send(em, escalated, to ? 'escalated' : 'not-answered', [c.sender, c.senderOrg]);
      if (to) await this.notices.send(em, escalated, 'escalated-to-you', [to]);
      if (escalated.escalations < MAX_ESCALATIONS)
        await this.jobs.send(
          ESCALATION_QUEUE,
          { caseId, round: escalated.escalations } satisfies EscalationJob,
          {
            em,
            startAfter: dueAt,
            key: `econsult-escalate:${caseId}:${escalated.escalations}`,
          },
        );
    });
  }
}
