import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { dateRange, RESOURCE_TYPES, searchParametersFor } from '@mekong/fhir';
import { DataSource, type EntityManager } from 'typeorm';
import { type RecordCaller, SystemReason, userAccess } from '../access/system-reason';
import { auditInsertSql } from '../audit/audit-record';
import { FhirError } from '../fhir-error';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import type { FhirResource } from '../store/resource.repository';
import { decodeCursor } from './cursor';
import { QueryBuilder, SqlParams } from './query-builder';
import type { SearchRequest } from './search-request';
import type { RequestBudget } from '../rest/request-budget';

const S = 'health_record';

/**
 * The most patients a count (`_summary=count`, `_total`, `_count=0`) names in its audit record:
 * as many as the largest page a search may return. Past it the record names the first ones by id
 * and says it was cut (a population-wide count by a system client would name everyone).
 */
export const COUNTED_PATIENTS_MAX = 1000;

/** An extra predicate on the matched resource (alias), e.g. the caller's patient compartments. */
export type ScopePredicate = (alias: string, params: SqlParams) => string;

/**
 * Which types the token's scopes let a request return (`r`: includes, `$everything`) or match on
 * (`s`: chains). Undefined: every type.
 */
export type TypeGate = (type: string, perm: 'r' | 's') => boolean;

export interface SearchOptions {
  readonly lenient: boolean;
  /**
   * Who the search is for: a user's access context (its scope is added to the match query and to
   * every include, so nothing outside it can be reached; the interaction serving the user audits
   * it), or the server under a named reason (unscoped, audited here in the patients' trails).
   */
  readonly caller: RecordCaller;
  /** Includes of types it does not let the token read are left out; a chain into one is refused. */
  readonly gate?: TypeGate;
  readonly em?: EntityManager;
  /** Checked before each query of the search (page, include rounds): 503 once exceeded. */
  readonly budget?: RequestBudget;
  /** `_include`/`_revinclude` caps: resources added to one page, levels followed by `:iterate`. */
  readonly limits?: { readonly includeMax: number; readonly includeMaxDepth: number };
}

/** The options with the caller's SQL scope (undefined: the server's own, unscoped search). */
type ScopedOptions = SearchOptions & { readonly scope?: ScopePredicate };

function scoped(opts: SearchOptions): ScopedOptions {
  return { ...opts, scope: userAccess(opts.caller)?.scope };
}

/** Defaults when the caller passes no limits (FHIR_INCLUDE_MAX, FHIR_INCLUDE_MAX_DEPTH). */
const INCLUDE_LIMITS = { includeMax: 1000, includeMaxDepth: 4 } as const;

export interface SearchResult {
  readonly matches: FhirResource[];
  readonly included: FhirResource[];
  readonly total?: number;
  /** Cursor of the next page, when there is one. */
  readonly next?: string;
  /**
   * The patients whose data the result shows (matches and includes) or counts (every match, when
   * a total is computed or no page is returned: `_summary=count`, `_total`, `_count=0`), for the
   * audit trail.
   */
  readonly patientIds: string[];
  /** More than COUNTED_PATIENTS_MAX patients were counted: `patientIds` holds the first ones by id. */
  readonly patientsTruncated?: boolean;
  /**
   * The includes the token's scopes narrowed (the types each may reach that the token may not
   * read), for an OperationOutcome entry: said from the request alone, never from the data.
   */
  readonly leftOut?: string[];
}

interface Row {
  content: FhirResource;
  compartments: string[];
  k: unknown[];
}

/**
 * Executes FHIR searches in one SQL query per page: filters as EXISTS over the index tables,
 * keyset paging on (sort keys…, id) so a page boundary never skips or repeats a resource while
 * others are written, `_include`/`_revinclude` (with :iterate) restricted by the same scope.
 */
@Injectable()
export class SearchService {
  constructor(@InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource) {}

