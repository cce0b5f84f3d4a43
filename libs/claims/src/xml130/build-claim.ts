/**
 * Pure generator of the claim tables and the GIAMDINHHS envelope for one visit.
 * No clock, no I/O: everything comes from the input and the options.
 */
import { MAX_SECONDARY_DIAGNOSES, TABLES, type TableDef, type TableId } from './fields';
import type { ClaimInput, DrugLine, Instant, ServiceLine } from './model';
import { dec, fmt, mulRound, sum, type Dec } from './money';
import { birth12, cdata, d8, dt12, escapeText, vnYearMonth } from './xml-text';

/**
 * Tables allowed for a visit that does not use health insurance [unverified]. Secondary sources
 * say XML1 and XML8. What was read: QĐ 130 Điều 3 khoản 2 leaves the choice of tables to "the
 * patient's category and purpose"; the check-in table (STT 8–11) and Bảng 1 (STT 17–20) both say
 * that for a patient "không KBCB BHYT" the card fields are left empty, so both tables foresee such
 * patients; no text read says which tables must be sent for them. Override with
 * `BuildOptions.uninsuredTables` once confirmed with the provincial BHXH.
 */
export const UNINSURED_TABLES: readonly TableId[] = ['XML1', 'XML8'];

/** MA_LOAI_KCB values for which XML8 is sent (QĐ 4750 phụ lục, Bảng 8, ghi chú). */
export const SUMMARY_CARE_TYPES: readonly string[] = ['03', '04', '06'];

export interface BuildOptions {
  /** NGAYLAP of the envelope (the day the file is made); a parameter to keep the builder pure. */
  readonly createdAt: Instant;
  /** STT of XML1 within the sending (default 1). */
  readonly stt?: number;
  /** Wrap free-text values in CDATA instead of escaping (both are equivalent XML). */
  readonly cdata?: boolean;
  /** Send XML8 whatever the type of care (the decision limits it to MA_LOAI_KCB 03, 04, 06). */
  readonly includeSummary?: boolean;
  /** Tables allowed when coverage is `none` (default UNINSURED_TABLES). */
  readonly uninsuredTables?: readonly TableId[];
}

export type ClaimTables = Partial<Record<TableId, string>>;

export interface ClaimOutput {
  readonly maLk: string;
  /** Each table's own XML document (UTF-8 text). XML0 is the check-in, sent on its own. */
  readonly tables: ClaimTables;
  /** GIAMDINHHS envelope with every table except XML0, each base64 in NOIDUNGFILE. Unsigned. */
  readonly envelope: string;
  /** The computed totals written to XML1 (as Decs, 1/1000 đồng). */
  readonly totals: ClaimTotals;
}

export interface ClaimTotals {
  readonly T_THUOC: Dec;
  readonly T_VTYT: Dec;
  readonly T_TONGCHI_BV: Dec;
  readonly T_TONGCHI_BH: Dec;
  readonly T_BNTT: Dec;
  readonly T_BNCCT: Dec;
  readonly T_BHTT: Dec;
  readonly T_NGUONKHAC: Dec;
}

interface LineMoney {
  bv: Dec;
  bh: Dec;
  bntt: Dec;
  bncct: Dec;
  bhtt: Dec;
  other: Dec;
}

type Row = Record<string, string>;

/**
 * Money of one line, per QĐ 130 Bảng 2 STT 20–30 and Bảng 3 STT 19–30 (as corrected by QĐ 4750):
 * THANH_TIEN_BV = round(SO_LUONG × DON_GIA[_BV] × TYLE_TT_DV/100, 2);
 * THANH_TIEN_BH = round(SO_LUONG × DON_GIA[_BH] × TYLE_TT_DV/100 × TYLE_TT_BH/100, 2) within scope;
 * T_BHTT = round(THANH_TIEN_BH × MUC_HUONG/100, 2); T_BNCCT = THANH_TIEN_BH − T_BHTT;
 * T_BNTT = THANH_TIEN_BV − THANH_TIEN_BH; a personal other-source amount (T_NGUONKHAC, case a)
 * is then taken off T_BNTT, then T_BNCCT, then T_BHTT. Rounding: half away from zero
 * [unverified: the decision says only "làm tròn số đến 2 chữ số thập phân"].
 * Every line then satisfies THANH_TIEN_BV = T_BNTT + T_BNCCT + T_BHTT + T_NGUONKHAC.
 */
