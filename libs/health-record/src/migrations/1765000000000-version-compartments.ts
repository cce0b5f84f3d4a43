import type { MigrationInterface, QueryRunner } from 'typeorm';
import { compartmentsOf } from '../store/compartments';

const S = 'health_record';
const BATCH = 200;

interface VersionRow {
  resource_type: string;
  id: string;
  version_id: number;
  deleted: boolean;
  content: ({ resourceType: string } & Record<string, unknown>) | null;
}

/**
 * Every version carries the compartments it had, and a deletion keeps its patients (issue 15 §3–4):
 * - `resource_version.compartments`, filled for every stored version from its own content;
 * - a tombstone (current row and history row) gets its last live version's compartments — before,
 *   tombstones had none, which the rules read as directory data, so `_history` served every
 *   earlier version of a deleted result to everyone;
 * - Binary rows get those of their `securityContext`, Bundle rows those of the resources they hold
 *   (both had none, and were open to every caller).
 * Binary goes last: its compartments are read from the (already backfilled) resource it names.
 */
export class VersionCompartments1765000000000 implements MigrationInterface {
  name = 'VersionCompartments1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."resource_version" ADD "compartments" text[] NOT NULL DEFAULT '{}'`);
    await this.backfill(q, false);
    await this.backfill(q, true);
  }

  private async backfill(q: QueryRunner, binary: boolean): Promise<void> {
    const lookup = async (type: string, id: string): Promise<readonly string[]> => {
      const rows: { compartments: string[] }[] = await q.query(
        `SELECT compartments FROM ${S}.resource WHERE resource_type = $1 AND id = $2`,
        [type, id],
      );
      return rows[0]?.compartments ?? [];
    };
    let after: [string, string] = ['', ''];
    for (;;) {
      const keys: { resource_type: string; id: string }[] = await q.query(
        `SELECT resource_type, id FROM ${S}.resource
          WHERE (resource_type = 'Binary') = $3 AND (resource_type, id) > ($1, $2)
          ORDER BY resource_type, id LIMIT ${BATCH}`,
        [after[0], after[1], binary],
      );
      if (keys.length === 0) return;
      const last = keys[keys.length - 1] as { resource_type: string; id: string };
      after = [last.resource_type, last.id];
      const versions: VersionRow[] = await q.query(
        `SELECT v.resource_type, v.id, v.version_id, v.deleted, v.content FROM ${S}.resource_version v
           JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON v.resource_type = k.t AND v.id = k.i
          ORDER BY v.resource_type, v.id, v.version_id`,
        [keys.map((k) => k.resource_type), keys.map((k) => k.id)],
      );
      const types: string[] = [];
      const ids: string[] = [];
      const vids: number[] = [];
      const values: string[] = [];
      const latest = new Map<string, string[]>(); // Type/id → its newest version's compartments
      let live: string[] = [];
      let owner = '';
      for (const v of versions) {
        const key = `${v.resource_type}/${v.id}`;
        if (key !== owner) {
          owner = key;
          live = [];
        }
        if (!v.deleted && v.content) live = await compartmentsOf(v.content, lookup);
        types.push(v.resource_type);
        ids.push(v.id);
        vids.push(v.version_id);
        values.push(JSON.stringify(live));
        latest.set(key, live);
      }
      await q.query(
        `UPDATE ${S}.resource_version v SET compartments = ARRAY(SELECT jsonb_array_elements_text(u.c::jsonb))
           FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS u(t, i, n, c)
          WHERE v.resource_type = u.t AND v.id = u.i AND v.version_id = u.n`,
        [types, ids, vids, values],
      );
      const cur = [...latest.entries()].map(([k, c]) => [...k.split('/'), JSON.stringify(c)] as const);
      await q.query(
        `UPDATE ${S}.resource r SET compartments = ARRAY(SELECT jsonb_array_elements_text(u.c::jsonb))
           FROM unnest($1::text[], $2::text[], $3::text[]) AS u(t, i, c)
          WHERE r.resource_type = u.t AND r.id = u.i`,
        [cur.map((c) => c[0]), cur.map((c) => c[1]), cur.map((c) => c[2])],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "${S}"."resource_version" DROP COLUMN "compartments"`);
  }
}
