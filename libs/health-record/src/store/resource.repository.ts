import type { IndexEntry } from '@mekong/fhir';
import type { EntityManager } from 'typeorm';
import { type AuditRecord, auditInsertSql } from '../audit/audit-record';
import { SqlParams } from '../search/query-builder';
import type { ScopePredicate } from '../search/search.service';

/** A stored FHIR resource as JSON. */
export type FhirResource = { resourceType: string; id?: string; meta?: Record<string, unknown> } & Record<
  string,
  unknown
>;

export interface StoredVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: number;
  readonly lastUpdated: Date;
  readonly deleted: boolean;
  readonly content: FhirResource | null;
  /** Patients whose compartment holds this version (a deletion: those of the last live version). */
  readonly compartments?: readonly string[];
}

interface VersionRow {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date;
  deleted: boolean;
  content: FhirResource | null;
  compartments?: string[];
}

const toVersion = (r: VersionRow): StoredVersion => ({
  resourceType: r.resource_type,
  id: r.id,
  versionId: r.version_id,
  lastUpdated: r.last_updated,
  deleted: r.deleted,
  content: r.content,
  ...(r.compartments ? { compartments: r.compartments } : {}),
});

const S = 'health_record';
const INDEX_TABLES = [
  'idx_string',
  'idx_token',
  'idx_reference',
  'idx_date',
  'idx_number',
  'idx_quantity',
  'idx_uri',
];

/**
 * SQL of the resource store. Every method takes the EntityManager of the caller's transaction:
 * on the embedded engine a query through another connection would wait for that transaction.
 */
export class ResourceRepository {
  /** The current version, locked for update when `forUpdate`. */
  async current(
    em: EntityManager,
    type: string,
    id: string,
    forUpdate = false,
  ): Promise<StoredVersion | undefined> {
    const rows: VersionRow[] = await em.query(
      `SELECT resource_type, id, version_id, last_updated, deleted, content, compartments FROM ${S}.resource
       WHERE resource_type = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [type, id],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The current version with its content as JSON text, for reads that only forward it. */
  async currentText(
    em: EntityManager,
    type: string,
    id: string,
  ): Promise<(Omit<StoredVersion, 'content'> & { text: string | null }) | undefined> {
    const rows: (Omit<VersionRow, 'content'> & { text: string | null })[] = await em.query(
      `SELECT resource_type, id, version_id, last_updated, deleted, compartments, content::text AS text FROM ${S}.resource
       WHERE resource_type = $1 AND id = $2`,
      [type, id],
    );
    const r = rows[0];
    return r
      ? {
          resourceType: r.resource_type,
          id: r.id,
          versionId: r.version_id,
          lastUpdated: r.last_updated,
          deleted: r.deleted,
          compartments: r.compartments ?? [],
          text: r.text,
        }
      : undefined;
  }

  async version(
    em: EntityManager,
    type: string,
    id: string,
    versionId: number,
  ): Promise<StoredVersion | undefined> {
    const rows: VersionRow[] = await em.query(
      `SELECT resource_type, id, version_id, last_updated, deleted, content, compartments FROM ${S}.resource_version
       WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
      [type, id, versionId],
    );
    return rows[0] ? toVersion(rows[0]) : undefined;
  }

  /** The live Patients carrying one of these identifier values of `system`. */
  async patientsIdentifiedBy(
    em: EntityManager,
    system: string,
    values: readonly string[],
  ): Promise<string[]> {
    const rows: { id: string }[] = await em.query(
      `SELECT DISTINCT t.resource_id AS id FROM ${S}.idx_token t
        WHERE t.resource_type = 'Patient' AND t.param = 'identifier' AND t.system = $1 AND t.code = ANY($2::text[])`,
      [system, values],
    );
    return rows.map((r) => r.id);
  }

  /** Which of these `Type/id` references exist and are not deleted. */
  async existing(
    em: EntityManager,
    refs: readonly { type: string; id: string }[],
    /** Only resources passing it count (the writer's access predicate). */
    scope?: ScopePredicate,
  ): Promise<Set<string>> {
    if (refs.length === 0) return new Set();
    const p = new SqlParams();
    p.values.push(
      refs.map((r) => r.type),
      refs.map((r) => r.id),
    );
    const rows: { k: string }[] = await em.query(
      `SELECT resource_type || '/' || id AS k FROM ${S}.resource r
       JOIN unnest($1::text[], $2::text[]) AS q(t, i) ON r.resource_type = q.t AND r.id = q.i
       WHERE NOT r.deleted${scope ? ` AND ${scope('r', p)}` : ''}`,
      p.values,
    );
    return new Set(rows.map((r) => r.k));
  }