  async search(type: string, req: SearchRequest, options: SearchOptions): Promise<SearchResult> {
    const opts = scoped(options);
    const em = opts.em ?? this.db.manager;
    const q = this.buildQuery(type, req, opts);
    let total: number | undefined;
    if (req.total === 'accurate' || req.total === 'estimate' || req.summary === 'count') {
      const rows: { n: string }[] = await em.query(q.countSql, q.countParams);
      total = Number(rows[0]?.n ?? 0);
    }
    // A count reads every match even though it returns none: its audit names their patients.
    const counted =
      total !== undefined || req.count === 0
        ? ((await em.query(q.patientsSql, q.countParams)) as { p: string }[]).map((r) => r.p)
        : [];
    const patientsTruncated = counted.length > COUNTED_PATIENTS_MAX || undefined;
    if (patientsTruncated) counted.length = COUNTED_PATIENTS_MAX;
    if (req.summary === 'count' || req.count === 0)
      return { matches: [], included: [], total, patientIds: counted, patientsTruncated };
    const leftOut = includesLeftOut(req, opts.gate);
    opts.budget?.check('the search page');
    const rows: Row[] = await em.query(q.pageSql, q.pageParams);
    const page = rows.slice(0, req.count);
    const last = page[page.length - 1];
    const next =
      rows.length > req.count && last ? Buffer.from(JSON.stringify(last.k)).toString('base64url') : undefined;
    const matches = page.map((r) => r.content);
    const patients = new Set([...counted, ...page.flatMap((r) => r.compartments)]);
    const included = await this.includes(type, matches, req, opts, em);
    for (const p of included.patients) patients.add(p);
    if (options.caller instanceof SystemReason && patients.size > 0) {
      // Parameter names only, like every search's audit record: values never enter the trail.
      const names = [...new Set(req.clauses.map((c) => c.name))].sort().join(',');
      const p = new SqlParams();
      await em.query(
        auditInsertSql(options.caller.audit('E', 'search-type', `${type}?${names}`, [...patients]), (v, c) =>
          p.add(v, c),
        ),
        p.values,
      );
    }
    return {
      matches,
      included: included.resources,
      total,
      next,
      patientIds: [...patients],
      patientsTruncated,
      ...(leftOut.length > 0 ? { leftOut } : {}),
    };
  }

