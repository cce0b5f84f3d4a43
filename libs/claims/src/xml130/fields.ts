/**
 * Field tables of the insurance claim XML ("chuẩn dữ liệu đầu ra") of Decision 130/QĐ-BYT
 * (18/01/2023), whose tables were replaced by Decision 4750/QĐ-BYT (29/12/2023) and amended
 * "temporarily" by Decision 3176/QĐ-BYT (29/10/2024, applied from 01/01/2025).
 *
 * SOURCE HONESTY: the appendices (the tables themselves) of 130, 4750 and 3176 could NOT be read
 * in a primary text from this workplace (no corpus holds them; see docs/claims-xml130.md). Every
 * element order, type and length below was taken from secondary sources — public HIS code and
 * the BHXH "hướng dẫn liên thông" XML templates as reproduced in public repositories — and
 * cross-checked between at least two of them where possible. Every field therefore carries an
 * `unverified` note. "Row" numbers are positions in the consolidated (3176) order, not row
 * numbers read from the decision. `required` is the project's inference (the tables have no
 * "required" column that we could read); the XSD and `validateClaim` enforce it.
 */

export type TableId = 'XML0' | 'XML1' | 'XML2' | 'XML3' | 'XML4' | 'XML8' | 'XML14';

/** Value types used by the tables. */
export type FieldKind =
  /** Free text or code. */
  | 'string'
  /** Non-negative integer written in decimal digits. */
  | 'integer'
  /** Non-negative decimal, '.' as separator, at most `fractionDigits` decimals. */
  | 'decimal'
  /** Date-time `yyyyMMddHHmm`, 12 digits. */
  | 'datetime12'
  /** Date `yyyyMMdd`, 8 digits. */
  | 'date8';

export interface FieldDef {
  /** Element name, as written in the XML. */
  readonly name: string;
  readonly kind: FieldKind;
  /** Maximum length in characters; absent where the table says "n" (no limit) or we saw none. */
  readonly maxLength?: number;
  /** For 'decimal': maximum digits after '.'. */
  readonly fractionDigits?: number;
  /** Extra shape constraint, XSD regex syntax (implicitly anchored; also used by validateClaim). */
  readonly pattern?: string;
  /** Must carry a non-empty value (project inference, see file header). */
  readonly required: boolean;
  /** What the element holds (our own short description, not a label from the decision). */
  readonly meaning: string;
  /** Citation: decision, table, position; with the amendment that changed it when known. */
  readonly citation: string;
  /** Why this field is not verified against the primary text, and what was seen where. */
  readonly unverified?: string;
}

export interface TableDef {
  readonly id: TableId;
  /** The table's name in the decision (Vietnamese, as the decision titles it). */
  readonly title: string;
  /** Root element of the table's own XML document. */
  readonly root: string;
  /** List element under the root, for tables with several rows. */
  readonly list?: string;
  /** Row element (equal to `root` for single-record tables). */
  readonly record: string;
  readonly repeating: boolean;
  readonly citation: string;
  readonly fields: readonly FieldDef[];
}

const SECONDARY =
  'Primary appendix of QĐ 130/4750/3176 not read. Order, type and length from public HIS code ' +
  '(Python dataclasses annotated with 3176 changes; C#/JS/PHP exporters) and BHXH XML templates ' +
  'reproduced in public repositories; required-ness inferred';

type Opt = Partial<Pick<FieldDef, 'maxLength' | 'fractionDigits' | 'pattern' | 'unverified'>> & {
  amended?: string;
};

function table(
  id: TableId,
  tableNo: string,
  meta: Omit<TableDef, 'id' | 'fields' | 'citation'>,
  rows: ReadonlyArray<[string, FieldKind, boolean, string, Opt?]>,
): TableDef {
  const fields = rows.map(([name, kind, required, meaning, opt], i): FieldDef => {
    const o = opt ?? {};
    const amended = o.amended ? `, ${o.amended}` : '';
    return {
      name,
      kind,
      required,
      meaning,
      ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
      ...(o.fractionDigits !== undefined ? { fractionDigits: o.fractionDigits } : {}),
      ...(o.pattern !== undefined ? { pattern: o.pattern } : {}),
      citation: `QĐ 130/QĐ-BYT (bảng thay bởi QĐ 4750/QĐ-BYT, sửa bởi QĐ 3176/QĐ-BYT) ${tableNo} STT ${i + 1}${amended}`,
      unverified: o.unverified ? `${o.unverified}. ${SECONDARY}` : SECONDARY,
    };
  });
  return { id, ...meta, citation: `QĐ 130/QĐ-BYT ${tableNo}, as replaced by QĐ 4750 and amended by QĐ 3176`, fields };
}

