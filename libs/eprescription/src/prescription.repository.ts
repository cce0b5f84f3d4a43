import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import type { PrescriptionType } from './eprescription.constants';
import { EPRESCRIPTION_CONTEXT } from './eprescription.database';

export type PrescriptionStatus = 'pending' | 'sending' | 'issued' | 'failed';

/** One national prescription: its code, the MedicationRequests (drugs) it carries, where it stands. */
export interface Prescription {
  readonly code: string;
  readonly type: PrescriptionType;
  readonly medicationRequests: readonly string[];
  readonly patient: string;
  readonly encounter?: string;
  /** `Practitioner/…` who prescribed; their role and facility as their token said. */
  readonly practitioner: string;
  readonly organization?: string;
  readonly authorRole: string;
  readonly authoredOn: string;
  readonly status: PrescriptionStatus;
  readonly attempts: number;
  readonly reasons?: readonly string[];
  readonly issuedAt?: string;
}

interface Row {
  code: string;
  type: PrescriptionType;
  medication_requests: string[];
  patient: string;
  encounter: string | null;
  practitioner: string;
  organization: string | null;
  author_role: string;
  authored_on: string;
  status: PrescriptionStatus;
  attempts: number;
  reasons: string[] | null;
  issued_at: Date | string | null;
}

const COLUMNS = `code, type, medication_requests, patient, encounter, practitioner, organization, author_role,
  authored_on, status, attempts, reasons, issued_at`;

function toPrescription(r: Row): Prescription {
  return {
    code: r.code,
    type: r.type,
    medicationRequests: r.medication_requests,
    patient: r.patient,
    ...(r.encounter ? { encounter: r.encounter } : {}),
    practitioner: r.practitioner,
    ...(r.organization ? { organization: r.organization } : {}),
    authorRole: r.author_role,
    authoredOn: r.authored_on,
    status: r.status,
    attempts: r.attempts,
    ...(r.reasons ? { reasons: r.reasons } : {}),
    ...(r.issued_at ? { issuedAt: new Date(r.issued_at).toISOString() } : {}),
  };
}

/** eprescription.prescription: the outbox of national prescriptions. */
@Injectable()
export class PrescriptionRepository {
  constructor(@InjectDataSource(EPRESCRIPTION_CONTEXT) private readonly db: DataSource) {}

  /** In the record's transaction (`em`): the code exists exactly when the drugs do. */
  async insert(em: EntityManager, p: Omit<Prescription, 'attempts' | 'issuedAt'>): Promise<void> {
    await em.query(
      `INSERT INTO eprescription.prescription
         (code, type, medication_requests, patient, encounter, practitioner, organization, author_role,
          authored_on, status, reasons)
       VALUES ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`,
      [
        p.code,
        p.type,
        p.medicationRequests,
        p.patient,
        p.encounter ?? null,
        p.practitioner,
        p.organization ?? null,
        p.authorRole,
        p.authoredOn,
        p.status,
        p.reasons ? JSON.stringify(p.reasons) : null,
      ],
    );
  }

  async find(code: string, em?: EntityManager, lock = false): Promise<Prescription | undefined> {
    const rows = rowsOf<Row>(
      await (em ?? this.db.manager).query(
        `SELECT ${COLUMNS} FROM eprescription.prescription WHERE code = $1${lock ? ' FOR UPDATE' : ''}`,
        [code],
      ),
    );
    return rows[0] ? toPrescription(rows[0]) : undefined;
  }

  /** The attempt about to be made, committed before anything is sent. */
  async markSending(code: string): Promise<number> {
    const rows = rowsOf<{ attempts: number }>(
      await this.db.query(
        `UPDATE eprescription.prescription SET status = 'sending', attempts = attempts + 1, updated_at = now()
          WHERE code = $1 AND status IN ('pending', 'sending') RETURNING attempts`,
        [code],
      ),
    );
    return rows[0]?.attempts ?? 0;
  }

  async markIssued(em: EntityManager, code: string): Promise<void> {
    await em.query(
      `UPDATE eprescription.prescription SET status = 'issued', reasons = NULL, issued_at = now(), updated_at = now()
        WHERE code = $1`,
      [code],
    );
  }

  async markFailed(code: string, reasons: readonly string[]): Promise<void> {
    await this.db.query(
      `UPDATE eprescription.prescription SET status = 'failed', reasons = $2::jsonb, updated_at = now()
        WHERE code = $1 AND status <> 'issued'`,
      [code, JSON.stringify(reasons)],
    );
  }

  /** The last transient failure, kept while the job retries (the status stays `sending`). */
  async noteRetry(code: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE eprescription.prescription SET reasons = $2::jsonb, updated_at = now() WHERE code = $1 AND status = 'sending'`,
      [code, JSON.stringify([reason])],
    );
  }

  async ofEncounter(encounter: string): Promise<Prescription[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT ${COLUMNS} FROM eprescription.prescription WHERE encounter = $1 ORDER BY created_at, code`,
        [encounter],
      ),
    );
    return rows.map(toPrescription);
  }
}
