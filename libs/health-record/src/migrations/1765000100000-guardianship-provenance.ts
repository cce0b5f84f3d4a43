import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who wrote a fact that grants access (issue 15 §6): the audit trail records the writer's facility
 * (`agent_org`), and writes are found by their entity, so a guardianship counts only when its
 * RelatedPerson's current version was written by someone entitled to create it. Rows written
 * before have no facility: a clinic-staff guardianship from then must be confirmed again by the
 * child's facility (docs/access-control.md "Guardians").
 */
export class GuardianshipProvenance1765000100000 implements MigrationInterface {
  name = 'GuardianshipProvenance1765000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "health_record"."audit_event" ADD "agent_org" text`);
    await q.query(
      `CREATE INDEX "IDX_audit_event_written_entity" ON "health_record"."audit_event" ("entity") WHERE "action" IN ('C', 'U')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "health_record"."IDX_audit_event_written_entity"`);
    await q.query(`ALTER TABLE "health_record"."audit_event" DROP COLUMN "agent_org"`);
  }
}
