import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import type { News2Alert as News2AlertContract, News2AlertResponse, News2AlertView } from '@mekong/contracts';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { type News2Alert, News2AlertRepository } from './news2-alert.repository';

const ALERTS = SystemReason.of(SYSTEM_REASONS.news2Alerts);

/**
 * An alert as the API answers it (libs/contracts). care.news2_alert.response is text, a string to
 * the repository; only News2AlertRoutingService.raise writes it, from a News2AlertResponse.
 */
const answered = (a: News2Alert): News2AlertContract => ({
  ...a,
  response: a.response as News2AlertResponse,
});

/** A Patient's, Practitioner's or Organization's name as people read it. */
export function displayName(content: unknown): string | undefined {
  const n = (content as { name?: { text?: string; family?: string; given?: string[] }[] | string } | null)
    ?.name;
  if (typeof n === 'string') return n;
  const first = n?.[0];
  if (!first) return undefined;
  return first.text ?? ([first.family, ...(first.given ?? [])].filter(Boolean).join(' ') || undefined);
}

const notFound = (): DomainError =>
  new DomainError('CARE.ALERT_NOT_FOUND', 404, 'No such alert / Không có cảnh báo này');

/**
 * The NEWS2 alerts' inbox (docs/care.md § Acknowledgement): each caller sees the alerts that were
 * sent to them (a practitioner: to them; clinic staff: to their facility, or raised there);
 * a practitioner who was told acknowledges (who and when are recorded) and may override the
 * booking gate for the patient (who, when, why).
 */
@Injectable()
export class News2AlertsService {
  constructor(
    private readonly alerts: News2AlertRepository,
    private readonly store: FhirStore,
  ) {}

  private who(p: Principal): string[] {
    return [p.role === 'practitioner' ? p.fhirUser : undefined, p.organization].filter(
      (x): x is string => typeof x === 'string' && /^(Practitioner|Organization)\//.test(x),
    );
  }

  private concerns(a: News2Alert, p: Principal): boolean {
    const who = new Set(this.who(p));
    return [a.facility, ...a.notified, ...(a.escalatedTo ?? []), ...a.onCall].some((r) => r && who.has(r));
  }

  async list(p: Principal, openOnly: boolean): Promise<News2AlertView[]> {
    const who = this.who(p);
    if (who.length === 0) return [];
    const rows = await this.alerts.visibleTo(who, openOnly);
    return this.store.transaction(async (em) => {
      const names = new Map<string, string | undefined>();
      const nameOf = async (ref: string): Promise<string | undefined> => {
        if (!names.has(ref)) {
          const [type, id] = ref.split('/') as [string, string];
          const v = await this.store.current(em, type, id, ALERTS);
          names.set(ref, v && !v.deleted ? displayName(v.content) : undefined);
        }
        return names.get(ref);
      };
      const out: News2AlertView[] = [];
      for (const a of rows) {
        const name = await nameOf(`Patient/${a.patientId}`);
        const shown: Record<string, string> = {};
        for (const ref of [
          ...a.onCall,
          ...(a.escalatedTo ?? []),
          a.acknowledgedBy,
          a.override?.by,
          a.facility,
          a.hospital,
        ]) {
          if (!ref || !/^(Practitioner|Organization)\//.test(ref)) continue;
          const n = await nameOf(ref);
          if (n) shown[ref] = n;
        }
        out.push({ ...answered(a), patient: { id: a.patientId, ...(name ? { name } : {}) }, names: shown });
      }
      return out;
    });
  }

  /** The alert if it concerns the caller; a practitioner's, else 403 (clinic staff) or 404. */
  private async forClinician(id: string, p: Principal): Promise<News2Alert> {
    const a = await this.alerts.get(id);
    if (!a || !this.concerns(a, p)) throw notFound();
    if (p.role !== 'practitioner' || !p.fhirUser?.startsWith('Practitioner/'))
      throw new DomainError(
        'CARE.ALERT_DOCTOR_ONLY',
        403,
        'Only a doctor (practitioner account) acknowledges or overrides a NEWS2 alert / Chỉ bác sĩ mới được xác nhận hoặc cho phép vượt cảnh báo NEWS2',
      );
    return a;
  }

  async acknowledge(id: string, p: Principal): Promise<News2AlertContract> {
    const a = await this.forClinician(id, p);
    const done = await this.alerts.acknowledge(id, p.fhirUser as string, p.subject);
    if (!done)
      throw new DomainError(
        'CARE.ALERT_ALREADY_ACKNOWLEDGED',
        409,
        `Already acknowledged by ${a.acknowledgedBy ?? 'another doctor'} / Đã được ${a.acknowledgedBy ?? 'bác sĩ khác'} xác nhận`,
      );
    return answered(done);
  }

  async override(id: string, reason: string, p: Principal): Promise<News2AlertContract> {
    await this.forClinician(id, p);
    const done = await this.alerts.override(id, p.fhirUser as string, p.subject, reason.trim());
    if (!done) throw notFound();
    return answered(done);
  }
}
