import { DateTime } from 'luxon';
import type { NotificationTopic } from '@mekong/contracts';

/** Vietnam's time zone: quiet hours are on the recipient's wall clock there. */
const ZONE = 'Asia/Ho_Chi_Minh';
/** Quiet hours as minutes of the Vietnam day: from `from` (included) to `until` (excluded), across midnight when from > until. */
export interface QuietHours {
  readonly from: number;
  readonly until: number;
}

/** Issue 20's quiet hours (LOCAL POLICY): from 21:00 to 07:00 in Vietnam (NOTIFY_QUIET_HOURS). */
export const DEFAULT_QUIET_HOURS: QuietHours = { from: 21 * 60, until: 7 * 60 };

/**
 * Messages that go out at any hour: a patient's deteriorating vital signs (NEWS2 alert and its
 * escalation) and an emergency access to a record (break-glass) are for clinicians and security,
 * and a notice about one's own account (a new sign-in, a changed password) must not wait until
 * morning. Everything else — reminders, bookings, offers, e-consult notices — waits.
 */
export const URGENT_TOPICS: ReadonlySet<NotificationTopic> = new Set<NotificationTopic>([
  'news2-alert',
  'news2-alert-escalation',
  'break-glass',
  'account-security',
]);

/**
 * When a non-urgent message created at `now` may go out: `now` outside quiet hours, else the end of
 * quiet hours in Vietnam (their first minute is quiet, the minute they end at is not).
 */
export function notBefore(now: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  const t = DateTime.fromJSDate(now, { zone: ZONE });
  const minute = t.hour * 60 + t.minute;
  const crossesMidnight = quiet.from > quiet.until;
  const inQuiet = crossesMidnight
    ? minute >= quiet.from || minute < quiet.until
    : minute >= quiet.from && minute < quiet.until;
  if (!inQuiet) return now;
  const end = t.startOf('day').plus({ minutes: quiet.until });
  return (crossesMidnight && minute >= quiet.from ? end.plus({ days: 1 }) : end).toJSDate();
}
