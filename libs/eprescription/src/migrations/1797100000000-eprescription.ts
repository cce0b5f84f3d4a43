import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National e-prescriptions (docs/decisions/029-national-e-prescriptions.md): each doctor's
 * national-system sign-in (password encrypted, never in clear) and each prescription's code and
 * sending state (the outbox: the code is made and stored before anything is sent; it is the
 * idempotency key). The drugs themselves live in the record (MedicationRequest).
 */
export class Eprescription1797100000000 implements MigrationInterface {
  name = 'Eprescription1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE eprescription.credential (
      practitioner text PRIMARY KEY,
      facility_code text NOT NULL CHECK (facility_code ~ '^[0-9A-Za-z]{5}$'),
      facility_link_code text NOT NULL,
      doctor_link_code text NOT NULL,
      password_encrypted text NOT NULL CHECK (password_encrypted LIKE 'v1.%'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL
    )`);
    await q.query(`CREATE TABLE eprescription.prescription (
      code text PRIMARY KEY CHECK (length(code) = 14),
      type text NOT NULL CHECK (type IN ('c', 'n', 'h')),
      medication_requests text[] NOT NULL,
      patient text NOT NULL,
      encounter text,
      practitioner text NOT NULL,
      organization text,
      author_role text NOT NULL,
      authored_on text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'issued', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      reasons jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      issued_at timestamptz
    )`);
    await q.query(`CREATE INDEX prescription_encounter ON eprescription.prescription (encounter)`);
    await q.query(`CREATE INDEX prescription_practitioner ON eprescription.prescription (practitioner)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE eprescription.prescription`);
    await q.query(`DROP TABLE eprescription.credential`);
  }
}