const MONEY: Opt = { maxLength: 15, fractionDigits: 2 };
const PRICE: Opt = { maxLength: 15, fractionDigits: 3 };
const QTY: Opt = { maxLength: 10, fractionDigits: 3 };
const RATE: Opt = { maxLength: 3 };
const DT: Opt = { maxLength: 12 };

/** XML0: check-in ("trạng thái khám bệnh, chữa bệnh"), redefined by QĐ 4750, extended by QĐ 3176. */
export const XML0 = table(
  'XML0',
  'Bảng check-in',
  {
    title: 'Chỉ tiêu dữ liệu về trạng thái khám bệnh, chữa bệnh (bảng check-in)',
    root: 'CHI_TIEU_TRANG_THAI_KCB',
    list: 'DSACH_TRANG_THAI_KCB',
    record: 'TRANG_THAI_KCB',
    repeating: true,
  },
  [
    ['MA_LK', 'string', true, 'Visit link key shared by all tables of one visit', { maxLength: 100 }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10 }],
    ['MA_BN', 'string', true, "Patient number assigned by the facility", { maxLength: 100 }],
    ['HO_TEN', 'string', true, "Patient's full name", { maxLength: 255 }],
    ['SO_CCCD', 'string', false, 'Citizen identity card (or passport) number', { unverified: 'Size "n" (no limit) per 3176 annotation in secondary code' }],
    ['NGAY_SINH', 'datetime12', true, 'Date of birth yyyyMMddHHmm (HHmm 0000 when unknown)', DT],
    ['GIOI_TINH', 'integer', true, 'Sex: 1 male, 2 female, 3 undetermined', { maxLength: 1, pattern: '[123]' }],
    ['MA_THE_BHYT', 'string', false, 'Health-insurance card number(s), ";"-separated; empty when uninsured'],
    ['MA_DKBD', 'string', false, 'Registered primary-care facility code(s) of the card'],
    ['GT_THE_TU', 'string', false, 'Card valid-from yyyyMMdd, ";"-separated per card', { pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['GT_THE_DEN', 'string', false, 'Card valid-to yyyyMMdd, ";"-separated per card', { pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['MA_DOITUONG_KCB', 'string', true, 'Visit category code (QĐ 3276/QĐ-BYT PL1)', { maxLength: 4, amended: 'string of 4 per QĐ 4750', unverified: 'QĐ 4750 change to string(4) read only through a secondary summary of the primary' }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', DT],
    ['NGAY_VAO_NOI_TRU', 'datetime12', false, 'Inpatient admission time', { ...DT, amended: 'added by QĐ 3176' }],
    ['LY_DO_VNT', 'string', false, 'Reason for inpatient admission', { amended: 'added by QĐ 3176' }],
    ['MA_LY_DO_VNT', 'string', false, 'Code of the reason for admission', { maxLength: 5, amended: 'added by QĐ 3176' }],
    ['MA_LOAI_KCB', 'string', true, 'Type of care code (QĐ 1804/QĐ-BYT PL01), e.g. 01 outpatient visit', { maxLength: 2, pattern: '\\d{2}', amended: 'string per QĐ 4750' }],
    ['MA_CSKCB', 'string', true, 'Facility code issued by the authority', { maxLength: 5 }],
    ['MA_DICH_VU', 'string', false, 'Code of the first charged service', { maxLength: 50 }],
    ['TEN_DICH_VU', 'string', false, 'Name of the first charged service', { maxLength: 1024 }],
    ['MA_THUOC', 'string', false, 'Code of the first charged drug', { maxLength: 255, amended: 'added by QĐ 3176' }],
    ['TEN_THUOC', 'string', false, 'Name of the first charged drug', { maxLength: 1024, amended: 'added by QĐ 3176' }],
    ['MA_VAT_TU', 'string', false, 'Code of the first charged supply', { maxLength: 255, amended: 'added by QĐ 3176' }],
    ['TEN_VAT_TU', 'string', false, 'Name of the first charged supply', { maxLength: 1024, amended: 'added by QĐ 3176' }],
    ['NGAY_YL', 'datetime12', false, 'Order time of the first charge', DT],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML1: visit summary ("chỉ tiêu tổng hợp khám bệnh, chữa bệnh"). */
export const XML1 = table(
  'XML1',
  'Bảng 1',
  { title: 'Chỉ tiêu tổng hợp khám bệnh, chữa bệnh', root: 'TONG_HOP', record: 'TONG_HOP', repeating: false },
  [
    ['MA_LK', 'string', true, 'Visit link key (primary key linking all tables)', { maxLength: 100 }],
    ['STT', 'integer', true, 'Sequence number within one sending', { maxLength: 10 }],
    ['MA_BN', 'string', true, 'Patient number assigned by the facility', { maxLength: 100 }],
    ['HO_TEN', 'string', true, "Patient's full name", { maxLength: 255 }],
    ['SO_CCCD', 'string', false, 'Citizen identity card (or passport) number', { amended: 'string, size n per QĐ 3176 (secondary)' }],
    ['NGAY_SINH', 'datetime12', true, 'Date of birth yyyyMMddHHmm', DT],
    ['GIOI_TINH', 'integer', true, 'Sex: 1 male, 2 female, 3 undetermined', { maxLength: 1, pattern: '[123]' }],
    ['NHOM_MAU', 'string', false, 'Blood group', { maxLength: 5, amended: 'added by QĐ 3176' }],
    ['MA_QUOCTICH', 'string', true, 'Nationality code', { maxLength: 3, amended: 'string per QĐ 3176 (secondary)' }],
    ['MA_DANTOC', 'string', true, 'Ethnic group code', { maxLength: 2, amended: 'string per QĐ 3176 (secondary)' }],
    ['MA_NGHE_NGHIEP', 'string', true, 'Occupation code (QĐ 34/2020/QĐ-TTg)', { maxLength: 5, unverified: 'Length 2 in one secondary source, 5 in another; 5 kept' }],
    ['DIA_CHI', 'string', true, 'Address as on the card or current residence', { maxLength: 1024 }],
    ['MATINH_CU_TRU', 'string', true, 'Province code of residence', { maxLength: 3 }],
    ['MAHUYEN_CU_TRU', 'string', false, 'District code of residence', { maxLength: 3, unverified: 'How to fill it after districts were abolished (01/07/2025) not found' }],
    ['MAXA_CU_TRU', 'string', true, 'Commune code of residence', { maxLength: 5 }],
    ['DIEN_THOAI', 'string', false, 'Phone number', { maxLength: 15 }],
    ['MA_THE_BHYT', 'string', false, 'Health-insurance card number(s), ";"-separated; empty when uninsured', { amended: 'size n per QĐ 3176 (secondary)' }],
    ['MA_DKBD', 'string', false, 'Registered primary-care facility code(s)'],
    ['GT_THE_TU', 'string', false, 'Card valid-from yyyyMMdd, ";"-separated', { pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['GT_THE_DEN', 'string', false, 'Card valid-to yyyyMMdd, ";"-separated', { pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['NGAY_MIEN_CCT', 'string', false, 'Co-payment exemption date (8 or 12 digits)', { maxLength: 12, pattern: '(\\d{8}|\\d{12})?' }],
    ['LY_DO_VV', 'string', true, 'Reason for the visit'],
    ['LY_DO_VNT', 'string', false, 'Reason for inpatient admission'],
    ['MA_LY_DO_VNT', 'string', false, 'Code of the reason for admission', { maxLength: 5 }],
    ['CHAN_DOAN_VAO', 'string', true, 'Diagnosis on arrival (text)'],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge (text)'],
    ['MA_BENH_CHINH', 'string', true, 'Primary diagnosis, one ICD-10 code', { maxLength: 7 }],
    ['MA_BENH_KT', 'string', false, 'Secondary diagnoses, ICD-10 codes ";"-separated', { maxLength: 100 }],
    ['MA_BENH_YHCT', 'string', false, 'Traditional-medicine diagnosis codes', { maxLength: 150, amended: 'size 150 per QĐ 3176 (secondary)' }],
    ['MA_PTTT_QT', 'string', false, 'International procedure codes', { maxLength: 125 }],
    ['MA_DOITUONG_KCB', 'string', true, 'Visit category code (QĐ 3276/QĐ-BYT PL1); "9" for no insurance use', { maxLength: 4, amended: 'size 4 per QĐ 3176 (secondary)' }],
    ['MA_NOI_DI', 'string', false, 'Referring facility code', { maxLength: 5 }],
    ['MA_NOI_DEN', 'string', false, 'Facility referred to', { maxLength: 5 }],
    ['MA_TAI_NAN', 'integer', false, 'Injury cause code', { maxLength: 1 }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', DT],
    ['NGAY_VAO_NOI_TRU', 'datetime12', false, 'Inpatient admission time', DT],
    ['NGAY_RA', 'datetime12', true, 'End of visit / discharge time', DT],
    ['GIAY_CHUYEN_TUYEN', 'string', false, 'Referral letter number', { maxLength: 50 }],
    ['SO_NGAY_DTRI', 'integer', true, 'Days of treatment (0 for outpatient visits)', { maxLength: 3 }],
    ['PP_DIEU_TRI', 'string', false, 'Treatment method (text)'],
    ['KET_QUA_DTRI', 'integer', true, 'Treatment result code 1..8', { maxLength: 1, pattern: '[1-8]' }],
    ['MA_LOAI_RV', 'integer', true, 'Discharge type code 1..5', { maxLength: 1, pattern: '[1-5]' }],
    ['GHI_CHU', 'string', false, 'Note'],
    ['NGAY_TTOAN', 'datetime12', false, 'Payment time (empty until paid, then resent)', DT],
    ['T_THUOC', 'decimal', true, 'Total of drugs (sum of XML2 THANH_TIEN_BV)', MONEY],
    ['T_VTYT', 'decimal', true, 'Total of medical supplies (XML3 rows of supply groups)', MONEY],
    ['T_TONGCHI_BV', 'decimal', true, 'Total cost at facility prices (XML2 + XML3 THANH_TIEN_BV)', MONEY],
    ['T_TONGCHI_BH', 'decimal', true, 'Total within insurance scope (XML2 + XML3 THANH_TIEN_BH)', MONEY],
    ['T_BNTT', 'decimal', true, 'Paid by the patient outside insurance', MONEY],
    ['T_BNCCT', 'decimal', true, "Patient's co-payment", MONEY],
    ['T_BHTT', 'decimal', true, 'Paid by the insurance fund', MONEY],
    ['T_NGUONKHAC', 'decimal', true, 'Paid by other sources', MONEY],
    ['T_BHTT_GDV', 'decimal', true, 'Insurance payment beyond the global budget', MONEY],
    ['NAM_QT', 'integer', true, 'Settlement year', { maxLength: 4, pattern: '\\d{4}' }],
    ['THANG_QT', 'integer', true, 'Settlement month', { maxLength: 2 }],
    ['MA_LOAI_KCB', 'string', true, 'Type of care code (QĐ 1804/QĐ-BYT PL01)', { maxLength: 2, pattern: '\\d{2}', amended: 'string per QĐ 4750/3176' }],
    ['MA_KHOA', 'string', true, 'Department codes (QĐ 1804/QĐ-BYT PL02), ";"-separated', { maxLength: 50 }],
    ['MA_CSKCB', 'string', true, 'Facility code', { maxLength: 5 }],
    ['MA_KHUVUC', 'string', false, 'Residence area on the card: K1/K2/K3', { maxLength: 2, pattern: '(K1|K2|K3)?' }],
    ['CAN_NANG', 'decimal', false, 'Weight in kg (2 decimals)', { maxLength: 6, fractionDigits: 2 }],
    ['CAN_NANG_CON', 'string', false, 'Weights of newborns, ";"-separated', { maxLength: 100 }],
    ['NAM_NAM_LIEN_TUC', 'date8', false, 'Date of five continuous years of insurance', { maxLength: 8 }],
    ['NGAY_TAI_KHAM', 'string', false, 'Re-visit dates yyyyMMdd, ";"-separated (each matches an XML14)', { maxLength: 50, pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['MA_HSBA', 'string', true, 'Medical record number', { maxLength: 100 }],
    ['MA_TTDV', 'string', true, 'Identifier of the head of the facility', { maxLength: 255, amended: 'string(255) per QĐ 3176 (secondary)' }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML2: drugs ("chỉ tiêu chi tiết thuốc"). */
export const XML2 = table(
  'XML2',
  'Bảng 2',
  {
    title: 'Chỉ tiêu chi tiết thuốc',
    root: 'CHITIEU_CHITIET_THUOC',
    list: 'DSACH_CHI_TIET_THUOC',
    record: 'CHI_TIET_THUOC',
    repeating: true,
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100 }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10 }],
    ['MA_THUOC', 'string', true, 'Drug (active ingredient) code from the common code set', { maxLength: 255 }],
    ['MA_PP_CHEBIEN', 'string', false, 'Traditional-medicine processing method code', { maxLength: 255 }],
    ['MA_CSKCB_THUOC', 'string', false, 'Facility that supplied the drug', { maxLength: 10 }],
    ['MA_NHOM', 'integer', true, 'Cost group code', { maxLength: 2 }],
    ['TEN_THUOC', 'string', true, 'Drug name', { maxLength: 1024 }],
    ['DON_VI_TINH', 'string', true, 'Unit', { maxLength: 50 }],
    ['HAM_LUONG', 'string', false, 'Strength', { maxLength: 1024 }],
    ['DUONG_DUNG', 'string', false, 'Route code', { maxLength: 4 }],
    ['DANG_BAO_CHE', 'string', false, 'Dosage form', { maxLength: 1024 }],
    ['LIEU_DUNG', 'string', false, 'Dose', { maxLength: 1024 }],
    ['CACH_DUNG', 'string', false, 'Directions', { maxLength: 1024 }],
    ['SO_DANG_KY', 'string', false, 'Registration number (no spaces)', { maxLength: 255 }],
    ['TT_THAU', 'string', false, 'Tender information', { maxLength: 50 }],
    ['PHAM_VI', 'integer', true, 'Scope: 1 insurance, 2 self-paid, 3 army/police/cipher', { maxLength: 1, pattern: '[123]' }],
    ['TYLE_TT_BH', 'integer', true, 'Insurance payment ratio for the item (%)', RATE],
    ['SO_LUONG', 'decimal', true, 'Quantity (up to 3 decimals)', QTY],
    ['DON_GIA', 'decimal', true, 'Unit price, rounded to 3 decimals', PRICE],
    ['THANH_TIEN_BV', 'decimal', true, 'SO_LUONG x DON_GIA, rounded to 2 decimals', MONEY],
    ['THANH_TIEN_BH', 'decimal', true, 'Amount within insurance scope', MONEY],
    ['T_NGUONKHAC_NSNN', 'decimal', true, 'Other source: state budget', MONEY],
    ['T_NGUONKHAC_VTNN', 'decimal', true, 'Other source: foreign aid', MONEY],
    ['T_NGUONKHAC_VTTN', 'decimal', true, 'Other source: domestic aid', MONEY],
    ['T_NGUONKHAC_CL', 'decimal', true, 'Other source: remaining', MONEY],
    ['T_NGUONKHAC', 'decimal', true, 'Other sources total', MONEY],
    ['MUC_HUONG', 'integer', true, 'Benefit level (%)', { maxLength: 3, unverified: 'QĐ 1931/QĐ-BYT (29/06/2026) reportedly raised it to 4 characters (secondary only)' }],
    ['T_BNTT', 'decimal', true, 'Patient pays outside insurance', MONEY],
    ['T_BNCCT', 'decimal', true, 'Patient co-payment', MONEY],
    ['T_BHTT', 'decimal', true, 'Insurance fund pays', MONEY],
    ['MA_KHOA', 'string', true, 'Department code', { maxLength: 50, amended: 'size 50 per QĐ 3176 (secondary)' }],
    ['MA_BAC_SI', 'string', true, 'Prescriber identifier(s)', { maxLength: 255 }],
    ['MA_DICH_VU', 'string', false, 'Service the drug was used in', { maxLength: 255 }],
    ['NGAY_YL', 'datetime12', true, 'Order time', DT],
    ['NGAY_TH_YL', 'datetime12', false, 'Execution time of the order', { ...DT, amended: 'added by QĐ 3176 (secondary)' }],
    ['MA_PTTT', 'integer', true, 'Payment method: 1 fee for service, 2 capitation, 3 DRG', { maxLength: 1, pattern: '[123]' }],
    ['NGUON_CTRA', 'integer', true, 'Payer source 1..4', { maxLength: 1, pattern: '[1-4]' }],
    ['VET_THUONG_TP', 'integer', false, '1 when a recurring war wound', { maxLength: 1, pattern: '1?' }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML3: technical services and medical supplies ("chỉ tiêu chi tiết DVKT và VTYT"). */
export const XML3 = table(
  'XML3',
  'Bảng 3',
  {
    title: 'Chỉ tiêu chi tiết dịch vụ kỹ thuật và vật tư y tế',
    root: 'CHITIEU_CHITIET_DVKT_VTYT',
    list: 'DSACH_CHI_TIET_DVKT',
    record: 'CHI_TIET_DVKT',
    repeating: true,
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100 }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10 }],
    ['MA_DICH_VU', 'string', false, 'Technical service code (QĐ 2010/QĐ-BYT PL1)', { maxLength: 50 }],
    ['MA_PTTT_QT', 'string', false, 'International procedure code', { maxLength: 255 }],
    ['MA_VAT_TU', 'string', false, 'Supply code (issued by the portal)', { maxLength: 255 }],
    ['MA_NHOM', 'integer', true, 'Cost group code 1..19', { maxLength: 2 }],
    ['GOI_VTYT', 'string', false, 'Supply package G1, G2...', { maxLength: 3 }],
    ['TEN_VAT_TU', 'string', false, 'Supply name', { maxLength: 1024 }],
    ['TEN_DICH_VU', 'string', false, 'Service name', { maxLength: 1024 }],
    ['MA_XANG_DAU', 'string', false, 'Fuel code for transport (QĐ 3276 PL2)', { maxLength: 20 }],
    ['DON_VI_TINH', 'string', true, 'Unit', { maxLength: 50 }],
    ['PHAM_VI', 'integer', true, 'Scope: 1 insurance, 2 self-paid, 3 army/police/cipher', { maxLength: 1, pattern: '[123]' }],
    ['SO_LUONG', 'decimal', true, 'Quantity', QTY],
    ['DON_GIA_BV', 'decimal', true, 'Facility unit price', PRICE],
    ['DON_GIA_BH', 'decimal', true, 'Insurance unit price', PRICE],
    ['TT_THAU', 'string', false, 'Tender information', { maxLength: 50, amended: 'size 50 per QĐ 3176 (secondary)' }],
    ['TYLE_TT_DV', 'integer', true, 'Service payment ratio (%)', RATE],
    ['TYLE_TT_BH', 'integer', true, 'Insurance payment ratio (%)', RATE],
    ['THANH_TIEN_BV', 'decimal', true, 'SO_LUONG x DON_GIA_BV x TYLE_TT_DV/100, rounded to 2 decimals', { ...MONEY, unverified: 'Formula per QĐ 3176 as quoted by secondary code' }],
    ['THANH_TIEN_BH', 'decimal', true, 'SO_LUONG x DON_GIA_BH x TYLE_TT_DV/100 x TYLE_TT_BH/100, rounded to 2 decimals', { ...MONEY, unverified: 'Formula per QĐ 3176 as quoted by secondary code' }],
    ['T_TRANTT', 'decimal', false, 'Payment ceiling for the supply', MONEY],
    ['MUC_HUONG', 'integer', true, 'Benefit level (%)', { maxLength: 3 }],
    ['T_NGUONKHAC_NSNN', 'decimal', true, 'Other source: state budget', MONEY],
    ['T_NGUONKHAC_VTNN', 'decimal', true, 'Other source: foreign aid', MONEY],
    ['T_NGUONKHAC_VTTN', 'decimal', true, 'Other source: domestic aid', MONEY],
    ['T_NGUONKHAC_CL', 'decimal', true, 'Other source: remaining', MONEY],
    ['T_NGUONKHAC', 'decimal', true, 'Other sources total', MONEY],
    ['T_BNTT', 'decimal', true, 'Patient pays outside insurance', MONEY],
    ['T_BNCCT', 'decimal', true, 'Patient co-payment', MONEY],
    ['T_BHTT', 'decimal', true, 'Insurance fund pays', MONEY],
    ['MA_KHOA', 'string', true, 'Department code', { maxLength: 50, amended: 'size 50 per QĐ 3176 (secondary)' }],
    ['MA_GIUONG', 'string', false, 'Bed code(s)', { maxLength: 50 }],
    ['MA_BAC_SI', 'string', true, 'Ordering clinician identifier(s)', { maxLength: 255 }],
    ['NGUOI_THUC_HIEN', 'string', false, 'Performer identifier(s)', { maxLength: 255 }],
    ['MA_BENH', 'string', false, 'ICD-10 codes the service was for', { maxLength: 100 }],
    ['MA_BENH_YHCT', 'string', false, 'Traditional-medicine diagnosis codes', { maxLength: 150 }],
    ['NGAY_YL', 'datetime12', true, 'Order time', DT],
    ['NGAY_TH_YL', 'datetime12', false, 'Execution time', DT],
    ['NGAY_KQ', 'datetime12', false, 'Result time', DT],
    ['MA_PTTT', 'integer', true, 'Payment method: 1 fee for service, 2 capitation, 3 DRG', { maxLength: 1, pattern: '[123]' }],
    ['VET_THUONG_TP', 'integer', false, '1 when a recurring war wound', { maxLength: 1, pattern: '1?' }],
    ['PP_VO_CAM', 'integer', false, 'Anaesthesia method code', { maxLength: 1 }],
    ['VI_TRI_TH_DVKT', 'integer', false, 'Body site code', { maxLength: 3 }],
    ['MA_MAY', 'string', false, 'Device code(s)', { maxLength: 1024 }],
    ['MA_HIEU_SP', 'string', false, 'Product model code', { maxLength: 255 }],
    ['TAI_SU_DUNG', 'integer', false, '1 when a reused supply', { maxLength: 1 }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML4: paraclinical results ("chỉ tiêu chi tiết dịch vụ cận lâm sàng"). */
export const XML4 = table(
  'XML4',
  'Bảng 4',
  {
    title: 'Chỉ tiêu chi tiết dịch vụ cận lâm sàng',
    root: 'CHITIEU_CHITIET_DICHVUCANLAMSANG',
    list: 'DSACH_CHI_TIET_CLS',
    record: 'CHI_TIET_CLS',
    repeating: true,
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100 }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10 }],
    ['MA_DICH_VU', 'string', true, 'Service code (as in XML3)', { maxLength: 50, amended: 'size 50 per QĐ 3176 (secondary)' }],
    ['MA_CHI_SO', 'string', false, 'Result item code (QĐ 1227/QĐ-BYT)', { maxLength: 255, amended: 'size 255 per QĐ 3176 (secondary)' }],
    ['TEN_CHI_SO', 'string', false, 'Result item name', { maxLength: 255 }],
    ['GIA_TRI', 'string', false, 'Result value', { maxLength: 255, amended: 'size 255 per QĐ 3176 (secondary)' }],
    ['DON_VI_DO', 'string', false, 'Unit of measure', { maxLength: 50 }],
    ['MO_TA', 'string', false, 'Description (imaging etc.)'],
    ['KET_LUAN', 'string', false, 'Conclusion'],
    ['NGAY_KQ', 'datetime12', true, 'Result time', DT],
    ['MA_BS_DOC_KQ', 'string', false, 'Reader of the result', { maxLength: 255 }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML8: record summary ("chỉ tiêu dữ liệu tóm tắt hồ sơ bệnh án"). */
export const XML8 = table(
  'XML8',
  'Bảng 8',
  {
    title: 'Chỉ tiêu dữ liệu tóm tắt hồ sơ bệnh án',
    root: 'CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN',
    record: 'CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN',
    repeating: false,
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100 }],
    ['MA_LOAI_KCB', 'string', true, 'Type of care code', { maxLength: 2, pattern: '\\d{2}', amended: 'string per QĐ 3176 (secondary)' }],
    ['HO_TEN_CHA', 'string', false, "Father's name (children)", { maxLength: 255 }],
    ['HO_TEN_ME', 'string', false, "Mother's name (children)", { maxLength: 255 }],
    ['NGUOI_GIAM_HO', 'string', false, 'Guardian', { maxLength: 255 }],
    ['DON_VI', 'string', false, 'Workplace', { maxLength: 1024 }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', DT],
    ['NGAY_RA', 'datetime12', true, 'Discharge time', DT],
    ['CHAN_DOAN_VAO', 'string', true, 'Diagnosis on arrival'],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge'],
    ['QT_BENHLY', 'string', true, 'Course of illness'],
    ['TOMTAT_KQ', 'string', false, 'Summary of paraclinical results'],
    ['PP_DIEUTRI', 'string', true, 'Treatment given'],
    ['NGAY_SINHCON', 'date8', false, 'Date of birth of the child (obstetrics)', { maxLength: 8 }],
    ['NGAY_CONCHET', 'date8', false, 'Date of death of the child', { maxLength: 8 }],
    ['SO_CONCHET', 'integer', false, 'Number of children who died', { maxLength: 2 }],
    ['KET_QUA_DTRI', 'integer', true, 'Treatment result code 1..8', { maxLength: 1, pattern: '[1-8]' }],
    ['GHI_CHU', 'string', false, 'Note'],
    ['MA_TTDV', 'string', true, 'Identifier of the head of the facility', { maxLength: 255, amended: 'string(255) per QĐ 3176 (secondary)' }],
    ['NGAY_CT', 'date8', true, 'Date the summary was signed', { maxLength: 8 }],
    ['MA_THE_TAM', 'string', false, 'Temporary card number (children without a card)', { maxLength: 15 }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

/** XML14: re-visit appointment letter ("chỉ tiêu dữ liệu giấy hẹn khám lại"), added by QĐ 4750. */
export const XML14 = table(
  'XML14',
  'Bảng 14',
  { title: 'Chỉ tiêu dữ liệu giấy hẹn khám lại', root: 'CHI_TIEU_GIAYHEN_KHAMLAI', record: 'CHI_TIEU_GIAYHEN_KHAMLAI', repeating: false },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100 }],
    ['SO_GIAYHEN_KL', 'string', true, 'Appointment letter number', { maxLength: 50, unverified: 'Length 50 in one secondary source, 100 in another; 50 kept' }],
    ['MA_CSKCB', 'string', true, 'Facility code', { maxLength: 5 }],
    ['HO_TEN', 'string', true, "Patient's full name", { maxLength: 255 }],
    ['NGAY_SINH', 'datetime12', true, 'Date of birth yyyyMMddHHmm', DT],
    ['GIOI_TINH', 'integer', true, 'Sex: 1 male, 2 female, 3 undetermined', { maxLength: 1, pattern: '[123]' }],
    ['DIA_CHI', 'string', true, 'Address', { maxLength: 1024 }],
    ['MA_THE_BHYT', 'string', false, 'Card number(s); empty when uninsured'],
    ['GT_THE_DEN', 'string', false, 'Card valid-to yyyyMMdd', { pattern: '(\\d{8}(;\\d{8})*)?' }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', DT],
    ['NGAY_VAO_NOI_TRU', 'datetime12', false, 'Inpatient admission time', DT],
    ['NGAY_RA', 'datetime12', true, 'End of visit', DT],
    ['NGAY_HEN_KL', 'date8', true, 'Re-visit date', { maxLength: 8 }],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge'],
    ['MA_BENH_CHINH', 'string', true, 'Primary ICD-10 code', { maxLength: 7 }],
    ['MA_BENH_KT', 'string', false, 'Secondary ICD-10 codes ";"-separated', { maxLength: 100 }],
    ['MA_BENH_YHCT', 'string', false, 'Traditional-medicine codes', { maxLength: 255 }],
    ['MA_DOITUONG_KCB', 'string', true, 'Visit category code', { maxLength: 4 }],
    ['MA_BAC_SI', 'string', true, 'Clinician identifier', { maxLength: 255 }],
    ['MA_TTDV', 'string', true, 'Identifier of the head of the facility', { maxLength: 255, amended: 'string(255) per QĐ 3176 (secondary)' }],
    ['NGAY_CT', 'date8', true, 'Date the letter was signed', { maxLength: 8 }],
    ['DU_PHONG', 'string', false, 'Reserved'],
  ],
);

export const TABLES: Readonly<Record<TableId, TableDef>> = { XML0, XML1, XML2, XML3, XML4, XML8, XML14 };

export const TABLE_IDS: readonly TableId[] = ['XML0', 'XML1', 'XML2', 'XML3', 'XML4', 'XML8', 'XML14'];

/**
 * XML3 cost groups (MA_NHOM) counted in XML1 T_VTYT (supplies). Codes 10 (VTYT) and 11 (VTYT
 * thanh toán theo tỷ lệ) from QĐ 130 Bảng 3 as quoted by secondary sources [unverified].
 */
export const SUPPLY_GROUPS: readonly number[] = [10, 11];
