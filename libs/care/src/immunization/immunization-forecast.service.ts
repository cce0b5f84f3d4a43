import { Injectable, type OnModuleInit } from '@nestjs/common';
import { stableUuid } from '@mekong/common';
import {
  type FhirResource,
  FhirStore,
  type RecordWrite,
  SearchService,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CARE_ZONE, vnDay } from '../common/dates';
import { ruleExtensions } from '../common/types';
import { CLOSED_STATUSES, type AntigenForecast } from './forecast';
import {
  currentContent,
  displayName,
  FORECAST_AGE_LIMIT_SOURCE,
  forecastFor,
  guardiansOf,
  immunizationsOf,
  type PatientForecast,
  patientIdOf,
  patientsOfImmunization,
  pregnancyRecordsOf,
  UNMATCHED_EXTENSION,
  vnToday,
} from './immunization-record';
import { isPregnancyRecord } from './pregnancy';
import { DATE_CRITERION, toImmunizationRecommendation } from './recommendation';

export const REMINDER_QUEUE = 'care.immunization-reminder';

/** The family is reminded this long before a dose is due (LOCAL POLICY). */
export const DUE_SOON_DAYS = 7;
/**
 * An overdue reminder is sent only within this many days of the dose becoming overdue (LOCAL
 * POLICY): a child registered years late is followed up by the station's due list
 * (GET /care/immunizations/due), not by a burst of old "overdue" messages.
 */
export const OVERDUE_REMINDER_DAYS = 30;
/** Reminders go out at this hour, Vietnam time (never in the night). */
export const REMINDER_HOUR = 8;

export type ReminderKind = 'due-soon' | 'overdue';

export interface ReminderJob {
  patientId: string;
  antigen: string;
  dose: number;
  kind: ReminderKind;
  /** The dates the job was planned for; a job whose dates have moved since does nothing. */
  due: string;
  overdue: string;
}

/** The one ImmunizationRecommendation of a patient: a stable id, so recomputation adds a version. */
export function recommendationId(patientId: string): string {
  return stableUuid(`immunization-recommendation:${patientId}`);
}

/** Dedup key of a reminder: a person receives each dose's due-soon and overdue reminder once, ever. */
export function reminderKey(
  j: Pick<ReminderJob, 'patientId' | 'antigen' | 'dose' | 'kind'>,
  recipient: string,
): string {
  return `immunization:Patient/${j.patientId}:${j.antigen}:${j.dose}:${j.kind}:${recipient}`;
}

const at = (isoDate: string): DateTime => vnDay(isoDate).set({ hour: REMINDER_HOUR });
const ddmmyyyy = (iso: string): { vi: string; en: string } => {
  const d = vnDay(iso);
  return { vi: d.toFormat('dd/MM/yyyy'), en: d.setLocale('en').toFormat('d LLL yyyy') };
};

/** The (antigen, dose, due, overdue) a stored recommendation planned reminders for. */
function plannedKeys(content: FhirResource | undefined): Set<string> {
  const keys = new Set<string>();
  const recs = (content?.recommendation ?? []) as {
    series?: string;
    doseNumberPositiveInt?: number;
    dateCriterion?: { code?: { coding?: { code?: string }[] }; value?: string }[];
  }[];
  for (const r of recs) {
    const date = (code: string): string | undefined =>
      r.dateCriterion?.find((c) => c.code?.coding?.some((x) => x.code === code))?.value;
    keys.add(
      `${r.series}:${r.doseNumberPositiveInt}:${date(DATE_CRITERION.due.code)}:${date(DATE_CRITERION.overdue.code)}`,
    );
  }
  return keys;
}

const open = (f: AntigenForecast): boolean => !CLOSED_STATUSES.has(f.status) && f.doseNumber !== undefined;

/**
 * Keeps every child's (and every pregnant woman's) vaccination forecast in the record and reminds
 * the family (a pregnant woman: herself).
 *
 * A RecordObserver on Immunization, Patient, and the Observations/Conditions that record a
 * pregnancy (pregnancy.ts): inside the writing transaction, the affected
 * children's forecasts are recomputed (schedule rules in forecast.ts) and written as ONE
 * ImmunizationRecommendation per child (stable id: each recomputation is a new version). For a
 * next dose whose dates are new, durable reminder jobs are enqueued in the same transaction
 * (7 days before due, and when overdue); each job recomputes the forecast when it runs and sends
 * nothing if the dose was recorded (or its dates moved) since; NotificationService's dedup key
 * makes each reminder reach a person once, ever.
 */
/** The server keeps each child's recommendations itself: audited under this reason. */
const FORECAST = SystemReason.of(SYSTEM_REASONS.immunizationForecast);

