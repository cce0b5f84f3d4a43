import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A case keeps the patient's latest pre-visit triage level (care's RiskAssessment) for the worklist's order. */
export class EconsultTriage1796600100000 implements MigrationInterface {
  name = 'EconsultTriage1796600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE econsult.econsult_case ADD COLUMN triage text CHECK (triage IN ('emergency', 'urgent', 'routine'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE econsult.econsult_case DROP COLUMN triage`);
  }
}
