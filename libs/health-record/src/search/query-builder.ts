import { normalizeText, parseSearchDate, type SearchParamDef, searchParametersFor } from '@mekong/fhir';
import { FhirError } from '../fhir-error';
import type { ParamClause, SortKey } from './search-request';

const S = 'health_record';
const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
type Prefix = (typeof PREFIXES)[number];

/** Positional SQL parameters shared by every fragment of one query. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(v: unknown, cast?: string): string {
    this.values.push(v);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const p = value.slice(0, 2) as Prefix;
  return PREFIXES.includes(p) && /^[a-z]{2}[-+0-9]/.test(value)
    ? { prefix: p, rest: value.slice(2) }
    : { prefix: 'eq', rest: value };
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Turns search clauses into SQL predicates over `health_record.resource` (alias given), each
 * an EXISTS on the index table of the parameter's type, so every filter uses an index.
 */
export class QueryBuilder {
  private alias = 0;

  constructor(
    readonly params: SqlParams,
    private readonly lenient: boolean,
    /** The caller's access predicate: every resource a chain looks into must pass it too. */
    private readonly scope?: (alias: string, params: SqlParams) => string,
    /** The token's scopes: a chain looks only into types the token may search (else 403). */
    private readonly gate?: (type: string, perm: 'r' | 's') => boolean,
  ) {}

  /** The predicates of all clauses for `alias` (a resource of `type`), ANDed. */
  where(type: string, alias: string, clauses: readonly ParamClause[]): string[] {
    const defs = searchParametersFor(type);
    const out: string[] = [];
    for (const c of clauses) {
      const sql = this.clause(type, alias, defs, c);
      if (sql) out.push(sql);
    }
    return out;
  }

  private clause(
    type: string,
    r: string,
    defs: ReadonlyMap<string, SearchParamDef>,
    c: ParamClause,
  ): string | undefined {
    if (c.name === '_id') {
      return `${r}.id = ANY(${this.params.add(c.values, 'text[]')})`;
    }
    if (c.name === '_lastUpdated') {
      return `(${c.values.map((v) => this.dateCondition(v, `${r}.last_updated`, `${r}.last_updated + interval '1 millisecond'`, '_lastUpdated')).join(' OR ')})`;
    }
    const def = defs.get(c.name);
    if (!def) {
      if (this.lenient) return undefined;
      throw new FhirError(400, 'not-supported', `Unknown search parameter ${c.name} for ${type}`);
    }
    if (c.chain.length > 0) return this.chained(type, r, def, c);
    const table = TABLES[def.type];
    if (!table)
      throw new FhirError(400, 'not-supported', `Search parameter ${c.name} (${def.type}) is not supported`);
    const i = `i${++this.alias}`;
    const owner = `${i}.resource_type = ${r}.resource_type AND ${i}.resource_id = ${r}.id AND ${i}.param = ${this.params.add(def.code)}`;
    if (c.modifier === 'missing') {
      const v = c.values[0];
      if (v !== 'true' && v !== 'false')
        throw new FhirError(400, 'invalid', `${c.name}:missing must be true or false`);
      return `${v === 'true' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${S}.${table} ${i} WHERE ${owner})`;
    }
    const conditions = c.values.map((v) => this.valueCondition(def, i, c.modifier, v));
    const any = `EXISTS (SELECT 1 FROM ${S}.${table} ${i} WHERE ${owner} AND (${conditions.join(' OR ')}))`;
    if (c.modifier === 'not') return `NOT ${any}`;
    return any;
  }