@Injectable()
export class ImmunizationForecastService implements OnModuleInit {
  constructor(
    private readonly store: FhirStore,
    private readonly search: SearchService,
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    this.store.observe({
      name: 'care.immunization-forecast',
      types: ['Immunization', 'Patient', 'Observation', 'Condition'],
      afterWrites: (em, writes) => this.afterWrites(em, writes),
    });
    this.jobs.work<ReminderJob>(REMINDER_QUEUE, (d) => this.remind(d));
  }

  private async afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void> {
    const patients = new Set<string>();
    for (const w of writes) {
      if (w.type === 'Patient') patients.add(w.id);
      else if (w.type === 'Observation' || w.type === 'Condition') {
        // Only pregnancy records, now or before this write (a vital sign is not read): the
        // patient it names now and the one it named before.
        if (!isPregnancyRecord(w.content) && !isPregnancyRecord(w.previous)) continue;
        for (const c of [w.content, w.previous]) {
          const p = patientIdOf((c?.subject as { reference?: string } | undefined)?.reference);
          if (p) patients.add(p);
        }
      } else {
        const now = patientIdOf((w.content?.patient as { reference?: string } | undefined)?.reference);
        if (now) patients.add(now);
        for (const p of await patientsOfImmunization(this.store, em, w.id, FORECAST)) patients.add(p);
      }
    }
    for (const p of [...patients].sort()) await this.recompute(em, p);
  }

  /**
   * The patient's forecast now, from the record as `em` sees it (undefined: out of scope);
   * `lock`: the Patient row stays locked for `em`'s transaction.
   */
  async current(
    em: EntityManager,
    patientId: string,
    today = vnToday(),
    lock = false,
  ): Promise<PatientForecast | undefined> {
    const patient = await currentContent(this.store, em, 'Patient', patientId, FORECAST, lock);
    if (!patient || typeof patient.birthDate !== 'string') return undefined;
    const imms = (await immunizationsOf(this.search, em, [patientId], FORECAST)).get(patientId) ?? [];
    const pregnancy = (await pregnancyRecordsOf(this.search, em, [patientId], FORECAST)).get(patientId) ?? [];
    return forecastFor(patientId, patient, imms, today, pregnancy);
  }

  /** Recomputes and stores the patient's recommendation; plans reminders for new next doses. */
  async recompute(em: EntityManager, patientId: string): Promise<void> {
    const id = recommendationId(patientId);
    // One recomputation per child at a time (PostgreSQL): concurrent writes for the same child
    // queue on the Patient row (locked by `current`), and each then reads what the other committed.
    const pf = await this.current(em, patientId, vnToday(), true);
    const previous = await currentContent(this.store, em, 'ImmunizationRecommendation', id, FORECAST);
    if (!pf) {
      // Out of scope now (no birthDate, aged out, deleted): no stale recommendation stays current.
      if (previous) await this.store.delete(em, 'ImmunizationRecommendation', id, FORECAST);
      return;
    }
    const resource = toImmunizationRecommendation(`Patient/${patientId}`, pf.result);
    const body = {
      ...resource,
      id,
      extension: [
        ...resource.extension,
        ...ruleExtensions({ rule: 'care.immunization.scope', source: FORECAST_AGE_LIMIT_SOURCE }),
        ...pf.notCounted.map((n) => ({ url: UNMATCHED_EXTENSION, valueString: `${n.reference}: ${n.why}` })),
      ],
    };
    await this.store.update(em, 'ImmunizationRecommendation', id, body, { access: FORECAST });

    const planned = plannedKeys(previous);
    const now = DateTime.now();
    for (const f of pf.result.forecasts) {
      if (!open(f) || f.due === undefined || f.overdue === undefined) continue;
      if (planned.has(`${f.antigen}:${f.doseNumber}:${f.due}:${f.overdue}`)) continue;
      const job = (kind: ReminderKind): ReminderJob => ({
        patientId,
        antigen: f.antigen,
        dose: f.doseNumber as number,
        kind,
        due: f.due as string,
        overdue: f.overdue as string,
      });
      const overdueAt = at(f.overdue);
      const dueSoonAt = at(f.due).minus({ days: DUE_SOON_DAYS });
      if (now < overdueAt) {
        const when = dueSoonAt > now ? dueSoonAt : now;
        await this.jobs.send(REMINDER_QUEUE, job('due-soon'), { em, startAfter: when.toJSDate() });
      }
      if (now < overdueAt.plus({ days: OVERDUE_REMINDER_DAYS })) {
        const when = overdueAt > now ? overdueAt : now;
        await this.jobs.send(REMINDER_QUEUE, job('overdue'), { em, startAfter: when.toJSDate() });
      }
    }
  }

