import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { StartupTasks } from '@mekong/common';
import {
  type FhirResource,
  FhirStore,
  type RecordWrite,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import type { EntityManager } from 'typeorm';
import { activeNews2Alert } from '../alerts/active-alert';
import { TRIAGE_QUESTIONNAIRE } from './triage';
import {
  isTriageResponse,
  TRIAGE_QUESTIONNAIRE_ID,
  triageAssessment,
  triageAssessmentId,
} from './triage-record';

/** JSON with sorted keys (jsonb does not keep the key order), for an order-insensitive comparison. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : typeof v === 'object' && v !== null
      ? `{${Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

const withoutMeta = (r: FhirResource | null | undefined): string =>
  r ? canonical({ ...r, meta: undefined }) : '';

/**
 * Pre-visit triage in the record: publishes the triage Questionnaire at startup (fixed id, after
 * the migrations) and, inside the transaction that writes a QuestionnaireResponse to it, stores
 * the computed urgency as a RiskAssessment (one per response, updated with each new version).
 */
/** Triage assessments and their Questionnaire are the server's own writes: audited under this reason. */
const TRIAGE = SystemReason.of(SYSTEM_REASONS.triage);

@Injectable()
export class TriageRecordService implements OnModuleInit {
  private readonly logger = new Logger('TriageRecord');

  constructor(
    private readonly store: FhirStore,
    private readonly startup: StartupTasks,
  ) {}

  onModuleInit(): void {
    this.startup.register({
      name: 'care:triage-questionnaire',
      order: 20,
      run: () => this.publishQuestionnaire(),
    });
    this.store.observe({
      name: 'care:triage',
      types: ['QuestionnaireResponse'],
      afterWrites: (em, writes) => this.afterWrites(em, writes),
    });
  }

  /** Creates or updates Questionnaire/mekong-previsit-triage; no new version when unchanged. */
  async publishQuestionnaire(): Promise<void> {
    const body = TRIAGE_QUESTIONNAIRE as unknown as FhirResource;
    await this.store.transaction(async (em) => {
      const current = await this.store.current(em, 'Questionnaire', TRIAGE_QUESTIONNAIRE_ID, TRIAGE, {
        forUpdate: true,
      });
      if (current && !current.deleted && withoutMeta(current.content) === withoutMeta(body)) return;
      await this.store.update(em, 'Questionnaire', TRIAGE_QUESTIONNAIRE_ID, body, { access: TRIAGE });
      this.logger.log(`Questionnaire/${TRIAGE_QUESTIONNAIRE_ID} ${TRIAGE_QUESTIONNAIRE.version} published`);
    });
  }

  private async afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void> {
    // The last write of each response in this transaction decides.
    const last = new Map<string, RecordWrite>();
    for (const w of writes) last.set(w.id, w);
    for (const w of last.values()) await this.assess(em, w);
  }

  private async assess(em: EntityManager, w: RecordWrite): Promise<void> {
    const id = triageAssessmentId(w.id);
    const previous = await this.store.current(em, 'RiskAssessment', id, TRIAGE, { forUpdate: true });
    const live = previous && !previous.deleted ? (previous.content as FhirResource) : undefined;
    const withdrawn =
      w.content === null || w.content.status === 'entered-in-error' || w.content.status === 'stopped';
    if (withdrawn || !isTriageResponse(w.content as { questionnaire?: unknown })) {
      // A deleted or withdrawn response (or one re-pointed to another Questionnaire) no longer triages.
      if (live && live.status !== 'entered-in-error')
        await this.store.update(
          em,
          'RiskAssessment',
          id,
          { ...live, status: 'entered-in-error' },
          { access: TRIAGE },
        );
      return;
    }
    // An active NEWS2 alert from staff-recorded vitals makes the triage at least urgent.
    const subject = (w.content.subject as { reference?: string } | undefined)?.reference;
    const alert = subject?.startsWith('Patient/')
      ? await activeNews2Alert(this.store, em, subject.slice('Patient/'.length), TRIAGE)
      : undefined;
    const assessment = triageAssessment(
      { ...(w.content as FhirResource), id: w.id },
      { now: new Date(), ...(live ? { previous: live } : {}), ...(alert ? { activeAlert: alert } : {}) },
    );
    if (!assessment) return;
    await this.store.update(em, 'RiskAssessment', id, assessment, { access: TRIAGE });
  }
}
