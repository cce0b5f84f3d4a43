/**
 * Plain input model for one finished visit, mapped by the caller (the visit record owner) and
 * turned into the QĐ 130/4750/3176 tables by `buildClaim`. Each property names the XML element(s)
 * it feeds. Times are instants (`Date` or ISO 8601 with offset) and are written in Vietnam time
 * (UTC+07:00, no daylight saving) as `yyyyMMddHHmm`; dates are `YYYY-MM-DD` calendar dates.
 * Money is in đồng as JS numbers with at most 3 decimals (unit prices) — sums are exact.
 */

/** ISO 8601 instant with offset (e.g. `2026-12-06T08:30:00+07:00`) or a Date. */
export type Instant = Date | string;
/** Calendar date `YYYY-MM-DD`. */
export type CalendarDate = string;

export interface CodedName {
  /** ICD-10 (WHO edition as adopted by the Ministry, TT 06/2026/TT-BYT) code, e.g. `J06.9`. */
  readonly code: string;
  /** Display name as recorded (Vietnamese ICD-10 title or the clinician's text). */
  readonly name: string;
}

export interface HealthInsuranceCard {
  /** MA_THE_BHYT: card number as printed (15 characters for current cards). */
  readonly number: string;
  /** MA_DKBD: registered primary-care facility code on the card. */
  readonly registeredFacility: string;
  /** GT_THE_TU */
  readonly validFrom: CalendarDate;
  /** GT_THE_DEN */
  readonly validTo: CalendarDate;
}

/**
 * Coverage of the visit. `none` = the patient did not use health insurance (no card, or chose not
 * to): card fields stay EMPTY — never fill a made-up number.
 */
export type Coverage =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'card';
      /** Cards used in the visit, the one presented at arrival first (XML1 writes all, ";"-separated; XML0 the first). */
      readonly cards: readonly [HealthInsuranceCard, ...HealthInsuranceCard[]];
      /** MUC_HUONG: benefit level in percent after all multipliers (e.g. 80, 95, 100, 32). */
      readonly benefitPercent: number;
      /** MA_KHUVUC: K1/K2/K3 when printed on the card. */
      readonly areaCode?: 'K1' | 'K2' | 'K3';
      /** NAM_NAM_LIEN_TUC: date of five continuous years. */
      readonly fiveYearsFrom?: CalendarDate;
      /** NGAY_MIEN_CCT: co-payment exemption date. */
      readonly coPaymentExemptFrom?: CalendarDate;
    };

export interface Patient {
  /** MA_BN: the facility's patient number (our MRN), never the CCCD. */
  readonly patientNumber: string;
  /** HO_TEN */
  readonly fullName: string;
  /** NGAY_SINH: `YYYY`, `YYYY-MM-DD` or full instant for newborns (≤ 28 days: hour and minute). */
  readonly birth: { readonly date: string; readonly time?: string };
  /** GIOI_TINH: 1 male, 2 female, 3 undetermined. */
  readonly sex: 'male' | 'female' | 'undetermined';
  /** SO_CCCD: citizen identity number (12 digits) or passport; omitted when the patient has none. */
  readonly nationalId?: string;
  /** MA_QUOCTICH (e.g. `000` is NOT assumed; pass the code of the common code set). */
  readonly nationality: string;
  /** MA_DANTOC */
  readonly ethnicity: string;
  /** MA_NGHE_NGHIEP */
  readonly occupation: string;
  readonly address: {
    /** DIA_CHI: as on the card or current residence. */
    readonly text: string;
    /** MATINH_CU_TRU */
    readonly provinceCode: string;
    /** MAHUYEN_CU_TRU (empty after the district level was abolished, if the mapper has none). */
    readonly districtCode?: string;
    /** MAXA_CU_TRU */
    readonly communeCode: string;
  };
  /** DIEN_THOAI */
  readonly phone?: string;
  /** NHOM_MAU */
  readonly bloodGroup?: string;
  /** CAN_NANG in kg. */
  readonly weightKg?: number;
}