  /** The query plan of a search's page query (EXPLAIN), for reviews and the index-use tests. */
  async explain(type: string, req: SearchRequest, opts: SearchOptions): Promise<string> {
    const q = this.buildQuery(type, req, scoped(opts));
    return this.db.transaction(async (em) => {
      // Small test tables make sequential scans cheapest; ask what the planner does when the table is large.
      await em.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await em.query(`EXPLAIN ${q.pageSql}`, q.pageParams);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  private buildQuery(
    type: string,
    req: SearchRequest,
    opts: ScopedOptions,
  ): {
    countSql: string;
    countParams: unknown[];
    patientsSql: string;
    pageSql: string;
    pageParams: unknown[];
  } {
    const params = new SqlParams();
    const qb = new QueryBuilder(params, opts.lenient, opts.scope, opts.gate);
    const where = [
      `r.resource_type = ${params.add(type)}`,
      'NOT r.deleted',
      ...qb.where(type, 'r', req.clauses),
    ];
    if (opts.scope) where.push(opts.scope('r', params));
    const countSql = `SELECT count(*) AS n FROM ${S}.resource r WHERE ${where.join(' AND ')}`;
    const countParams = [...params.values];
    // Same predicate and parameters as the count; one row more than the bound says it was cut.
    const patientsSql = `SELECT DISTINCT p FROM ${S}.resource r CROSS JOIN LATERAL unnest(r.compartments) AS p
       WHERE ${where.join(' AND ')} ORDER BY p LIMIT ${COUNTED_PATIENTS_MAX + 1}`;
    const keys = [
      ...req.sort.map((k) => ({ ...k, ...qb.sortExpression(type, 'r', k) })),
      { param: '_id', descending: false, sql: 'r.id', cast: 'text' },
    ];
    const pageWhere = [...where];
    if (req.cursor)
      pageWhere.push(
        this.keyset(
          keys,
          this.decodeCursor(
            req.cursor,
            keys.map((k) => k.cast),
          ),
          params,
        ),
      );
    const order = keys.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
    const pageSql = `SELECT r.content, r.compartments, json_build_array(${keys.map((k) => k.sql).join(', ')}) AS k FROM ${S}.resource r
       WHERE ${pageWhere.join(' AND ')} ORDER BY ${order} LIMIT ${params.add(req.count + 1, 'int')}`;
    return { countSql, countParams, patientsSql, pageSql, pageParams: params.values };
  }

  /**
   * A patient's compartment (the Patient plus every resource whose compartments hold it),
   * keyset-paged by (type, id), or with `sort: 'lastUpdatedDesc'` newest first by
   * (last_updated DESC, type, id) over a snapshot pinned by the first page: a resource written or
   * edited between pages neither repeats nor skips nor shifts the older entries still to come.
   */
  async everything(
    patientId: string,
    opts: {
      types: string[];
      since?: string;
      req: SearchRequest;
      sort?: 'lastUpdatedDesc';
      scope?: ScopePredicate;
    },
  ): Promise<{ matches: FhirResource[]; next?: string; patientIds: string[] }> {
    const params = new SqlParams();
    const where = [
      'NOT r.deleted',
      `r.resource_type = ANY(${params.add(opts.types, 'text[]')})`,
      `(r.compartments @> ARRAY[${params.add(patientId)}]::text[] OR (r.resource_type = 'Patient' AND r.id = ${params.add(patientId)}))`,
    ];
    if (opts.since) {
      const since = dateRange(opts.since);
      if (!since) throw new FhirError(400, 'invalid', `_since must be an instant, got ${opts.since}`);
      where.push(`r.last_updated >= ${params.add(since.low, 'timestamptz')}`);
    }
    if (opts.scope) where.push(opts.scope('r', params));
    const newestFirst = opts.sort === 'lastUpdatedDesc';
    const count = opts.req.count === 20 ? 1000 : opts.req.count;
    let rows: { content: FhirResource; k: unknown[]; compartments: string[] }[];
    if (newestFirst) {
      // Newest first pages a snapshot: the first page pins its time (the cursor's fourth value) and
      // every page orders by each resource's last_updated as of then. A resource edited after the
      // first page keeps its place (its version current at the snapshot, read from
      // resource_version, sorts it; its current content is returned), so the entries still to come
      // neither shift nor are skipped; one created after the first page waits for a fresh first page.
      let at: string | undefined;
      let t = '';
      let id = '';
      let snapshot = new Date().toISOString();
      if (opts.req.cursor) {
        // [time, type, id, snapshot]; a three-value cursor (before snapshots) pins none: now.
        const values =
          decodeCursor(opts.req.cursor, ['timestamptz', 'text', 'text', 'timestamptz']) ??
          this.decodeCursor(opts.req.cursor, ['timestamptz', 'text', 'text']);
        [at, t, id] = values as [string, string, string];
        if (values.length === 4) snapshot = values[3] as string;
      }
      const snap = params.add(snapshot, 'timestamptz');
      const asOf = `CASE WHEN r.last_updated <= ${snap} THEN r.last_updated ELSE (
          SELECT CASE WHEN v.deleted THEN NULL ELSE v.last_updated END FROM ${S}.resource_version v
          WHERE v.resource_type = r.resource_type AND v.id = r.id AND v.last_updated <= ${snap}
          ORDER BY v.version_id DESC LIMIT 1) END`;
      const keyed = [...where];
      if (at !== undefined) {
        // Mixed directions (time descending, then type and id ascending): no single row comparison.
        const a = params.add(at, 'timestamptz');
        keyed.push(
          `(s.at < ${a} OR (s.at = ${a} AND (r.resource_type, r.id) > (${params.add(t)}, ${params.add(id)})))`,
        );
      }
      // The cursor's times come from PostgreSQL's own JSON (microseconds kept), not a JS Date (milliseconds).
      rows = await this.db.query(
        `SELECT r.content, r.compartments, json_build_array(s.at, r.resource_type, r.id, ${snap}) AS k
         FROM ${S}.resource r CROSS JOIN LATERAL (SELECT ${asOf} AS at) s
         WHERE ${keyed.join(' AND ')} AND s.at IS NOT NULL
         ORDER BY s.at DESC, r.resource_type, r.id LIMIT ${params.add(count + 1, 'int')}`,
        params.values,
      );
    } else {
      if (opts.req.cursor) {
        const [t, id] = this.decodeCursor(opts.req.cursor, ['text', 'text']) as [string, string];
        where.push(`(r.resource_type, r.id) > (${params.add(t)}, ${params.add(id)})`);
      }
      rows = await this.db.query(
        `SELECT r.content, r.compartments, json_build_array(r.resource_type, r.id) AS k
         FROM ${S}.resource r WHERE ${where.join(' AND ')}
         ORDER BY r.resource_type, r.id LIMIT ${params.add(count + 1, 'int')}`,
        params.values,
      );
    }
    const page = rows.slice(0, count);
    const last = page[page.length - 1];
    const next =
      rows.length > count && last ? Buffer.from(JSON.stringify(last.k)).toString('base64url') : undefined;
    return {
      matches: page.map((r) => r.content),
      next,
      patientIds: [...new Set(page.flatMap((r) => r.compartments))],
    };
  }

  /**
   * The resources (at most 2: one is a match, two are too many) matching a conditional operation's
   * criteria (If-None-Exist, conditional update), with their patients for the audit trail.
   */
  async conditionalMatches(
    type: string,
    req: SearchRequest,
    em: EntityManager,
    scope?: ScopePredicate,
    /** A chain in the criteria into a type the token may not search is refused (403). */
    gate?: TypeGate,
  ): Promise<{ id: string; compartments: string[] }[]> {
    const params = new SqlParams();
    const qb = new QueryBuilder(params, false, scope, gate);
    const where = [
      `r.resource_type = ${params.add(type)}`,
      'NOT r.deleted',
      ...qb.where(type, 'r', req.clauses),
    ];
    if (scope) where.push(scope('r', params));
    const rows: { id: string; compartments: string[] }[] = await em.query(
      `SELECT r.id, r.compartments FROM ${S}.resource r WHERE ${where.join(' AND ')} LIMIT 2`,
      params.values,
    );
    return rows.map((r) => ({ id: r.id, compartments: r.compartments ?? [] }));
  }

  private decodeCursor(cursor: string, casts: readonly string[]): unknown[] {
    const values = decodeCursor(cursor, casts);
    if (!values) throw new FhirError(400, 'invalid', '_cursor is not valid for this search');
    return values;
  }

  /** (k1, k2, …) strictly after the cursor values, honouring each key's direction. */
  private keyset(
    keys: readonly { sql: string; cast: string; descending: boolean }[],
    values: unknown[],
    params: SqlParams,
  ): string {
    const ors: string[] = [];
    for (let i = 0; i < keys.length; i++) {
      const ands: string[] = [];
      for (let j = 0; j < i; j++) ands.push(`${keys[j]!.sql} = ${params.add(values[j], keys[j]!.cast)}`);
      const k = keys[i]!;
      ands.push(`${k.sql} ${k.descending ? '<' : '>'} ${params.add(values[i], k.cast)}`);
      ors.push(`(${ands.join(' AND ')})`);
    }
    return `(${ors.join(' OR ')})`;
  }

  private async includes(
    type: string,
    matches: FhirResource[],
    req: SearchRequest,
    opts: ScopedOptions,
    em: EntityManager,
  ): Promise<{ resources: FhirResource[]; patients: Set<string> }> {
    const patients = new Set<string>();
    if (matches.length === 0 || (req.include.length === 0 && req.revinclude.length === 0))
      return { resources: [], patients };
    const { includeMax, includeMaxDepth } = opts.limits ?? INCLUDE_LIMITS;
    const seen = new Set(matches.map((m) => `${m.resourceType}/${String(m.id)}`));
    const included: FhirResource[] = [];
    let frontier = matches;
    // Rows the include queries returned, repeats included: at most includeMax per page. Each query
    // may return one row past what is left, and seeing it refuses the search.
    let fetched = 0;
    const room = (): number => includeMax - fetched + 1;
    // One round more than the depth allows: finding anything new in it refuses the search.
    for (let depth = 0; depth <= includeMaxDepth && frontier.length > 0; depth++) {
      const found: FhirResource[] = [];
      for (const inc of req.include) {
        if (depth > 0 && !inc.iterate) continue;
        const [source, param, targetType] = inc.spec.split(':');
        if (!source || !param)
          throw new FhirError(400, 'invalid', `_include must be Type:param[:targetType], got ${inc.spec}`);
        if (!searchParametersFor(source).has(param) && param !== '*')
          throw new FhirError(400, 'invalid', `Unknown _include parameter ${inc.spec}`);
        const ids = frontier.filter((f) => f.resourceType === source).map((f) => String(f.id));
        if (ids.length === 0) continue;
        opts.budget?.check(`_include=${inc.spec}`);
        const rows = await this.fetchIncluded(
          em,
          opts,
          'include',
          source,
          param,
          targetType,
          ids,
          patients,
          room(),
        );
        fetched += rows.length;
        this.assertIncludeCap(fetched, includeMax);
        found.push(...rows);
      }
      for (const inc of req.revinclude) {
        if (depth > 0 && !inc.iterate) continue;
        const [source, param] = inc.spec.split(':');
        if (!source || !param || !searchParametersFor(source).has(param))
          throw new FhirError(400, 'invalid', `Unknown _revinclude ${inc.spec}`);
        if (opts.gate && !opts.gate(source, 'r')) continue;
        const refs = frontier.map((f) => `${f.resourceType}/${String(f.id)}`);
        opts.budget?.check(`_revinclude=${inc.spec}`);
        const rows = await this.fetchIncluded(
          em,
          opts,
          'revinclude',
          source,
          param,
          undefined,
          refs,
          patients,
          room(),
        );
        fetched += rows.length;
        this.assertIncludeCap(fetched, includeMax);
        found.push(...rows);
      }
      frontier = found.filter((f) => {
        const key = `${f.resourceType}/${String(f.id)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      if (frontier.length > 0 && depth === includeMaxDepth)
        throw new FhirError(
          400,
          'too-costly',
          `_include/_revinclude :iterate goes deeper than ${includeMaxDepth} levels (FHIR_INCLUDE_MAX_DEPTH): ` +
            'search the deeper resources separately',
        );
      included.push(...frontier);
      if (type === '' || (!req.include.some((i) => i.iterate) && !req.revinclude.some((i) => i.iterate)))
        break;
    }
    return { resources: included, patients };
  }

  private assertIncludeCap(fetched: number, includeMax: number): void {
    if (fetched > includeMax)
      throw new FhirError(
        400,
        'too-costly',
        `_include/_revinclude would add more than ${includeMax} resources to this page (FHIR_INCLUDE_MAX): ` +
          'lower _count or ask for fewer includes',
      );
  }

  private async fetchIncluded(
    em: EntityManager,
    opts: ScopedOptions,
    direction: 'include' | 'revinclude',
    source: string,
    param: string,
    targetType: string | undefined,
    keys: string[],
    patients: Set<string>,
    limit: number,
  ): Promise<FhirResource[]> {
    const params = new SqlParams();
    const where = ['NOT t.deleted'];
    const paramFilter = param === '*' ? 'TRUE' : `x.param = ${params.add(param)}`;
    if (direction === 'include') {
      where.push(`EXISTS (SELECT 1 FROM ${S}.idx_reference x WHERE x.resource_type = ${params.add(source)}
        AND x.resource_id = ANY(${params.add(keys, 'text[]')}) AND ${paramFilter}
        AND x.target_type = t.resource_type AND x.target_id = t.id)`);
      if (targetType) where.push(`t.resource_type = ${params.add(targetType)}`);
    } else {
      where.push(`t.resource_type = ${params.add(source)}`);
      where.push(`EXISTS (SELECT 1 FROM ${S}.idx_reference x WHERE x.resource_type = t.resource_type AND x.resource_id = t.id
        AND ${paramFilter} AND (x.target_type || '/' || x.target_id) = ANY(${params.add(keys, 'text[]')}))`);
    }
    if (opts.scope) where.push(opts.scope('t', params));
    // Only types the token may read: nothing is fetched to be dropped.
    if (opts.gate) where.push(`t.resource_type = ANY(${params.add(readableTypes(opts.gate), 'text[]')})`);
    const rows: { content: FhirResource; compartments: string[] }[] = await em.query(
      `SELECT t.content, t.compartments FROM ${S}.resource t WHERE ${where.join(' AND ')} LIMIT ${params.add(Math.max(limit, 1), 'int')}`,
      params.values,
    );
    for (const r of rows) for (const p of r.compartments) patients.add(p);
    return rows.map((r) => r.content);
  }
}

/** The resource types a gate lets the token read. */
export function readableTypes(gate: TypeGate): string[] {
  return RESOURCE_TYPES.filter((t) => gate(t, 'r'));
}

/**
 * The includes a gate narrows: for each, the types it may reach that the token may not read
 * (an _include's target types, a _revinclude's source type).
 */
function includesLeftOut(req: SearchRequest, gate: TypeGate | undefined): string[] {
  if (!gate) return [];
  const notes: string[] = [];
  for (const inc of req.include) {
    const [source = '', param = '', targetType] = inc.spec.split(':');
    const defs = [...searchParametersFor(source).values()].filter(
      (d) => d.type === 'reference' && (param === '*' || d.code === param),
    );
    const reachable = targetType ? [targetType] : [...new Set(defs.flatMap((d) => d.target))];
    const closed = reachable.filter((t) => !gate(t, 'r'));
    if (closed.length > 0) notes.push(`_include=${inc.spec}: ${closed.join(', ')}`);
  }
  for (const inc of req.revinclude) {
    const source = inc.spec.split(':')[0] ?? '';
    if (!gate(source, 'r')) notes.push(`_revinclude=${inc.spec}: ${source}`);
  }
  return notes;
}
