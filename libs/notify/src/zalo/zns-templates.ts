import type { NotificationTopic } from '@mekong/contracts';
import { DateTime } from 'luxon';

/**
 * What a ZNS message may carry: the time, a name the person gave, a short code. Never a diagnosis,
 * a test, a vaccine or the reason for a visit (Law 91/2025): Zalo is a third party, and the
 * template's fixed words are approved by Zalo in advance.
 */
export interface ZnsFacts {
  /** When the appointment (or the offered time) is. */
  readonly when?: Date;
  /** The name in the recipient's record (their given names), at most 30 characters. */
  readonly name?: string;
  /** A short reference the clinic can look up (the notification's number). */
  readonly code: string;
}

const ZONE = 'Asia/Ho_Chi_Minh';
/** ZNS parameter lengths: a customer name or a code at most 30 characters [unverified, see docs]. */
const MAX = 30;

const time = (when: Date | undefined): string =>
  when ? DateTime.fromJSDate(when).setZone(ZONE).toFormat('HH:mm dd/MM/yyyy') : '';

/**
 * The template_data of each topic: the parameters its approved template declares (`name`, `time`,
 * `code`; docs/notifications-zalo.md lists them for whoever registers the templates). The
 * exhaustive switch makes a new topic choose here what Zalo may be told.
 */
export function znsTemplateData(topic: NotificationTopic, f: ZnsFacts): Record<string, string> {
  const name = (f.name ?? '').trim().slice(0, MAX) || 'Quý khách';
  const code = f.code.slice(0, MAX);
  switch (topic) {
    case 'appointment-booked':
    case 'appointment-reminder':
    case 'appointment-cancelled':
    case 'waitlist-offer':
      return { name, time: time(f.when), code };
    case 'immunization-reminder':
    case 'account-security':
    case 'news2-alert':
    case 'news2-alert-escalation':
    case 'econsult':
    case 'e-prescription':
    case 'break-glass':
      return { name, code };
  }
}
