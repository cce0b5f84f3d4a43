import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from `key` (SHA-1), so recreating the same thing (a slot of a rule at a
 * start time, the Encounter of a visit) yields the same id and a retry never makes a second one.
 */
export function stableUuid(key: string): string {
  const h = createHash('sha1').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
