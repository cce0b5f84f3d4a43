/**
 * The data set of the VNeID electronic health book ("Sổ sức khỏe điện tử", Sổ SKĐT) as data.
 *
 * WHAT THE DECISIONS SAY (docs/health-book.md has the sources and how each was read):
 * - QĐ 1332/QĐ-BYT (21/05/2024) issues the book's template (Phụ lục phần B, 46 fields, with a
 *   "hiển thị" column). NOT read here: known from a public research digest that OCR'd the scan.
 * - QĐ 2733/QĐ-BYT (17/09/2024) Phụ lục 01 Điều 1 k2–3: the book's data are sent as the output
 *   data of QĐ 130/QĐ-BYT as amended by QĐ 4750/QĐ-BYT, through the BHXH "Cổng tiếp nhận dữ liệu
 *   Hệ thống thông tin giám định BHYT" (the GIAMDINHHS gateway), signed by the facility, after the
 *   visit ends; Phụ lục 02 maps each book field to a table and element of Bảng 1, 2, 3, 4 and 8.
 *   NOT read here (same digest). No table or XML of its own: the per-visit book IS those tables.
 * - QĐ 31/QĐ-BYT (06/01/2026) Điều 2 k3: four groups shared — (a) identity, (b) history (allergies,
 *   illnesses, vaccinations), (c) each visit (facility, time, type, reason, discharge state,
 *   result, discharge diagnoses, blood group, height, weight, paraclinical results, drugs,
 *   procedures), (d) the record summary (history, course, key results, treatment, what next,
 *   prescription, advice, re-visit, doctor). Điều 5: every patient's book from 01/01/2026. NOT read
 *   here (same digest).
 * - NĐ 102/2025/NĐ-CP Điều 6: the personal identification number (for citizens, the 12-digit number
 *   on the CCCD / căn cước card) is the person's health identifier. Read in the same digest.
 *
 * So: a field fed by a claim table names it in `from` and keeps the claim's element name; the
 * whole-record groups with no claim element (history) have names of OUR OWN, marked `unverified`.
 */
import type { TableId } from '../xml130/fields';

/** The QĐ 31 Điều 2 k3 group a field belongs to. */
export type HealthBookGroup = 'HANH_CHINH' | 'TIEN_SU' | 'DOT_KCB' | 'TOM_TAT';

export interface HealthBookField {
  /** Element name in the book we return (the claim element's name where it has one). */
  readonly name: string;
  readonly group: HealthBookGroup;
  /** For list fields: the item's element names (each also a field of this table, `parent` = name). */
  readonly list?: boolean;
  /** The list this field is an item element of. */
  readonly parent?: string;
  /** The claim table and element the value is copied from (QĐ 2733 Phụ lục 02, [unverified]). */
  readonly from?: { readonly table: TableId; readonly element: string };
  /** What it holds (our own short description, not the decisions' wording). */
  readonly meaning: string;
  readonly citation: string;
  /** What could not be read in a primary text. */
  readonly unverified: string;
}

const PL02 =
  'QĐ 2733/QĐ-BYT Phụ lục 02 maps this book field to the claim element (read only in a secondary digest; the decision itself was not reachable)';
const OURS =
  'element name is ours: no claim element feeds it and no XML/JSON name for it was read in any decision; content per QĐ 31/QĐ-BYT Điều 2 k3 b and QĐ 1332/QĐ-BYT Phụ lục phần B as relayed by a secondary digest';

const f = (
  name: string,
  group: HealthBookGroup,
  table: TableId | undefined,
  meaning: string,
  citation: string,
  extra: Partial<Pick<HealthBookField, 'list' | 'parent' | 'unverified'>> = {},
): HealthBookField => ({
  name,
  group,
  ...(table ? { from: { table, element: name } } : {}),
  meaning,
  citation,
  ...(extra.list ? { list: true } : {}),
  ...(extra.parent ? { parent: extra.parent } : {}),
  unverified: extra.unverified ?? PL02,
});

const QD31A = 'QĐ 31/QĐ-BYT Điều 2 k3 a (hành chính)';
const QD31B = 'QĐ 31/QĐ-BYT Điều 2 k3 b (tiền sử)';
const QD31C = 'QĐ 31/QĐ-BYT Điều 2 k3 c (từng đợt khám bệnh, chữa bệnh)';
const QD31D = 'QĐ 31/QĐ-BYT Điều 2 k3 d (tóm tắt hồ sơ bệnh án)';

