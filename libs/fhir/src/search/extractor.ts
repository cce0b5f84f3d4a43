import { compile } from 'fhirpath';
import * as r4model from 'fhirpath/fhir-context/r4';
import { dateRange } from './date-range';
import { isResourceType, searchParametersFor } from './definitions';
import { type IndexEntry, type SearchParamDef } from './index-types';
import { normalizeText } from './normalize';

type Row = IndexEntry;
type Evaluator = (resource: unknown) => unknown[];

interface CompiledParam {
  readonly def: SearchParamDef;
  readonly evaluate: Evaluator;
}

/** A value of a FHIRPath result: the JSON data plus the FHIR type the R4 model gave it. */
interface TypedValue {
  readonly data: unknown;
  /** FHIR type name: a primitive (`date`, `code`, ...), a data type (`HumanName`) or a resource. */
  readonly type: string | undefined;
}

const ISO_4217 = 'urn:iso:std:iso:4217';

/** Quantity and its R4 profiles, which all share Quantity's shape. */
const QUANTITY_TYPES: ReadonlySet<string> = new Set([
  'Quantity',
  'Age',
  'Count',
  'Distance',
  'Duration',
  'SimpleQuantity',
  'MoneyQuantity',
]);

const URI_PRIMITIVES: ReadonlySet<string> = new Set(['uri', 'url', 'canonical', 'oid', 'uuid']);
const DATE_PRIMITIVES: ReadonlySet<string> = new Set(['date', 'dateTime', 'instant']);
const NUMBER_PRIMITIVES: ReadonlySet<string> = new Set(['decimal', 'integer', 'unsignedInt', 'positiveInt']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

function strs(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str).filter((v): v is string => v !== undefined);
  const single = str(value);
  return single === undefined ? [] : [single];
}