function lineMoney(
  qty: Dec,
  price: Dec,
  insPrice: Dec,
  serviceRate: number[],
  insurerRate: number,
  insured: boolean,
  scope: number,
  benefit: number,
  otherSources: number | undefined,
  what: string,
): LineMoney {
  const bv = mulRound([qty, price], serviceRate, 2);
  const bh = insured && scope !== 2 ? mulRound([qty, insPrice], [...serviceRate, insurerRate], 2) : 0n;
  const bhtt0 = mulRound([bh], [benefit], 2);
  const bncct0 = bh - bhtt0;
  const bntt0 = bv - bh;
  const other = dec(otherSources ?? 0, `${what} otherSources`);
  if (other < 0n || other > bv)
    throw new RangeError(`${what}: otherSources must be between 0 and the line amount`);
  const take = (from: Dec, left: Dec): [Dec, Dec] => (left <= from ? [from - left, 0n] : [0n, left - from]);
  const [bntt, r1] = take(bntt0, other);
  const [bncct, r2] = take(bncct0, r1);
  const [bhtt] = take(bhtt0, r2);
  return { bv, bh, bntt, bncct, bhtt, other };
}

const opt = (i: Instant | undefined): string => (i === undefined ? '' : dt12(i));
const s = (v: string | number | undefined): string => (v === undefined ? '' : String(v));

function renderRecord(def: TableDef, row: Row, useCdata: boolean): string {
  return def.fields
    .map((f) => {
      const v = row[f.name] ?? '';
      const text = v === '' ? '' : useCdata && f.kind === 'string' ? cdata(v) : escapeText(v);
      return `<${f.name}>${text}</${f.name}>`;
    })
    .join('\n');
}

/** Renders a table document from rows (one row for single-record tables). */
export function renderTable(id: TableId, rows: readonly Row[], useCdata = false): string {
  const def = TABLES[id];
  const head = '<?xml version="1.0" encoding="utf-8"?>\n';
  if (!def.repeating) {
    if (rows.length !== 1) throw new RangeError(`${id} takes exactly one record`);
    return `${head}<${def.root}>\n${renderRecord(def, rows[0], useCdata)}\n</${def.root}>\n`;
  }
  const recs = rows
    .map((r) => `<${def.record}>\n${renderRecord(def, r, useCdata)}\n</${def.record}>`)
    .join('\n');
  return `${head}<${def.root}>\n<${def.list ?? ''}>\n${recs}\n</${def.list ?? ''}>\n</${def.root}>\n`;
}

/** Builds the GIAMDINHHS envelope around already rendered tables (XML0 excluded). */
export function buildEnvelope(facilityCode: string, createdAt: Instant, tables: ClaimTables): string {
  const order: TableId[] = ['XML1', 'XML2', 'XML3', 'XML4', 'XML8', 'XML14'];
  const files = order
    .filter((id) => tables[id] !== undefined)
    .map(
      (id) =>
        `<FILEHOSO>\n<LOAIHOSO>${id}</LOAIHOSO>\n<NOIDUNGFILE>${Buffer.from(tables[id] ?? '', 'utf8').toString('base64')}</NOIDUNGFILE>\n</FILEHOSO>`,
    )
    .join('\n');
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS>\n' +
    `<THONGTINDONVI>\n<MACSKCB>${escapeText(facilityCode)}</MACSKCB>\n</THONGTINDONVI>\n` +
    `<THONGTINHOSO>\n<NGAYLAP>${dt12(createdAt).slice(0, 8)}</NGAYLAP>\n<SOLUONGHOSO>1</SOLUONGHOSO>\n` +
    `<DANHSACHHOSO>\n<HOSO>\n${files}\n</HOSO>\n</DANHSACHHOSO>\n</THONGTINHOSO>\n</GIAMDINHHS>\n`
  );
}

