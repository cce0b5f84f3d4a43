import type { Bilingual } from '../common/types';

/**
 * Circular 30/2023/TT-BYT's appendix — the diseases and conditions that may be examined and
 * treated remotely — as DATA, one entry per appendix row, transcribed from the primary text only.
 *
 * Read from: docs/research/issue-17-sources.md § 3. The only primary copy in reach (thuvienphapluat
 * mobile) stops inside row 8; rows 1–7 are loaded exactly as printed. The appendix has about 50 rows
 * ("50 bệnh/tình trạng bệnh", SECONDARY: VietnamNet English); rows 8–50 are NOT loaded: no primary
 * copy readable here reaches them, and their ICD-10 codes must not be guessed (secondary sources
 * give topics without codes). A booking for an unlisted condition goes the "other" way: pending
 * until a clinician confirms it (booking-gate.ts), never refused for good and never let through
 * silently.
 *
 * Removed in version tt30-2023.appendix.1: hypertension (I10, I15), diabetes (E10–E14), depression
 * (F32, F33), dengue without warning signs (A90, A97.0). They came from the reference file, not the
 * appendix rows read; their codes and row numbers were not the Circular's.
 */

export const CIRCULAR_30_TITLE =
  'Thông tư 30/2023/TT-BYT ngày 30/12/2023 của Bộ trưởng Bộ Y tế quy định danh mục bệnh, tình trạng bệnh được khám bệnh, chữa bệnh từ xa (hiệu lực 01/01/2024), Phụ lục';
export const CIRCULAR_30_COPY =
  'https://m.thuvienphapluat.vn/van-ban/The-thao-Y-te/Thong-tu-30-2023-TT-BYT-danh-muc-benh-tinh-trang-benh-duoc-kham-chua-benh-tu-xa-593328.aspx';
export const CIRCULAR_30 = `Circular 30/2023/TT-BYT, appendix (${CIRCULAR_30_COPY})`;

export const TELEHEALTH_CONDITIONS_VERSION = 'tt30-2023.appendix.1';

/** What the data says about the appendix as a whole (rendered in docs/care.md). */
export const CIRCULAR_30_COVERAGE = {
  /** SECONDARY count: the rows were not counted in a primary copy. */
  appendixRows: 50,
  appendixRowsSource:
    'SECONDARY: "the 50 diseases and health conditions cover nearly 20 medical specialties" (VietnamNet English, https://vietnamnet.vn/en/remote-examination-and-treatment-of-50-diseases-and-health-conditions-permitted-2235076.html); not counted in a primary copy',
  loadedRows: [1, 2, 3, 4, 5, 6, 7],
  notLoaded:
    'Rows 8–50 are not loaded: the primary copy read stops inside row 8 ("Hội chứng cánh tay c…", Cơ Xương Khớp, code not read); no other primary copy was found (queries in docs/research/issue-17-sources.md § 8). Secondary sources list topics without codes; codes are never guessed. A reason outside rows 1–7 is booked as "other": pending until a clinician confirms.',
} as const;

export type EpisodeKind = 'acute' | 'not-acute';

export interface TelehealthCondition {
  /** STT: the row number printed in the appendix. */
  row: number;
  /** Chuyên khoa, as printed. */
  specialty: string;
  /** Bệnh, tình trạng bệnh, as printed (Vietnamese). */
  condition: string;
  /** Mã ICD-10, as printed. */
  icd10: string;
  /** The label a patient picks (plain Vietnamese, with our English translation). */
  label: Bilingual;
  /**
   * How the first-visit rule treats the row (FIRST_VISIT_POLICY): an acute row is a new episode
   * every time, so "a new problem" does not make it a first visit for an established patient.
   */
  episode: EpisodeKind;
  episodeSource: string;
  source: string;
}

export interface ReferralCondition {
  id: string;
  name: Bilingual;
  /** ICD-10 codes or categories (prefix match on the code without its dot). */
  icd10: string[];
  reason: Bilingual;
  source: string;
}