/** Common pricing of a drug or service line. */
export interface PricedLine {
  /** MA_NHOM: cost group of the common code set (e.g. 4 drug in list, 1 lab test, 10 supply). */
  readonly costGroup: number;
  /** PHAM_VI: 1 within insurance scope, 2 outside it (patient pays), 3 outside the list but paid for army/police/cipher members. */
  readonly scope: 1 | 2 | 3;
  readonly quantity: number;
  /** TYLE_TT_BH: insurer's payment ratio for this item, integer percent (100 when none set). */
  readonly insurerRatePercent: number;
  /** MA_KHOA of the ordering department. */
  readonly departmentCode: string;
  /** MA_BAC_SI: ordering clinician, coded by practising-certificate number (QĐ 4750 correction). */
  readonly clinicianId: string;
  /** NGAY_YL */
  readonly orderedAt: Instant;
  /** NGAY_TH_YL */
  readonly performedAt?: Instant;
  /** T_NGUONKHAC (written as T_NGUONKHAC_CL): support for this patient from other sources, default 0. */
  readonly otherSources?: number;
}

export interface DrugLine extends PricedLine {
  /** MA_THUOC: active-ingredient code of the common code set. */
  readonly code: string;
  /** TEN_THUOC */
  readonly name: string;
  /** DON_VI_TINH */
  readonly unit: string;
  /** HAM_LUONG */
  readonly strength?: string;
  /** DUONG_DUNG: route code. */
  readonly routeCode?: string;
  /** LIEU_DUNG */
  readonly dose?: string;
  /** CACH_DUNG */
  readonly directions?: string;
  /** SO_DANG_KY */
  readonly registrationNumber?: string;
  /** TT_THAU */
  readonly tender?: string;
  /** DON_GIA: unit price, at most 3 decimals. */
  readonly unitPrice: number;
}

export interface ServiceLine extends PricedLine {
  /** MA_DICH_VU (services) — give `code`, `supplyCode` or both (a supply used in that service). Supplies count in T_VTYT. */
  readonly code?: string;
  /** TEN_DICH_VU */
  readonly name?: string;
  /** MA_VAT_TU (supplies, issued by the portal). */
  readonly supplyCode?: string;
  /** TEN_VAT_TU */
  readonly supplyName?: string;
  /** DON_VI_TINH */
  readonly unit: string;
  /** DON_GIA_BV: facility price. */
  readonly facilityPrice: number;
  /** DON_GIA_BH: insurance price (defaults to facilityPrice). */
  readonly insurancePrice?: number;
  /** TYLE_TT_DV: service payment ratio, integer percent (default 100). */
  readonly serviceRatePercent?: number;
  /** MA_BENH: ICD-10 codes the service was for. */
  readonly forDiagnoses?: readonly string[];
  /** NGUOI_THUC_HIEN */
  readonly performerId?: string;
  /** NGAY_KQ */
  readonly resultAt?: Instant;
}

/** One XML4 row: a result item of a paraclinical service in XML3. */
export interface ResultLine {
  /** MA_DICH_VU of the service it belongs to. */
  readonly serviceCode: string;
  /** MA_CHI_SO (QĐ 1227/QĐ-BYT code). */
  readonly itemCode?: string;
  /** TEN_CHI_SO */
  readonly itemName?: string;
  /** GIA_TRI */
  readonly value?: string;
  /** DON_VI_DO */
  readonly unit?: string;
  /** MO_TA */
  readonly description?: string;
  /** KET_LUAN */
  readonly conclusion?: string;
  /** NGAY_KQ */
  readonly resultAt: Instant;
  /** MA_BS_DOC_KQ */
  readonly readerId?: string;
}

/** XML8 record summary. */
export interface RecordSummary {
  /** QT_BENHLY */
  readonly courseOfIllness: string;
  /** TOMTAT_KQ */
  readonly resultsSummary?: string;
  /** PP_DIEUTRI */
  readonly treatment: string;
  /** HO_TEN_CHA / HO_TEN_ME / NGUOI_GIAM_HO */
  readonly fatherName?: string;
  readonly motherName?: string;
  readonly guardian?: string;
  /** DON_VI: workplace. */
  readonly workplace?: string;
  /** GHI_CHU */
  readonly note?: string;
  /** NGAY_CT: date signed. */
  readonly signedOn: CalendarDate;
}

