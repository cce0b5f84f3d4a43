import { registerMessages } from '../i18n';

/** Strings of the shared date and time fields (namespace `fields`), Vietnamese first. Same keys in both. */
export const FIELD_MESSAGES = {
  vi: {
    dateHint: 'Ngày/tháng/năm, ví dụ 02/10/1958',
    timeHint: 'Giờ:phút theo 24 giờ, ví dụ 14:30',
    date: {
      format: 'Nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy), năm đủ 4 chữ số, ví dụ 02/10/1958.',
      nonexistent: 'Ngày này không có trên lịch (ví dụ 31/02). Kiểm tra lại ngày và tháng.',
      tooEarly: 'Ngày phải từ {{min}} trở đi.',
      tooLate: 'Ngày không được sau {{max}}.',
    },
    time: {
      format: 'Nhập giờ theo dạng 24 giờ HH:mm, ví dụ 09:05 hoặc 14:30.',
      nonexistent: 'Giờ từ 00 đến 23, phút từ 00 đến 59 (ví dụ 23:59; không có 24:00).',
      tooEarly: 'Giờ phải từ {{min}} trở đi.',
      tooLate: 'Giờ không được sau {{max}}.',
    },
    partDate: '{{label}}: ngày',
    partTime: '{{label}}: giờ',
  },
  en: {
    dateHint: 'Day/month/year, e.g. 02/10/1958',
    timeHint: 'Hours:minutes on the 24-hour clock, e.g. 14:30',
    date: {
      format: 'Enter the date as day/month/year (dd/mm/yyyy) with a 4-digit year, e.g. 02/10/1958.',
      nonexistent: 'This day is not on the calendar (e.g. 31/02). Check the day and the month.',
      tooEarly: 'The date must be {{min}} or later.',
      tooLate: 'The date cannot be after {{max}}.',
    },
    time: {
      format: 'Enter the time on the 24-hour clock as HH:mm, e.g. 09:05 or 14:30.',
      nonexistent: 'Hours 00 to 23, minutes 00 to 59 (e.g. 23:59; there is no 24:00).',
      tooEarly: 'The time must be {{min}} or later.',
      tooLate: 'The time cannot be after {{max}}.',
    },
    partDate: '{{label}}: date',
    partTime: '{{label}}: time',
  },
} as const;

registerMessages('fields', FIELD_MESSAGES);
