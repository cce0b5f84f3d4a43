import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, stableUuid } from '@mekong/common';
import type { News2AlertResponse } from '@mekong/contracts';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CARE_ZONE } from '../common/dates';
import { DutyRosterRepository } from '../roster/duty-roster.repository';
import { type News2Alert, News2AlertRepository } from './news2-alert.repository';
import { grantOnCallAccess } from './on-call-care-team';

/**
 * Routing, escalation and the roster's checks read Organizations and Practitioners under this
 * reason; the on-call doctors' CareTeams are written under it.
 */
const ALERTS = SystemReason.of(SYSTEM_REASONS.news2Alerts);

export const ESCALATION_QUEUE = 'care.news2-escalate';

interface EscalationJob {
  alertId: string;
}

/** What the NEWS2 observer hands over when a set alerts (docs/care.md § The alert). */
export interface RaisedAlert {
  patientId: string;
  /** The NEWS2 Observation's id. */
  observationId: string;
  /** `Organization/…` whose staff recorded the vitals. */
  facility?: string;
  /** The patient's responsible practitioners (GP, today's appointments), `Practitioner/…`. */
  responsible: string[];
  score?: number;
  response: News2AlertResponse;
  at: Date;
  /** The alert's text (score, time, what to do), vi and en. */
  text: { vi: string; en: string };
}

/** The alert of a NEWS2 Observation (one per Observation: a recomputation is the same alert). */
export function news2AlertId(observationId: string): string {
  return stableUuid(`news2-alert|${observationId}`);
}

const nameOf = (content: unknown): string | undefined => {
  const n = (content as { name?: { text?: string; family?: string; given?: string[] }[] | string } | null)
    ?.name;
  if (typeof n === 'string') return n;
  const first = n?.[0];
  if (!first) return undefined;
  return first.text ?? [first.family, ...(first.given ?? [])].filter(Boolean).join(' ');
};

/**
 * Every NEWS2 alert reaches someone on duty (issue 17 item 10, docs/care.md § Who is told): the
 * recording facility, the patient's responsible practitioners, and the practitioners the duty
 * roster has on call for the facility at that moment; when nobody is on call the facility is told
 * so in the alert itself and the referral hospital's clinic staff (Organization.partOf) are alerted.
 * The alert stays open until a practitioner acknowledges it; unacknowledged after
 * NEWS2_ESCALATE_MINUTES a durable job escalates it once. Each on-call practitioner it is routed or
 * escalated to is put in the patient's care for NEWS2_ONCALL_ACCESS_MINUTES (a CareTeam the server
 * writes, on-call-care-team.ts; docs/care.md § The on-call doctor's access).
 */
@Injectable()
export class News2AlertRoutingService implements OnModuleInit {
  private readonly logger = new Logger('News2Alerts');
  private readonly escalateMinutes: number;
  private readonly accessMinutes: number;

  constructor(
    private readonly store: FhirStore,
    private readonly notifications: NotificationService,
    private readonly jobs: JobQueue,
    private readonly roster: DutyRosterRepository,
    private readonly alerts: News2AlertRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.escalateMinutes = config.care.news2EscalateMinutes;
    this.accessMinutes = config.care.news2OnCallAccessMinutes;
  }

  onModuleInit(): void {
    this.jobs.work<EscalationJob>(ESCALATION_QUEUE, (d) => this.escalate(d.alertId));
  }

  /** The referral hospital of a facility: its Organization.partOf (none: the facility has none recorded). */
  async referralHospital(em: EntityManager, facility: string | undefined): Promise<string | undefined> {
    if (!facility?.startsWith('Organization/')) return undefined;
    const org = await this.store.current(em, 'Organization', facility.slice(13), ALERTS);
    const ref = (org?.content as { partOf?: { reference?: string } } | null | undefined)?.partOf?.reference;
    return ref?.startsWith('Organization/') ? ref : undefined;
  }

  private async displayOf(em: EntityManager, ref: string): Promise<string> {
    const [type, id] = ref.split('/') as [string, string];
    const v = await this.store.current(em, type, id, ALERTS);
    return (v && !v.deleted ? nameOf(v.content) : undefined) ?? ref;
  }

