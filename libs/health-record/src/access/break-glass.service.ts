import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource, type EntityManager } from 'typeorm';
import { auditInsertSql, type AuditRecord } from '../audit/audit-record';
import { SqlParams } from '../search/query-builder';
import { FhirError } from '../fhir-error';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import { FhirStore } from '../store/fhir-store.service';
import type { AccessContext } from './access-context';
import { BREAK_GLASS_NOTICE_SYSTEM, type BreakGlassAlerts } from './break-glass-alerts';
import { SYSTEM_REASONS, SystemReason } from './system-reason';

/** The server checks the patient exists and writes the patient's notice: audited under this reason. */
const BREAK_GLASS = SystemReason.of(SYSTEM_REASONS.breakGlass);

/** The error code of a refused opening past the practitioner's daily limit (429). */
export const BREAK_GLASS_RATE_LIMITED = 'BREAK_GLASS.RATE_LIMITED';

/** How long emergency access lasts. */
export const BREAK_GLASS_MINUTES = 60;

export interface BreakGlassGrant {
  readonly patient: string;
  readonly expiresAt: Date;
  readonly notification: string;
}

/**
 * Break-glass (HIPAA §164.312(a)(2)(ii) emergency access): a practitioner without a care
 * relationship opens a record by giving a reason. The grant is time-limited and read-only
 * (granting-writes.ts), at most BREAK_GLASS_MAX_PER_DAY per practitioner in any 24 hours; the
 * opening is an AuditEvent with purpose ETREAT, the patient is told through a Communication in their
 * record that only the server writes, and the practitioner's facility is alerted (the BreakGlassAlerts
 * extension point: `useAlerts`, registered by the notify context)
 * — all in one transaction, so there is no emergency access without its trace.
 */
@Injectable()
export class BreakGlassService {
  private readonly logger = new Logger(BreakGlassService.name);
  private readonly maxPerDay: number;

  constructor(
    @InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource,
    private readonly store: FhirStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxPerDay = config.breakGlass.maxPerDay;
  }

  private alerts?: BreakGlassAlerts;

  /** Registers who alerts a practitioner's facility of an opening (notify, at its module init). */
  useAlerts(alerts: BreakGlassAlerts): void {
    this.alerts = alerts;
  }