function firstCharge(
  input: ClaimInput,
): { kind: 'drug'; line: DrugLine } | { kind: 'service'; line: ServiceLine } | undefined {
  const all = [
    ...input.drugs.map((line) => ({
      kind: 'drug' as const,
      line,
      t: Date.parse(String(line.orderedAt instanceof Date ? line.orderedAt.toISOString() : line.orderedAt)),
    })),
    ...input.services.map((line) => ({
      kind: 'service' as const,
      line,
      t: Date.parse(String(line.orderedAt instanceof Date ? line.orderedAt.toISOString() : line.orderedAt)),
    })),
  ].sort((a, b) => a.t - b.t);
  const f = all[0];
  if (!f) return undefined;
  return f.kind === 'drug' ? { kind: 'drug', line: f.line } : { kind: 'service', line: f.line };
}

/** What the check-in (XML0) needs: the visit as it starts, the patient, the card, the first charge. */
export interface CheckInInput {
  readonly visit: Pick<
    ClaimInput['visit'],
    'maLk' | 'facilityCode' | 'careType' | 'visitCategory' | 'arrivedAt' | 'admittedAt'
  >;
  readonly patient: ClaimInput['patient'];
  readonly coverage: ClaimInput['coverage'];
  /** The visit's first charge (QĐ 130 Điều 3: the check-in is sent right after it). */
  readonly firstCharge?:
    | { readonly kind: 'drug'; readonly line: Pick<DrugLine, 'code' | 'name' | 'orderedAt'> }
    | {
        readonly kind: 'service';
        readonly line: Pick<ServiceLine, 'code' | 'name' | 'supplyCode' | 'supplyName' | 'orderedAt'>;
      };
}

function checkInRow({ visit, patient, coverage, firstCharge: first }: CheckInInput): Row {
  const cards = coverage.kind === 'card' ? coverage.cards : [];
  return {
    MA_LK: visit.maLk,
    STT: '1',
    MA_BN: patient.patientNumber,
    HO_TEN: patient.fullName,
    SO_CCCD: s(patient.nationalId),
    NGAY_SINH: birth12(patient.birth.date, patient.birth.time),
    GIOI_TINH: s({ male: 1, female: 2, undetermined: 3 }[patient.sex]),
    // The check-in carries one card (15/5/8 characters): the first card, the one used at arrival.
    MA_THE_BHYT: cards[0]?.number ?? '',
    MA_DKBD: cards[0]?.registeredFacility ?? '',
    GT_THE_TU: cards[0] ? d8(cards[0].validFrom) : '',
    GT_THE_DEN: cards[0] ? d8(cards[0].validTo) : '',
    MA_DOITUONG_KCB: visit.visitCategory,
    NGAY_VAO: dt12(visit.arrivedAt),
    NGAY_VAO_NOI_TRU: opt(visit.admittedAt),
    MA_LOAI_KCB: visit.careType,
    MA_CSKCB: visit.facilityCode,
    ...(first?.kind === 'drug' ? { MA_THUOC: first.line.code, TEN_THUOC: first.line.name } : {}),
    ...(first?.kind === 'service'
      ? first.line.code
        ? { MA_DICH_VU: first.line.code, TEN_DICH_VU: s(first.line.name) }
        : { MA_VAT_TU: s(first.line.supplyCode), TEN_VAT_TU: s(first.line.supplyName) }
      : {}),
    NGAY_YL: first ? dt12(first.line.orderedAt) : '',
  };
}

