/**
 * Runtime check of built tables against the field data (fields.ts) before sending: structure,
 * element order, required values, types/shapes, lengths, one shared MA_LK, XML1 totals equal
 * to the sums of the XML2/XML3 rows.
 */
import { DOMParser, type Element as XElement } from '@xmldom/xmldom';
import { MAX_SECONDARY_DIAGNOSES, TABLES, type TableId } from './fields';
import { parseDec, sum, type Dec } from './money';
import { fieldPattern } from './xsd';
import { hasForbiddenXmlChar } from './xml-text';

export interface ClaimError {
  readonly table: TableId | 'ALL';
  /** Row number (1-based) in repeating tables. */
  readonly row?: number;
  readonly field?: string;
  readonly message: string;
}

function children(el: XElement): XElement[] {
  const out: XElement[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as XElement);
  return out;
}

function validDateTime(v: string, partial: boolean): boolean {
  const mo = Number(v.slice(4, 6));
  const d = Number(v.slice(6, 8));
  const okMo = partial ? mo <= 12 : mo >= 1 && mo <= 12;
  const okD = partial ? d <= 31 : d >= 1 && d <= 31;
  if (!okMo || !okD) return false;
  if (mo >= 1 && d >= 1) {
    const y = Number(v.slice(0, 4));
    if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return false;
  }
  if (v.length === 12) return Number(v.slice(8, 10)) <= 23 && Number(v.slice(10, 12)) <= 59;
  return true;
}

function checkRecord(
  id: TableId,
  el: XElement,
  row: number | undefined,
  errors: ClaimError[],
): Record<string, string> {
  const def = TABLES[id];
  const values: Record<string, string> = {};
  const kids = children(el);
  let k = 0;
  for (const f of def.fields) {
    const at = kids[k];
    if (at && at.tagName === f.name) {
      values[f.name] = at.textContent ?? '';
      k++;
    } else if (f.required) {
      errors.push({ table: id, row, field: f.name, message: 'required element missing or out of order' });
    }
  }
  for (; k < kids.length; k++)
    errors.push({
      table: id,
      row,
      field: kids[k].tagName,
      message: 'unexpected element (unknown or out of order)',
    });

  for (const f of def.fields) {
    const v = values[f.name];
    if (v === undefined) continue;
    const err = (message: string): void => void errors.push({ table: id, row, field: f.name, message });
    if (v === '') {
      if (f.required) err('required value is empty');
      continue;
    }
    if (hasForbiddenXmlChar(v)) err('contains a character not allowed in XML');
    if (f.maxLength !== undefined && [...v].length > f.maxLength)
      err(`longer than ${f.maxLength} characters (${[...v].length})`);
    const p = fieldPattern(f);
    if (p && !new RegExp(`^(?:${p})$`).test(v)) err(`does not match the ${f.kind} format`);
    else if (f.kind === 'datetime12' || f.kind === 'date8') {
      if (!validDateTime(v, f.name === 'NGAY_SINH')) err('is not a real date/time');
    }
  }
  return values;
}

/** Validates a set of table documents; returns every problem found (empty = OK to send). */
export function validateClaim(tables: Partial<Record<TableId, string>>): ClaimError[] {
  const errors: ClaimError[] = [];
  const rows: Partial<Record<TableId, Record<string, string>[]>> = {};
  for (const id of Object.keys(tables) as TableId[]) {
    const text = tables[id];
    const def = TABLES[id];
    if (text === undefined || !def) continue;
    const parseErrors: string[] = [];
    let root: XElement | null = null;
    try {
      const doc = new DOMParser({
        onError: (level: string, msg: string) => {
          if (level !== 'warning') parseErrors.push(msg);
        },
      }).parseFromString(text, 'text/xml');
      root = doc.documentElement;
    } catch (e) {
      parseErrors.push(e instanceof Error ? e.message : String(e));
    }
    if (parseErrors.length > 0 || !root) {
      errors.push({ table: id, message: `not well-formed XML: ${parseErrors[0] ?? 'no root'}` });
      continue;
    }
    if (root.tagName !== def.root) {
      errors.push({ table: id, message: `root element must be ${def.root}, found ${root.tagName}` });
      continue;
    }
    if (!def.repeating) {
      rows[id] = [checkRecord(id, root, undefined, errors)];
      continue;
    }
    const list = children(root).filter((c) => c.tagName === def.list);
    if (list.length !== 1) {
      errors.push({ table: id, message: `needs exactly one ${def.list ?? ''}` });
      continue;
    }
    const recs = children(list[0]);
    if (recs.length === 0) errors.push({ table: id, message: `no ${def.record} rows` });
    rows[id] = recs.map((r, i) => {
      if (r.tagName !== def.record)
        errors.push({ table: id, row: i + 1, message: `expected ${def.record}, found ${r.tagName}` });
      return checkRecord(id, r, i + 1, errors);
    });
  }

  const keys = new Set<string>();
  for (const rs of Object.values(rows)) for (const r of rs ?? []) if (r.MA_LK) keys.add(r.MA_LK);
  if (keys.size > 1)
    errors.push({
      table: 'ALL',
      field: 'MA_LK',
      message: `tables carry different MA_LK values: ${[...keys].join(', ')}`,
    });

  const x1 = rows.XML1?.[0];
  for (const id of ['XML1', 'XML14'] as const) {
    const kt = rows[id]?.[0]?.MA_BENH_KT ?? '';
    if (kt !== '' && kt.split(';').length > MAX_SECONDARY_DIAGNOSES) {
      errors.push({ table: id, field: 'MA_BENH_KT', message: `more than ${MAX_SECONDARY_DIAGNOSES} codes` });
    }
  }
  if (x1) {
    const lines = [...(rows.XML2 ?? []), ...(rows.XML3 ?? [])];
    const total = (field: string, of: Record<string, string>[]): Dec | null => {
      const vs = of.map((r) => parseDec(r[field] ?? '0'));
      return vs.some((v) => v === null) ? null : sum(vs as Dec[]);
    };
    const expect: Array<[string, Dec | null]> = [
      ['T_THUOC', total('THANH_TIEN_BV', rows.XML2 ?? [])],
      [
        'T_VTYT',
        total(
          'THANH_TIEN_BV',
          (rows.XML3 ?? []).filter((r) => (r.MA_VAT_TU ?? '') !== ''),
        ),
      ],
      ['T_TONGCHI_BV', total('THANH_TIEN_BV', lines)],
      ['T_TONGCHI_BH', total('THANH_TIEN_BH', lines)],
      ['T_BNTT', total('T_BNTT', lines)],
      ['T_BNCCT', total('T_BNCCT', lines)],
      ['T_BHTT', total('T_BHTT', lines)],
      ['T_NGUONKHAC', total('T_NGUONKHAC', lines)],
    ];
    // Only reconcile when the detail tables were sent (an uninsured claim may omit them).
    if (rows.XML2 || rows.XML3) {
      for (const [field, want] of expect) {
        const got = parseDec(x1[field] ?? '');
        if (want !== null && got !== null && got !== want) {
          errors.push({ table: 'XML1', field, message: `does not equal the sum of the detail rows` });
        }
      }
    }
  }
  return errors;
}