/** Identity: from the newest visit's XML1 (QĐ 130 Bảng 1). */
const HANH_CHINH: HealthBookField[] = [
  f('HO_TEN', 'HANH_CHINH', 'XML1', 'Full name', QD31A),
  f(
    'SO_CCCD',
    'HANH_CHINH',
    'XML1',
    'Personal identification (CCCD) number = health identifier',
    `${QD31A}; NĐ 102/2025/NĐ-CP Điều 6; QĐ 2733 Phụ lục 01 Điều 2`,
  ),
  f('NGAY_SINH', 'HANH_CHINH', 'XML1', 'Birth date and time, yyyyMMddHHmm', QD31A),
  f('GIOI_TINH', 'HANH_CHINH', 'XML1', 'Sex code of Bảng 1', QD31A),
  f('MA_DANTOC', 'HANH_CHINH', 'XML1', 'Ethnic group code', QD31A),
  f('MA_QUOCTICH', 'HANH_CHINH', 'XML1', 'Nationality code', QD31A),
  f('MA_NGHE_NGHIEP', 'HANH_CHINH', 'XML1', 'Occupation code', QD31A),
  f('DIEN_THOAI', 'HANH_CHINH', 'XML1', 'Telephone', QD31A),
  f('DIA_CHI', 'HANH_CHINH', 'XML1', 'Address', QD31A),
  f(
    'MATINH_CU_TRU',
    'HANH_CHINH',
    'XML1',
    'Province code of residence',
    `${QD31A}; QĐ 1332 Phụ lục phần B mục 1.2 chú thích 4`,
  ),
  f(
    'MAXA_CU_TRU',
    'HANH_CHINH',
    'XML1',
    'Commune code of residence',
    `${QD31A}; QĐ 1332 Phụ lục phần B mục 1.2 chú thích 4`,
  ),
  f('MA_THE_BHYT', 'HANH_CHINH', 'XML1', 'Health-insurance card number(s)', QD31A),
  f('MA_DKBD', 'HANH_CHINH', 'XML1', 'Registered primary-care facility', QD31A),
  f('GT_THE_TU', 'HANH_CHINH', 'XML1', 'Card valid from', QD31A),
  f('GT_THE_DEN', 'HANH_CHINH', 'XML1', 'Card valid to', QD31A),
  f(
    'NGUOI_DAI_DIEN',
    'HANH_CHINH',
    undefined,
    'Legal representative / guardian (name, relation, id number, phone)',
    `${QD31A}; QĐ 1332 Phụ lục phần B trường 12–15`,
    {
      unverified: `${OURS}; QĐ 2733 Phụ lục 02 mục 1.3 reportedly leaves these fields to be agreed with C06 (no claim element); written empty`,
    },
  ),
];

/** History of the whole record: from the record's AllergyIntolerance, Condition, Immunization. */
const TIEN_SU: HealthBookField[] = [
  f('DI_UNG', 'TIEN_SU', undefined, 'Allergies (list)', QD31B, { list: true, unverified: OURS }),
  f('TAC_NHAN', 'TIEN_SU', undefined, 'Allergen (text or coded display)', QD31B, {
    parent: 'DI_UNG',
    unverified: OURS,
  }),
  f('BENH_TAT', 'TIEN_SU', undefined, 'Illnesses / chronic conditions not tied to a visit (list)', QD31B, {
    list: true,
    unverified: OURS,
  }),
  f('MA_BENH', 'TIEN_SU', undefined, 'ICD-10 code (WHO ICD-10 as issued by the Ministry)', QD31B, {
    parent: 'BENH_TAT',
    unverified: OURS,
  }),
  f('TEN_BENH', 'TIEN_SU', undefined, 'Name as recorded', QD31B, { parent: 'BENH_TAT', unverified: OURS }),
  f('TIEM_CHUNG', 'TIEN_SU', undefined, 'Vaccinations (list)', QD31B, { list: true, unverified: OURS }),
  f('VAC_XIN', 'TIEN_SU', undefined, 'Vaccine (coded display or text as recorded)', QD31B, {
    parent: 'TIEM_CHUNG',
    unverified: OURS,
  }),
  f('NGAY_TIEM', 'TIEN_SU', undefined, 'Date given, yyyyMMdd', QD31B, {
    parent: 'TIEM_CHUNG',
    unverified: OURS,
  }),
  f('MUI_THU', 'TIEN_SU', undefined, 'Dose number', QD31B, { parent: 'TIEM_CHUNG', unverified: OURS }),
];