  /** A reminder job: sent only if that dose is still the next one, with the same dates, and still fits its kind. */
  async remind(d: ReminderJob): Promise<void> {
    await this.store.transaction(async (em) => {
      const today = vnToday();
      const pf = await this.current(em, d.patientId, today);
      const f = pf?.result.forecasts.find((x) => x.antigen === d.antigen);
      if (!pf || !f || !open(f) || f.doseNumber !== d.dose || f.due !== d.due || f.overdue !== d.overdue)
        return; // recorded since, dates moved (a new job exists), or no longer applicable
      const nowVn = DateTime.now().setZone(CARE_ZONE);
      if (d.kind === 'due-soon' && f.status === 'overdue') return; // the overdue reminder takes over
      if (
        d.kind === 'overdue' &&
        (f.status !== 'overdue' || nowVn >= at(d.overdue).plus({ days: OVERDUE_REMINDER_DAYS }))
      )
        return;
      // LOCAL POLICY: a pregnancy reminder goes to the woman only — her relatives in the record
      // (RelatedPerson) are not told of a pregnancy; a child's goes to its parents.
      const pregnant = f.population === 'pregnant-women';
      const guardians = pregnant ? [] : await guardiansOf(this.search, em, d.patientId, FORECAST);
      const recipients = guardians.length > 0 ? guardians : [`Patient/${d.patientId}`];
      const name = displayName(pf.patient) || 'của bạn';
      const nameEn = displayName(pf.patient) || 'Your child';
      const due = ddmmyyyy(d.due);
      const vaccine = { vi: `${f.name.vi} (mũi ${d.dose})`, en: `${f.name.en} (dose ${d.dose})` };
      const hi = {
        vi: `Chào ${displayName(pf.patient) || 'bạn'}!`,
        en: `Hello ${displayName(pf.patient) || 'there'}!`,
      };
      const text = pregnant
        ? d.kind === 'overdue'
          ? {
              vi: `${hi.vi} Bạn đã quá hạn tiêm ${vaccine.vi}, hạn tiêm ngày ${due.vi}. Hãy đến trạm y tế để tiêm bù sớm nhất có thể, bảo vệ mẹ và bé khỏi uốn ván.`,
              en: `${hi.en} You are overdue for ${vaccine.en}, due on ${due.en}. Please come to the health station for it as soon as possible, to protect you and your baby from tetanus.`,
            }
          : f.status === 'upcoming'
            ? {
                vi: `${hi.vi} Sắp đến lịch tiêm ${vaccine.vi} của bạn vào ngày ${due.vi}. Hãy đến trạm y tế để tiêm đúng lịch.`,
                en: `${hi.en} You are due for ${vaccine.en} on ${due.en}. Please come to the health station on time.`,
              }
            : {
                vi: `${hi.vi} Đã đến lịch tiêm ${vaccine.vi} của bạn (từ ngày ${due.vi}). Hãy đến trạm y tế để tiêm.`,
                en: `${hi.en} You are due for ${vaccine.en} (since ${due.en}). Please come to the health station.`,
              }
        : d.kind === 'overdue'
          ? {
              vi: `Bé ${name} đã quá hạn tiêm ${vaccine.vi}, hạn tiêm ngày ${due.vi}. Hãy đưa bé đến trạm y tế để tiêm bù sớm nhất có thể.`,
              en: `${nameEn} is overdue for ${vaccine.en}, due on ${due.en}. Please bring the child to the health station for a catch-up dose as soon as possible.`,
            }
          : f.status === 'upcoming'
            ? {
                vi: `Bé ${name} sắp đến lịch tiêm ${vaccine.vi} vào ngày ${due.vi}. Hãy đưa bé đến trạm y tế để tiêm đúng lịch.`,
                en: `${nameEn} is due for ${vaccine.en} on ${due.en}. Please bring the child to the health station on time.`,
              }
            : {
                vi: `Bé ${name} đã đến lịch tiêm ${vaccine.vi} (từ ngày ${due.vi}). Hãy đưa bé đến trạm y tế để tiêm.`,
                en: `${nameEn} is due for ${vaccine.en} (since ${due.en}). Please bring the child to the health station.`,
              };
      for (const recipient of recipients) {
        await this.notifications.notify(em, {
          dedupKey: reminderKey(d, recipient),
          topic: 'immunization-reminder',
          recipient,
          subject: `Patient/${d.patientId}`,
          about: `ImmunizationRecommendation/${recommendationId(d.patientId)}`,
          title:
            d.kind === 'overdue'
              ? 'Quá hạn tiêm chủng / Vaccination overdue'
              : 'Nhắc lịch tiêm chủng / Vaccination reminder',
          text,
          category: 'reminder',
        });
      }
    });
  }
}
