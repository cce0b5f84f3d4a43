import { unstorableText } from '@mekong/common';
import { dateRange } from '@mekong/fhir';

/** The SQL types a keyset cursor's values are bound as. */
export type CursorCast = 'text' | 'timestamptz' | 'numeric' | 'int' | 'uuid';

/** Whether a cursor value can be bound as `cast` without PostgreSQL refusing it. */
export function cursorValueFits(v: unknown, cast: string): boolean {
  switch (cast) {
    case 'text':
      return typeof v === 'string' && unstorableText(v) === undefined;
    case 'timestamptz':
      return typeof v === 'string' && (v === 'infinity' || v === '-infinity' || dateRange(v) !== undefined);
    case 'numeric':
      return (typeof v === 'number' && Number.isFinite(v)) || v === 'Infinity' || v === '-Infinity';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2147483647;
    case 'uuid':
      return (
        typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
      );
    default:
      return false;
  }
}

/**
 * The key values a `_cursor` (base64url JSON array) carries, one per key and each bindable as its
 * key's type; undefined for anything else. A client can send any base64url JSON: a wrong shape
 * must be a 400, not a cast error in SQL.
 */
export function decodeCursor(cursor: string, casts: readonly string[]): unknown[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
  if (!Array.isArray(values) || values.length !== casts.length) return undefined;
  return values.every((v, i) => cursorValueFits(v, casts[i] as string)) ? values : undefined;
}
