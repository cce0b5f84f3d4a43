/**
 * The rows of a raw TypeORM query. TypeORM answers UPDATE and DELETE (… RETURNING) with
 * `[rows, affectedCount]` and every other command with the rows themselves; this hides the difference.
 */
export function rowsOf<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number')
    return raw[0] as T[];
  return raw as T[];
}
