import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The health_record schema (created by the migration runner) and the extensions its search needs:
 * unaccent and pg_trgm make Vietnamese string search accent- and tone-insensitive with an index.
 * Both exist in PostgreSQL's contrib and in PGlite's.
 */
export class HealthRecordInit1763830100000 implements MigrationInterface {
  name = 'HealthRecordInit1763830100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }

  async down(): Promise<void> {
    // Extensions are database-wide and may serve other schemas: left in place on purpose.
  }
}