/** Each visit: XML1 (summary), XML2 (drugs), XML3 (services), XML4 (paraclinical results). */
const DOT_KCB: HealthBookField[] = [
  f('MA_LK', 'DOT_KCB', 'XML1', 'Visit link key', QD31C),
  f(
    'MA_CSKCB',
    'DOT_KCB',
    'XML1',
    'Facility code',
    `${QD31C}; QĐ 2733 Phụ lục 01 Điều 3 (facility code of QĐ 384/QĐ-BYT)`,
  ),
  f('MA_LOAI_KCB', 'DOT_KCB', 'XML1', 'Type of care', QD31C),
  f('NGAY_VAO', 'DOT_KCB', 'XML1', 'Start, yyyyMMddHHmm', QD31C),
  f('NGAY_RA', 'DOT_KCB', 'XML1', 'End, yyyyMMddHHmm', QD31C),
  f('LY_DO_VV', 'DOT_KCB', 'XML1', 'Reason for the visit', QD31C),
  f('CHAN_DOAN_RV', 'DOT_KCB', 'XML1', 'Discharge diagnosis (text)', QD31C),
  f(
    'MA_BENH_CHINH',
    'DOT_KCB',
    'XML1',
    'Main diagnosis, ICD-10',
    `${QD31C}; QĐ 1332 Phụ lục chú thích 1, 7 (first code = main)`,
  ),
  f('MA_BENH_KT', 'DOT_KCB', 'XML1', 'Other diagnoses, ICD-10, ";"-separated', QD31C),
  f('KET_QUA_DTRI', 'DOT_KCB', 'XML1', 'Treatment result code', QD31C),
  f('MA_LOAI_RV', 'DOT_KCB', 'XML1', 'Discharge type code', QD31C),
  f(
    'NHOM_MAU',
    'DOT_KCB',
    'XML1',
    'Blood group',
    `${QD31C}; QĐ 1332 Phụ lục mục III.3 (main tracked indicator)`,
  ),
  f('CAN_NANG', 'DOT_KCB', 'XML1', 'Weight, kg', QD31C),
  f('NGAY_TAI_KHAM', 'DOT_KCB', 'XML1', 'Re-visit date(s)', `${QD31C}; ${QD31D} (lịch tái khám)`),
  f('THUOC', 'DOT_KCB', 'XML2', 'Drugs of the visit (list of XML2 rows)', QD31C, { list: true }),
  ...['MA_THUOC', 'TEN_THUOC', 'HAM_LUONG', 'DON_VI_TINH', 'LIEU_DUNG', 'CACH_DUNG', 'SO_LUONG'].map((n) =>
    f(n, 'DOT_KCB', 'XML2', `XML2 ${n}`, QD31C, { parent: 'THUOC' }),
  ),
  f('DVKT', 'DOT_KCB', 'XML3', 'Services and procedures (list of XML3 rows)', QD31C, { list: true }),
  ...['MA_DICH_VU', 'TEN_DICH_VU', 'NGAY_TH_YL'].map((n) =>
    f(n, 'DOT_KCB', 'XML3', `XML3 ${n}`, QD31C, { parent: 'DVKT' }),
  ),
  f('CLS', 'DOT_KCB', 'XML4', 'Paraclinical results (list of XML4 rows)', QD31C, { list: true }),
  ...['MA_DICH_VU', 'TEN_CHI_SO', 'GIA_TRI', 'DON_VI_DO', 'KET_LUAN', 'NGAY_KQ'].map((n) =>
    f(n, 'DOT_KCB', 'XML4', `XML4 ${n}`, QD31C, { parent: 'CLS' }),
  ),
];

/** The record summary: XML8 (QĐ 130 Bảng 8). */
const TOM_TAT: HealthBookField[] = [
  f('TOM_TAT', 'TOM_TAT', 'XML8', 'Record summary of the visit (XML8), when the claim made one', QD31D, {
    list: true,
  }),
  ...['QT_BENHLY', 'TOMTAT_KQ', 'PP_DIEUTRI', 'GHI_CHU'].map((n) =>
    f(n, 'TOM_TAT', 'XML8', `XML8 ${n}`, `${QD31D}; QĐ 2733 Phụ lục 02 mục 3.6 trường 41–45 (from Bảng 8)`, {
      parent: 'TOM_TAT',
    }),
  ),
];

export const HEALTH_BOOK_FIELDS: readonly HealthBookField[] = [
  ...HANH_CHINH,
  ...TIEN_SU,
  ...DOT_KCB,
  ...TOM_TAT,
];

/**
 * The claim tables the per-visit book is made of (QĐ 2733 Phụ lục 02, [unverified]: Bảng 1, 2, 3,
 * 4, 8). The per-visit book carries whichever of them the visit's claim holds.
 */
export const HEALTH_BOOK_TABLES: readonly TableId[] = ['XML1', 'XML2', 'XML3', 'XML4', 'XML8'];

/** Top-level elements of one visit in the whole-record book (DOT_KCB items). */
export const visitFields = (): readonly HealthBookField[] =>
  HEALTH_BOOK_FIELDS.filter((x) => (x.group === 'DOT_KCB' || x.group === 'TOM_TAT') && !x.parent);
/** Item elements of a list field. */
export const itemFields = (list: string): readonly HealthBookField[] =>
  HEALTH_BOOK_FIELDS.filter((x) => x.parent === list);