/** XML14 re-visit appointment. */
export interface Appointment {
  /** SO_GIAYHEN_KL */
  readonly letterNumber: string;
  /** NGAY_HEN_KL: the appointment time (12 characters per QĐ 4750); its date is XML1 NGAY_TAI_KHAM. */
  readonly at: Instant;
  /** MA_BAC_SI */
  readonly clinicianId: string;
  /** NGAY_CT */
  readonly signedOn: CalendarDate;
}

export interface Visit {
  /** MA_LK: unique, immutable key of this visit, shared by every table (≤ 100 chars). */
  readonly maLk: string;
  /** MA_CSKCB */
  readonly facilityCode: string;
  /** MA_LOAI_KCB: type of care, QĐ 1804/QĐ-BYT PL01 (e.g. `01` visit, `14` remote care). */
  readonly careType: string;
  /**
   * MA_DOITUONG_KCB: visit category, QĐ 3276/QĐ-BYT PL1, decided when the visit ends
   * (e.g. `1.1`; `9` "người bệnh không KCB BHYT" for an uninsured visit).
   */
  readonly visitCategory: string;
  /** NGAY_VAO */
  readonly arrivedAt: Instant;
  /** NGAY_VAO_NOI_TRU */
  readonly admittedAt?: Instant;
  /** NGAY_RA */
  readonly endedAt: Instant;
  /** NGAY_TTOAN: when fully paid; omit until then (then rebuild and resend). */
  readonly paidAt?: Instant;
  /** LY_DO_VV */
  readonly reason: string;
  /** CHAN_DOAN_VAO (text). */
  readonly diagnosisOnArrival: string;
  /** CHAN_DOAN_RV (text); defaults to the diagnoses' names joined by "; ". */
  readonly diagnosisAtDischarge?: string;
  /** MA_BENH_CHINH (+ name) and MA_BENH_KT (+ names). */
  readonly diagnoses: { readonly primary: CodedName; readonly secondary: readonly CodedName[] };
  /** PP_DIEU_TRI */
  readonly treatmentMethod?: string;
  /** KET_QUA_DTRI 1..8 (1 cured, 2 improved, 3 unchanged, 4 worse, 5 died, 6 grave, 7 undetermined, 8 died outside). */
  readonly result: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
  /** MA_LOAI_RV 1..5 (1 discharged, 2 referred, 3 left, 4 discharged on request, 5 other). */
  readonly dischargeType: 1 | 2 | 3 | 4 | 5;
  /** SO_NGAY_DTRI; default 0 (outpatient). */
  readonly treatmentDays?: number;
  /** MA_KHOA: departments in order of the stay. */
  readonly departmentCodes: readonly [string, ...string[]];
  /** MA_HSBA */
  readonly medicalRecordNumber: string;
  /** MA_TTDV: health identifier (social-insurance number, 10 characters) of the head of the facility or the delegate who signs. */
  readonly headOfFacilityId: string;
  /** MA_PTTT: 1 fee for service (default), 2 capitation, 3 DRG. */
  readonly paymentMethod?: 1 | 2 | 3;
  /** NGUON_CTRA: 1 insurance (default) .. 4 other. */
  readonly payerSource?: 1 | 2 | 3 | 4;
  /** MA_NOI_DI / MA_NOI_DEN / GIAY_CHUYEN_TUYEN */
  readonly referredFrom?: string;
  readonly referredTo?: string;
  readonly referralLetter?: string;
  /** GHI_CHU */
  readonly note?: string;
  /** NAM_QT / THANG_QT: settlement period; defaults to the month of `endedAt` (Vietnam time). */
  readonly settlement?: { readonly year: number; readonly month: number };
}

export interface ClaimInput {
  readonly visit: Visit;
  readonly patient: Patient;
  readonly coverage: Coverage;
  readonly drugs: readonly DrugLine[];
  readonly services: readonly ServiceLine[];
  readonly results: readonly ResultLine[];
  readonly summary?: RecordSummary;
  readonly appointment?: Appointment;
}
