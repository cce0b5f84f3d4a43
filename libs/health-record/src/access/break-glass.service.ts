import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { auditInsertSql } from '../audit/audit-record';
import { SqlParams } from '../search/query-builder';
import { FhirError } from '../fhir-error';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import { FhirStore } from '../store/fhir-store.service';
import type { AccessContext } from './access-context';

/** How long emergency access lasts. */
export const BREAK_GLASS_MINUTES = 60;

export interface BreakGlassGrant {
  readonly patient: string;
  readonly expiresAt: Date;
  readonly notification: string;
}

/**
 * Break-glass (HIPAA §164.312(a)(2)(ii) emergency access): a practitioner without a care
 * relationship opens a record by giving a reason. The grant is time-limited; the opening is an
 * AuditEvent with purpose ETREAT, and the patient is told through a Communication in their record —
 * all in one transaction, so there is no emergency access without its trace.
 */
@Injectable()
export class BreakGlassService {
  constructor(
    @InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource,
    private readonly store: FhirStore,
  ) {}

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
    return this.store.transaction(async (em) => {
      await this.store.read('Patient', patientId, em);
      const rows: { expires_at: Date }[] = await em.query(
        `INSERT INTO health_record.break_glass (practitioner, account, patient_id, reason, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING expires_at`,
        [practitioner, p.subject, patientId, why, BREAK_GLASS_MINUTES],
      );
      const expiresAt = (rows[0] as { expires_at: Date }).expires_at;
      const { version } = await this.store.create(em, 'Communication', {
        resourceType: 'Communication',
        status: 'completed',
        category: [{ text: 'break-glass' }],
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
      });
      const params = new SqlParams();
      const audit = {
        ...access.audit('E', 'break-glass', `Patient/${patientId}`, [patientId], '0', why),
        purpose: 'ETREAT',
      };
      await em.query(
        auditInsertSql(audit, (v, c) => params.add(v, c)),
        params.values,
      );
      return { patient: patientId, expiresAt, notification: `Communication/${version.id}` };
    });
  }
}
