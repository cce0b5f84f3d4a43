import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import { ECONSULT_CONTEXT } from './econsult.database';

export type CasePriority = 'stat' | 'asap' | 'urgent' | 'routine';
export type CaseStatus = 'requested' | 'assigned' | 'completed';
export type CaseTriage = 'emergency' | 'urgent' | 'routine';

/** One case's workflow state (econsult.econsult_case); the clinical facts are in the record. */
export interface EconsultCase {
  id: string;
  patientId: string;
  serviceRequestId: string;
  taskId: string;
  /** `Practitioner/…` who sent it, their account, and their facility. */
  sender: string;
  senderAccount: string;
  senderOrg: string;
  /** The receiving (referral) hospital, `Organization/…`. */
  hospital: string;
  /** The receiving specialty's code (SNOMED CT, as PractitionerRole.specialty). */
  specialty: string;
  priority: CasePriority;
  news2?: number;
  /** The patient's latest pre-visit triage level (last 24 h) when the case was sent. */
  triage?: CaseTriage;
  status: CaseStatus;
  assignee?: string;
  assignedAt?: string;
  dueAt: string;
  escalations: number;
  escalatedAt?: string;
  replyKind?: string;
  replyCommunication?: string;
  answeredBy?: string;
  answeredAt?: string;
  createdAt: string;
}

interface Row {
  id: string;
  patient_id: string;
  service_request_id: string;
  task_id: string;
  sender: string;
  sender_account: string;
  sender_org: string;
  hospital: string;
  specialty: string;
  priority: CasePriority;
  news2: number | null;
  triage: CaseTriage | null;
  status: CaseStatus;
  assignee: string | null;
  assigned_at: Date | null;
  due_at: Date;
  escalations: number;
  escalated_at: Date | null;
  reply_kind: string | null;
  reply_communication: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null): string | undefined => (d ? new Date(d).toISOString() : undefined);

const toCase = (r: Row): EconsultCase => {
  const c: EconsultCase = {
    id: r.id,
    patientId: r.patient_id,
    serviceRequestId: r.service_request_id,
    taskId: r.task_id,
    sender: r.sender,
    senderAccount: r.sender_account,
    senderOrg: r.sender_org,
    hospital: r.hospital,
    specialty: r.specialty,
    priority: r.priority,
    status: r.status,
    dueAt: new Date(r.due_at).toISOString(),
    escalations: Number(r.escalations),
    createdAt: new Date(r.created_at).toISOString(),
  };
  if (r.news2 !== null) c.news2 = Number(r.news2);
  if (r.triage) c.triage = r.triage;
  if (r.assignee) c.assignee = r.assignee;
  if (r.assigned_at) c.assignedAt = iso(r.assigned_at);
  if (r.escalated_at) c.escalatedAt = iso(r.escalated_at);
  if (r.reply_kind) c.replyKind = r.reply_kind;
  if (r.reply_communication) c.replyCommunication = r.reply_communication;
  if (r.answered_by) c.answeredBy = r.answered_by;
  if (r.answered_at) c.answeredAt = iso(r.answered_at);
  return c;
};

/**
 * The worklist's order (docs/econsult.md § Worklist): priority first (a NEWS2 alert or a triage
 * level raises it at creation), then the higher NEWS2 score, the higher triage level, the longest waiting.
 */
const WORKLIST_ORDER = `CASE priority WHEN 'stat' THEN 0 WHEN 'asap' THEN 1 WHEN 'urgent' THEN 2 ELSE 3 END,
  news2 DESC NULLS LAST,
  CASE triage WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 WHEN 'routine' THEN 2 ELSE 3 END,
  created_at, id`;

/** An upload's binding and outcome (econsult.econsult_upload). */
export interface CaseUpload {
  id: string;
  caseId: string;
  uploader: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  status: 'uploading' | 'stored' | 'rejected';
  reason?: string;
  documentId?: string;
  createdAt: string;
}

interface UploadRow {
  id: string;
  case_id: string;
  uploader: string;
  filename: string;
  content_type: string;
  size: string | number;
  sha256: string;
  status: CaseUpload['status'];
  reason: string | null;
  document_id: string | null;
  created_at: Date;
}

const toUpload = (r: UploadRow): CaseUpload => ({
  id: r.id,
  caseId: r.case_id,
  uploader: r.uploader,
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  status: r.status,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.document_id ? { documentId: r.document_id } : {}),
  createdAt: new Date(r.created_at).toISOString(),
});

/** The cases' and uploads' tables; writes take the caller's transaction (the record's, usually). */
@Injectable()
export class EconsultCaseRepository {
  constructor(@InjectDataSource(ECONSULT_CONTEXT) private readonly db: DataSource) {}

