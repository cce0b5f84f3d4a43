import type { MigrationInterface, QueryRunner } from 'typeorm';
import { extractIndex, patientCompartmentOf } from '@mekong/fhir';
import { type CompartmentLookup, compartmentsOf, GATHERING_TYPES } from '../store/compartments';

const S = 'health_record';
const BATCH = 200;

type Content = { resourceType: string; id?: string } & Record<string, unknown>;
type Compute = (content: Content, lookup: CompartmentLookup) => Promise<string[]>;

/** The rules before this migration (for down): compartment parameters; Binary and Bundle as now. */
async function previousRules(content: Content, lookup: CompartmentLookup, depth = 0): Promise<string[]> {
  if (content.resourceType === 'Binary') return compartmentsOf(content, lookup);
  if (content.resourceType === 'Bundle') {
    if (depth >= 4) return [];
    const all = new Set<string>();
    for (const e of (content.entry as { resource?: Content }[] | undefined) ?? []) {
      if (typeof e?.resource?.resourceType !== 'string') continue;
      for (const c of await previousRules(e.resource, lookup, depth + 1)) all.add(c);
    }
    return [...all].sort();
  }
  return patientCompartmentOf(content.resourceType, String(content.id ?? ''), extractIndex(content));
}

interface VersionRow {
  resource_type: string;
  id: string;
  version_id: number;
  deleted: boolean;
  content: Content | null;
}

/**
 * Data linked to a patient by any route is in that patient's compartment (issue 16 §4): the
 * compartments of rows written before are computed again, every version, with the rules of
 * `compartmentsOf`:
 * - resources with contained resources (any version) get the patients those name too;
 * - the gathering types (Group, List, Linkage, Composition, DocumentManifest, Provenance, Basic,
 *   MeasureReport, Bundle) the patients of everything they refer to — twice, as one may name
 *   another;
 * - then Binary rows whose securityContext names another resource, from its new compartments.
 * A tombstone keeps its last live version's compartments. The access rules read the gathering types
 * as "every patient must be reachable", so a widened row is narrower to read, never wider.
 */
export class LinkedCompartments1765600000000 implements MigrationInterface {
  name = 'LinkedCompartments1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await this.recompute(q, (c, lookup) => compartmentsOf(c, lookup));
  }

  /** Back to the rules before (the same rows; a gathering type again readable with one patient). */
  async down(q: QueryRunner): Promise<void> {
    await this.recompute(q, (c, lookup) => previousRules(c, lookup));
  }

  private async recompute(q: QueryRunner, compute: Compute): Promise<void> {
    const gathering = [...GATHERING_TYPES];
    const hasContained = `EXISTS (SELECT 1 FROM ${S}.resource_version v WHERE v.resource_type = r.resource_type
      AND v.id = r.id AND v.content->'contained' IS NOT NULL)`;
    await this.backfill(
      q,
      compute,
      `r.resource_type <> 'Binary' AND NOT r.resource_type = ANY($3::text[]) AND ${hasContained}`,
      [gathering],
    );
    for (let round = 0; round < 2; round++)
      await this.backfill(q, compute, `r.resource_type = ANY($3::text[])`, [gathering]);
    await this.backfill(
      q,
      compute,
      `r.resource_type = 'Binary' AND EXISTS (SELECT 1 FROM ${S}.resource_version v WHERE v.resource_type = 'Binary'
        AND v.id = r.id AND v.content->'securityContext'->>'reference' NOT LIKE 'Patient/%')`,
      [],
    );
  }

  /** Recomputes every version of the rows matching `where` (on `resource r`; $1, $2 are the keyset). */
  private async backfill(q: QueryRunner, compute: Compute, where: string, params: unknown[]): Promise<void> {
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
        `SELECT r.resource_type, r.id FROM ${S}.resource r
          WHERE (r.resource_type, r.id) > ($1, $2) AND ${where}
          ORDER BY r.resource_type, r.id LIMIT ${BATCH}`,
        [after[0], after[1], ...params],
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
        if (!v.deleted && v.content) live = await compute(v.content, lookup);
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
}
