import type { NotificationTopic } from '@mekong/contracts';
import { DateTime } from 'luxon';
import type { OutgoingNotification } from '../channels/channel';

/** What an email may say besides its kind: a time and where the app is, never why. */
export interface EmailFacts {
  /** When the appointment (or the offered time) is. */
  readonly when?: Date;
  /** The portal's address (PUBLIC_URL), linked from the email. */
  readonly appUrl?: string;
  /** A single-use link to confirm or cancel the appointment without signing in (issue 20). */
  readonly actionUrl?: string;
}

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export type EmailLanguage = 'vi' | 'en';

interface Words {
  readonly subject: string;
  readonly body: string;
}

const ZONE = 'Asia/Ho_Chi_Minh';
const BRAND = 'Mekong Health';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function at(when: Date | undefined, lang: EmailLanguage): string {
  if (!when) return '';
  const t = DateTime.fromJSDate(when).setZone(ZONE);
  return lang === 'vi'
    ? ` lúc ${t.toFormat('HH:mm')} ngày ${t.toFormat('dd/MM/yyyy')} (giờ Việt Nam)`
    : ` at ${t.toFormat('HH:mm')} on ${t.toFormat('dd/MM/yyyy')} (Vietnam time)`;
}

/**
 * The words of each notification topic, from the topic and the time only — never from the
 * notification's own title or text, which may name a vaccine, a NEWS2 score, a diagnosis or a
 * break-glass reason: health data is sensitive personal data (Law 91/2025), and an email sits in
 * a mailbox other people may read and on servers the clinic does not run. The exhaustive switch
 * makes a new topic choose its words here (as in sms-templates.ts).
 */
function words(topic: NotificationTopic, when: Date | undefined, lang: EmailLanguage): Words {
  const t = at(when, lang);
  const vi = lang === 'vi';
  switch (topic) {
    case 'appointment-reminder':
      return vi
        ? { subject: 'Nhắc lịch khám', body: `Bạn có lịch khám${t}. Vui lòng vào sớm vài phút.` }
        : {
            subject: 'Appointment reminder',
            body: `You have an appointment${t}. Please join a few minutes early.`,
          };
    case 'appointment-booked':
      return vi
        ? {
            subject: 'Đã đặt lịch khám',
            body: `Lịch khám${t} của bạn đã được đặt. Xem chi tiết trong ứng dụng.`,
          }
        : {
            subject: 'Appointment booked',
            body: `Your appointment${t} is booked. See the app for details.`,
          };
    case 'appointment-cancelled':
      return vi
        ? {
            subject: 'Lịch khám đã bị huỷ',
            body: `Lịch khám${t} của bạn đã bị huỷ. Xem chi tiết trong ứng dụng.`,
          }
        : {
            subject: 'Appointment cancelled',
            body: `Your appointment${t} was cancelled. See the app for details.`,
          };
    case 'waitlist-offer':
      return vi
        ? {
            subject: 'Có lịch khám trống',
            body: `Có lịch khám trống cho bạn${t}. Vui lòng xác nhận sớm trong ứng dụng.`,
          }
        : {
            subject: 'An appointment time is free',
            body: `An appointment time${t} is free for you. Please confirm it soon in the app.`,
          };
    case 'immunization-reminder':
      return vi
        ? {
            subject: 'Nhắc lịch hẹn',
            body: 'Bạn có lịch hẹn tại trạm y tế. Xem chi tiết trong ứng dụng hoặc liên hệ trạm y tế.',
          }
        : {
            subject: 'Appointment reminder',
            body: 'You have an appointment at your health station. See the app or contact the station.',
          };
    case 'account-security':
      return vi
        ? {
            subject: 'Mật khẩu đã được đặt lại',
            body: 'Mật khẩu của bạn vừa được đặt lại. Nếu bạn không yêu cầu, hãy liên hệ trạm y tế ngay.',
          }
        : {
            subject: 'Password reset',
            body: 'Your password was just reset. If you did not ask for this, contact your health station at once.',
          };
    case 'news2-alert':
      return vi
        ? { subject: 'Cảnh báo mới', body: 'Có cảnh báo mới cần bác sĩ xử lý. Mở ứng dụng để xem.' }
        : { subject: 'New alert', body: 'A new alert needs a doctor. Open the app to see it.' };
    case 'news2-alert-escalation':
      return vi
        ? {
            subject: 'Cảnh báo chưa được xác nhận',
            body: 'Một cảnh báo chưa được xác nhận, cần xử lý ngay. Mở ứng dụng để xem.',
          }
        : {
            subject: 'Alert not acknowledged',
            body: 'An alert is not acknowledged and needs action now. Open the app to see it.',
          };
    case 'e-prescription':
      return vi
        ? {
            subject: 'Đơn thuốc điện tử',
            body: 'Đơn thuốc của bạn đã được gửi lên hệ thống đơn thuốc quốc gia. Xem mã đơn thuốc trong ứng dụng.',
          }
        : {
            subject: 'Electronic prescription',
            body: 'Your prescription was sent to the national prescription system. See its code in the app.',
          };
    case 'econsult':
      return vi
        ? {
            subject: 'Cập nhật yêu cầu tư vấn từ xa',
            body: 'Có cập nhật về một yêu cầu tư vấn từ xa. Mở ứng dụng để xem.',
          }
        : {
            subject: 'Remote consultation update',
            body: 'There is news about a remote consultation request. Open the app to see it.',
          };
    case 'break-glass':
      return vi
        ? {
            subject: 'Truy cập khẩn cấp cần giám sát',
            body: 'Có một lần truy cập khẩn cấp hồ sơ cần giám sát. Mở ứng dụng để xem.',
          }
        : {
            subject: 'Emergency access to review',
            body: 'An emergency record access needs review. Open the app to see it.',
          };
  }
}