const row = (n: number): string => `${CIRCULAR_30}, row ${n} (PRIMARY, read 2026-12-06)`;
const NOT_ACUTE = 'LOCAL POLICY: not marked acute — the new-problem rule applies';
const TRANSLATION = 'English label: our translation, not the Circular';

export const TELEHEALTH_CONDITIONS: readonly TelehealthCondition[] = [
  {
    row: 1,
    specialty: 'Dinh dưỡng',
    condition: 'Béo phì',
    icd10: 'E66',
    label: { vi: 'Béo phì', en: 'Obesity' },
    episode: 'not-acute',
    episodeSource: NOT_ACUTE,
    source: `${row(1)}; ${TRANSLATION}`,
  },
  {
    row: 2,
    specialty: 'Tai Mũi Họng',
    condition: 'Viêm mũi họng cấp tính',
    icd10: 'J00',
    label: {
      vi: 'Viêm mũi họng cấp (sổ mũi, đau họng)',
      en: 'Acute nose and throat infection (common cold)',
    },
    episode: 'acute',
    episodeSource: 'The row says "cấp tính" (acute); LOCAL POLICY on how the first-visit rule treats it',
    source: `${row(2)}; ${TRANSLATION}`,
  },
  {
    row: 3,
    specialty: 'Tai Mũi Họng',
    condition: 'Viêm mũi họng mạn tính',
    icd10: 'J31.1',
    label: { vi: 'Viêm mũi họng mạn tính (kéo dài)', en: 'Long-standing nose and throat inflammation' },
    episode: 'not-acute',
    episodeSource: 'The row says "mạn tính" (chronic): the new-problem rule applies',
    source: `${row(3)}; ${TRANSLATION}`,
  },
  {
    row: 4,
    specialty: 'Răng Hàm Mặt',
    condition: 'Viêm lợi/miệng áp tơ',
    icd10: 'K12.0',
    label: { vi: 'Nhiệt miệng, loét miệng áp tơ', en: 'Mouth ulcers (aphthous)' },
    episode: 'not-acute',
    episodeSource: NOT_ACUTE,
    source: `${row(4)}; ${TRANSLATION}`,
  },
  {
    row: 5,
    specialty: 'Răng Hàm Mặt',
    condition: 'Viêm lưỡi bản đồ',
    icd10: 'K14.1',
    label: { vi: 'Lưỡi bản đồ (mảng đỏ trên lưỡi)', en: 'Geographic tongue' },
    episode: 'not-acute',
    episodeSource: NOT_ACUTE,
    source: `${row(5)}; ${TRANSLATION}`,
  },
  {
    row: 6,
    specialty: 'Răng Hàm Mặt',
    condition: 'Viêm lợi do mọc răng',
    icd10: 'K06.9',
    label: { vi: 'Sưng đau lợi khi mọc răng', en: 'Sore gums from a tooth coming through' },
    episode: 'acute',
    episodeSource:
      'LOCAL POLICY: teething gingivitis is a new episode each time (docs/research/issue-17-sources.md § 3.2 notes J00 and K06.9 as acute)',
    source: `${row(6)}; ${TRANSLATION}`,
  },
  {
    row: 7,
    specialty: 'Cơ Xương Khớp',
    condition: 'Đau vai gáy',
    icd10: 'M25.5',
    label: { vi: 'Đau vai gáy', en: 'Neck and shoulder pain' },
    episode: 'not-acute',
    episodeSource: NOT_ACUTE,
    source: `${row(7)}; ${TRANSLATION}`,
  },
];

/**
 * The first-visit rule, LOCAL POLICY: Dispatch 7946/BYT-KCB (12/12/2023, SECONDARY date) was never
 * retrieved; neither it nor any text read states a first-visit rule. The values below are ours.
 */