  private valueCondition(
    def: SearchParamDef,
    i: string,
    modifier: string | undefined,
    value: string,
  ): string {
    const p = this.params;
    switch (def.type) {
      case 'string': {
        if (modifier === 'exact') return `${i}.value = ${p.add(value)}`;
        const norm = likeEscape(normalizeText(value));
        if (modifier === 'contains') return `${i}.norm LIKE ${p.add(`%${norm}%`)}`;
        if (modifier)
          throw new FhirError(
            400,
            'not-supported',
            `Modifier :${modifier} is not supported on string parameter ${def.code}`,
          );
        return `${i}.norm LIKE ${p.add(`${norm}%`)}`;
      }
      case 'token': {
        if (modifier === 'text') return `${i}.text LIKE ${p.add(`${likeEscape(normalizeText(value))}%`)}`;
        if (modifier && modifier !== 'not')
          throw new FhirError(
            400,
            'not-supported',
            `Modifier :${modifier} is not supported on token parameter ${def.code}`,
          );
        const bar = value.indexOf('|');
        if (bar < 0) return `${i}.code = ${p.add(value)}`;
        const system = value.slice(0, bar);
        const code = value.slice(bar + 1);
        if (system === '') return `(${i}.system IS NULL AND ${i}.code = ${p.add(code)})`;
        if (code === '') return `${i}.system = ${p.add(system)}`;
        return `(${i}.code = ${p.add(code)} AND ${i}.system = ${p.add(system)})`;
      }
      case 'reference': {
        const typed = modifier && /^[A-Z]/.test(modifier) ? modifier : undefined;
        if (modifier && !typed)
          throw new FhirError(
            400,
            'not-supported',
            `Modifier :${modifier} is not supported on reference parameter ${def.code}`,
          );
        const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(value);
        if (m && !typed) return `(${i}.target_type = ${p.add(m[1])} AND ${i}.target_id = ${p.add(m[2])})`;
        if (typed) return `(${i}.target_type = ${p.add(typed)} AND ${i}.target_id = ${p.add(value)})`;
        if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return `${i}.target_id = ${p.add(value)}`;
        return `${i}.reference = ${p.add(value)}`;
      }
      case 'date':
        return this.dateCondition(
          value,
          `coalesce(${i}.low, '-infinity')`,
          `coalesce(${i}.high, 'infinity')`,
          def.code,
        );
      case 'number':
        return this.numberCondition(value, `${i}.value`, def.code);
      case 'quantity': {
        const [num = '', system, code] = value.split('|');
        const cond = [this.numberCondition(num, `${i}.value`, def.code)];
        if (code) cond.push(`(${i}.code = ${p.add(code)} OR ${i}.unit = ${p.add(code)})`);
        if (system) cond.push(`${i}.system = ${p.add(system)}`);
        return `(${cond.join(' AND ')})`;
      }
      case 'uri':
        if (modifier === 'below') return `${i}.value LIKE ${p.add(`${likeEscape(value)}%`)}`;
        if (modifier === 'above') return `${p.add(value)} LIKE ${i}.value || '%'`;
        return `${i}.value = ${p.add(value)}`;
      case 'composite':
      case 'special':
        throw new FhirError(
          400,
          'not-supported',
          `Search parameter ${def.code} (${def.type}) is not supported`,
        );
    }
  }

  /** Interval semantics of FHIR dates: the resource's [low, high) against the value's precision range. */
  dateCondition(raw: string, low: string, high: string, code: string): string {
    const { prefix, rest } = splitPrefix(raw);
    const range = parseSearchDate(rest);
    if (!range)
      throw new FhirError(400, 'invalid', `${code}: '${raw}' is not a valid date / ngày không hợp lệ`);
    // Parameters are bound only where used: PostgreSQL cannot type an unreferenced parameter.
    const ql = (): string => this.params.add(range.low, 'timestamptz');
    const qh = (): string => this.params.add(range.high, 'timestamptz');
    switch (prefix) {
      case 'eq':
        return `(${low} >= ${ql()} AND ${high} <= ${qh()})`;
      case 'ne':
        return `NOT (${low} >= ${ql()} AND ${high} <= ${qh()})`;
      case 'gt':
        return `${high} > ${qh()}`;
      case 'lt':
        return `${low} < ${ql()}`;
      case 'ge':
        return `${high} > ${ql()}`;
      case 'le':
        return `${low} < ${qh()}`;
      case 'sa':
        return `${low} >= ${qh()}`;
      case 'eb':
        return `${high} <= ${ql()}`;
      case 'ap':
        return `(${low} < ${qh()} + interval '1 day' AND ${high} > ${ql()} - interval '1 day')`;
    }
  }

  /** Numbers carry their precision: `100` means [99.5, 100.5). */
  private numberCondition(raw: string, column: string, code: string): string {
    const { prefix, rest } = splitPrefix(raw);
    const n = Number(rest);
    // A number JavaScript cannot hold (1e999999) would overflow PostgreSQL's numeric too: 400, and
    // SQL only ever sees the parsed value.
    if (!/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(rest) || !Number.isFinite(n))
      throw new FhirError(400, 'invalid', `${code}: '${raw}' is not a number in range`);
    const decimals = /\.(\d+)/.exec(rest)?.[1]?.length ?? 0;
    const half = 0.5 * 10 ** -decimals;
    const v = (): string => this.params.add(String(n), 'numeric');
    const lo = (): string => this.params.add(String(n - half), 'numeric');
    const hi = (): string => this.params.add(String(n + half), 'numeric');
    switch (prefix) {
      case 'eq':
        return `(${column} >= ${lo()} AND ${column} < ${hi()})`;
      case 'ne':
        return `NOT (${column} >= ${lo()} AND ${column} < ${hi()})`;
      case 'gt':
      case 'sa':
        return `${column} > ${v()}`;
      case 'lt':
      case 'eb':
        return `${column} < ${v()}`;
      case 'ge':
        return `${column} >= ${v()}`;
      case 'le':
        return `${column} <= ${v()}`;
      case 'ap': {
        const x = v();
        return `(${column} >= ${x} * 0.9 AND ${column} <= ${x} * 1.1)`;
      }
    }
  }