  async open(access: AccessContext, patientId: string, reason: string): Promise<BreakGlassGrant> {
    const p = access.principal;
    if (p.role !== 'practitioner' || !p.fhirUser?.startsWith('Practitioner/')) {
      throw new FhirError(
        403,
        'forbidden',
        'Only practitioners may use break-glass access / Chỉ bác sĩ được truy cập khẩn cấp',
      );
    }
    const why = reason.trim();
    if (why.length < 10 || why.length > 1000) {
      throw new FhirError(
        400,
        'required',
        'A reason of 10 to 1000 characters is required / Cần nêu lý do (10–1000 ký tự)',
        ['Parameters.parameter.reason'],
      );
    }
    const practitioner = p.fhirUser.slice('Practitioner/'.length);
    try {
      return await this.store.transaction(async (em) => {
        await this.store.read('Patient', patientId, BREAK_GLASS, em);
        await this.assertUnderLimit(em, practitioner);
        const rows: { id: string; expires_at: Date }[] = await em.query(
          `INSERT INTO health_record.break_glass (practitioner, account, patient_id, reason, expires_at)
           VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING id, expires_at`,
          [practitioner, p.subject, patientId, why, BREAK_GLASS_MINUTES],
        );
        const { id: grant, expires_at: expiresAt } = rows[0] as { id: string; expires_at: Date };
        // Written by the server (recorded-by `system`): the practitioner cannot change or delete it.
        const { version } = await this.store.create(
          em,
          'Communication',
          {
            resourceType: 'Communication',
            status: 'completed',
            category: [
              { coding: [{ system: BREAK_GLASS_NOTICE_SYSTEM, code: 'break-glass' }], text: 'break-glass' },
            ],
            priority: 'urgent',
            subject: { reference: `Patient/${patientId}` },
            recipient: [{ reference: `Patient/${patientId}` }],
            sender: { reference: `Practitioner/${practitioner}` },
            sent: new Date().toISOString(),
            payload: [
              {
                contentString:
                  `Bác sĩ đã mở hồ sơ của bạn trong tình huống khẩn cấp đến ${expiresAt.toISOString()}. Lý do: ${why}` +
                  ` / A doctor opened your record in an emergency until ${expiresAt.toISOString()}. Reason: ${why}`,
              },
            ],
          },
          { access: BREAK_GLASS },
        );
        await this.audit(em, {
          ...access.audit('E', 'break-glass', `Patient/${patientId}`, [patientId], '0', why),
          purpose: 'ETREAT',
        });
        const facilities = await this.facilitiesOf(em, practitioner, p.organization);
        if (!this.alerts || facilities.length === 0)
          this.logger.warn(`break-glass ${grant}: no facility to alert (the audit trail records it)`);
        await this.alerts?.opened(em, {
          grant,
          patient: patientId,
          practitioner: `Practitioner/${practitioner}`,
          facilities,
          reason: why,
          expiresAt,
        });
        return { patient: patientId, expiresAt, notification: `Communication/${version.id}` };
      });
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 429)
        await this.audit(this.db.manager, {
          ...access.audit('E', 'break-glass', `Patient/${patientId}`, [patientId], '4', 'rate-limited'),
          purpose: 'ETREAT',
        });
      throw err;
    }
  }

  /**
   * At most `maxPerDay` openings per practitioner in any 24 hours. Openings of one practitioner
   * queue on an advisory lock, so parallel requests cannot all pass the count.
   */
  private async assertUnderLimit(em: EntityManager, practitioner: string): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`break-glass:${practitioner}`]);
    const rows: { n: string | number; retry: string | number | null }[] = await em.query(
      `SELECT count(*) AS n,
              ceil(extract(epoch FROM min(started_at) + interval '24 hours' - now())) AS retry
         FROM health_record.break_glass WHERE practitioner = $1 AND started_at > now() - interval '24 hours'`,
      [practitioner],
    );
    const row = rows[0];
    if (!row || Number(row.n) < this.maxPerDay) return;
    const retry = Math.max(1, Number(row.retry ?? 1));
    throw Object.assign(
      FhirError.of(429, [
        {
          severity: 'error',
          code: 'throttled',
          details: { text: BREAK_GLASS_RATE_LIMITED },
          diagnostics: `At most ${this.maxPerDay} break-glass openings in 24 hours; try again in ${retry} s, or ask the patient's facility for access / Đã vượt số lần truy cập khẩn cấp cho phép trong 24 giờ, thử lại sau ${retry} giây`,
        },
      ]),
      { headers: { 'Retry-After': String(retry) } },
    );
  }

  /** The practitioner's facilities: the token's organization and their PractitionerRoles' organizations. */
  private async facilitiesOf(
    em: EntityManager,
    practitioner: string,
    organization: string | undefined,
  ): Promise<string[]> {
    const rows: { org: string }[] = await em.query(
      `SELECT DISTINCT 'Organization/' || o.target_id AS org FROM health_record.idx_reference r
         JOIN health_record.idx_reference o ON o.resource_type = 'PractitionerRole' AND o.resource_id = r.resource_id
           AND o.param = 'organization' AND o.target_type = 'Organization'
        WHERE r.resource_type = 'PractitionerRole' AND r.param = 'practitioner'
          AND r.target_type = 'Practitioner' AND r.target_id = $1
          AND NOT EXISTS (SELECT 1 FROM health_record.idx_token a WHERE a.resource_type = 'PractitionerRole'
            AND a.resource_id = r.resource_id AND a.param = 'active' AND a.code = 'false')`,
      [practitioner],
    );
    const all = new Set(rows.map((r) => r.org));
    if (organization?.startsWith('Organization/')) all.add(organization);
    return [...all].sort();
  }

  private async audit(em: EntityManager, record: AuditRecord): Promise<void> {
    const params = new SqlParams();
    await em.query(
      auditInsertSql(record, (v, c) => params.add(v, c)),
      params.values,
    );
  }
}
