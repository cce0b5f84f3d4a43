/** Someone in the doctor's waiting room, as `GET /consultation/waiting` answers. */
export interface WaitingEntry {
  appointmentId: string;
  participantId: string;
  role: 'host' | 'patient' | 'guest';
  actor: string;
  reason: string;
  /** Triage priority: 1 is the most urgent; 0 or absent means not triaged. */
  priority: number;
  since: string;
}

/** Not triaged (FHIR priority 0 = undefined) comes after every triaged level. */
const rank = (p: number): number => (Number.isFinite(p) && p > 0 ? p : Number.MAX_SAFE_INTEGER);

/** Most urgent first (priority 1 before 9), then who has waited longest. */
export function sortWaiting(list: readonly WaitingEntry[]): WaitingEntry[] {
  return [...list].sort(
    (a, b) => rank(a.priority) - rank(b.priority) || Date.parse(a.since) - Date.parse(b.since),
  );
}

/** Whole minutes waited at `now`. */
export function minutesWaiting(since: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / 60000));
}