export const FIRST_VISIT_POLICY = {
  version: 'local-first-visit.1',
  status: 'LOCAL POLICY',
  source:
    "LOCAL POLICY (Dispatch 7946/BYT-KCB not retrieved; the rule is the reference file's, found in no primary text — docs/research/issue-17-sources.md § 4)",
  /** Never seen in person: the first visit is in person. */
  neverSeen: 'in-person',
  /** More than this since the last in-person visit: in person. */
  lookback: { months: 6 },
  /** A reason outside the patient's known problems (3-character ICD-10 category): in person… */
  newProblem: 'in-person',
  /**
   * …except a row marked acute (J00, K06.9): an acute episode is new by nature, so for a patient
   * seen in person within the lookback it is not a "new problem". Why: the Circular lists these
   * acute conditions for remote care; treating every episode as a first visit would make the rows
   * unusable. A never-seen patient, or one past the lookback, still goes in person.
   */
  acuteListedRowsForEstablishedPatient: 'telehealth',
} as const;

export const DISPATCH_7946_FIRST_VISIT = `${FIRST_VISIT_POLICY.source}, version ${FIRST_VISIT_POLICY.version}`;

/**
 * Conditions that must be referred (not seen remotely). LOCAL POLICY: dengue with warning signs or
 * severe dengue is not on the rows read; secondary summaries of the appendix name only "dengue
 * without warning signs" as a remote topic. Kept as a referral because remote care of a dengue
 * warning sign is unsafe, not because a row says so.
 */
export const REFERRAL_CONDITIONS: ReferralCondition[] = [
  {
    id: 'dengue-with-warning-signs-or-severe',
    name: {
      vi: 'Sốt xuất huyết Dengue có dấu hiệu cảnh báo / nặng',
      en: 'Dengue with warning signs or severe dengue',
    },
    icd10: ['A91', 'A971', 'A972'],
    reason: {
      vi: 'Sốt xuất huyết có dấu hiệu cảnh báo hoặc nặng: chuyển tuyến khám trực tiếp',
      en: 'Dengue with warning signs or severe dengue: refer for in-person care',
    },
    source:
      'LOCAL POLICY: not an appendix row read; secondary summaries of Circular 30/2023 list only "dengue fever without warning signs" as a remote topic (VietnamNet English, SECONDARY); ICD-10 2019 A91, A97.1, A97.2',
  },
];

/** The appendix row whose code (or category) covers an ICD-10 code given without its dot. */
export function appendixRowOf(code: string): TelehealthCondition | undefined {
  return TELEHEALTH_CONDITIONS.find((c) => code.startsWith(c.icd10.replace('.', '')));
}

/** The coded reason of a booking whose reason is not an appendix row: "other", pending until a clinician confirms. */
export const TELEHEALTH_REASON_SYSTEM = 'https://mekong.health/fhir/CodeSystem/telehealth-reason';
export const TELEHEALTH_REASON_OTHER = {
  system: TELEHEALTH_REASON_SYSTEM,
  code: 'other',
  display: {
    vi: 'Lý do khác (bác sĩ xem và xác nhận trước)',
    en: 'Other reason (a doctor reviews and confirms it first)',
  },
} as const;

/** What the patient is told while an "other" booking waits for a clinician (portal and API). */
export const OTHER_REASON_PENDING_TEXT = {
  vi: 'Đang chờ bác sĩ xác nhận: lý do khám không thuộc danh mục khám từ xa nên bác sĩ cần xem trước. Giờ hẹn được giữ đến lúc bắt đầu; nếu bác sĩ chưa xác nhận thì lịch tự hủy. Nếu thấy nặng hơn, gọi 115.',
  en: 'Waiting for a doctor to confirm: the reason is not on the remote-care list, so a doctor reviews it first. The time is held until it starts; if no doctor has confirmed by then, the booking is cancelled. If you feel worse, call 115.',
} as const;

/** The reasons a patient picks from when booking a video visit: the appendix rows read, then "other". */
export function telehealthReasonOptions(): {
  code: string;
  system: string;
  label: Bilingual;
  row?: number;
}[] {
  return [
    ...TELEHEALTH_CONDITIONS.map((c) => ({
      code: c.icd10,
      system: 'http://hl7.org/fhir/sid/icd-10',
      label: c.label,
      row: c.row,
    })),
    {
      code: TELEHEALTH_REASON_OTHER.code,
      system: TELEHEALTH_REASON_SYSTEM,
      label: TELEHEALTH_REASON_OTHER.display,
    },
  ];
}
