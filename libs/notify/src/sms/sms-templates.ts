import type { NotificationTopic } from '@mekong/contracts';
import { DateTime } from 'luxon';
import { toGsm7 } from './gsm7';
import type { SmsCoding } from './sms-encoding';

/** What an SMS may say besides its kind: a time, never why (no diagnosis, test or reason). */
export interface SmsFacts {
  /** When the appointment (or the offered time) is. */
  readonly when?: Date;
  /** A single-use link to confirm or cancel the appointment without signing in (issue 20). */
  readonly link?: string;
}

export type SmsLanguage = 'vi' | 'en';

const ZONE = 'Asia/Ho_Chi_Minh';
const BRAND = 'Mekong Health';

function at(when: Date | undefined, lang: SmsLanguage): string {
  if (!when) return '';
  const t = DateTime.fromJSDate(when).setZone(ZONE);
  return lang === 'vi'
    ? ` lúc ${t.toFormat('HH:mm')} ngày ${t.toFormat('dd/MM/yyyy')}`
    : ` at ${t.toFormat('HH:mm')} on ${t.toFormat('dd/MM/yyyy')}`;
}

/**
 * The SMS of each notification topic, in Vietnamese and English. Built from the topic and the
 * time only — never from the notification's own text, which may name a vaccine, a NEWS2 score or
 * a break-glass reason: health data is sensitive personal data (Law 91/2025), and an SMS is read
 * on a shared phone and kept by the operator. The exhaustive switch makes a new topic choose its
 * words here.
 */
export function smsTemplate(topic: NotificationTopic, facts: SmsFacts, lang: SmsLanguage): string {
  const t = at(facts.when, lang);
  const vi = lang === 'vi';
  switch (topic) {
    case 'appointment-reminder':
      // With a link (the 24 h reminder) the link takes the opt-out line's place: one part still.
      if (facts.link)
        return vi
          ? `${BRAND}: Bạn có lịch khám${t}. Xác nhận hoặc huỷ: ${facts.link}`
          : `${BRAND}: You have an appointment${t}. Confirm or cancel: ${facts.link}`;
      return vi
        ? `${BRAND}: Bạn có lịch khám${t}. Vui lòng vào sớm vài phút. Nhắn HUY để ngừng nhận SMS.`
        : `${BRAND}: You have an appointment${t}. Please join a few minutes early. Reply STOP to opt out.`;
    case 'appointment-booked':
      return vi
        ? `${BRAND}: Lịch khám${t} của bạn đã được đặt. Xem chi tiết trong ứng dụng.`
        : `${BRAND}: Your appointment${t} is booked. See the app for details.`;
    case 'appointment-cancelled':
      return vi
        ? `${BRAND}: Lịch khám${t} của bạn đã bị huỷ. Xem chi tiết trong ứng dụng.`
        : `${BRAND}: Your appointment${t} was cancelled. See the app for details.`;
    case 'waitlist-offer':
      return vi
        ? `${BRAND}: Có lịch khám trống cho bạn${t}. Vui lòng xác nhận sớm trong ứng dụng.`
        : `${BRAND}: An appointment time${t} is free for you. Please confirm it soon in the app.`;
    case 'immunization-reminder':
      return vi
        ? `${BRAND}: Bạn có lịch hẹn tại trạm y tế. Xem chi tiết trong ứng dụng hoặc liên hệ trạm y tế.`
        : `${BRAND}: You have an appointment at your health station. See the app or contact the station.`;
    case 'account-security':
      return vi
        ? `${BRAND}: Mật khẩu của bạn vừa được đặt lại. Nếu bạn không yêu cầu, hãy liên hệ trạm y tế ngay.`
        : `${BRAND}: Your password was just reset. If you did not ask for this, contact your health station at once.`;
    case 'news2-alert':
      return vi
        ? `${BRAND}: Có cảnh báo mới cần bác sĩ xử lý. Mở ứng dụng để xem.`
        : `${BRAND}: A new alert needs a doctor. Open the app to see it.`;
    case 'news2-alert-escalation':
      return vi
        ? `${BRAND}: Một cảnh báo chưa được xác nhận, cần xử lý ngay. Mở ứng dụng để xem.`
        : `${BRAND}: An alert is not acknowledged and needs action now. Open the app to see it.`;
    case 'e-prescription':
      // Not the code nor the drugs: the code is in the app and on the visit summary.
      return vi
        ? `${BRAND}: Đơn thuốc của bạn đã được gửi lên hệ thống đơn thuốc quốc gia. Xem mã đơn trong ứng dụng.`
        : `${BRAND}: Your prescription was sent to the national prescription system. See its code in the app.`;
    case 'econsult':
      return vi
        ? `${BRAND}: Có cập nhật về một yêu cầu tư vấn từ xa. Mở ứng dụng để xem.`
        : `${BRAND}: There is news about a remote consultation request. Open the app to see it.`;
    case 'break-glass':
      return vi
        ? `${BRAND}: Có một lần truy cập khẩn cấp hồ sơ cần giám sát. Mở ứng dụng để xem.`
        : `${BRAND}: An emergency record access needs review. Open the app to see it.`;
  }
}

/** The text to send: Vietnamese without diacritics for GSM-7 (the default), as written for UCS-2. */
export function smsText(
  topic: NotificationTopic,
  facts: SmsFacts,
  lang: SmsLanguage,
  coding: SmsCoding,
): string {
  const text = smsTemplate(topic, facts, lang);
  return coding === 'gsm7' ? toGsm7(text) : text;
}
