/** Strings of the station's offline work (outbox, sync, conflicts), Vietnamese first, same keys. */
import { registerMessages } from '../../i18n';

export const OFFLINE_MESSAGES = {
  vi: {
    banner: {
      offline:
        'Đang mất kết nối. Bạn vẫn có thể đăng ký, ghi sinh hiệu, khai triệu chứng và đặt giờ đã tìm; dữ liệu được lưu trên máy này.',
      waiting_one: '{{count}} mục đang chờ gửi',
      waiting_other: '{{count}} mục đang chờ gửi',
      attention_one: '{{count}} mục cần bạn xử lý',
      attention_other: '{{count}} mục cần bạn xử lý',
      open: 'Xem hàng chờ gửi',
      others: 'Máy này còn {{count}} mục chưa gửi của người dùng khác; chỉ người đó đăng nhập mới gửi được.',
    },
    outbox: {
      heading: 'Hàng chờ gửi',
      intro: 'Những gì nhập khi mất mạng được lưu trên máy này và tự gửi khi có mạng trở lại.',
      empty: 'Không có mục nào trên máy này.',
      sendNow: 'Gửi ngay',
      sending: 'Đang gửi…',
      stoppedOffline: 'Chưa có mạng; sẽ tự gửi khi có mạng trở lại.',
      stoppedSignedOut: 'Phiên đăng nhập đã hết: hãy đăng nhập lại (đúng tài khoản này) để gửi.',
      stoppedLater: 'Máy chủ chưa nhận được; sẽ thử lại sau.',
      kind: {
        register: 'Đăng ký bệnh nhân',
        vitals: 'Sinh hiệu',
        update: 'Sửa thông tin liên hệ',
        triage: 'Khai triệu chứng trước khám',
        booking: 'Yêu cầu đặt lịch',
      },
      triageLevel: 'Kết quả đánh giá của máy chủ: {{level}}',
      level: { emergency: 'Cấp cứu', urgent: 'Khẩn', routine: 'Thông thường' },
      triageEmergency: 'Cấp cứu: gọi 115 ngay nếu bệnh nhân chưa được cấp cứu. Không đặt lịch khám từ xa.',
      triageNoLevel: 'Đã gửi; chưa đọc được kết quả đánh giá – xem trên trang bệnh nhân.',
      bookingDone: 'Đã đặt lịch lúc {{at}}.',
      bookingWaitsTriage: 'Chờ gửi xong phần khai triệu chứng đi kèm.',
      slotTaken:
        'Giờ khám này đã có người đặt trong lúc mất mạng. Lịch KHÔNG được tự đặt sang giờ khác: hãy chọn giờ khác với bệnh nhân.',
      captured: 'Nhập lúc {{at}}',
      synced: 'Đã gửi lúc {{at}}',
      state: {
        waiting: 'Đang chờ gửi',
        sent: 'Đã gửi',
        conflict: 'Xung đột – cần xử lý',
        refused: 'Máy chủ từ chối',
      },
      waitsFor: 'Chờ gửi xong đăng ký của bệnh nhân này.',
      reason: 'Lý do: {{reason}}',
      openPatient: 'Mở trang bệnh nhân',
      remove: 'Xóa khỏi máy này',
      confirmRemove: 'Xóa mục này khỏi máy? Dữ liệu chưa gửi sẽ mất.',
      confirmRemoveWithVitals:
        'Xóa đăng ký này khỏi máy? Sinh hiệu đang chờ của bệnh nhân này cũng bị xóa; dữ liệu chưa gửi sẽ mất.',
      cccdConflict:
        'Số CCCD {{cccd}} đã có trên máy chủ. Hãy xem bệnh nhân đó: nếu đúng là một người, dùng hồ sơ đã có (sinh hiệu chờ gửi sẽ vào hồ sơ đó); nếu không, xóa đăng ký này và kiểm tra lại số CCCD.',
      findExisting: 'Tìm bệnh nhân đã có',
      existingIs: 'Trên máy chủ: {{name}}, sinh ngày {{birthDate}}',
      existingNotFound: 'Không đọc được bệnh nhân đã có (có thể thuộc cơ sở khác).',
      useExisting: 'Dùng hồ sơ đã có',
      resolved: 'Đã chọn hồ sơ có sẵn trên máy chủ',
      changedConflict:
        'Hồ sơ này đã được sửa trên máy chủ trong lúc bạn mất mạng, nên thay đổi của bạn chưa được ghi (không ghi đè).',
      yourChange: 'Thay đổi của bạn',
      serverNow: 'Trên máy chủ bây giờ',
      showServer: 'Xem bản trên máy chủ',
      applyMine: 'Ghi thay đổi của tôi lên bản mới',
      keepServer: 'Giữ bản trên máy chủ, bỏ thay đổi của tôi',
      phone: 'Điện thoại',
      line: 'Địa chỉ (số nhà, đường, ấp)',
      blank: '(trống)',
    },
    contact: {
      edit: 'Sửa điện thoại, địa chỉ',
      heading: 'Sửa thông tin liên hệ',
      save: 'Lưu thay đổi',
      cancel: 'Hủy',
      waiting: 'Đã lưu thay đổi trên máy này – đang chờ gửi.',
      sent: 'Đã gửi thay đổi lên máy chủ.',
      conflict: 'Thay đổi bị xung đột với một thay đổi trên máy chủ – xem hàng chờ gửi.',
    },
    queued: {
      heading: 'Bệnh nhân chờ gửi',
      saved: 'Đã lưu trên máy này – đang chờ gửi. Bệnh nhân sẽ có trên máy chủ khi có mạng.',
      sent: 'Đã gửi lên máy chủ.',
      notFound: 'Không có mục này trên máy (có thể đã bị xóa).',
    },
    vitals: {
      queued: 'Đã lưu {{n}} chỉ số trên máy này – đang chờ gửi. NEWS2 sẽ được tính khi gửi xong.',
    },
    pendingVitals_one:
      '{{count}} lần đo sinh hiệu của bệnh nhân này đang chờ gửi (lần cuối nhập lúc {{at}}).',
    pendingVitals_other:
      '{{count}} lần đo sinh hiệu của bệnh nhân này đang chờ gửi (lần cuối nhập lúc {{at}}).',
    asOf: 'Đang xem bản lưu trên máy này, cập nhật lúc {{at}} (chưa có mạng).',
    kept: {
      heading: 'Bệnh nhân của trạm đã xem trên máy này',
      note: 'Không có mạng nên chưa tìm được trên máy chủ. Có thể mở những bệnh nhân đã xem trên máy này:',
      asOf: 'bản lưu lúc {{at}}',
      none: 'Chưa có bệnh nhân nào được lưu trên máy này.',
    },
    signOut: {
      heading: 'Còn mục chưa gửi',
      text_one:
        'Còn {{count}} mục chưa gửi lên máy chủ. Đăng xuất bây giờ sẽ xóa chúng khỏi máy này và dữ liệu đó sẽ mất.',
      text_other:
        'Còn {{count}} mục chưa gửi lên máy chủ. Đăng xuất bây giờ sẽ xóa chúng khỏi máy này và dữ liệu đó sẽ mất.',
      stay: 'Ở lại và gửi sau',
      discard: 'Xóa và đăng xuất',
    },
  },
  en: {
    banner: {
      offline:
        'No connection. You can still register patients, record vitals, do symptom checks and book times already found; they are kept on this device.',
      waiting_one: '{{count}} item waiting to send',
      waiting_other: '{{count}} items waiting to send',
      attention_one: '{{count}} item needs your attention',
      attention_other: '{{count}} items need your attention',
      open: 'Open the outbox',
      others:
        'This device holds {{count}} unsent items of another user; only they can send them, by signing in.',
    },
    outbox: {
      heading: 'Waiting to send',
      intro: 'What is entered without a connection is kept on this device and sent when the link returns.',
      empty: 'Nothing on this device.',
      sendNow: 'Send now',
      sending: 'Sending…',
      stoppedOffline: 'Still no connection; it will be sent when the link returns.',
      stoppedSignedOut: 'Your session has ended: sign in again (as this same user) to send.',
      stoppedLater: 'The server did not take it yet; it will retry later.',
      kind: {
        register: 'Patient registration',
        vitals: 'Vital signs',
        update: 'Contact details change',
        triage: 'Pre-visit symptom check',
        booking: 'Booking request',
      },
      triageLevel: "The server's assessment: {{level}}",
      level: { emergency: 'Emergency', urgent: 'Urgent', routine: 'Routine' },
      triageEmergency:
        'Emergency: call 115 now if the patient is not already getting emergency care. No remote booking.',
      triageNoLevel: "Sent; the server's assessment could not be read yet – see the patient's page.",
      bookingDone: 'Booked for {{at}}.',
      bookingWaitsTriage: 'Waiting for the symptom check it comes with to be sent.',
      slotTaken:
        'This time was booked by someone else while the link was down. Nothing was booked at another time: choose a new time with the patient.',
      captured: 'Entered {{at}}',
      synced: 'Sent {{at}}',
      state: {
        waiting: 'Waiting to send',
        sent: 'Sent',
        conflict: 'Conflict – needs you',
        refused: 'Refused by the server',
      },
      waitsFor: "Waits for this patient's registration to be sent.",
      reason: 'Reason: {{reason}}',
      openPatient: "Open the patient's page",
      remove: 'Remove from this device',
      confirmRemove: 'Remove this item from the device? What was not sent is lost.',
      confirmRemoveWithVitals:
        'Remove this registration from the device? The vital signs waiting for this patient go too; what was not sent is lost.',
      cccdConflict:
        'CCCD {{cccd}} is already on the server. Look at that patient: if it is the same person, use the existing record (the waiting vitals go to it); if not, remove this registration and check the CCCD.',
      findExisting: 'Find the existing patient',
      existingIs: 'On the server: {{name}}, born {{birthDate}}',
      existingNotFound: 'The existing patient cannot be read (they may belong to another facility).',
      useExisting: 'Use the existing record',
      resolved: 'The existing record on the server was chosen',
      changedConflict:
        'This record was changed on the server while you were offline, so your change was not written (nothing is overwritten).',
      yourChange: 'Your change',
      serverNow: 'On the server now',
      showServer: "Show the server's version",
      applyMine: 'Write my change onto the new version',
      keepServer: "Keep the server's version, drop my change",
      phone: 'Phone',
      line: 'Address (house, street, hamlet)',
      blank: '(empty)',
    },
    contact: {
      edit: 'Edit phone, address',
      heading: 'Edit contact details',
      save: 'Save changes',
      cancel: 'Cancel',
      waiting: 'Change kept on this device – waiting to send.',
      sent: 'Change sent to the server.',
      conflict: 'The change conflicts with a change on the server – see the outbox.',
    },
    queued: {
      heading: 'Patient waiting to send',
      saved: 'Kept on this device – waiting to send. The patient reaches the server when the link returns.',
      sent: 'Sent to the server.',
      notFound: 'This item is not on the device (it may have been removed).',
    },
    vitals: {
      queued: 'Kept {{n}} vital signs on this device – waiting to send. NEWS2 is scored once they are sent.',
    },
    pendingVitals_one: "{{count}} set of this patient's vital signs is waiting to send (entered {{at}}).",
    pendingVitals_other:
      "{{count}} sets of this patient's vital signs are waiting to send (last entered {{at}}).",
    asOf: 'Showing the copy kept on this device, as of {{at}} (no connection).',
    kept: {
      heading: "The station's patients opened on this device",
      note: 'Without a connection the server cannot be searched. Patients opened on this device can be read:',
      asOf: 'as of {{at}}',
      none: 'No patient is kept on this device yet.',
    },
    signOut: {
      heading: 'Unsent items',
      text_one:
        '{{count}} item has not been sent. Signing out now removes it from this device and it is lost.',
      text_other:
        '{{count}} items have not been sent. Signing out now removes them from this device and they are lost.',
      stay: 'Stay and send later',
      discard: 'Remove them and sign out',
    },
  },
} as const;

registerMessages('offline', OFFLINE_MESSAGES);