const FOOTER: Record<EmailLanguage, string> = {
  vi: 'Đây là thư tự động, vui lòng không trả lời.',
  en: 'This is an automatic message; please do not reply.',
};
const OPEN_APP: Record<EmailLanguage, string> = { vi: 'Mở ứng dụng', en: 'Open the app' };
const CONFIRM_OR_CANCEL: Record<EmailLanguage, string> = {
  vi: 'Xác nhận hoặc huỷ lịch',
  en: 'Confirm or cancel',
};

/**
 * The email of a notification in both languages, the recipient's first (`first`: Vietnamese unless
 * the record says they prefer English) and the other below, as plain text and as HTML with every
 * interpolated value escaped. Takes the topic, not the notification: its title and text are never
 * read.
 */
export function emailMessage(
  topic: NotificationTopic,
  facts: EmailFacts,
  first: EmailLanguage = 'vi',
): EmailMessage {
  const order: EmailLanguage[] = first === 'en' ? ['en', 'vi'] : ['vi', 'en'];
  const w = order.map((lang) => ({ lang, ...words(topic, facts.when, lang) }));
  const subject = `${BRAND}: ${w.map((x) => x.subject).join(' / ')}`;
  const link = facts.appUrl;
  const text = [
    ...w.flatMap((x, i) => [
      ...(i > 0 ? ['---', ''] : []),
      x.body,
      ...(facts.actionUrl ? [`${CONFIRM_OR_CANCEL[x.lang]}: ${facts.actionUrl}`] : []),
      ...(link ? [`${OPEN_APP[x.lang]}: ${link}`] : []),
      '',
      FOOTER[x.lang],
      '',
    ]),
    `— ${BRAND}`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const anchor = (lang: EmailLanguage): string =>
    (facts.actionUrl ? `<p><a href="${e(facts.actionUrl)}">${e(CONFIRM_OR_CANCEL[lang])}</a></p>` : '') +
    (link ? `<p><a href="${e(link)}">${e(OPEN_APP[lang])}</a></p>` : '');
  const html = [
    '<!doctype html>',
    `<html lang="${first === 'en' ? 'en' : 'vi'}">`,
    '<head><meta charset="utf-8"><title>' + e(subject) + '</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.5">',
    w
      .map(
        (x) =>
          `<div lang="${x.lang}"><p>${e(x.body)}</p>${anchor(x.lang)}<p><small>${e(FOOTER[x.lang])}</small></p></div>`,
      )
      .join('\n<hr>\n'),
    `<p>— ${e(BRAND)}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/** The email of this notification: its topic only (its title and text may hold health data). */
export function emailFor(
  n: Pick<OutgoingNotification, 'topic'>,
  facts: EmailFacts,
  first: EmailLanguage = 'vi',
): EmailMessage {
  return emailMessage(n.topic, facts, first);
}
