/**
 * Field tables of the insurance claim XML ("chuẩn dữ liệu đầu ra") of Decision 130/QĐ-BYT
 * (18/01/2023), as amended by Decision 4750/QĐ-BYT (29/12/2023, in force 01/07/2024) and
 * "temporarily" by Decision 3176/QĐ-BYT (29/10/2024, applied from 01/01/2025).
 *
 * WHAT WAS READ (see docs/claims-xml130.md for addresses):
 * - `read: 'signed'`: the row was read in the signed scan of QĐ 4750 (its 14-page file holds the
 *   decision and the appendix up to Bảng 1 STT 16: the whole check-in table, Bảng 1 STT 1–16).
 * - `read: 'xlsx'`: the row was read in the XLSX of the QĐ 4750 appendix ("PHỤ LỤC QUYẾT ĐỊNH
 *   4750.xlsx", columns: STT, Chỉ tiêu, Kiểu dữ liệu theo QĐ130, Kích thước tối đa theo QĐ130,
 *   Diễn giải theo QĐ 130, Đính chính hoặc sửa đổi, bổ sung), an unsigned copy whose rows match the
 *   signed scan wherever both exist, except that the signed Bảng 1 numbers NHOM_MAU as STT 8 (the
 *   XLSX leaves it unnumbered) so every later Bảng 1 row is numbered one higher in the signed text;
 *   `stt` below uses the signed numbering for Bảng 1.
 * - Element order and the root/list/record element names were checked against the XML templates
 *   of BHXH Công văn 1245/BHXH-CNTT (03/05/2024, Phụ lục mục 2.4, 3.4, 3.5).
 * - The appendix of QĐ 3176 was NOT read. Where public HIS code reports a 3176 change, it is in
 *   `note3176` and `unverified`, and NOT applied: `maxLength` is the QĐ 4750 value.
 * - `required` is the project's inference: the tables have no "required" column.
 */

export type TableId = 'XML0' | 'XML1' | 'XML2' | 'XML3' | 'XML4' | 'XML8' | 'XML14';

/** Value types used by the tables. */
export type FieldKind =
  /** Free text or code ("Chuỗi"). */
  | 'string'
  /** Non-negative integer in decimal digits ("Số"). */
  | 'integer'
  /** Non-negative decimal, '.' as separator, at most `fractionDigits` decimals ("Số"). */
  | 'decimal'
  /** Date-time `yyyyMMddHHmm`, 12 digits. */
  | 'datetime12'
  /** Date `yyyyMMdd`, 8 digits. */
  | 'date8';

export interface FieldDef {
  /** Element name, as written in the XML ("Chỉ tiêu"). */
  readonly name: string;
  readonly kind: FieldKind;
  /** Maximum length in characters ("Kích thước tối đa"); absent where the table says "n". */
  readonly maxLength?: number;
  /** For 'decimal': maximum digits after '.'. */
  readonly fractionDigits?: number;
  /** Extra shape constraint, XSD regex syntax (implicitly anchored; also used by validateClaim). */
  readonly pattern?: string;
  /** Must carry a non-empty value (project inference). */
  readonly required: boolean;
  /** What the element holds (our own short description, not the decision's wording). */
  readonly meaning: string;
  /** Row number (STT) in the QĐ 4750 appendix table. */
  readonly stt: string;
  /** e.g. "QĐ 130/QĐ-BYT Bảng 1 STT 31, sửa đổi bởi QĐ 4750/QĐ-BYT (tăng kích thước tối đa lên 4 ký tự)". */
  readonly citation: string;
  /** Where the row was read: signed scan of QĐ 4750, or its appendix XLSX. */
  readonly read: 'signed' | 'xlsx';
  /** A QĐ 3176 change reported by secondary sources only (not applied). */
  readonly note3176?: string;
  /** Present when something about the field could not be read in a primary text. */
  readonly unverified?: string;
}

export interface TableDef {
  readonly id: TableId;
  /** The table's title in the decision. */
  readonly title: string;
  /** Root element of the table's own XML document. */
  readonly root: string;
  /** List element under the root, for tables with several rows. */
  readonly list?: string;
  /** Row element (equal to `root` for single-record tables). */
  readonly record: string;
  readonly repeating: boolean;
  /** The decision's own note on when the table is sent, if any. */
  readonly sendWhen?: string;
  readonly citation: string;
  readonly fields: readonly FieldDef[];
}

interface RowOpt {
  maxLength?: number;
  fractionDigits?: number;
  pattern?: string;
  stt: string;
  amended?: string;
  read: 'signed' | 'xlsx';
  note3176?: string;
}

const NOT_3176 = 'QĐ 3176 appendix not read';

function table(
  id: TableId,
  tableName: string,
  meta: Omit<TableDef, 'id' | 'fields' | 'citation'>,
  rows: ReadonlyArray<[string, FieldKind, boolean, string, RowOpt]>,
): TableDef {
  const fields = rows.map(([name, kind, required, meaning, o]): FieldDef => {
    const amended = o.amended ? `, sửa đổi bởi QĐ 4750/QĐ-BYT (${o.amended})` : '';
    const unverified: string[] = [];
    if (o.note3176)
      unverified.push(
        `QĐ 3176 reportedly makes it ${o.note3176} (public HIS code only; ${NOT_3176}; not applied)`,
      );
    if (o.read === 'xlsx')
      unverified.push('read in the unsigned XLSX of the QĐ 4750 appendix, not in the signed scan');
    return {
      name,
      kind,
      required,
      meaning,
      ...(o.maxLength !== undefined ? { maxLength: o.maxLength } : {}),
      ...(o.fractionDigits !== undefined ? { fractionDigits: o.fractionDigits } : {}),
      ...(o.pattern !== undefined ? { pattern: o.pattern } : {}),
      stt: o.stt,
      read: o.read,
      citation: `QĐ 130/QĐ-BYT ${tableName} STT ${o.stt}${amended}`,
      ...(o.note3176 ? { note3176: o.note3176 } : {}),
      ...(unverified.length > 0 ? { unverified: unverified.join('; ') } : {}),
    };
  });
  return {
    id,
    ...meta,
    citation: `QĐ 130/QĐ-BYT ${tableName}, as amended by QĐ 4750/QĐ-BYT Điều 1 and Phụ lục`,
    fields,
  };
}

