/** The portal's sentence for each server error code (namespace `errorCodes`; keys: code with `_`). */
const vi = {
  AUTH_FORBIDDEN: 'Bạn không có quyền làm việc này.',
  AUTH_UNAUTHENTICATED: 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.',
  AUTH_INVALID_TOKEN: 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.',
  AUTH_TOKEN_EXPIRED: 'Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.',
  AUTH_SESSION_ENDED: 'Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại.',
  AUTH_WRONG_PASSWORD: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  AUTH_TOO_MANY_ATTEMPTS: 'Bạn đã thử sai quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.',
  AUTH_ACCOUNT_DISABLED: 'Tài khoản này đã bị khóa. Hãy liên hệ cơ sở y tế của bạn.',
  AUTH_USERNAME_TAKEN: 'Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.',
  AUTH_MFA_INVALID_CODE: 'Mã xác thực không đúng hoặc đã hết hạn.',
  AUTH_PATIENT_HAS_ACCOUNT: 'Người bệnh này đã có tài khoản.',
  AUTH_PATIENT_NOT_MANAGED: 'Người bệnh này không thuộc cơ sở của bạn.',
  AUTH_INSUFFICIENT_SCOPE: 'Ứng dụng này không được cấp quyền làm việc này.',
  BREAK_GLASS_READ_ONLY: 'Truy cập khẩn cấp chỉ để xem hồ sơ; không ghi hay đặt lịch được.',
  SCHEDULING_SLOT_TAKEN: 'Giờ này vừa có người khác đặt. Hãy chọn giờ khác.',
  SCHEDULING_SLOT_PAST: 'Giờ này đã qua. Hãy chọn giờ khác.',
  SCHEDULING_SLOT_NOT_FOUND: 'Giờ khám này không còn nữa. Hãy tìm lại.',
  SCHEDULING_HOLD_EXPIRED: 'Đã hết thời gian giữ chỗ. Hãy đặt lại.',
  SCHEDULING_CONSENT_REQUIRED: 'Cần ghi nhận sự đồng ý của người bệnh trước khi đặt lịch thay.',
  SCHEDULING_UNKNOWN_PATIENT: 'Không tìm thấy người bệnh, hoặc bạn không được đặt lịch cho người này.',
  SCHEDULING_STATUS_CHANGE: 'Không thể chuyển lịch hẹn sang trạng thái này.',
  SCHEDULING_PATIENT_STATUS_CHANGE: 'Bạn chỉ có thể xác nhận, đổi hoặc hủy lịch hẹn của mình.',
  SCHEDULING_TIME_CHANGE: 'Muốn đổi giờ, hãy dùng nút “Đổi lịch”.',
  SCHEDULING_NO_SLOT: 'Lịch hẹn này không còn giữ giờ khám. Hãy đặt lại.',
  SCHEDULING_OVERLAP: 'Giờ làm việc này trùng với giờ đã có.',
  SCHEDULING_OUTSIDE_HORIZON: 'Giờ làm thêm phải nằm trong khoảng thời gian đã lập lịch.',
  SCHEDULING_INVALID_RULE:
    'Giờ kết thúc phải sau giờ bắt đầu, và ngày kết thúc không được trước ngày bắt đầu.',
  SCHEDULING_INVALID_EXCEPTION:
    'Giờ kết thúc phải sau giờ bắt đầu; giờ làm thêm cần độ dài mỗi lượt và hình thức khám.',
  SCHEDULING_INVALID_WAITLIST: 'Hãy chọn bác sĩ hoặc chuyên khoa muốn chờ.',
  SCHEDULING_WAITLIST_NOT_FOUND: 'Không tìm thấy mục này trong danh sách chờ.',
  SCHEDULING_LINK_NOT_FOUND:
    'Liên kết không hợp lệ. Hãy mở lại liên kết trong tin nhắn hoặc liên hệ cơ sở y tế.',
  SCHEDULING_LINK_USED: 'Liên kết này đã được sử dụng. Mỗi liên kết chỉ dùng được một lần.',
  SCHEDULING_LINK_EXPIRED: 'Liên kết này đã hết hạn. Hãy liên hệ cơ sở y tế nếu cần đổi lịch.',
  SCHEDULING_LINK_APPOINTMENT_CLOSED: 'Lịch hẹn này đã hủy hoặc đã kết thúc, không thể thay đổi nữa.',
  SCHEDULING_LINK_ACTION: 'Liên kết này chỉ dùng để hủy lịch.',
  SCHEDULING_NO_LIVE_BOOKING: 'Lịch hẹn này không còn giờ khám sắp tới nên không gửi liên kết được.',
  CARE_EMERGENCY_TRIAGE:
    'Kết quả phân loại là cấp cứu: gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay. Không đặt khám từ xa được.',
  CARE_NOT_ELIGIBLE_IN_PERSON: 'Lý do này cần khám trực tiếp, chưa khám từ xa được.',
  CARE_NOT_ELIGIBLE_REFERRAL: 'Lý do này cần chuyển tuyến để khám trực tiếp.',
  CARE_NEWS2_ALERT_ACTIVE:
    'Người bệnh đang có cảnh báo NEWS2: bác sĩ cần đánh giá trước khi đặt khám từ xa (hoặc cho phép, có ghi lại).',
  CARE_REASON_OTHER_NEEDS_CLINICIAN:
    'Lý do ngoài danh mục khám từ xa cần bác sĩ xác nhận: hãy gửi yêu cầu để bác sĩ xem trước.',
  CARE_ALERT_DOCTOR_ONLY: 'Chỉ bác sĩ mới xác nhận được cảnh báo này.',
  CARE_ALERT_ALREADY_ACKNOWLEDGED: 'Cảnh báo này đã được xác nhận.',
  CARE_ALERT_NOT_FOUND: 'Không có cảnh báo này.',
  CARE_ROSTER_BAD_PERIOD: 'Ca trực phải kết thúc sau khi bắt đầu và dài tối đa 7 ngày.',
  CARE_ROSTER_FACILITY_FIXED: 'Không thể chuyển ca trực sang cơ sở khác: hãy xóa và tạo mới ở cơ sở đó.',
  CARE_ROSTER_NOT_FOUND: 'Không có ca trực này.',
  CARE_ROSTER_NOT_YOUR_FACILITY: 'Chỉ nhân viên của cơ sở (hoặc quản trị viên) được sửa lịch trực của cơ sở.',
  CARE_ROSTER_NOT_AFFILIATED: 'Bác sĩ này không làm việc tại cơ sở đã chọn.',
  CARE_ROSTER_BAD_COVERAGE: 'Cơ sở được trực phải là chính cơ sở này hoặc một trạm trực thuộc.',
  BREAK_GLASS_RATE_LIMITED:
    'Bạn đã mở truy cập khẩn cấp quá số lần cho phép trong 24 giờ. Hãy nhờ cơ sở của người bệnh cấp quyền.',
  TERMINOLOGY_NOT_FOUND: 'Máy chủ chưa có danh mục mã này hoặc không có mã này trong danh mục.',
  TERMINOLOGY_BAD_PARAMETER:
    'Yêu cầu tra cứu danh mục mã không hợp lệ (ví dụ nội dung tìm quá dài). Hãy sửa rồi thử lại.',
  TERMINOLOGY_READ_ONLY: 'Danh mục mã chỉ để tra cứu, không sửa được qua ứng dụng.',
  CLAIMS_WINDOW_CLOSED: 'Đã quá thời hạn điều chỉnh hồ sơ BHYT của lượt khám này nên không gửi lại được nữa.',
  CLAIMS_IN_PROGRESS: 'Hồ sơ đang chờ gửi hoặc đang được gửi. Hãy đợi có kết quả rồi mới gửi lại.',
  CLAIMS_STAFF_ONLY: 'Chỉ nhân viên của cơ sở khám được gửi lại hồ sơ BHYT.',
  CLAIMS_NOT_FOUND: 'Không có hồ sơ BHYT của lượt khám này, hoặc bạn không được xem hồ sơ này.',
  CLAIMS_NOT_FOR_PATIENTS: 'Hồ sơ BHYT do cơ sở y tế lập; hãy xem lượt khám trong hồ sơ sức khỏe của bạn.',
  CLAIMS_NOT_YOUR_FACILITY:
    'Chỉ bác sĩ của lượt khám và nhân viên cơ sở khám được lập hồ sơ BHYT của lượt khám.',
  CLAIMS_INCOMPLETE: 'Hồ sơ khám còn thiếu thông tin nên chưa lập được hồ sơ BHYT.',
};