  /**
   * Writes a new version — current row, history row, search index — in one statement (a first
   * version costs one round trip; a later one a second, to drop the old index rows; callers
   * updating run inside a transaction). When `references` are
   * given they are checked in the same statement: if any is missing nothing is written and the
   * missing `Type/id`s are returned.
   */
  async write(
    em: EntityManager,
    v: StoredVersion,
    entries: readonly IndexEntry[],
    compartments: readonly string[],
    references: readonly { type: string; id: string }[] = [],
    audit?: AuditRecord,
    /** What a referenced resource must pass besides existing (the writer's access predicate). */
    referenceScope?: ScopePredicate,
  ): Promise<string[]> {
    // $1..$7 are the version's columns; everything after is added by the CTEs below.
    const params = new SqlParams();
    params.values.push(v.resourceType, v.id, v.versionId, v.lastUpdated, v.deleted, v.content, compartments);
    const add = (value: unknown, cast: string): string => params.add(value, cast);
    const ctes: string[] = [
      `refs(t, i) AS (SELECT * FROM unnest(${add(
        references.map((r) => r.type),
        'text[]',
      )}, ${add(
        references.map((r) => r.id),
        'text[]',
      )}))`,
      `missing AS (SELECT refs.t || '/' || refs.i AS k FROM refs LEFT JOIN ${S}.resource x
         ON x.resource_type = refs.t AND x.id = refs.i AND NOT x.deleted${referenceScope ? ` AND ${referenceScope('x', params)}` : ''}
         WHERE x.id IS NULL)`,
      `go AS (SELECT NOT EXISTS (SELECT 1 FROM missing) AS ok)`,
      `r AS (INSERT INTO ${S}.resource (resource_type, id, version_id, last_updated, deleted, content, compartments)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT ok FROM go)
         ON CONFLICT (resource_type, id) DO UPDATE SET version_id = EXCLUDED.version_id,
           last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted, content = EXCLUDED.content,
           compartments = EXCLUDED.compartments)`,
      `v AS (INSERT INTO ${S}.resource_version (resource_type, id, version_id, last_updated, deleted, content, compartments)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE (SELECT ok FROM go))`,
    ];
    // A first version has no index rows yet; a later one replaces its predecessor's rows — in a
    // statement of its own, first: a unique index (one Patient per CCCD) checks each inserted row
    // at once, and in a single statement the insert could run before the delete.
    if (v.versionId > 1) {
      await em.query(
        `WITH ${INDEX_TABLES.map((t) => `d_${t} AS (DELETE FROM ${S}.${t} WHERE resource_type = $1 AND resource_id = $2)`).join(', ')} SELECT 1`,
        [v.resourceType, v.id],
      );
    }
    const by = <K extends IndexEntry['kind']>(kind: K): Extract<IndexEntry, { kind: K }>[] =>
      entries.filter((e): e is Extract<IndexEntry, { kind: K }> => e.kind === kind);
    const insert = (table: string, columns: string[], casts: string[], rows: unknown[][]): void => {
      if (rows.length === 0) return;
      const arrays = columns.map((_, i) =>
        add(
          rows.map((r) => r[i]),
          `${casts[i]}[]`,
        ),
      );
      ctes.push(`i_${table} AS (INSERT INTO ${S}.${table} (resource_type, resource_id, ${columns.join(', ')})
         SELECT $1, $2, u.* FROM unnest(${arrays.join(', ')}) AS u WHERE (SELECT ok FROM go))`);
    };
    insert(
      'idx_string',
      ['param', 'value', 'norm'],
      ['text', 'text', 'text'],
      by('string').map((e) => [e.param, e.value, e.norm]),
    );
    insert(
      'idx_token',
      ['param', 'system', 'code', 'text'],
      ['text', 'text', 'text', 'text'],
      by('token').map((e) => [e.param, e.system, e.code, e.text]),
    );
    insert(
      'idx_reference',
      ['param', 'target_type', 'target_id', 'reference'],
      ['text', 'text', 'text', 'text'],
      by('reference').map((e) => [e.param, e.targetType, e.targetId, e.reference]),
    );
    insert(
      'idx_date',
      ['param', 'low', 'high'],
      ['text', 'timestamptz', 'timestamptz'],
      by('date').map((e) => [e.param, e.low, e.high]),
    );
    insert(
      'idx_number',
      ['param', 'value'],
      ['text', 'numeric'],
      by('number').map((e) => [e.param, e.value]),
    );
    insert(
      'idx_quantity',
      ['param', 'value', 'system', 'code', 'unit'],
      ['text', 'numeric', 'text', 'text', 'text'],
      by('quantity').map((e) => [e.param, e.value, e.system, e.code, e.unit]),
    );
    insert(
      'idx_uri',
      ['param', 'value'],
      ['text', 'text'],
      by('uri').map((e) => [e.param, e.value]),
    );
    // The audit record of the write, in the same statement: it exists exactly when the write does.
    if (audit) ctes.push(`a AS (${auditInsertSql(audit, add, '(SELECT ok FROM go)')})`);
    const rows: { k: string }[] = await em.query(
      `WITH ${ctes.join(',\n')} SELECT k FROM missing`,
      params.values,
    );
    return rows.map((r) => r.k);
  }

  /** Versions of one resource (newest first) or of a type, for `_history`. */
  async history(
    em: EntityManager,
    type: string,
    id: string | undefined,
    opts: {
      since?: Date;
      count: number;
      beforeVersion?: { lastUpdated: Date; id: string; versionId: number };
      /** Only the versions the caller may see. */
      scope?: ScopePredicate;
    },
  ): Promise<StoredVersion[]> {
    const p = new SqlParams();
    const where = [`v.resource_type = ${p.add(type)}`];
    if (id !== undefined) where.push(`v.id = ${p.add(id)}`);
    if (opts.since) where.push(`v.last_updated >= ${p.add(opts.since, 'timestamptz')}`);
    if (opts.beforeVersion) {
      const b = opts.beforeVersion;
      where.push(
        `(v.last_updated, v.id, v.version_id) < (${p.add(b.lastUpdated, 'timestamptz')}, ${p.add(b.id)}, ${p.add(b.versionId, 'int')})`,
      );
    }
    // Each version is authorized against the compartments it had (a tombstone: its last live version's).
    if (opts.scope) where.push(opts.scope('v', p));
    const rows: VersionRow[] = await em.query(
      `SELECT v.resource_type, v.id, v.version_id, v.last_updated, v.deleted, v.content, v.compartments FROM ${S}.resource_version v
       WHERE ${where.join(' AND ')} ORDER BY v.last_updated DESC, v.id DESC, v.version_id DESC LIMIT ${p.add(opts.count, 'int')}`,
      p.values,
    );
    return rows.map(toVersion);
  }
}
