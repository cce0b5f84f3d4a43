import { registerMessages } from '../i18n';

/** Strings of the Scale 2 decision (namespace `scale2`), Vietnamese first, English with the same keys. */
export const SCALE2_MESSAGES = {
  vi: {
    heading: 'NEWS2: thang SpO₂',
    unavailable:
      'Chưa tải được quyết định thang SpO₂ của bác sĩ. Điểm NEWS2 sau khi lưu sinh hiệu vẫn ghi rõ thang đã dùng.',
    active:
      'Đang dùng THANG 2 (mục tiêu SpO₂ 88–92 %), theo quyết định của {{who}} từ ngày {{date}}. Lý do: {{reason}}.',
    activeNote: 'SpO₂ 88–92 % khi thở khí trời được tính 0 điểm; SpO₂ từ 93 % khi thở oxy được tính điểm.',
    none: 'Thang 1 (chưa có quyết định dùng thang 2 của bác sĩ).',
    ended: 'Quyết định thang 2 trước đó đã kết thúc ngày {{date}}: {{reason}}.',
    readOnly: 'Chỉ bác sĩ mới đặt hoặc kết thúc quyết định này.',
    setHeading: 'Đặt thang 2 (chỉ khi có suy hô hấp tăng CO2 và mục tiêu SpO₂ 88–92 %)',
    endHeading: 'Kết thúc thang 2',
    name: 'Bác sĩ quyết định',
    startDate: 'Áp dụng từ ngày',
    endDate: 'Ngày kết thúc',
    reason: 'Lý do (ví dụ: suy hô hấp tăng CO2 trên khí máu)',
    endReason: 'Lý do kết thúc',
    set: 'Lưu quyết định thang 2',
    end: 'Kết thúc thang 2',
    saving: 'Đang lưu…',
    saved: 'Đã lưu. Các lần đo tiếp theo sẽ tính theo quyết định này.',
    required: 'Vui lòng nhập đủ tên, ngày và lý do.',
    future: 'Ngày không được sau hôm nay.',
    scale1: 'SpO₂ tính theo thang 1 (chưa có quyết định thang 2).',
    scale2: 'SpO₂ tính theo thang 2 (mục tiêu 88–92 %, theo quyết định của bác sĩ).',
  },
  en: {
    heading: 'NEWS2: SpO₂ scale',
    unavailable:
      "Could not load the doctor's SpO₂ scale decision. The NEWS2 result after saving vitals still names the scale used.",
    active: 'Using SCALE 2 (SpO₂ target 88–92 %), as decided by {{who}} from {{date}}. Reason: {{reason}}.',
    activeNote: 'SpO₂ 88–92 % on air scores 0; SpO₂ of 93 % or more on oxygen scores points.',
    none: 'Scale 1 (no Scale 2 decision by a doctor).',
    ended: 'The previous Scale 2 decision ended on {{date}}: {{reason}}.',
    readOnly: 'Only a doctor can set or end this decision.',
    setHeading: 'Set Scale 2 (only for hypercapnic respiratory failure with an SpO₂ target of 88–92 %)',
    endHeading: 'End Scale 2',
    name: 'Deciding doctor',
    startDate: 'Applies from',
    endDate: 'End date',
    reason: 'Reason (e.g. hypercapnic respiratory failure on blood gas)',
    endReason: 'Reason for ending',
    set: 'Save Scale 2 decision',
    end: 'End Scale 2',
    saving: 'Saving…',
    saved: 'Saved. The next measurements are scored by this decision.',
    required: 'Please enter the name, the date and the reason.',
    future: 'The date cannot be after today.',
    scale1: 'SpO₂ scored on Scale 1 (no Scale 2 decision).',
    scale2: "SpO₂ scored on Scale 2 (target 88–92 %, by a doctor's decision).",
  },
};
registerMessages('scale2', SCALE2_MESSAGES);
