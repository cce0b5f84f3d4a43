/**
 * Wording of the patient summary (IPS narrative) and the visit PDF: Vietnamese first, English beside.
 *
 * Not generated or machine-translated: every Vietnamese/English pair is the project's own reviewed
 * portal wording, reused verbatim so that the record screen, the printable summary and these
 * documents say the same thing — `apps/portal/src/record/messages.ts` (commit 2845e5c, keys named
 * beside each label), `apps/portal/src/station/messages.ts` for "Số CCCD". Two labels come from
 * elsewhere, named beside them:
 * - "Mã đơn thuốc": the field of the prescription form, Circular 04/2022/TT-BYT (amending Circulars
 *   52/2017 and 27/2021), Appendix I "Mẫu đơn thuốc", first field — read on a secondary page quoting
 *   the appendix (damtang.com, "Mẫu đơn thuốc dùng trong việc kê đơn…"), the primary PDF was not read:
 *   [unverified] against the gazetted text. English "Prescription code" is our gloss.
 * - The English section titles of the IPS document: HL7 IPS IG 2.0.0 (STU 2, CC0 / HL7 licence),
 *   profile Composition-uv-ips, the `^short` of each section slice
 *   (https://hl7.org/fhir/uv/ips/StructureDefinition-Composition-uv-ips.html).
 */
export interface Label {
  readonly vi: string;
  readonly en: string;
}

export const VISIT_LABELS = {
  /** record.visit.heading */
  title: { vi: 'Tóm tắt lần khám', en: 'Visit summary' },
  /** record.sharing.actorType.Organization */
  facility: { vi: 'Cơ sở y tế', en: 'Health facility' },
  /** record.visit.patient */
  patient: { vi: 'Bệnh nhân', en: 'Patient' },
  /** record.born (without its placeholder) */
  born: { vi: 'Ngày sinh', en: 'Date of birth' },
  /** station messages: "Số CCCD …" */
  cccd: { vi: 'Số CCCD', en: 'CCCD' },
  /** record.visit.when */
  when: { vi: 'Thời gian', en: 'Date and time' },
  /** record.visit.timeZone */
  timeZone: { vi: 'Giờ Việt Nam (GMT+7)', en: 'Vietnam time (GMT+7)' },
  /** record.visit.doctor */
  doctor: { vi: 'Bác sĩ', en: 'Doctor' },
  /** record.visit.reason */
  reason: { vi: 'Lý do khám', en: 'Reason for the visit' },
  /** record.visit.diagnoses */
  diagnoses: { vi: 'Chẩn đoán', en: 'Diagnoses' },
  /** record.visit.prescriptions */
  prescriptions: { vi: 'Đơn thuốc', en: 'Prescriptions' },
  /** record.visit.medication */
  medication: { vi: 'Thuốc', en: 'Medicine' },
  /** record.visit.dosage */
  dosage: { vi: 'Cách dùng', en: 'How to take' },
  /** Circular 04/2022/TT-BYT Appendix I, field "Mã đơn thuốc" [unverified: secondary source] */
  prescriptionCode: { vi: 'Mã đơn thuốc', en: 'Prescription code' },
  /** Follow-up: record.visit.notes (the doctor's advice) and record.top.appointment */
  notes: { vi: 'Ghi chú của bác sĩ', en: 'Doctor’s notes' },
  nextAppointment: { vi: 'Lịch hẹn sắp tới', en: 'Next appointment' },
  /** The re-visit appointment given at the visit (QĐ 130 Bảng 14 "giấy hẹn khám lại"). */
  followUp: { vi: 'Hẹn khám lại', en: 'Re-visit appointment' },
  followUpLetter: { vi: 'Số giấy hẹn', en: 'Letter number' },
  /** record.visit.none */
  none: { vi: 'Không có', en: 'None' },
  /** record.visit.generated (its {{when}} filled in) */
  generated: {
    vi: 'Bản tóm tắt tạo lúc {{when}} từ Mekong Health.',
    en: 'Summary created on {{when}} by Mekong Health.',
  },
} as const satisfies Record<string, Label>;

export const SUMMARY_LABELS = {
  /** record.top.problems / IPS sectionProblems ^short "IPS Problems Section" */
  problems: { vi: 'Bệnh đang mắc', en: 'Problems' },
  /** record.top.allergies / IPS sectionAllergies "IPS Allergies and Intolerances Section" */
  allergies: { vi: 'Dị ứng', en: 'Allergies and Intolerances' },
  /** record.kinds.medication / IPS sectionMedications "Medication Summary section" */
  medications: { vi: 'Thuốc', en: 'Medication Summary' },
  /** record.kinds.vaccination / IPS sectionImmunizations "IPS Immunizations Section" */
  immunizations: { vi: 'Tiêm chủng', en: 'Immunizations' },
  /** record.kinds.result / IPS sectionResults "IPS Results Section" */
  results: { vi: 'Kết quả đo, xét nghiệm', en: 'Results' },
  /** record.kinds.vital / IPS sectionVitalSigns "IPS Vital Signs Section" */
  vitalSigns: { vi: 'Sinh hiệu', en: 'Vital Signs' },
  /** record.empty: nothing of this section in the record */
  empty: { vi: 'Chưa có thông tin nào trong hồ sơ.', en: 'There is nothing in the record yet.' },
  /** record.noAccess, first sentence: the token's scopes leave this type out */
  withheld: {
    vi: 'Không tìm thấy hồ sơ này, hoặc bạn chưa được quyền xem.',
    en: 'This record was not found, or you are not allowed to see it.',
  },
  /** record.titleOf (without its placeholder) */
  record: { vi: 'Hồ sơ sức khỏe', en: 'Health record' },
} as const satisfies Record<string, Label>;