  /** Routes a new alert in the writing transaction `em` (called by the NEWS2 observer). */
  async raise(em: EntityManager, a: RaisedAlert): Promise<void> {
    const hospital = await this.referralHospital(em, a.facility);
    // On call for the recording facility (a hospital's rows cover its stations) at that moment.
    const onCall = a.facility ? await this.roster.onCall(em, a.facility, a.at) : [];
    const recipients = new Set<string>([...a.responsible, ...onCall]);
    if (a.facility) recipients.add(a.facility);
    let routing: { vi: string; en: string };
    if (onCall.length > 0) {
      const names = (await Promise.all(onCall.map((p) => this.displayOf(em, p)))).join(', ');
      routing = { vi: `Đã báo bác sĩ trực: ${names}.`, en: `On-call doctor alerted: ${names}.` };
    } else if (hospital) {
      recipients.add(hospital);
      const name = await this.displayOf(em, hospital);
      routing = {
        vi: `KHÔNG có bác sĩ trực cho cơ sở này lúc này: đã báo nhân viên ${name}.`,
        en: `NO doctor is on call for this facility now: the staff of ${name} have been alerted.`,
      };
    } else {
      routing = {
        vi: 'KHÔNG có bác sĩ trực và chưa ghi bệnh viện tuyến trên: gọi 115 hoặc liên hệ bệnh viện trực tiếp.',
        en: 'NO doctor is on call and no referral hospital is recorded: call 115 or contact a hospital directly.',
      };
    }
    if (onCall.length === 0)
      this.logger.warn(
        `NEWS2 alert for Patient/${a.patientId}: nobody on call for ${a.facility ?? 'no facility'}`,
      );
    const id = news2AlertId(a.observationId);
    const escalateAt = new Date(Date.now() + this.escalateMinutes * 60_000);
    const created = await this.alerts.insert(em, {
      id,
      patientId: a.patientId,
      observationId: a.observationId,
      ...(a.facility ? { facility: a.facility } : {}),
      ...(hospital ? { hospital } : {}),
      ...(a.score !== undefined ? { score: a.score } : {}),
      response: a.response,
      raisedAt: a.at.toISOString(),
      notified: [...recipients].sort(),
      onCall,
      escalateAt: escalateAt.toISOString(),
    });
    // The on-call doctors may read (and write) the patient's record while they handle the alert:
    // from the vitals' time until NEWS2_ONCALL_ACCESS_MINUTES after it reaches them. Routing the
    // same alert again changes nothing (one CareTeam per alert and doctor, left as it is).
    const now = new Date();
    for (const practitioner of onCall)
      await grantOnCallAccess(this.store, em, ALERTS, {
        alertId: id,
        patientId: a.patientId,
        observationId: a.observationId,
        practitioner,
        ...(a.facility ? { facility: a.facility } : {}),
        start: a.at < now ? a.at : now,
        end: new Date(Math.max(a.at.getTime(), now.getTime()) + this.accessMinutes * 60_000),
      });
    for (const recipient of [...recipients].sort()) {
      await this.notifications.notify(em, {
        dedupKey: `news2-alert:${a.observationId}:${recipient}`,
        topic: 'news2-alert',
        recipient,
        subject: `Patient/${a.patientId}`,
        about: `Observation/${a.observationId}`,
        title: 'Cảnh báo NEWS2 / NEWS2 alert',
        text: { vi: `${a.text.vi} ${routing.vi}`, en: `${a.text.en} ${routing.en}` },
        category: 'alert',
      });
    }
    // Once per alert: the job is durable (pg-boss, in this transaction) and escalates only an open one.
    if (created)
      await this.jobs.send(ESCALATION_QUEUE, { alertId: id } satisfies EscalationJob, {
        em,
        startAfter: escalateAt,
        key: `news2-escalate:${id}`,
      });
  }

  /**
   * An alert nobody acknowledged in time: the practitioners on call for the facility now, the
   * referral hospital's staff and the recording facility are alerted again, once (escalated_at
   * and the dedup keys; the job may run again after a crash).
   */
  async escalate(alertId: string): Promise<void> {
    await this.store.transaction(async (em) => {
      const alert = await this.alerts.get(alertId, em, true);
      if (!alert || alert.status !== 'open' || alert.escalatedAt) return;
      const now = new Date();
      const onCall = alert.facility ? await this.roster.onCall(em, alert.facility, now) : [];
      const to = [
        ...new Set([
          ...onCall,
          ...(alert.hospital ? [alert.hospital] : []),
          ...(alert.facility ? [alert.facility] : []),
        ]),
      ].sort();
      await this.alerts.markEscalated(em, alertId, to);
      // Whoever is on call now joins the patient's care, or — already in it — keeps it longer.
      for (const practitioner of onCall)
        await grantOnCallAccess(
          this.store,
          em,
          ALERTS,
          {
            alertId,
            patientId: alert.patientId,
            observationId: alert.observationId,
            practitioner,
            ...(alert.facility ? { facility: alert.facility } : {}),
            start: now,
            end: new Date(now.getTime() + this.accessMinutes * 60_000),
          },
          { extend: true },
        );
      const minutes = Math.round((now.getTime() - Date.parse(alert.raisedAt)) / 60_000);
      const time = DateTime.fromISO(alert.raisedAt).setZone(CARE_ZONE).toFormat('HH:mm dd/MM/yyyy');
      const score = alert.score !== undefined ? String(alert.score) : '?';
      for (const recipient of to)
        await this.notifications.notify(em, {
          dedupKey: `news2-escalation:${alertId}:${recipient}`,
          topic: 'news2-alert-escalation',
          recipient,
          subject: `Patient/${alert.patientId}`,
          about: `Observation/${alert.observationId}`,
          title: 'Cảnh báo NEWS2 CHƯA ĐƯỢC XÁC NHẬN / NEWS2 alert NOT ACKNOWLEDGED',
          text: {
            vi: `Cảnh báo NEWS2 = ${score} (đo lúc ${time}) chưa có bác sĩ xác nhận sau ${minutes} phút. Cần bác sĩ đánh giá ngay.`,
            en: `NEWS2 alert = ${score} (taken at ${time}) not acknowledged by a doctor after ${minutes} minutes. A doctor must assess now.`,
          },
          category: 'alert',
        });
      if (to.length === 0) this.logger.warn(`NEWS2 alert ${alertId} escalated to nobody`);
    });
  }

  get(id: string): Promise<News2Alert | undefined> {
    return this.alerts.get(id);
  }
}