/** XML0: check-in ("trạng thái khám bệnh, chữa bệnh"), redefined by QĐ 4750. */
export const XML0 = table(
  'XML0',
  'Bảng check-in',
  {
    title: 'Bảng chỉ tiêu dữ liệu về trạng thái khám bệnh, chữa bệnh (Bảng check-in)',
    root: 'CHI_TIEU_TRANG_THAI_KCB',
    list: 'DSACH_TRANG_THAI_KCB',
    record: 'TRANG_THAI_KCB',
    repeating: true,
    sendWhen:
      'QĐ 130 Điều 3 khoản 1 as amended by QĐ 4750 Điều 2 khoản 2: right after the first cost of the visit; again after the first cost in an inpatient, day-inpatient or outpatient-treatment department; not needed for emergencies (MA_DOITUONG_KCB = 2) nor for facilities that only receive patients or samples for paraclinical services. Not used for assessment or payment (QĐ 4750 Điều 2 khoản 1).',
  },
  [
    [
      'MA_LK',
      'string',
      true,
      'Visit link key shared by all tables of one visit',
      { maxLength: 100, stt: '1', read: 'signed' },
    ],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10, stt: '2', read: 'signed' }],
    [
      'MA_BN',
      'string',
      true,
      'Patient number assigned by the facility',
      { maxLength: 100, stt: '3', read: 'signed' },
    ],
    ['HO_TEN', 'string', true, 'Full name of the patient', { maxLength: 255, stt: '4', read: 'signed' }],
    [
      'SO_CCCD',
      'string',
      false,
      'Citizen identity card (or passport) number',
      {
        maxLength: 15,
        stt: '5',
        amended: 'đổi kiểu dữ liệu thành chuỗi',
        read: 'signed',
        note3176: 'size "n"',
      },
    ],
    [
      'NGAY_SINH',
      'datetime12',
      true,
      'Date of birth yyyyMMddHHmm (HHmm 0000 when unknown)',
      { maxLength: 12, stt: '6', read: 'signed' },
    ],
    [
      'GIOI_TINH',
      'integer',
      true,
      'Sex: 1 male, 2 female, 3 undetermined',
      { maxLength: 1, pattern: '[123]', stt: '7', read: 'signed' },
    ],
    [
      'MA_THE_BHYT',
      'string',
      false,
      'Health-insurance card number; empty when the visit does not use insurance',
      { maxLength: 15, stt: '8', read: 'signed' },
    ],
    [
      'MA_DKBD',
      'string',
      false,
      'Registered primary-care facility code of the card',
      { maxLength: 5, stt: '9', read: 'signed' },
    ],
    [
      'GT_THE_TU',
      'string',
      false,
      'Card valid-from yyyyMMdd',
      { maxLength: 8, pattern: '\\d{8}', stt: '10', read: 'signed' },
    ],
    [
      'GT_THE_DEN',
      'string',
      false,
      'Card valid-to yyyyMMdd',
      { maxLength: 8, pattern: '\\d{8}', stt: '11', read: 'signed' },
    ],
    [
      'MA_DOITUONG_KCB',
      'string',
      true,
      'Visit category code (QĐ 3276/QĐ-BYT PL1)',
      {
        maxLength: 4,
        stt: '12',
        amended: 'đổi kiểu dữ liệu thành chuỗi; tăng kích thước tối đa lên 4 ký tự',
        read: 'signed',
      },
    ],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', { maxLength: 12, stt: '13', read: 'signed' }],
    [
      'NGAY_VAO_NOI_TRU',
      'datetime12',
      false,
      'Inpatient admission time',
      { maxLength: 12, stt: '14', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'LY_DO_VNT',
      'string',
      false,
      'Reason for inpatient admission',
      { stt: '15', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'MA_LY_DO_VNT',
      'string',
      false,
      'Code of the reason for admission',
      { maxLength: 5, stt: '16', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'MA_LOAI_KCB',
      'string',
      true,
      'Type of care code (QĐ 1804/QĐ-BYT PL01), e.g. 01 outpatient visit',
      { maxLength: 2, pattern: '\\d{2}', stt: '17', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'signed' },
    ],
    [
      'MA_CSKCB',
      'string',
      true,
      'Facility code issued by the authority',
      { maxLength: 5, stt: '18', read: 'signed' },
    ],
    [
      'MA_DICH_VU',
      'string',
      false,
      'Code of the first charged service',
      { maxLength: 50, stt: '19', amended: 'đính chính hoặc bổ sung diễn giải', read: 'signed' },
    ],
    [
      'TEN_DICH_VU',
      'string',
      false,
      'Name of the first charged service',
      { maxLength: 1024, stt: '20', amended: 'đính chính hoặc bổ sung diễn giải', read: 'signed' },
    ],
    [
      'MA_THUOC',
      'string',
      false,
      'Code of the first charged drug',
      { maxLength: 255, stt: '21', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'TEN_THUOC',
      'string',
      false,
      'Name of the first charged drug',
      { maxLength: 1024, stt: '22', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'MA_VAT_TU',
      'string',
      false,
      'Code of the first charged supply',
      { maxLength: 255, stt: '23', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'TEN_VAT_TU',
      'string',
      false,
      'Name of the first charged supply',
      { maxLength: 1024, stt: '24', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'NGAY_YL',
      'datetime12',
      false,
      'Order time of the first charge',
      { maxLength: 12, stt: '25', read: 'signed' },
    ],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '26', amended: 'bổ sung trường mới', read: 'signed' }],
  ],
);

/** XML1: visit summary. */
export const XML1 = table(
  'XML1',
  'Bảng 1',
  { title: 'Chỉ tiêu tổng hợp khám bệnh, chữa bệnh', root: 'TONG_HOP', record: 'TONG_HOP', repeating: false },
  [
    [
      'MA_LK',
      'string',
      true,
      'Visit link key (primary key linking all tables)',
      { maxLength: 100, stt: '1', read: 'signed' },
    ],
    [
      'STT',
      'integer',
      true,
      'Sequence number within one sending',
      { maxLength: 10, stt: '2', read: 'signed' },
    ],
    [
      'MA_BN',
      'string',
      true,
      'Patient number assigned by the facility',
      { maxLength: 100, stt: '3', read: 'signed' },
    ],
    ['HO_TEN', 'string', true, 'Full name of the patient', { maxLength: 255, stt: '4', read: 'signed' }],
    [
      'SO_CCCD',
      'string',
      false,
      'Citizen identity card (or passport) number',
      {
        maxLength: 15,
        stt: '5',
        amended: 'đổi kiểu dữ liệu thành chuỗi',
        read: 'signed',
        note3176: 'size "n"',
      },
    ],
    [
      'NGAY_SINH',
      'datetime12',
      true,
      'Date of birth yyyyMMddHHmm',
      { maxLength: 12, stt: '6', read: 'signed' },
    ],
    [
      'GIOI_TINH',
      'integer',
      true,
      'Sex: 1 male, 2 female, 3 undetermined',
      { maxLength: 1, pattern: '[123]', stt: '7', read: 'signed' },
    ],
    [
      'NHOM_MAU',
      'string',
      false,
      'Blood group',
      { maxLength: 5, stt: '8', amended: 'bổ sung trường mới', read: 'signed' },
    ],
    [
      'MA_QUOCTICH',
      'string',
      true,
      'Nationality code',
      { maxLength: 3, stt: '9', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'signed' },
    ],
    [
      'MA_DANTOC',
      'string',
      true,
      'Ethnic group code',
      { maxLength: 2, stt: '10', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'signed' },
    ],
    [
      'MA_NGHE_NGHIEP',
      'string',
      true,
      'Occupation code (QĐ 34/2020/QĐ-TTg)',
      { maxLength: 5, stt: '11', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'signed' },
    ],
    [
      'DIA_CHI',
      'string',
      true,
      'Address as on the card or current residence',
      { maxLength: 1024, stt: '12', read: 'signed' },
    ],
    [
      'MATINH_CU_TRU',
      'string',
      true,
      'Province code of residence',
      { maxLength: 3, stt: '13', read: 'signed' },
    ],
    [
      'MAHUYEN_CU_TRU',
      'string',
      false,
      'District code of residence',
      { maxLength: 3, stt: '14', amended: 'đính chính hoặc bổ sung diễn giải', read: 'signed' },
    ],
    [
      'MAXA_CU_TRU',
      'string',
      true,
      'Commune code of residence',
      { maxLength: 5, stt: '15', amended: 'đính chính hoặc bổ sung diễn giải', read: 'signed' },
    ],
    [
      'DIEN_THOAI',
      'string',
      false,
      'Phone number',
      { maxLength: 15, stt: '16', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'signed' },
    ],
    [
      'MA_THE_BHYT',
      'string',
      false,
      'Health-insurance card number(s), ";"-separated; empty when uninsured',
      { stt: '17', read: 'xlsx' },
    ],
    ['MA_DKBD', 'string', false, 'Registered primary-care facility code(s)', { stt: '18', read: 'xlsx' }],
    [
      'GT_THE_TU',
      'string',
      false,
      'Card valid-from yyyyMMdd, ";"-separated',
      { pattern: '(\\d{8}(;\\d{8})*)?', stt: '19', read: 'xlsx' },
    ],
    [
      'GT_THE_DEN',
      'string',
      false,
      'Card valid-to yyyyMMdd, ";"-separated',
      { pattern: '(\\d{8}(;\\d{8})*)?', stt: '20', read: 'xlsx' },
    ],
    [
      'NGAY_MIEN_CCT',
      'string',
      false,
      'Co-payment exemption date (8 or 12 digits)',
      { maxLength: 12, pattern: '(\\d{8}|\\d{12})?', stt: '21', read: 'xlsx' },
    ],
    ['LY_DO_VV', 'string', true, 'Reason for the visit', { stt: '22', read: 'xlsx' }],
    ['LY_DO_VNT', 'string', false, 'Reason for inpatient admission', { stt: '23', read: 'xlsx' }],
    [
      'MA_LY_DO_VNT',
      'string',
      false,
      'Code of the reason for admission',
      { maxLength: 5, stt: '24', read: 'xlsx' },
    ],
    ['CHAN_DOAN_VAO', 'string', true, 'Diagnosis on arrival (text)', { stt: '25', read: 'xlsx' }],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge (text)', { stt: '26', read: 'xlsx' }],
    [
      'MA_BENH_CHINH',
      'string',
      true,
      'Primary diagnosis, one ICD-10 code',
      { maxLength: 7, stt: '27', read: 'xlsx' },
    ],
    [
      'MA_BENH_KT',
      'string',
      false,
      'Secondary diagnoses, ICD-10 codes ";"-separated',
      { maxLength: 100, stt: '28', read: 'xlsx' },
    ],
    [
      'MA_BENH_YHCT',
      'string',
      false,
      'Traditional-medicine diagnosis codes',
      {
        maxLength: 255,
        stt: '29',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
        note3176: 'size 150',
      },
    ],
    [
      'MA_PTTT_QT',
      'string',
      false,
      'International procedure codes',
      { maxLength: 125, stt: '30', read: 'xlsx' },
    ],
    [
      'MA_DOITUONG_KCB',
      'string',
      true,
      'Visit category code (QĐ 3276/QĐ-BYT PL1); "9" for no insurance use',
      { maxLength: 4, stt: '31', amended: 'tăng kích thước tối đa lên 4 ký tự', read: 'xlsx' },
    ],
    ['MA_NOI_DI', 'string', false, 'Referring facility code', { maxLength: 5, stt: '32', read: 'xlsx' }],
    ['MA_NOI_DEN', 'string', false, 'Facility referred to', { maxLength: 5, stt: '33', read: 'xlsx' }],
    ['MA_TAI_NAN', 'integer', false, 'Injury cause code', { maxLength: 1, stt: '34', read: 'xlsx' }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', { maxLength: 12, stt: '35', read: 'xlsx' }],
    [
      'NGAY_VAO_NOI_TRU',
      'datetime12',
      false,
      'Inpatient admission time',
      { maxLength: 12, stt: '36', read: 'xlsx' },
    ],
    [
      'NGAY_RA',
      'datetime12',
      true,
      'End of visit / discharge time',
      { maxLength: 12, stt: '37', read: 'xlsx' },
    ],
    [
      'GIAY_CHUYEN_TUYEN',
      'string',
      false,
      'Referral letter number',
      { maxLength: 50, stt: '38', read: 'xlsx' },
    ],
    [
      'SO_NGAY_DTRI',
      'integer',
      true,
      'Days of treatment (0 for outpatient visits)',
      { maxLength: 3, stt: '39', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['PP_DIEU_TRI', 'string', false, 'Treatment method (text)', { stt: '40', read: 'xlsx' }],
    [
      'KET_QUA_DTRI',
      'integer',
      true,
      'Treatment result code 1..8',
      {
        maxLength: 1,
        pattern: '[1-8]',
        stt: '41',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    [
      'MA_LOAI_RV',
      'integer',
      true,
      'Discharge type code 1..5',
      { maxLength: 1, pattern: '[1-5]', stt: '42', read: 'xlsx' },
    ],
    ['GHI_CHU', 'string', false, 'Note', { stt: '43', read: 'xlsx' }],
    [
      'NGAY_TTOAN',
      'datetime12',
      false,
      'Payment time (empty until paid, then resent)',
      { maxLength: 12, stt: '44', read: 'xlsx' },
    ],
    [
      'T_THUOC',
      'decimal',
      true,
      'Total of drugs (sum of XML2 THANH_TIEN_BV)',
      { maxLength: 15, fractionDigits: 2, stt: '45', read: 'xlsx' },
    ],
    [
      'T_VTYT',
      'decimal',
      true,
      'Total of medical supplies (XML3 rows of supply groups)',
      { maxLength: 15, fractionDigits: 2, stt: '46', read: 'xlsx' },
    ],
    [
      'T_TONGCHI_BV',
      'decimal',
      true,
      'Total cost at facility prices (XML2 + XML3 THANH_TIEN_BV)',
      { maxLength: 15, fractionDigits: 2, stt: '47', read: 'xlsx' },
    ],
    [
      'T_TONGCHI_BH',
      'decimal',
      true,
      'Total within insurance scope (XML2 + XML3 THANH_TIEN_BH)',
      { maxLength: 15, fractionDigits: 2, stt: '48', read: 'xlsx' },
    ],
    [
      'T_BNTT',
      'decimal',
      true,
      'Paid by the patient outside insurance',
      { maxLength: 15, fractionDigits: 2, stt: '49', read: 'xlsx' },
    ],
    [
      'T_BNCCT',
      'decimal',
      true,
      'Co-payment of the patient (sum of XML2/XML3 T_BNCCT)',
      { maxLength: 15, fractionDigits: 2, stt: '50', read: 'xlsx' },
    ],
    [
      'T_BHTT',
      'decimal',
      true,
      'Paid by the insurance fund',
      { maxLength: 15, fractionDigits: 2, stt: '51', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC',
      'decimal',
      true,
      'Paid by other sources',
      { maxLength: 15, fractionDigits: 2, stt: '52', read: 'xlsx' },
    ],
    [
      'T_BHTT_GDV',
      'decimal',
      true,
      'Insurance payment beyond the global budget',
      { maxLength: 15, fractionDigits: 2, stt: '53', read: 'xlsx' },
    ],
    [
      'NAM_QT',
      'integer',
      true,
      'Settlement year',
      { maxLength: 4, pattern: '\\d{4}', stt: '54', read: 'xlsx' },
    ],
    ['THANG_QT', 'integer', true, 'Settlement month', { maxLength: 2, stt: '55', read: 'xlsx' }],
    [
      'MA_LOAI_KCB',
      'string',
      true,
      'Type of care code (QĐ 1804/QĐ-BYT PL01)',
      { maxLength: 2, pattern: '\\d{2}', stt: '56', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'xlsx' },
    ],
    [
      'MA_KHOA',
      'string',
      true,
      'Department codes (QĐ 1804/QĐ-BYT PL02), ";"-separated',
      { maxLength: 50, stt: '57', read: 'xlsx' },
    ],
    ['MA_CSKCB', 'string', true, 'Facility code', { maxLength: 5, stt: '58', read: 'xlsx' }],
    [
      'MA_KHUVUC',
      'string',
      false,
      'Residence area on the card: K1/K2/K3',
      { maxLength: 2, pattern: '(K1|K2|K3)?', stt: '59', read: 'xlsx' },
    ],
    [
      'CAN_NANG',
      'decimal',
      false,
      'Weight in kg (2 decimals)',
      { maxLength: 6, fractionDigits: 2, stt: '60', read: 'xlsx' },
    ],
    [
      'CAN_NANG_CON',
      'string',
      false,
      'Weights of newborns, ";"-separated',
      { maxLength: 100, stt: '61', read: 'xlsx' },
    ],
    [
      'NAM_NAM_LIEN_TUC',
      'date8',
      false,
      'Date of five continuous years of insurance',
      { maxLength: 8, stt: '62', read: 'xlsx' },
    ],
    [
      'NGAY_TAI_KHAM',
      'string',
      false,
      'Re-visit dates yyyyMMdd, ";"-separated (each matches an XML14)',
      { maxLength: 50, pattern: '(\\d{8}(;\\d{8})*)?', stt: '63', read: 'xlsx' },
    ],
    ['MA_HSBA', 'string', true, 'Medical record number', { maxLength: 100, stt: '64', read: 'xlsx' }],
    [
      'MA_TTDV',
      'string',
      true,
      'Identifier of the head of the facility',
      { maxLength: 10, stt: '65', read: 'xlsx', note3176: 'string of 255' },
    ],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '66', read: 'xlsx' }],
  ],
);

/** XML2: drugs. */
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
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100, stt: '1', read: 'xlsx' }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10, stt: '2', read: 'xlsx' }],
    [
      'MA_THUOC',
      'string',
      true,
      'Drug (active ingredient) code from the common code set',
      { maxLength: 255, stt: '3', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_PP_CHEBIEN',
      'string',
      false,
      'Traditional-medicine processing method code',
      { maxLength: 255, stt: '4', read: 'xlsx' },
    ],
    [
      'MA_CSKCB_THUOC',
      'string',
      false,
      'Facility that supplied the drug',
      { maxLength: 10, stt: '5', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['MA_NHOM', 'integer', true, 'Cost group code', { maxLength: 2, stt: '6', read: 'xlsx' }],
    ['TEN_THUOC', 'string', true, 'Drug name', { maxLength: 1024, stt: '7', read: 'xlsx' }],
    ['DON_VI_TINH', 'string', true, 'Unit', { maxLength: 50, stt: '8', read: 'xlsx' }],
    ['HAM_LUONG', 'string', false, 'Strength', { maxLength: 1024, stt: '9', read: 'xlsx' }],
    ['DUONG_DUNG', 'string', false, 'Route code', { maxLength: 4, stt: '10', read: 'xlsx' }],
    ['DANG_BAO_CHE', 'string', false, 'Dosage form', { maxLength: 1024, stt: '11', read: 'xlsx' }],
    [
      'LIEU_DUNG',
      'string',
      false,
      'Dose',
      { maxLength: 1024, stt: '12', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['CACH_DUNG', 'string', false, 'Directions', { maxLength: 1024, stt: '13', read: 'xlsx' }],
    [
      'SO_DANG_KY',
      'string',
      false,
      'Registration number (no spaces)',
      { maxLength: 255, stt: '14', read: 'xlsx' },
    ],
    [
      'TT_THAU',
      'string',
      false,
      'Tender information',
      { maxLength: 50, stt: '15', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'PHAM_VI',
      'integer',
      true,
      'Scope: 1 insurance, 2 self-paid, 3 army/police/cipher',
      {
        maxLength: 1,
        pattern: '[123]',
        stt: '16',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    [
      'TYLE_TT_BH',
      'integer',
      true,
      'Insurance payment ratio for the item (%)',
      { maxLength: 3, stt: '17', read: 'xlsx' },
    ],
    [
      'SO_LUONG',
      'decimal',
      true,
      'Quantity (up to 3 decimals)',
      { maxLength: 10, fractionDigits: 3, stt: '18', read: 'xlsx' },
    ],
    [
      'DON_GIA',
      'decimal',
      true,
      'Unit price, rounded to 3 decimals',
      { maxLength: 15, fractionDigits: 3, stt: '19', read: 'xlsx' },
    ],
    [
      'THANH_TIEN_BV',
      'decimal',
      true,
      'SO_LUONG x DON_GIA, rounded to 2 decimals',
      { maxLength: 15, fractionDigits: 2, stt: '20', read: 'xlsx' },
    ],
    [
      'THANH_TIEN_BH',
      'decimal',
      true,
      'Amount within insurance scope',
      { maxLength: 15, fractionDigits: 2, stt: '21', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_NSNN',
      'decimal',
      true,
      'Other source: state budget',
      { maxLength: 15, fractionDigits: 2, stt: '22', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_VTNN',
      'decimal',
      true,
      'Other source: foreign aid',
      { maxLength: 15, fractionDigits: 2, stt: '23', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_VTTN',
      'decimal',
      true,
      'Other source: domestic aid',
      { maxLength: 15, fractionDigits: 2, stt: '24', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_CL',
      'decimal',
      true,
      'Other source: remaining',
      { maxLength: 15, fractionDigits: 2, stt: '25', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC',
      'decimal',
      true,
      'Other sources total',
      { maxLength: 15, fractionDigits: 2, stt: '26', read: 'xlsx' },
    ],
    ['MUC_HUONG', 'integer', true, 'Benefit level (%)', { maxLength: 3, stt: '27', read: 'xlsx' }],
    [
      'T_BNTT',
      'decimal',
      true,
      'Patient pays outside insurance',
      {
        maxLength: 15,
        fractionDigits: 2,
        stt: '28',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    [
      'T_BNCCT',
      'decimal',
      true,
      'Patient co-payment',
      { maxLength: 15, fractionDigits: 2, stt: '29', read: 'xlsx' },
    ],
    [
      'T_BHTT',
      'decimal',
      true,
      'Insurance fund pays',
      { maxLength: 15, fractionDigits: 2, stt: '30', read: 'xlsx' },
    ],
    [
      'MA_KHOA',
      'string',
      true,
      'Department code',
      { maxLength: 50, stt: '31', amended: 'tăng kích thước tối đa lên 50 ký tự', read: 'xlsx' },
    ],
    [
      'MA_BAC_SI',
      'string',
      true,
      'Prescriber identifier(s)',
      { maxLength: 255, stt: '32', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_DICH_VU',
      'string',
      false,
      'Service the drug was used in',
      { maxLength: 255, stt: '33', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'NGAY_YL',
      'datetime12',
      true,
      'Order time',
      { maxLength: 12, stt: '34', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'NGAY_TH_YL',
      'datetime12',
      false,
      'Execution time of the order',
      { maxLength: 12, stt: '(unnumbered, after STT 34)', amended: 'bổ sung trường mới', read: 'xlsx' },
    ],
    [
      'MA_PTTT',
      'integer',
      true,
      'Payment method: 1 fee for service, 2 capitation, 3 DRG',
      { maxLength: 1, pattern: '[123]', stt: '35', read: 'xlsx' },
    ],
    [
      'NGUON_CTRA',
      'integer',
      true,
      'Payer source 1..4',
      { maxLength: 1, pattern: '[1-4]', stt: '36', read: 'xlsx' },
    ],
    [
      'VET_THUONG_TP',
      'integer',
      false,
      '1 when a recurring war wound',
      { maxLength: 1, pattern: '1?', stt: '37', read: 'xlsx' },
    ],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '38', read: 'xlsx' }],
  ],
);

/** XML3: technical services and medical supplies. */
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
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100, stt: '1', read: 'xlsx' }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10, stt: '2', read: 'xlsx' }],
    [
      'MA_DICH_VU',
      'string',
      false,
      'Technical service code (QĐ 2010/QĐ-BYT PL1)',
      { maxLength: 50, stt: '3', read: 'xlsx' },
    ],
    [
      'MA_PTTT_QT',
      'string',
      false,
      'International procedure code',
      { maxLength: 255, stt: '4', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_VAT_TU',
      'string',
      false,
      'Supply code (issued by the portal)',
      { maxLength: 255, stt: '5', read: 'xlsx' },
    ],
    [
      'MA_NHOM',
      'integer',
      true,
      'Cost group code 1..19',
      { maxLength: 2, stt: '6', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'GOI_VTYT',
      'string',
      false,
      'Supply package G1, G2...',
      { maxLength: 3, stt: '7', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'TEN_VAT_TU',
      'string',
      false,
      'Supply name',
      { maxLength: 1024, stt: '8', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['TEN_DICH_VU', 'string', false, 'Service name', { maxLength: 1024, stt: '9', read: 'xlsx' }],
    [
      'MA_XANG_DAU',
      'string',
      false,
      'Fuel code for transport (QĐ 3276 PL2)',
      { maxLength: 20, stt: '10', read: 'xlsx' },
    ],
    ['DON_VI_TINH', 'string', true, 'Unit', { maxLength: 50, stt: '11', read: 'xlsx' }],
    [
      'PHAM_VI',
      'integer',
      true,
      'Scope: 1 insurance, 2 self-paid, 3 army/police/cipher',
      { maxLength: 1, pattern: '[123]', stt: '12', read: 'xlsx' },
    ],
    ['SO_LUONG', 'decimal', true, 'Quantity', { maxLength: 10, fractionDigits: 3, stt: '13', read: 'xlsx' }],
    [
      'DON_GIA_BV',
      'decimal',
      true,
      'Facility unit price',
      { maxLength: 15, fractionDigits: 3, stt: '14', read: 'xlsx' },
    ],
    [
      'DON_GIA_BH',
      'decimal',
      true,
      'Insurance unit price',
      {
        maxLength: 15,
        fractionDigits: 3,
        stt: '15',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    [
      'TT_THAU',
      'string',
      false,
      'Tender information',
      { maxLength: 25, stt: '16', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'TYLE_TT_DV',
      'integer',
      true,
      'Service payment ratio (%)',
      { maxLength: 3, stt: '17', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['TYLE_TT_BH', 'integer', true, 'Insurance payment ratio (%)', { maxLength: 3, stt: '18', read: 'xlsx' }],
    [
      'THANH_TIEN_BV',
      'decimal',
      true,
      'SO_LUONG x DON_GIA_BV x TYLE_TT_DV/100, rounded to 2 decimals',
      {
        maxLength: 15,
        fractionDigits: 2,
        stt: '19',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    [
      'THANH_TIEN_BH',
      'decimal',
      true,
      'SO_LUONG x DON_GIA_BH x TYLE_TT_DV/100 x TYLE_TT_BH/100, rounded to 2 decimals',
      { maxLength: 15, fractionDigits: 2, stt: '20', read: 'xlsx' },
    ],
    [
      'T_TRANTT',
      'decimal',
      false,
      'Payment ceiling for the supply',
      { maxLength: 15, fractionDigits: 2, stt: '21', read: 'xlsx' },
    ],
    ['MUC_HUONG', 'integer', true, 'Benefit level (%)', { maxLength: 3, stt: '22', read: 'xlsx' }],
    [
      'T_NGUONKHAC_NSNN',
      'decimal',
      true,
      'Other source: state budget',
      { maxLength: 15, fractionDigits: 2, stt: '23', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_VTNN',
      'decimal',
      true,
      'Other source: foreign aid',
      { maxLength: 15, fractionDigits: 2, stt: '24', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_VTTN',
      'decimal',
      true,
      'Other source: domestic aid',
      { maxLength: 15, fractionDigits: 2, stt: '25', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC_CL',
      'decimal',
      true,
      'Other source: remaining',
      { maxLength: 15, fractionDigits: 2, stt: '26', read: 'xlsx' },
    ],
    [
      'T_NGUONKHAC',
      'decimal',
      true,
      'Other sources total',
      { maxLength: 15, fractionDigits: 2, stt: '27', read: 'xlsx' },
    ],
    [
      'T_BNTT',
      'decimal',
      true,
      'Patient pays outside insurance',
      { maxLength: 15, fractionDigits: 2, stt: '28', read: 'xlsx' },
    ],
    [
      'T_BNCCT',
      'decimal',
      true,
      'Patient co-payment',
      { maxLength: 15, fractionDigits: 2, stt: '29', read: 'xlsx' },
    ],
    [
      'T_BHTT',
      'decimal',
      true,
      'Insurance fund pays',
      { maxLength: 15, fractionDigits: 2, stt: '30', read: 'xlsx' },
    ],
    [
      'MA_KHOA',
      'string',
      true,
      'Department code',
      { maxLength: 50, stt: '31', amended: 'tăng kích thước tối đa lên 50 ký tự', read: 'xlsx' },
    ],
    ['MA_GIUONG', 'string', false, 'Bed code(s)', { maxLength: 50, stt: '32', read: 'xlsx' }],
    [
      'MA_BAC_SI',
      'string',
      true,
      'Ordering clinician identifier(s)',
      { maxLength: 255, stt: '33', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'NGUOI_THUC_HIEN',
      'string',
      false,
      'Performer identifier(s)',
      { maxLength: 255, stt: '34', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_BENH',
      'string',
      false,
      'ICD-10 codes the service was for',
      { maxLength: 100, stt: '35', read: 'xlsx' },
    ],
    [
      'MA_BENH_YHCT',
      'string',
      false,
      'Traditional-medicine diagnosis codes',
      { maxLength: 255, stt: '36', read: 'xlsx', note3176: 'size 150' },
    ],
    [
      'NGAY_YL',
      'datetime12',
      true,
      'Order time',
      { maxLength: 12, stt: '37', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'NGAY_TH_YL',
      'datetime12',
      false,
      'Execution time',
      { maxLength: 12, stt: '38', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'NGAY_KQ',
      'datetime12',
      false,
      'Result time',
      { maxLength: 12, stt: '39', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_PTTT',
      'integer',
      true,
      'Payment method: 1 fee for service, 2 capitation, 3 DRG',
      { maxLength: 1, pattern: '[123]', stt: '40', read: 'xlsx' },
    ],
    [
      'VET_THUONG_TP',
      'integer',
      false,
      '1 when a recurring war wound',
      { maxLength: 1, pattern: '1?', stt: '41', read: 'xlsx' },
    ],
    ['PP_VO_CAM', 'integer', false, 'Anaesthesia method code', { maxLength: 1, stt: '42', read: 'xlsx' }],
    ['VI_TRI_TH_DVKT', 'integer', false, 'Body site code', { maxLength: 3, stt: '43', read: 'xlsx' }],
    ['MA_MAY', 'string', false, 'Device code(s)', { maxLength: 1024, stt: '44', read: 'xlsx' }],
    ['MA_HIEU_SP', 'string', false, 'Product model code', { maxLength: 255, stt: '45', read: 'xlsx' }],
    ['TAI_SU_DUNG', 'integer', false, '1 when a reused supply', { maxLength: 1, stt: '46', read: 'xlsx' }],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '47', read: 'xlsx' }],
  ],
);

/** XML4: paraclinical results. */
export const XML4 = table(
  'XML4',
  'Bảng 4',
  {
    title: 'Chỉ tiêu chi tiết dịch vụ cận lâm sàng',
    root: 'CHITIEU_CHITIET_DICHVUCANLAMSANG',
    list: 'DSACH_CHI_TIET_CLS',
    record: 'CHI_TIET_CLS',
    repeating: true,
    sendWhen: 'Bảng 4 ghi chú: only when the patient had paraclinical services.',
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100, stt: '1', read: 'xlsx' }],
    ['STT', 'integer', true, 'Row number, from 1', { maxLength: 10, stt: '2', read: 'xlsx' }],
    [
      'MA_DICH_VU',
      'string',
      true,
      'Service code (as in XML3)',
      { maxLength: 15, stt: '3', read: 'xlsx', note3176: 'size 50' },
    ],
    [
      'MA_CHI_SO',
      'string',
      false,
      'Result item code (QĐ 1227/QĐ-BYT)',
      {
        maxLength: 50,
        stt: '4',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
        note3176: 'size 255',
      },
    ],
    [
      'TEN_CHI_SO',
      'string',
      false,
      'Result item name',
      { maxLength: 255, stt: '5', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'GIA_TRI',
      'string',
      false,
      'Result value',
      { maxLength: 50, stt: '6', read: 'xlsx', note3176: 'size 255' },
    ],
    ['DON_VI_DO', 'string', false, 'Unit of measure', { maxLength: 50, stt: '7', read: 'xlsx' }],
    ['MO_TA', 'string', false, 'Description (imaging etc.)', { stt: '8', read: 'xlsx' }],
    ['KET_LUAN', 'string', false, 'Conclusion', { stt: '9', read: 'xlsx' }],
    [
      'NGAY_KQ',
      'datetime12',
      true,
      'Result time',
      { maxLength: 12, stt: '10', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    [
      'MA_BS_DOC_KQ',
      'string',
      false,
      'Reader of the result',
      { maxLength: 255, stt: '11', amended: 'đính chính hoặc bổ sung diễn giải', read: 'xlsx' },
    ],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '12', read: 'xlsx' }],
  ],
);

/** XML8: record summary. */
export const XML8 = table(
  'XML8',
  'Bảng 8',
  {
    title: 'Chỉ tiêu dữ liệu tóm tắt hồ sơ bệnh án',
    root: 'CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN',
    record: 'CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN',
    repeating: false,
    sendWhen:
      'Bảng 8 ghi chú: only for inpatient (MA_LOAI_KCB 03), day inpatient (04) or stays at a commune station / regional polyclinic (06).',
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100, stt: '1', read: 'xlsx' }],
    [
      'MA_LOAI_KCB',
      'string',
      true,
      'Type of care code',
      { maxLength: 2, pattern: '\\d{2}', stt: '2', amended: 'đổi kiểu dữ liệu thành chuỗi', read: 'xlsx' },
    ],
    [
      'HO_TEN_CHA',
      'string',
      false,
      'Name of the father (children)',
      { maxLength: 255, stt: '3', read: 'xlsx' },
    ],
    [
      'HO_TEN_ME',
      'string',
      false,
      'Name of the mother (children)',
      { maxLength: 255, stt: '4', read: 'xlsx' },
    ],
    ['NGUOI_GIAM_HO', 'string', false, 'Guardian', { maxLength: 255, stt: '5', read: 'xlsx' }],
    ['DON_VI', 'string', false, 'Workplace', { maxLength: 1024, stt: '6', read: 'xlsx' }],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', { maxLength: 12, stt: '7', read: 'xlsx' }],
    ['NGAY_RA', 'datetime12', true, 'Discharge time', { maxLength: 12, stt: '8', read: 'xlsx' }],
    ['CHAN_DOAN_VAO', 'string', true, 'Diagnosis on arrival', { stt: '9', read: 'xlsx' }],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge', { stt: '10', read: 'xlsx' }],
    ['QT_BENHLY', 'string', true, 'Course of illness', { stt: '11', read: 'xlsx' }],
    ['TOMTAT_KQ', 'string', false, 'Summary of paraclinical results', { stt: '12', read: 'xlsx' }],
    ['PP_DIEUTRI', 'string', true, 'Treatment given', { stt: '13', read: 'xlsx' }],
    [
      'NGAY_SINHCON',
      'date8',
      false,
      'Date of birth of the child (obstetrics)',
      { maxLength: 8, stt: '14', read: 'xlsx' },
    ],
    ['NGAY_CONCHET', 'date8', false, 'Date of death of the child', { maxLength: 8, stt: '15', read: 'xlsx' }],
    [
      'SO_CONCHET',
      'integer',
      false,
      'Number of children who died',
      { maxLength: 2, stt: '16', read: 'xlsx' },
    ],
    [
      'KET_QUA_DTRI',
      'integer',
      true,
      'Treatment result code 1..8',
      {
        maxLength: 1,
        pattern: '[1-8]',
        stt: '17',
        amended: 'đính chính hoặc bổ sung diễn giải',
        read: 'xlsx',
      },
    ],
    ['GHI_CHU', 'string', false, 'Note', { stt: '18', read: 'xlsx' }],
    [
      'MA_TTDV',
      'string',
      true,
      'Identifier of the head of the facility',
      {
        maxLength: 10,
        stt: '19',
        amended: 'đổi kiểu dữ liệu thành chuỗi',
        read: 'xlsx',
        note3176: 'string of 255',
      },
    ],
    ['NGAY_CT', 'date8', true, 'Date the summary was signed', { maxLength: 8, stt: '20', read: 'xlsx' }],
    [
      'MA_THE_TAM',
      'string',
      false,
      'Temporary card number (children without a card)',
      { maxLength: 15, stt: '21', read: 'xlsx' },
    ],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '22', read: 'xlsx' }],
  ],
);

/** XML14: re-visit appointment letter (added by QĐ 4750). */
export const XML14 = table(
  'XML14',
  'Bảng 14',
  {
    title: 'Chỉ tiêu dữ liệu giấy hẹn khám lại',
    root: 'CHI_TIEU_GIAYHEN_KHAMLAI',
    record: 'CHI_TIEU_GIAYHEN_KHAMLAI',
    repeating: false,
    sendWhen:
      'Bảng 14 ghi chú: only when a re-visit is appointed; a digitally signed Bảng 14 replaces the paper letter.',
  },
  [
    ['MA_LK', 'string', true, 'Visit link key', { maxLength: 100, stt: '1', read: 'xlsx' }],
    ['SO_GIAYHEN_KL', 'string', true, 'Appointment letter number', { maxLength: 50, stt: '2', read: 'xlsx' }],
    ['MA_CSKCB', 'string', true, 'Facility code', { maxLength: 5, stt: '3', read: 'xlsx' }],
    ['HO_TEN', 'string', true, 'Full name of the patient', { maxLength: 255, stt: '4', read: 'xlsx' }],
    [
      'NGAY_SINH',
      'datetime12',
      true,
      'Date of birth yyyyMMddHHmm',
      { maxLength: 12, stt: '5', read: 'xlsx' },
    ],
    [
      'GIOI_TINH',
      'integer',
      true,
      'Sex: 1 male, 2 female, 3 undetermined',
      { maxLength: 1, pattern: '[123]', stt: '6', read: 'xlsx' },
    ],
    ['DIA_CHI', 'string', true, 'Address', { maxLength: 1024, stt: '7', read: 'xlsx' }],
    ['MA_THE_BHYT', 'string', false, 'Card number(s); empty when uninsured', { stt: '8', read: 'xlsx' }],
    [
      'GT_THE_DEN',
      'string',
      false,
      'Card valid-to yyyyMMdd',
      { pattern: '(\\d{8}(;\\d{8})*)?', stt: '9', read: 'xlsx' },
    ],
    ['NGAY_VAO', 'datetime12', true, 'Arrival time', { maxLength: 12, stt: '10', read: 'xlsx' }],
    [
      'NGAY_VAO_NOI_TRU',
      'datetime12',
      false,
      'Inpatient admission time',
      { maxLength: 12, stt: '11', read: 'xlsx' },
    ],
    ['NGAY_RA', 'datetime12', true, 'End of visit', { maxLength: 12, stt: '12', read: 'xlsx' }],
    [
      'NGAY_HEN_KL',
      'datetime12',
      true,
      'Re-visit appointment time',
      { maxLength: 12, stt: '13', read: 'xlsx', note3176: '8 characters yyyymmdd' },
    ],
    ['CHAN_DOAN_RV', 'string', true, 'Diagnosis at discharge', { stt: '15', read: 'xlsx' }],
    ['MA_BENH_CHINH', 'string', true, 'Primary ICD-10 code', { maxLength: 7, stt: '16', read: 'xlsx' }],
    [
      'MA_BENH_KT',
      'string',
      false,
      'Secondary ICD-10 codes ";"-separated',
      { maxLength: 100, stt: '17', read: 'xlsx' },
    ],
    [
      'MA_BENH_YHCT',
      'string',
      false,
      'Traditional-medicine codes',
      { maxLength: 255, stt: '18', read: 'xlsx' },
    ],
    ['MA_DOITUONG_KCB', 'string', true, 'Visit category code', { maxLength: 4, stt: '19', read: 'xlsx' }],
    ['MA_BAC_SI', 'string', true, 'Clinician identifier', { maxLength: 255, stt: '20', read: 'xlsx' }],
    [
      'MA_TTDV',
      'string',
      true,
      'Identifier of the head of the facility',
      { maxLength: 10, stt: '21', read: 'xlsx', note3176: 'string of 255' },
    ],
    ['NGAY_CT', 'date8', true, 'Date the letter was signed', { maxLength: 8, stt: '22', read: 'xlsx' }],
    ['DU_PHONG', 'string', false, 'Reserved', { stt: '23', read: 'xlsx' }],
  ],
);

export const TABLES: Readonly<Record<TableId, TableDef>> = { XML0, XML1, XML2, XML3, XML4, XML8, XML14 };

export const TABLE_IDS: readonly TableId[] = ['XML0', 'XML1', 'XML2', 'XML3', 'XML4', 'XML8', 'XML14'];

/** QĐ 130 Bảng 1 STT 28 (signed numbering): at most 12 secondary diagnosis codes in MA_BENH_KT. */
export const MAX_SECONDARY_DIAGNOSES = 12;
