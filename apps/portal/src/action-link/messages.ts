/** Strings of the appointment action-link page (namespace `actionLink`), Vietnamese first. */
import { registerMessages } from '../i18n';

const vi = {
  title: 'Lịch hẹn khám',
  loading: 'Đang mở lịch hẹn…',
  when: 'Thời gian',
  status: 'Trạng thái',
  status_booked: 'Đã đặt',
  status_pending: 'Đang chờ xác nhận',
  status_cancelled: 'Đã hủy',
  question: 'Bạn có đến khám theo lịch này không?',
  confirm: 'Xác nhận sẽ đến',
  cancel: 'Hủy lịch hẹn',
  cancelSure: 'Bạn chắc chắn muốn hủy lịch hẹn này? Giờ khám sẽ được nhường cho người khác.',
  cancelYes: 'Có, hủy lịch',
  cancelNo: 'Không, giữ lịch',
  working: 'Đang gửi…',
  confirmed: 'Cảm ơn bạn. Lịch hẹn đã được xác nhận.',
  cancelled: 'Lịch hẹn đã được hủy.',
  noToken: 'Liên kết không đầy đủ. Hãy mở lại liên kết trong tin nhắn.',
  TOO_MANY_REQUESTS: 'Bạn đã thử quá nhiều lần. Hãy đợi một phút rồi thử lại.',
  failed: 'Không gửi được. Hãy kiểm tra mạng và thử lại.',
  retry: 'Thử lại',
  signInHint: 'Bạn không cần đăng nhập để dùng liên kết này.',
};

const en: typeof vi = {
  title: 'Your appointment',
  loading: 'Opening your appointment…',
  when: 'Time',
  status: 'Status',
  status_booked: 'Booked',
  status_pending: 'Waiting for confirmation',
  status_cancelled: 'Cancelled',
  question: 'Will you come to this appointment?',
  confirm: 'Confirm I will come',
  cancel: 'Cancel the appointment',
  cancelSure: 'Are you sure you want to cancel this appointment? The time will be offered to someone else.',
  cancelYes: 'Yes, cancel it',
  cancelNo: 'No, keep it',
  working: 'Sending…',
  confirmed: 'Thank you. Your appointment is confirmed.',
  cancelled: 'Your appointment has been cancelled.',
  noToken: 'This link is incomplete. Open the link in your message again.',
  TOO_MANY_REQUESTS: 'Too many tries. Wait a minute and try again.',
  failed: 'Could not send. Check your connection and try again.',
  retry: 'Try again',
  signInHint: 'You do not need to sign in to use this link.',
};

registerMessages('actionLink', { vi, en });

export const ACTION_LINK_MESSAGES = { vi, en };