/** The check-in document (XML0, CHI_TIEU_TRANG_THAI_KCB), unsigned; sent on its own. */
export function buildCheckIn(input: CheckInInput, useCdata = false): string {
  return renderTable('XML0', [checkInRow(input)], useCdata);
}

/** Builds every applicable table of one visit and the envelope. Throws RangeError on bad input. */
export function buildClaim(input: ClaimInput, opts: BuildOptions): ClaimOutput {
  const { visit, patient, coverage } = input;
  const insured = coverage.kind === 'card';
  const benefit = coverage.kind === 'card' ? coverage.benefitPercent : 0;
  if (!Number.isInteger(benefit) || benefit < 0 || benefit > 100)
    throw new RangeError('benefitPercent must be an integer 0..100');
  const maLk = visit.maLk;
  const paymentMethod = s(visit.paymentMethod ?? 1);
  const useCdata = opts.cdata ?? false;

  const cards = coverage.kind === 'card' ? coverage.cards : [];
  const card = {
    MA_THE_BHYT: cards.map((c) => c.number).join(';'),
    MA_DKBD: cards.map((c) => c.registeredFacility).join(';'),
    GT_THE_TU: cards.map((c) => d8(c.validFrom)).join(';'),
    GT_THE_DEN: cards.map((c) => d8(c.validTo)).join(';'),
  };
  const sex = s({ male: 1, female: 2, undetermined: 3 }[patient.sex]);
  const ngaySinh = birth12(patient.birth.date, patient.birth.time);

  // XML2
  const drugMoney: LineMoney[] = [];
  const xml2: Row[] = input.drugs.map((d, i) => {
    const what = `drug ${i + 1}`;
    const m = lineMoney(
      dec(d.quantity, `${what} quantity`),
      dec(d.unitPrice, `${what} unitPrice`),
      dec(d.unitPrice),
      [],
      d.insurerRatePercent,
      insured,
      d.scope,
      benefit,
      d.otherSources,
      what,
    );
    drugMoney.push(m);
    return {
      MA_LK: maLk,
      STT: s(i + 1),
      MA_THUOC: d.code,
      MA_NHOM: s(d.costGroup),
      TEN_THUOC: d.name,
      DON_VI_TINH: d.unit,
      HAM_LUONG: s(d.strength),
      DUONG_DUNG: s(d.routeCode),
      LIEU_DUNG: s(d.dose),
      CACH_DUNG: s(d.directions),
      SO_DANG_KY: s(d.registrationNumber),
      TT_THAU: s(d.tender),
      PHAM_VI: s(d.scope),
      TYLE_TT_BH: s(d.insurerRatePercent),
      SO_LUONG: fmt(dec(d.quantity)),
      DON_GIA: fmt(dec(d.unitPrice)),
      THANH_TIEN_BV: fmt(m.bv),
      THANH_TIEN_BH: fmt(m.bh),
      T_NGUONKHAC_NSNN: '0',
      T_NGUONKHAC_VTNN: '0',
      T_NGUONKHAC_VTTN: '0',
      T_NGUONKHAC_CL: fmt(m.other),
      T_NGUONKHAC: fmt(m.other),
      MUC_HUONG: s(benefit),
      T_BNTT: fmt(m.bntt),
      T_BNCCT: fmt(m.bncct),
      T_BHTT: fmt(m.bhtt),
      MA_KHOA: d.departmentCode,
      MA_BAC_SI: d.clinicianId,
      NGAY_YL: dt12(d.orderedAt),
      NGAY_TH_YL: opt(d.performedAt),
      MA_PTTT: paymentMethod,
      NGUON_CTRA: s(visit.payerSource ?? 1),
    };
  });

  // XML3
  const serviceMoney: LineMoney[] = [];
  const xml3: Row[] = input.services.map((v, i) => {
    const what = `service ${i + 1}`;
    if (!v.code && !v.supplyCode) throw new RangeError(`${what}: needs a service code or a supply code`);
    const rate = v.serviceRatePercent ?? 100;
    if ((v.insurancePrice ?? v.facilityPrice) > v.facilityPrice)
      throw new RangeError(`${what}: insurancePrice exceeds facilityPrice`);
    const m = lineMoney(
      dec(v.quantity, `${what} quantity`),
      dec(v.facilityPrice, `${what} facilityPrice`),
      dec(v.insurancePrice ?? v.facilityPrice, `${what} insurancePrice`),
      [rate],
      v.insurerRatePercent,
      insured,
      v.scope,
      benefit,
      v.otherSources,
      what,
    );
    serviceMoney.push(m);
    return {
      MA_LK: maLk,
      STT: s(i + 1),
      MA_DICH_VU: s(v.code),
      MA_VAT_TU: s(v.supplyCode),
      MA_NHOM: s(v.costGroup),
      TEN_VAT_TU: s(v.supplyName),
      TEN_DICH_VU: s(v.name),
      DON_VI_TINH: v.unit,
      PHAM_VI: s(v.scope),
      SO_LUONG: fmt(dec(v.quantity)),
      DON_GIA_BV: fmt(dec(v.facilityPrice)),
      DON_GIA_BH: fmt(dec(v.insurancePrice ?? v.facilityPrice)),
      TYLE_TT_DV: s(rate),
      TYLE_TT_BH: s(v.insurerRatePercent),
      THANH_TIEN_BV: fmt(m.bv),
      THANH_TIEN_BH: fmt(m.bh),
      MUC_HUONG: s(benefit),
      T_NGUONKHAC_NSNN: '0',
      T_NGUONKHAC_VTNN: '0',
      T_NGUONKHAC_VTTN: '0',
      T_NGUONKHAC_CL: fmt(m.other),
      T_NGUONKHAC: fmt(m.other),
      T_BNTT: fmt(m.bntt),
      T_BNCCT: fmt(m.bncct),
      T_BHTT: fmt(m.bhtt),
      MA_KHOA: v.departmentCode,
      MA_BAC_SI: v.clinicianId,
      NGUOI_THUC_HIEN: s(v.performerId),
      MA_BENH: (v.forDiagnoses ?? []).join(';'),
      NGAY_YL: dt12(v.orderedAt),
      NGAY_TH_YL: opt(v.performedAt),
      NGAY_KQ: opt(v.resultAt),
      MA_PTTT: paymentMethod,
    };
  });

  const all = [...drugMoney, ...serviceMoney];
  const totals: ClaimTotals = {
    T_THUOC: sum(drugMoney.map((m) => m.bv)),
    // Bảng 1 STT 46: T_VTYT = THANH_TIEN_BV of the medical supplies in XML3 (rows with MA_VAT_TU).
    T_VTYT: sum(input.services.map((v, i) => (v.supplyCode ? serviceMoney[i].bv : 0n))),
    T_TONGCHI_BV: sum(all.map((m) => m.bv)),
    T_TONGCHI_BH: sum(all.map((m) => m.bh)),
    T_BNTT: sum(all.map((m) => m.bntt)),
    T_BNCCT: sum(all.map((m) => m.bncct)),
    T_BHTT: sum(all.map((m) => m.bhtt)),
    T_NGUONKHAC: sum(all.map((m) => m.other)),
  };

  if (visit.diagnoses.secondary.length > MAX_SECONDARY_DIAGNOSES) {
    throw new RangeError(`at most ${MAX_SECONDARY_DIAGNOSES} secondary diagnoses (QĐ 130 Bảng 1 MA_BENH_KT)`);
  }
  const settlement = visit.settlement ?? vnYearMonth(visit.endedAt);
  const dx = visit.diagnoses;
  const chanDoanRv =
    visit.diagnosisAtDischarge ?? [dx.primary, ...dx.secondary].map((d) => d.name).join('; ');
  const xml1: Row = {
    MA_LK: maLk,
    STT: s(opts.stt ?? 1),
    MA_BN: patient.patientNumber,
    HO_TEN: patient.fullName,
    SO_CCCD: s(patient.nationalId),
    NGAY_SINH: ngaySinh,
    GIOI_TINH: sex,
    NHOM_MAU: s(patient.bloodGroup),
    MA_QUOCTICH: patient.nationality,
    MA_DANTOC: patient.ethnicity,
    MA_NGHE_NGHIEP: patient.occupation,
    DIA_CHI: patient.address.text,
    MATINH_CU_TRU: patient.address.provinceCode,
    MAHUYEN_CU_TRU: s(patient.address.districtCode),
    MAXA_CU_TRU: patient.address.communeCode,
    DIEN_THOAI: s(patient.phone),
    ...card,
    NGAY_MIEN_CCT:
      coverage.kind === 'card' && coverage.coPaymentExemptFrom ? d8(coverage.coPaymentExemptFrom) : '',
    LY_DO_VV: visit.reason,
    CHAN_DOAN_VAO: visit.diagnosisOnArrival,
    CHAN_DOAN_RV: chanDoanRv,
    MA_BENH_CHINH: dx.primary.code,
    MA_BENH_KT: dx.secondary.map((d) => d.code).join(';'),
    MA_DOITUONG_KCB: visit.visitCategory,
    MA_NOI_DI: s(visit.referredFrom),
    MA_NOI_DEN: s(visit.referredTo),
    NGAY_VAO: dt12(visit.arrivedAt),
    NGAY_VAO_NOI_TRU: opt(visit.admittedAt),
    NGAY_RA: dt12(visit.endedAt),
    GIAY_CHUYEN_TUYEN: s(visit.referralLetter),
    SO_NGAY_DTRI: s(visit.treatmentDays ?? 0),
    PP_DIEU_TRI: s(visit.treatmentMethod),
    KET_QUA_DTRI: s(visit.result),
    MA_LOAI_RV: s(visit.dischargeType),
    GHI_CHU: s(visit.note),
    NGAY_TTOAN: opt(visit.paidAt),
    T_THUOC: fmt(totals.T_THUOC),
    T_VTYT: fmt(totals.T_VTYT),
    T_TONGCHI_BV: fmt(totals.T_TONGCHI_BV),
    T_TONGCHI_BH: fmt(totals.T_TONGCHI_BH),
    T_BNTT: fmt(totals.T_BNTT),
    T_BNCCT: fmt(totals.T_BNCCT),
    T_BHTT: fmt(totals.T_BHTT),
    T_NGUONKHAC: fmt(totals.T_NGUONKHAC),
    T_BHTT_GDV: '0',
    NAM_QT: s(settlement.year),
    THANG_QT: s(settlement.month),
    MA_LOAI_KCB: visit.careType,
    MA_KHOA: visit.departmentCodes.join(';'),
    MA_CSKCB: visit.facilityCode,
    MA_KHUVUC: coverage.kind === 'card' ? s(coverage.areaCode) : '',
    CAN_NANG: patient.weightKg === undefined ? '' : patient.weightKg.toFixed(2),
    NAM_NAM_LIEN_TUC: coverage.kind === 'card' && coverage.fiveYearsFrom ? d8(coverage.fiveYearsFrom) : '',
    NGAY_TAI_KHAM: input.appointment ? dt12(input.appointment.at).slice(0, 8) : '',
    MA_HSBA: visit.medicalRecordNumber,
    MA_TTDV: visit.headOfFacilityId,
  };

  const xml4: Row[] = input.results.map((r, i) => ({
    MA_LK: maLk,
    STT: s(i + 1),
    MA_DICH_VU: r.serviceCode,
    MA_CHI_SO: s(r.itemCode),
    TEN_CHI_SO: s(r.itemName),
    GIA_TRI: s(r.value),
    DON_VI_DO: s(r.unit),
    MO_TA: s(r.description),
    KET_LUAN: s(r.conclusion),
    NGAY_KQ: dt12(r.resultAt),
    MA_BS_DOC_KQ: s(r.readerId),
  }));

  const sm = input.summary;
  const xml8: Row | undefined = sm && {
    MA_LK: maLk,
    MA_LOAI_KCB: visit.careType,
    HO_TEN_CHA: s(sm.fatherName),
    HO_TEN_ME: s(sm.motherName),
    NGUOI_GIAM_HO: s(sm.guardian),
    DON_VI: s(sm.workplace),
    NGAY_VAO: dt12(visit.arrivedAt),
    NGAY_RA: dt12(visit.endedAt),
    CHAN_DOAN_VAO: visit.diagnosisOnArrival,
    CHAN_DOAN_RV: chanDoanRv,
    QT_BENHLY: sm.courseOfIllness,
    TOMTAT_KQ: s(sm.resultsSummary),
    PP_DIEUTRI: sm.treatment,
    KET_QUA_DTRI: s(visit.result),
    GHI_CHU: s(sm.note),
    MA_TTDV: visit.headOfFacilityId,
    NGAY_CT: d8(sm.signedOn),
  };

  const ap = input.appointment;
  const xml14: Row | undefined = ap && {
    MA_LK: maLk,
    SO_GIAYHEN_KL: ap.letterNumber,
    MA_CSKCB: visit.facilityCode,
    HO_TEN: patient.fullName,
    NGAY_SINH: ngaySinh,
    GIOI_TINH: sex,
    DIA_CHI: patient.address.text,
    MA_THE_BHYT: card.MA_THE_BHYT,
    GT_THE_DEN: card.GT_THE_DEN,
    NGAY_VAO: dt12(visit.arrivedAt),
    NGAY_VAO_NOI_TRU: opt(visit.admittedAt),
    NGAY_RA: dt12(visit.endedAt),
    NGAY_HEN_KL: dt12(ap.at),
    CHAN_DOAN_RV: chanDoanRv,
    MA_BENH_CHINH: dx.primary.code,
    MA_BENH_KT: dx.secondary.map((d) => d.code).join(';'),
    MA_DOITUONG_KCB: visit.visitCategory,
    MA_BAC_SI: ap.clinicianId,
    MA_TTDV: visit.headOfFacilityId,
    NGAY_CT: d8(ap.signedOn),
  };

  const xml0 = checkInRow({ visit, patient, coverage, firstCharge: firstCharge(input) });

  const tables: ClaimTables = {};
  const uninsuredTables = opts.uninsuredTables ?? UNINSURED_TABLES;
  const allowed = (id: TableId): boolean => insured || uninsuredTables.includes(id);
  if (allowed('XML0')) tables.XML0 = renderTable('XML0', [xml0], useCdata);
  tables.XML1 = renderTable('XML1', [xml1], useCdata);
  if (allowed('XML2') && xml2.length > 0) tables.XML2 = renderTable('XML2', xml2, useCdata);
  if (allowed('XML3') && xml3.length > 0) tables.XML3 = renderTable('XML3', xml3, useCdata);
  if (allowed('XML4') && xml4.length > 0) tables.XML4 = renderTable('XML4', xml4, useCdata);
  const summaryWanted = opts.includeSummary === true || SUMMARY_CARE_TYPES.includes(visit.careType);
  if (allowed('XML8') && xml8 && summaryWanted) tables.XML8 = renderTable('XML8', [xml8], useCdata);
  if (allowed('XML14') && xml14) tables.XML14 = renderTable('XML14', [xml14], useCdata);

  return { maLk, tables, envelope: buildEnvelope(visit.facilityCode, opts.createdAt, tables), totals };
}
