import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store-and-forward consultations (docs/decisions/025-store-and-forward-econsult.md): each case's
 * workflow state (specialty, priority, deadline, assignee, escalation, reply) and its resumable
 * uploads (bound to the case and the uploader). The clinical facts live in the record.
 */
export class Econsult1796600000000 implements MigrationInterface {
  name = 'Econsult1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE econsult.econsult_case (
      id uuid PRIMARY KEY,
      patient_id text NOT NULL,
      service_request_id text NOT NULL,
      task_id text NOT NULL,
      sender text NOT NULL,
      sender_account text NOT NULL,
      sender_org text NOT NULL,
      hospital text NOT NULL,
      specialty text NOT NULL,
      priority text NOT NULL CHECK (priority IN ('stat', 'asap', 'urgent', 'routine')),
      news2 integer,
      status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'assigned', 'completed')),
      assignee text,
      assigned_at timestamptz,
      due_at timestamptz NOT NULL,
      escalations integer NOT NULL DEFAULT 0,
      escalated_at timestamptz,
      reply_kind text,
      reply_communication text,
      answered_by text,
      answered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(
      `CREATE INDEX econsult_case_worklist ON econsult.econsult_case (hospital, specialty, status, created_at)`,
    );
    await q.query(
      `CREATE INDEX econsult_case_sender ON econsult.econsult_case (sender_org, created_at DESC)`,
    );
    await q.query(
      `CREATE INDEX econsult_case_patient ON econsult.econsult_case (patient_id, created_at DESC)`,
    );
    await q.query(`CREATE INDEX econsult_case_assignee ON econsult.econsult_case (assignee, status)`);
    await q.query(`CREATE TABLE econsult.econsult_upload (
      id text PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES econsult.econsult_case (id),
      uploader text NOT NULL,
      filename text NOT NULL,
      content_type text NOT NULL,
      size bigint NOT NULL,
      sha256 text NOT NULL,
      status text NOT NULL DEFAULT 'uploading' CHECK (status IN ('uploading', 'stored', 'rejected')),
      reason text,
      document_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
    await q.query(`CREATE INDEX econsult_upload_case ON econsult.econsult_upload (case_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE econsult.econsult_upload`);
    await q.query(`DROP TABLE econsult.econsult_case`);
  }
}