function records(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

function normOrNull(value: unknown): string | null {
  const s = str(value);
  return s === undefined ? null : normalizeText(s);
}

/** FHIRPath values come as ResourceNodes (with resolveInternalTypes: false) or as plain values. */
function toTypedValue(item: unknown): TypedValue | undefined {
  if (typeof item === 'string') return { data: item, type: 'string' };
  if (typeof item === 'boolean') return { data: item, type: 'boolean' };
  if (typeof item === 'number') return { data: item, type: Number.isInteger(item) ? 'integer' : 'decimal' };
  if (!isRecord(item) || !('data' in item)) return undefined;
  const { data, fhirNodeDataType } = item;
  // Metadata-only nodes (a primitive with just `_x.extension`) carry no value.
  if (data === undefined || data === null) return undefined;
  let type = typeof fhirNodeDataType === 'string' ? fhirNodeDataType : undefined;
  // FHIRPath system types (System.String for Resource.id, ...) map onto the FHIR primitive names.
  if (type?.startsWith('System.')) type = type.charAt(7).toLowerCase() + type.slice(8);
  if (type === undefined && isRecord(data) && typeof data.resourceType === 'string') type = data.resourceType;
  return { data, type };
}

/** fhirpath.js wraps decimals in FP_Decimal objects; integers stay numbers. */
function toNumber(data: unknown): number | undefined {
  if (typeof data === 'number') return Number.isFinite(data) ? data : undefined;
  if (isRecord(data) && typeof data.toNumber === 'function') {
    const n: unknown = (data.toNumber as () => unknown).call(data);
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

// --- string ----------------------------------------------------------------------------------

function stringRows(param: string, v: TypedValue): Row[] {
  const values: string[] = [];
  const { data, type } = v;
  if (typeof data === 'string') {
    values.push(data);
  } else if (isRecord(data) && type === 'HumanName') {
    const family = str(data.family);
    const given = strs(data.given);
    values.push(...strs(family), ...given, ...strs(data.prefix), ...strs(data.suffix), ...strs(data.text));
    // Both orders, so a full-name search matches whether it is typed Western style ("An Nguyễn") or
    // Vietnamese style, family name first ("Nguyễn Văn An").
    const parts = [...given, ...strs(family)];
    if (parts.length > 1) {
      values.push(parts.join(' '));
      if (family !== undefined) values.push([family, ...given].join(' '));
    }
  } else if (isRecord(data) && type === 'Address') {
    values.push(
      ...strs(data.line),
      ...strs(data.city),
      ...strs(data.district),
      ...strs(data.state),
      ...strs(data.postalCode),
      ...strs(data.country),
      ...strs(data.text),
    );
  }
  return values
    .filter((value) => value.trim().length > 0)
    .map((value) => ({ kind: 'string', param, value, norm: normalizeText(value) }));
}

// --- token -----------------------------------------------------------------------------------

function token(param: string, system: unknown, code: unknown, text: string | null): Row {
  return { kind: 'token', param, system: str(system) ?? null, code: str(code) ?? null, text };
}

function codingRow(
  param: string,
  coding: Record<string, unknown>,
  fallbackText: string | null,
): Row | undefined {
  if (str(coding.system) === undefined && str(coding.code) === undefined) return undefined;
  return token(param, coding.system, coding.code, normOrNull(coding.display) ?? fallbackText);
}

function tokenRows(param: string, v: TypedValue): Row[] {
  const { data, type } = v;
  if (typeof data === 'boolean') return [token(param, null, String(data), null)];
  if (typeof data === 'string') return str(data) === undefined ? [] : [token(param, null, data, null)];
  if (!isRecord(data)) return [];
  switch (type ?? '') {
    case 'Coding': {
      const row = codingRow(param, data, null);
      return row === undefined ? [] : [row];
    }
    case 'CodeableConcept': {
      // A coding without a display takes the concept's text, so `:text` finds it on that row;
      // the text also gets a row of its own unless a coding row already carries it.
      const text = normOrNull(data.text);
      const rows = records(data.coding)
        .map((coding) => codingRow(param, coding, text))
        .filter((row): row is Row => row !== undefined);
      if (text !== null && !rows.some((row) => row.kind === 'token' && row.text === text)) {
        rows.push(token(param, null, null, text));
      }
      return rows;
    }
    case 'Identifier': {
      if (str(data.system) === undefined && str(data.value) === undefined) return [];
      const identifierType = isRecord(data.type) ? data.type.text : undefined;
      return [token(param, data.system, data.value, normOrNull(identifierType))];
    }
    case 'ContactPoint':
      // ContactPoint.system is a kind (phone, email), not a URI namespace, so it is not a token system.
      return str(data.value) === undefined ? [] : [token(param, null, data.value, null)];
    default:
      return [];
  }
}

// --- reference -------------------------------------------------------------------------------

export interface ParsedReference {
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly reference: string;
}

const REFERENCE_PATTERN =
  /^(?:(.*)\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * Splits a literal reference into its target. `Type/id`, `Type/id/_history/n` (the version is
 * dropped: search matches any version) and absolute URLs ending in `Type/id` give a target;
 * `urn:uuid:`/`urn:oid:` and other URIs are kept as written with no target. Contained references
 * (`#id`) point inside the resource itself and are not indexed (undefined).
 */
export function parseReference(reference: string): ParsedReference | undefined {
  const ref = reference.trim();
  if (ref.length === 0 || ref.startsWith('#')) return undefined;
  if (!ref.startsWith('urn:')) {
    const m = REFERENCE_PATTERN.exec(ref);
    if (m !== null && isResourceType(m[2])) return { targetType: m[2], targetId: m[3], reference: ref };
  }
  return { targetType: null, targetId: null, reference: ref };
}

function referenceRows(def: SearchParamDef, v: TypedValue): Row[] {
  const param = def.code;
  const { data, type } = v;
  let parsed: ParsedReference | undefined;
  if (typeof data === 'string') {
    // canonical/uri targets (e.g. ActivityDefinition.library): kept as written, no type/id split.
    if (str(data) !== undefined) parsed = { targetType: null, targetId: null, reference: data.trim() };
  } else if (isRecord(data) && (type === 'Reference' || (type === undefined && 'reference' in data))) {
    const ref = str(data.reference);
    if (ref !== undefined) parsed = parseReference(ref);
  } else if (isRecord(data) && type !== undefined && isResourceType(type)) {
    // A resource inline (Bundle.entry[0].resource for Bundle's `composition`/`message`). The path
    // selects whatever resource comes first, so the parameter's target type is the filter.
    const id = str(data.id);
    if (id !== undefined && def.target.includes(type))
      parsed = { targetType: type, targetId: id, reference: `${type}/${id}` };
  }
  return parsed === undefined ? [] : [{ kind: 'reference', param, ...parsed }];
}

// --- date ------------------------------------------------------------------------------------

function periodRow(param: string, period: Record<string, unknown>): Row | undefined {
  const start = str(period.start);
  const end = str(period.end);
  const low = start === undefined ? null : (dateRange(start)?.low ?? null);
  const high = end === undefined ? null : (dateRange(end)?.high ?? null);
  // An open period is unbounded on that side, but one with no usable bound at all says nothing.
  if (low === null && high === null) return undefined;
  return { kind: 'date', param, low, high };
}

function dateRows(param: string, v: TypedValue): Row[] {
  const { data, type } = v;
  if (typeof data === 'string') {
    if (type !== undefined && !DATE_PRIMITIVES.has(type)) return [];
    const range = dateRange(data.trim());
    return range === undefined ? [] : [{ kind: 'date', param, low: range.low, high: range.high }];
  }
  if (!isRecord(data)) return [];
  if (type === 'Period') {
    const row = periodRow(param, data);
    return row === undefined ? [] : [row];
  }
  if (type === 'Timing') {
    const rows: Row[] = [];
    for (const event of strs(data.event)) {
      const range = dateRange(event.trim());
      if (range !== undefined) rows.push({ kind: 'date', param, low: range.low, high: range.high });
    }
    const repeat = isRecord(data.repeat) ? data.repeat : undefined;
    if (repeat !== undefined && isRecord(repeat.boundsPeriod)) {
      const row = periodRow(param, repeat.boundsPeriod);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }
  return [];
}

// --- number, quantity, uri -------------------------------------------------------------------

function numberRows(param: string, v: TypedValue): Row[] {
  if (v.type !== undefined && !NUMBER_PRIMITIVES.has(v.type)) return [];
  const value = toNumber(v.data);
  return value === undefined ? [] : [{ kind: 'number', param, value }];
}

function quantityRows(param: string, v: TypedValue): Row[] {
  const { data, type } = v;
  if (!isRecord(data) || type === undefined) return [];
  const value = toNumber(data.value);
  if (value === undefined) return [];
  if (QUANTITY_TYPES.has(type)) {
    return [
      {
        kind: 'quantity',
        param,
        value,
        system: str(data.system) ?? null,
        code: str(data.code) ?? null,
        unit: str(data.unit) ?? null,
      },
    ];
  }
  if (type === 'Money') {
    return [
      { kind: 'quantity', param, value, system: ISO_4217, code: str(data.currency) ?? null, unit: null },
    ];
  }
  // Range and SampledData have no single value to compare against.
  return [];
}

function uriRows(param: string, v: TypedValue): Row[] {
  const value = str(v.data);
  if (value === undefined || (v.type !== undefined && !URI_PRIMITIVES.has(v.type) && v.type !== 'string')) {
    return [];
  }
  return [{ kind: 'uri', param, value }];
}

function rowsFor(def: SearchParamDef, v: TypedValue): Row[] {
  switch (def.type) {
    case 'string':
      return stringRows(def.code, v);
    case 'token':
      return tokenRows(def.code, v);
    case 'reference':
      return referenceRows(def, v);
    case 'date':
      return dateRows(def.code, v);
    case 'number':
      return numberRows(def.code, v);
    case 'quantity':
      return quantityRows(def.code, v);
    case 'uri':
      return uriRows(def.code, v);
    case 'composite':
    case 'special':
      return [];
  }
}

// --- compilation -----------------------------------------------------------------------------

const compiled = new Map<string, readonly CompiledParam[]>();
const failures = new Map<string, string>();

function compileParam(resourceType: string, def: SearchParamDef): CompiledParam | undefined {
  try {
    // resolveInternalTypes: false keeps ResourceNodes, whose fhirNodeDataType tells a HumanName
    // from an Address or a Period from a dateTime; the R4 model resolves choice types and `as`.
    const fn = compile(def.expression, r4model, { resolveInternalTypes: false });
    return { def, evaluate: (resource) => fn(resource) as unknown[] };
  } catch (error) {
    failures.set(`${resourceType}.${def.code}`, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** Compiled once per resource type: parsing FHIRPath costs far more than evaluating it. */
function compiledParams(resourceType: string): readonly CompiledParam[] {
  let params = compiled.get(resourceType);
  if (params === undefined) {
    params = [...searchParametersFor(resourceType).values()]
      .map((def) => compileParam(resourceType, def))
      .filter((p): p is CompiledParam => p !== undefined);
    compiled.set(resourceType, params);
  }
  return params;
}

/**
 * The parameters (`Type.code`) whose expression fhirpath.js could not compile, with the error:
 * they are never indexed. Only types already used by extractIndex are known.
 */
export function unindexableParameters(): ReadonlyMap<string, string> {
  return failures;
}

function rowKey(row: Row): string {
  switch (row.kind) {
    case 'string':
      return JSON.stringify([row.kind, row.param, row.value]);
    case 'token':
      return JSON.stringify([row.kind, row.param, row.system, row.code, row.text]);
    case 'reference':
      return JSON.stringify([row.kind, row.param, row.targetType, row.targetId, row.reference]);
    case 'date':
      return JSON.stringify([row.kind, row.param, row.low, row.high]);
    case 'number':
      return JSON.stringify([row.kind, row.param, row.value]);
    case 'quantity':
      return JSON.stringify([row.kind, row.param, row.value, row.system, row.code, row.unit]);
    case 'uri':
      return JSON.stringify([row.kind, row.param, row.value]);
  }
}

/**
 * The search index rows of one resource: for each R4 search parameter of its type, the values its
 * expression selects, converted according to the parameter type. Duplicates are removed. Never
 * throws: a parameter whose expression fails on odd data contributes nothing.
 */
export function extractIndex(resource: { resourceType: string } & Record<string, unknown>): IndexEntry[] {
  if (!isRecord(resource) || typeof resource.resourceType !== 'string') return [];
  const rows = new Map<string, Row>();
  for (const { def, evaluate } of compiledParams(resource.resourceType)) {
    let results: unknown[];
    try {
      results = evaluate(resource);
    } catch {
      continue;
    }
    if (!Array.isArray(results)) continue;
    for (const item of results) {
      const value = toTypedValue(item);
      if (value === undefined) continue;
      for (const row of rowsFor(def, value)) {
        const key = rowKey(row);
        if (!rows.has(key)) rows.set(key, row);
      }
    }
  }
  return [...rows.values()];
}
