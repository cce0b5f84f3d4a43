import { XMLParser } from 'fast-xml-parser';
import { TABLES, type TableId } from '../xml130/fields';
import type { ClaimTables } from '../xml130/build-claim';
import { HEALTH_BOOK_FIELDS, HEALTH_BOOK_TABLES, itemFields, visitFields } from './fields';

/** One element value or a list of item records (element name → text). */
export type BookRecord = Record<string, string | Record<string, string>[]>;

/** The whole-record book (JSON; QĐ 31 Điều 2 k3 groups, element names per fields.ts). */
export interface HealthBook {
  readonly HANH_CHINH: Record<string, string>;
  readonly TIEN_SU: {
    readonly DI_UNG: Record<string, string>[];
    readonly BENH_TAT: Record<string, string>[];
    readonly TIEM_CHUNG: Record<string, string>[];
  };
  readonly DOT_KCB: BookRecord[];
}

const parser = new XMLParser({ parseTagValue: false, trimValues: false, ignoreDeclaration: true });

/** The records of one claim table (one for XML1/XML8, one per row for the others). */
export function recordsOf(id: TableId, xml: string): Record<string, string>[] {
  const def = TABLES[id];
  const doc = parser.parse(xml) as Record<string, unknown>;
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown, name: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, name));
    if (!node || typeof node !== 'object') return;
    if (name === def.record) {
      found.push(node as Record<string, unknown>);
      return;
    }
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(doc, '');
  return found.map((r) => {
    const out: Record<string, string> = {};
    for (const fd of def.fields) {
      const v = r[fd.name];
      out[fd.name] = v === undefined || v === null || typeof v === 'object' ? '' : String(v);
    }
    return out;
  });
}

/** Only the tables the book is made of (QĐ 2733 Phụ lục 02), in table order. */
export function bookTables(tables: ClaimTables): ClaimTables {
  const out: ClaimTables = {};
  for (const id of HEALTH_BOOK_TABLES) if (tables[id]) out[id] = tables[id];
  return out;
}

const pick = (rec: Record<string, string> | undefined, names: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = rec?.[n] ?? '';
  return out;
};

/** One visit of the whole-record book, copied from the visit's claim tables (no re-derivation). */
export function visitOf(tables: ClaimTables): BookRecord {
  const x1 = tables.XML1 ? recordsOf('XML1', tables.XML1)[0] : undefined;
  const rows = (id: TableId, list: string): Record<string, string>[] =>
    tables[id]
      ? recordsOf(id, tables[id]).map((r) =>
          pick(
            r,
            itemFields(list).map((x) => x.name),
          ),
        )
      : [];
  const out: BookRecord = {};
  for (const fd of visitFields()) {
    if (!fd.list) out[fd.name] = x1?.[fd.name] ?? '';
    else out[fd.name] = rows(fd.from!.table, fd.name);
  }
  return out;
}

/** The identity group from a visit's XML1 (newest visit first). */
export function identityOf(xml1: string | undefined): Record<string, string> {
  const rec = xml1 ? recordsOf('XML1', xml1)[0] : undefined;
  const out: Record<string, string> = {};
  for (const fd of HEALTH_BOOK_FIELDS.filter((x) => x.group === 'HANH_CHINH'))
    out[fd.name] = rec?.[fd.name] ?? '';
  return out;
}

/**
 * JSON Schema (draft 2020-12) of the whole-record book, written from HEALTH_BOOK_FIELDS: every
 * element of the field table, nothing else.
 */
export function healthBookJsonSchema(): Record<string, unknown> {
  const strings = (names: readonly string[]) => ({
    type: 'object',
    additionalProperties: false,
    required: [...names],
    properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])),
  });
  const listOf = (list: string) => ({ type: 'array', items: strings(itemFields(list).map((x) => x.name)) });
  const group = (g: string) => HEALTH_BOOK_FIELDS.filter((x) => x.group === g && !x.parent);
  const visit = {
    type: 'object',
    additionalProperties: false,
    required: visitFields().map((x) => x.name),
    properties: Object.fromEntries(
      visitFields().map((x) => [x.name, x.list ? listOf(x.name) : { type: 'string' }]),
    ),
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Sổ sức khỏe điện tử — whole-record summary (Mekong Health; fields.ts)',
    type: 'object',
    additionalProperties: false,
    required: ['HANH_CHINH', 'TIEN_SU', 'DOT_KCB'],
    properties: {
      HANH_CHINH: strings(group('HANH_CHINH').map((x) => x.name)),
      TIEN_SU: {
        type: 'object',
        additionalProperties: false,
        required: group('TIEN_SU').map((x) => x.name),
        properties: Object.fromEntries(group('TIEN_SU').map((x) => [x.name, listOf(x.name)])),
      },
      DOT_KCB: { type: 'array', items: visit },
    },
  };
}