  async insert(
    em: EntityManager,
    c: Omit<EconsultCase, 'status' | 'escalations' | 'createdAt'>,
  ): Promise<void> {
    await em.query(
      `INSERT INTO econsult.econsult_case (id, patient_id, service_request_id, task_id, sender, sender_account,
         sender_org, hospital, specialty, priority, news2, triage, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        c.id,
        c.patientId,
        c.serviceRequestId,
        c.taskId,
        c.sender,
        c.senderAccount,
        c.senderOrg,
        c.hospital,
        c.specialty,
        c.priority,
        c.news2 ?? null,
        c.triage ?? null,
        c.dueAt,
      ],
    );
  }

  /** The case (locked until `em`'s transaction ends when `forUpdate`). */
  async get(id: string, em?: EntityManager, forUpdate = false): Promise<EconsultCase | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows = rowsOf<Row>(
      await (em ?? this.db.manager).query(
        `SELECT * FROM econsult.econsult_case WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      ),
    );
    return rows[0] ? toCase(rows[0]) : undefined;
  }

  /**
   * The worklist of a clinician: open unassigned cases of `queues` (hospital and specialty pairs
   * they are on duty for), and the cases assigned to `practitioner` (open first).
   */
  async worklist(practitioner: string | undefined, queues: readonly string[]): Promise<EconsultCase[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT * FROM econsult.econsult_case
          WHERE (status = 'requested' AND assignee IS NULL AND (hospital || ' ' || specialty) = ANY ($2::text[]))
             OR (assignee IS NOT NULL AND assignee = $1)
          ORDER BY status = 'completed', ${WORKLIST_ORDER} LIMIT 500`,
        [practitioner ?? null, queues],
      ),
    );
    return rows.map(toCase);
  }

  /** The cases a facility sent (newest first). */
  async sentBy(facility: string): Promise<EconsultCase[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT * FROM econsult.econsult_case WHERE sender_org = $1 ORDER BY created_at DESC, id LIMIT 500`,
        [facility],
      ),
    );
    return rows.map(toCase);
  }

  /** The cases about these patients (newest first). */
  async about(patients: readonly string[]): Promise<EconsultCase[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT * FROM econsult.econsult_case WHERE patient_id = ANY ($1::text[]) ORDER BY created_at DESC, id LIMIT 500`,
        [patients],
      ),
    );
    return rows.map(toCase);
  }

  async assign(em: EntityManager, id: string, practitioner: string): Promise<void> {
    await em.query(
      `UPDATE econsult.econsult_case SET assignee = $2, assigned_at = now(), status = 'assigned' WHERE id = $1`,
      [id, practitioner],
    );
  }

  async complete(
    em: EntityManager,
    id: string,
    by: string,
    kind: string,
    communication: string,
  ): Promise<void> {
    await em.query(
      `UPDATE econsult.econsult_case SET status = 'completed', answered_by = $2, answered_at = now(),
              reply_kind = $3, reply_communication = $4
        WHERE id = $1`,
      [id, by, kind, communication],
    );
  }

  /** Escalated to `to` (undefined: nobody found, left in the queue) with a new deadline. */
  async escalate(em: EntityManager, id: string, to: string | undefined, dueAt: Date): Promise<void> {
    await em.query(
      `UPDATE econsult.econsult_case SET escalations = escalations + 1, escalated_at = now(), due_at = $3,
              assignee = COALESCE($2, assignee), assigned_at = CASE WHEN $2::text IS NULL THEN assigned_at ELSE now() END,
              status = CASE WHEN $2::text IS NULL THEN status ELSE 'assigned' END
        WHERE id = $1`,
      [id, to ?? null, dueAt],
    );
  }

  async insertUpload(u: Omit<CaseUpload, 'status' | 'createdAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO econsult.econsult_upload (id, case_id, uploader, filename, content_type, size, sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [u.id, u.caseId, u.uploader, u.filename, u.contentType, u.size, u.sha256],
    );
  }

  async upload(id: string): Promise<CaseUpload | undefined> {
    const rows = rowsOf<UploadRow>(
      await this.db.query(`SELECT * FROM econsult.econsult_upload WHERE id = $1`, [id]),
    );
    return rows[0] ? toUpload(rows[0]) : undefined;
  }

  /** Ids of the uploads still unfinished that were created before `before`. */
  async unfinishedUploads(before: Date): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await this.db.query(
        `SELECT id FROM econsult.econsult_upload WHERE status = 'uploading' AND created_at < $1 ORDER BY created_at`,
        [before],
      ),
    );
    return rows.map((r) => r.id);
  }

  async uploadsOf(caseId: string): Promise<CaseUpload[]> {
    const rows = rowsOf<UploadRow>(
      await this.db.query(
        `SELECT * FROM econsult.econsult_upload WHERE case_id = $1 ORDER BY created_at, id`,
        [caseId],
      ),
    );
    return rows.map(toUpload);
  }

  async finishUpload(
    id: string,
    outcome:
      { status: 'stored'; documentId: string; em: EntityManager } | { status: 'rejected'; reason: string },
  ): Promise<void> {
    const em = outcome.status === 'stored' ? outcome.em : this.db.manager;
    await em.query(
      `UPDATE econsult.econsult_upload SET status = $2, reason = $3, document_id = $4, finished_at = now()
        WHERE id = $1`,
      [
        id,
        outcome.status,
        outcome.status === 'rejected' ? outcome.reason : null,
        outcome.status === 'stored' ? outcome.documentId : null,
      ],
    );
  }
}
