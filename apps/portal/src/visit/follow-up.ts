/**
 * The re-visit appointment ("giấy hẹn khám lại") given when the doctor ends the visit: a day and a
 * time on Vietnam's clock, sent as `followUp.at` with the +07:00 offset whatever the device's zone,
 * and checked here with the server's limits (libs/consultation FollowUpDto and followUpProblems:
 * after the end of the visit, at most 365 days later).
 */

/** How far ahead a re-visit may be appointed (the server's FOLLOW_UP_MAX_DAYS). */
export const FOLLOW_UP_MAX_DAYS = 365;
/** Vietnam's offset: no daylight saving time. */
export const VN_OFFSET = '+07:00';

/** What the doctor typed: `<input type="date">` (YYYY-MM-DD) and `<input type="time">` (HH:mm). */
export interface FollowUpDraft {
  date: string;
  time: string;
}

export const emptyFollowUp = (): FollowUpDraft => ({ date: '', time: '' });

/** Nothing entered: no re-visit is appointed. */
export const isBlankFollowUp = (d: FollowUpDraft): boolean => !d.date.trim() && !d.time.trim();

/** `followUp.at` of the end payload: `2026-12-20T08:00:00+07:00`; undefined when not a real day and time. */
export function followUpAt(d: FollowUpDraft): string | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.date.trim());
  const time = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?$/.exec(d.time.trim());
  if (!date || !time) return undefined;
  const [, y, m, day] = date.map(Number) as [number, number, number, number];
  const check = new Date(Date.UTC(y, m - 1, day));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day)
    return undefined;
  return `${d.date.trim()}T${time[1]}:${time[2]}:00${VN_OFFSET}`;
}

/** A problem with the re-visit: the message key (namespace `visit`, under `followUp.`) and its values. */
export interface FollowUpProblem {
  field: 'date' | 'time';
  key: string;
  values?: Record<string, string | number>;
}

/** What is wrong with the re-visit if the visit ended at `now` (undefined: fine, or nothing entered). */
export function followUpProblem(d: FollowUpDraft, now: Date = new Date()): FollowUpProblem | undefined {
  if (isBlankFollowUp(d)) return undefined;
  if (!d.date.trim()) return { field: 'date', key: 'followUp.dateNeeded' };
  if (!d.time.trim()) return { field: 'time', key: 'followUp.timeNeeded' };
  const at = followUpAt(d);
  if (!at) return { field: 'date', key: 'followUp.invalid' };
  const ms = Date.parse(at);
  if (ms <= now.getTime()) return { field: 'date', key: 'followUp.past' };
  if (ms - now.getTime() > FOLLOW_UP_MAX_DAYS * 86_400_000)
    return { field: 'date', key: 'followUp.tooFar', values: { max: FOLLOW_UP_MAX_DAYS } };
  return undefined;
}
