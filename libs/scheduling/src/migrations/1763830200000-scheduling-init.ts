import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The scheduling schema (created by the migration runner) and btree_gist, which lets one
 * exclusion constraint combine "same practitioner" (=) with "overlapping time" (&&) so the
 * database itself refuses a double booking. Present in PostgreSQL's contrib and PGlite's.
 */
export class SchedulingInit1763830200000 implements MigrationInterface {
  name = 'SchedulingInit1763830200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
  }

  async down(): Promise<void> {
    // Extensions are database-wide and may serve other schemas: left in place on purpose.
  }
}
