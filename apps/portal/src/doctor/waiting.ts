/** Someone in the doctor's waiting room, as `GET /consultation/waiting` answers (the shared contract). */
export type { WaitingEntry } from '../../../../libs/contracts/src';
import type { WaitingEntry } from '../../../../libs/contracts/src';

/** Not triaged (FHIR priority 0 = undefined) comes after every triaged level. */
const rank = (p: number | undefined): number =>
  p !== undefined && Number.isFinite(p) && p > 0 ? p : Number.MAX_SAFE_INTEGER;

/**
 * Most urgent first (priority 1 before 9), then who has waited longest. `priorityOf` gives the
 * priority shown (default: the entry's own).
 */
export function sortWaiting(
  list: readonly WaitingEntry[],
  priorityOf: (entry: WaitingEntry) => number | undefined = (entry) => entry.priority,
): WaitingEntry[] {
  return [...list].sort(
    (a, b) => rank(priorityOf(a)) - rank(priorityOf(b)) || Date.parse(a.since) - Date.parse(b.since),
  );
}

/** Whole minutes waited at `now`. */
export function minutesWaiting(since: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / 60000));
}

/**
 * How a triage priority is shown, the same on every doctor's screen (issue 18 item 11): FHIR
 * `Appointment.priority` 1–2 urgent, 3 and above routine, 0 or absent not triaged. `key` is the
 * message key under `doctor:priority`, `value` the number shown with it.
 */
export function priorityLevel(priority: number | undefined): {
  key: 'urgent' | 'routine' | 'notTriaged';
  value?: number;
} {
  if (priority === undefined || !Number.isFinite(priority) || priority <= 0) return { key: 'notTriaged' };
  return { key: priority <= 2 ? 'urgent' : 'routine', value: priority };
}

/**
 * The priority of someone in the waiting room: their appointment's, when the doctor's list has it.
 * The server answers 5 for an appointment without a priority, so its number alone would call an
 * untriaged patient "5" while the schedule says "not triaged".
 */
export function waitingPriority(
  entry: Pick<WaitingEntry, 'priority'>,
  appointment: { priority?: number } | undefined,
): number | undefined {
  return appointment ? appointment.priority : entry.priority;
}
