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
  SCHEDULING_LINK_NOT_FOUND:
    'Liên kết không hợp lệ. Hãy mở lại liên kết trong tin nhắn hoặc liên hệ cơ sở y tế.',
  SCHEDULING_LINK_USED: 'Liên kết này đã được sử dụng. Mỗi liên kết chỉ dùng được một lần.',
  SCHEDULING_LINK_EXPIRED: 'Liên kết này đã hết hạn. Hãy liên hệ cơ sở y tế nếu cần đổi lịch.',
  SCHEDULING_LINK_APPOINTMENT_CLOSED: 'Lịch hẹn này đã hủy hoặc đã kết thúc, không thể thay đổi nữa.',
  SCHEDULING_LINK_ACTION: 'Liên kết này chỉ dùng để hủy lịch.',
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
  SCHEDULING_LINK_NOT_FOUND:
    'This link is not valid. Open the link in your message again or contact the clinic.',
  SCHEDULING_LINK_USED: 'This link has already been used. Each link works only once.',
  SCHEDULING_LINK_EXPIRED:
    'This link has expired. Contact the clinic if you need to change your appointment.',
  SCHEDULING_LINK_APPOINTMENT_CLOSED:
    'This appointment was cancelled or is over; it can no longer be changed.',
  SCHEDULING_LINK_ACTION: 'This link can only cancel the appointment.',
  TOO_MANY_REQUESTS: 'Too many tries. Wait a minute and try again.',
  failed: 'Could not send. Check your connection and try again.',
  retry: 'Try again',
  signInHint: 'You do not need to sign in to use this link.',
};

registerMessages('actionLink', { vi, en });

export const ACTION_LINK_MESSAGES = { vi, en };