const en: typeof vi = {
  AUTH_FORBIDDEN: 'You are not allowed to do this.',
  AUTH_UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  AUTH_INVALID_TOKEN: 'Your session has ended. Please sign in again.',
  AUTH_TOKEN_EXPIRED: 'Your session has ended. Please sign in again.',
  AUTH_SESSION_ENDED: 'Your session was ended. Please sign in again.',
  AUTH_WRONG_PASSWORD: 'Wrong username or password.',
  AUTH_TOO_MANY_ATTEMPTS: 'Too many failed attempts. Please wait a few minutes and try again.',
  AUTH_ACCOUNT_DISABLED: 'This account is locked. Please contact your health facility.',
  AUTH_USERNAME_TAKEN: 'This username is taken. Please choose another.',
  AUTH_MFA_INVALID_CODE: 'The verification code is wrong or has expired.',
  AUTH_PATIENT_HAS_ACCOUNT: 'This patient already has an account.',
  AUTH_PATIENT_NOT_MANAGED: 'This patient is not managed by your facility.',
  AUTH_INSUFFICIENT_SCOPE: 'This application is not allowed to do this.',
  BREAK_GLASS_READ_ONLY: 'Emergency access is read-only: nothing can be written or booked under it.',
  SCHEDULING_SLOT_TAKEN: 'Someone else has just booked this time. Please choose another.',
  SCHEDULING_SLOT_PAST: 'This time has passed. Please choose another.',
  SCHEDULING_SLOT_NOT_FOUND: 'This time is no longer offered. Please search again.',
  SCHEDULING_HOLD_EXPIRED: 'The time was held for you, but the hold has run out. Please book again.',
  SCHEDULING_CONSENT_REQUIRED: "Record the patient's consent before booking on their behalf.",
  SCHEDULING_UNKNOWN_PATIENT: 'Patient not found, or you may not book for this person.',
  SCHEDULING_STATUS_CHANGE: 'The appointment cannot be changed to this status.',
  SCHEDULING_PATIENT_STATUS_CHANGE: 'You can confirm, move or cancel your appointments only.',
  SCHEDULING_TIME_CHANGE: 'To change the time, use “Reschedule”.',
  SCHEDULING_NO_SLOT: 'This appointment no longer holds a time. Please book again.',
  SCHEDULING_OVERLAP: 'These hours overlap hours you already have.',
  SCHEDULING_OUTSIDE_HORIZON: 'Extra hours must lie within the planned period.',
  SCHEDULING_INVALID_RULE: 'The end must be after the start, and the last day not before the first.',
  SCHEDULING_INVALID_EXCEPTION:
    'The end must be after the start; extra hours need a visit length and a kind of visit.',
  SCHEDULING_INVALID_WAITLIST: 'Choose a doctor or a specialty to wait for.',
  SCHEDULING_WAITLIST_NOT_FOUND: 'This waitlist entry was not found.',
  SCHEDULING_LINK_NOT_FOUND:
    'This link is not valid. Open the link in your message again or contact the clinic.',
  SCHEDULING_LINK_USED: 'This link has already been used. Each link works only once.',
  SCHEDULING_LINK_EXPIRED:
    'This link has expired. Contact the clinic if you need to change your appointment.',
  SCHEDULING_LINK_APPOINTMENT_CLOSED:
    'This appointment was cancelled or is over; it can no longer be changed.',
  SCHEDULING_LINK_ACTION: 'This link can only cancel the appointment.',
  SCHEDULING_NO_LIVE_BOOKING: 'This appointment has no upcoming time, so no link can be sent for it.',
  CARE_EMERGENCY_TRIAGE:
    'The symptom check found an emergency: call 115 or go to the nearest emergency department now. A video visit cannot be booked.',
  CARE_NOT_ELIGIBLE_IN_PERSON: 'This reason needs an in-person visit; it cannot be seen by video yet.',
  CARE_NOT_ELIGIBLE_REFERRAL: 'This reason needs a referral for in-person care.',
  CARE_NEWS2_ALERT_ACTIVE:
    'The patient has an active NEWS2 alert: a doctor must assess them before a video visit is booked (or allow it, recorded).',
  CARE_REASON_OTHER_NEEDS_CLINICIAN:
    'A reason outside the remote-care list needs a doctor to confirm it: send it as a request for a doctor to review.',
  CARE_ALERT_DOCTOR_ONLY: 'Only a doctor can acknowledge this alert.',
  CARE_ALERT_ALREADY_ACKNOWLEDGED: 'This alert has already been acknowledged.',
  CARE_ALERT_NOT_FOUND: 'There is no such alert.',
  CARE_ROSTER_BAD_PERIOD: 'A shift must end after it starts and last at most 7 days.',
  CARE_ROSTER_FACILITY_FIXED: 'A shift cannot move to another facility: delete it and create one there.',
  CARE_ROSTER_NOT_FOUND: 'There is no such shift.',
  CARE_ROSTER_NOT_YOUR_FACILITY: "Only the facility's own staff (or an administrator) edit its duty roster.",
  CARE_ROSTER_NOT_AFFILIATED: 'This doctor does not work at the chosen facility.',
  CARE_ROSTER_BAD_COVERAGE: 'The facility covered must be this one or one of its stations.',
  BREAK_GLASS_RATE_LIMITED:
    "You have opened emergency access too many times in 24 hours. Ask the patient's facility for access.",
  TERMINOLOGY_NOT_FOUND: 'The server does not have this code list, or the code is not in it.',
  TERMINOLOGY_BAD_PARAMETER:
    'The code-list lookup is not valid (for example, the search text is too long). Correct it and retry.',
  TERMINOLOGY_READ_ONLY:
    'The code lists are for lookup only; they cannot be changed through the application.',
  CLAIMS_WINDOW_CLOSED:
    "The correction deadline of this visit's insurance claim has passed, so it can no longer be resent.",
  CLAIMS_IN_PROGRESS: 'The claim is waiting to be sent or being sent. Wait for the outcome before resending.',
  CLAIMS_STAFF_ONLY: "Only the facility's staff can resend an insurance claim.",
  CLAIMS_NOT_FOUND: 'There is no insurance claim for this visit, or you may not see it.',
  CLAIMS_NOT_FOR_PATIENTS:
    'The insurance claim is made by the facility; see the visit in your health record.',
  CLAIMS_NOT_YOUR_FACILITY:
    "Only the visit's doctors and its facility's staff can make the visit's insurance claim.",
  CLAIMS_INCOMPLETE: 'The visit record lacks information, so the insurance claim cannot be made yet.',
};

export const ERROR_CODE_MESSAGES = { vi, en } as const;