  /** `subject:Patient.name=an` — the reference must point at a resource matching the chained search. */
  private chained(type: string, r: string, def: SearchParamDef, c: ParamClause): string | undefined {
    if (def.type !== 'reference')
      throw new FhirError(400, 'invalid', `${c.name} is not a reference parameter and cannot be chained`);
    const targets = c.modifier
      ? [c.modifier]
      : def.target.filter(
          (t) => searchParametersFor(t).has(c.chain[0] as string) || c.chain[0]?.startsWith('_'),
        );
    if (targets.length === 0)
      throw new FhirError(
        400,
        'invalid',
        `No target of ${type}.${c.name} has a search parameter ${c.chain[0]}`,
      );
    // Chaining into a type searches it: a token that may not search it learns nothing through it.
    const closed = targets.filter((t) => this.gate && !this.gate(t, 's'));
    if (closed.length > 0)
      throw new FhirError(
        403,
        'forbidden',
        `Token scopes do not allow s on ${closed.join(', ')} (chained search ${c.name}${c.modifier ? `:${c.modifier}` : ''}.${c.chain.join('.')})`,
      );
    const i = `i${++this.alias}`;
    const alternatives = targets.flatMap((t) => {
      const t2 = `r${++this.alias}`;
      const inner: ParamClause = {
        name: (c.chain[0] as string).split(':')[0] as string,
        modifier: (c.chain[0] as string).split(':')[1],
        chain: c.chain.slice(1),
        values: c.values,
      };
      const preds = this.where(t, t2, [inner]);
      // Handling=lenient ignores a parameter the target does not have: then so is this alternative
      // (an empty predicate list was an SQL syntax error, a 500).
      if (preds.length === 0) return [];
      // A chain must not become an oracle on resources the caller may not read (focus:Patient.birthdate=…).
      if (this.scope) preds.push(this.scope(t2, this.params));
      return `(${i}.target_type = ${this.params.add(t)} AND EXISTS (SELECT 1 FROM ${S}.resource ${t2}
        WHERE ${t2}.resource_type = ${i}.target_type AND ${t2}.id = ${i}.target_id AND NOT ${t2}.deleted AND ${preds.join(' AND ')}))`;
    });
    // Every alternative ignored (lenient): the chain is ignored, like any unknown parameter.
    if (alternatives.length === 0) return undefined;
    return `EXISTS (SELECT 1 FROM ${S}.idx_reference ${i} WHERE ${i}.resource_type = ${r}.resource_type AND ${i}.resource_id = ${r}.id
      AND ${i}.param = ${this.params.add(def.code)} AND (${alternatives.join(' OR ')}))`;
  }

  /** The SQL expression of a sort key and the type its cursor value is cast to. */
  sortExpression(type: string, r: string, key: SortKey): { sql: string; cast: string } {
    if (key.param === '_id') return { sql: `${r}.id`, cast: 'text' };
    if (key.param === '_lastUpdated') return { sql: `${r}.last_updated`, cast: 'timestamptz' };
    const def = searchParametersFor(type).get(key.param);
    if (!def) throw new FhirError(400, 'invalid', `Cannot sort ${type} by unknown parameter ${key.param}`);
    const agg = key.descending ? 'max' : 'min';
    const code = this.params.add(def.code);
    const sub = (table: string, column: string): string =>
      `(SELECT ${agg}(x.${column}) FROM ${S}.${table} x WHERE x.resource_type = ${r}.resource_type AND x.resource_id = ${r}.id AND x.param = ${code})`;
    const nullLast = (sql: string, cast: string, hi: string, lo: string): { sql: string; cast: string } => ({
      sql: `coalesce(${sql}, ${key.descending ? lo : hi}::${cast})`,
      cast,
    });
    switch (def.type) {
      case 'date':
        return nullLast(
          sub('idx_date', key.descending ? 'high' : 'low'),
          'timestamptz',
          "'infinity'",
          "'-infinity'",
        );
      case 'string':
        return nullLast(sub('idx_string', 'norm'), 'text', "'\uffff'", "''");
      case 'token':
        return nullLast(sub('idx_token', 'code'), 'text', "'\uffff'", "''");
      case 'number':
        return nullLast(sub('idx_number', 'value'), 'numeric', "'Infinity'", "'-Infinity'");
      case 'quantity':
        return nullLast(sub('idx_quantity', 'value'), 'numeric', "'Infinity'", "'-Infinity'");
      case 'uri':
        return nullLast(sub('idx_uri', 'value'), 'text', "'\uffff'", "''");
      case 'reference':
        return nullLast(sub('idx_reference', 'reference'), 'text', "'\uffff'", "''");
      case 'composite':
      case 'special':
        throw new FhirError(400, 'not-supported', `Cannot sort by ${key.param}`);
    }
  }
}

const TABLES: Partial<Record<SearchParamDef['type'], string>> = {
  string: 'idx_string',
  token: 'idx_token',
  reference: 'idx_reference',
  date: 'idx_date',
  number: 'idx_number',
  quantity: 'idx_quantity',
  uri: 'idx_uri',
};
