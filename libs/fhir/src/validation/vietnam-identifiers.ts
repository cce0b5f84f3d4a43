import type { ValidationIssue } from '../search/index-types';

/** HL7 Vietnam VN Core IG (community draft) NamingSystem for the citizen identity number. */
export const CCCD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cccd';
/** HL7 Vietnam VN Core IG (community draft) NamingSystem for the health-insurance card number. */
export const BHYT_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/bhyt';

/**
 * The 3-digit prefixes of a CCCD / personal identification number: the code of the province where
 * the birth was registered, or a country code ('000' = Vietnam). Structure per Decree
 * 137/2015/NĐ-CP Art. 13 and Circular 07/2016/TT-BCA Art. 7 (shared/reference/vietnam-health.md);
 * the codes are the historical 63-province administrative unit codes (2004). Numbers issued before
 * the July 2025 merger keep their old prefix for life, so the prefix is deliberately NEVER checked
 * against the post-2025 34-province list.
 */
export const CCCD_PROVINCE_CODES: Readonly<Record<string, string>> = Object.freeze({
  '000': 'Việt Nam (country code)',
  '001': 'Hà Nội',
  '002': 'Hà Giang',
  '004': 'Cao Bằng',
  '006': 'Bắc Kạn',
  '008': 'Tuyên Quang',
  '010': 'Lào Cai',
  '011': 'Điện Biên',
  '012': 'Lai Châu',
  '014': 'Sơn La',
  '015': 'Yên Bái',
  '017': 'Hoà Bình',
  '019': 'Thái Nguyên',
  '020': 'Lạng Sơn',
  '022': 'Quảng Ninh',
  '024': 'Bắc Giang',
  '025': 'Phú Thọ',
  '026': 'Vĩnh Phúc',
  '027': 'Bắc Ninh',
  '030': 'Hải Dương',
  '031': 'Hải Phòng',
  '033': 'Hưng Yên',
  '034': 'Thái Bình',
  '035': 'Hà Nam',
  '036': 'Nam Định',
  '037': 'Ninh Bình',
  '038': 'Thanh Hoá',
  '040': 'Nghệ An',
  '042': 'Hà Tĩnh',
  '044': 'Quảng Bình',
  '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế',
  '048': 'Đà Nẵng',
  '049': 'Quảng Nam',
  '051': 'Quảng Ngãi',
  '052': 'Bình Định',
  '054': 'Phú Yên',
  '056': 'Khánh Hoà',
  '058': 'Ninh Thuận',
  '060': 'Bình Thuận',
  '062': 'Kon Tum',
  '064': 'Gia Lai',
  '066': 'Đắk Lắk',
  '067': 'Đắk Nông',
  '068': 'Lâm Đồng',
  '070': 'Bình Phước',
  '072': 'Tây Ninh',
  '074': 'Bình Dương',
  '075': 'Đồng Nai',
  '077': 'Bà Rịa–Vũng Tàu',
  '079': 'TP Hồ Chí Minh',
  '080': 'Long An',
  '082': 'Tiền Giang',
  '083': 'Bến Tre',
  '084': 'Trà Vinh',
  '086': 'Vĩnh Long',
  '087': 'Đồng Tháp',
  '089': 'An Giang',
  '091': 'Kiên Giang',
  '092': 'Cần Thơ',
  '093': 'Hậu Giang',
  '094': 'Sóc Trăng',
  '095': 'Bạc Liêu',
  '096': 'Cà Mau',
});

/** Resource types whose `birthDate` / `gender` describe the identified person. */
const PERSON_TYPES = new Set(['Patient', 'RelatedPerson', 'Practitioner', 'Person']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const knownPrefix = (value: string): boolean => Object.hasOwn(CCCD_PROVINCE_CODES, value.slice(0, 3));

/**
 * Checks a CCCD against its structure; `birthDate` (FHIR date) and `gender` (AdministrativeGender)
 * enable the consistency checks. A sex mismatch is only a warning: legal sex can change.
 */
export function checkCccd(
  value: string,
  birthDate?: string,
  gender?: string,
): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!/^\d{12}$/.test(value)) {
    errors.push('CCCD must be 12 digits / CCCD phải gồm 12 chữ số');
    return { errors, warnings };
  }
  const prefix = value.slice(0, 3);
  if (!knownPrefix(value)) {
    errors.push(
      `CCCD prefix '${prefix}' is not a known province or country code / ` +
        `Mã tỉnh hoặc mã quốc gia '${prefix}' của CCCD không hợp lệ`,
    );
  }
  const code = Number(value[3]);
  const yy = value.slice(4, 6);
  const year =
    birthDate !== undefined && /^\d{4}/.test(birthDate) ? Number(birthDate.slice(0, 4)) : undefined;
  if (year !== undefined) {
    const century = Math.floor(year / 100);
    if (century < 19 || century > 23) {
      errors.push(
        `CCCD has no century code for birth year ${year} (1900–2399 only) / ` +
          `CCCD không có mã thế kỷ cho năm sinh ${year} (chỉ 1900–2399)`,
      );
    } else if (Math.floor(code / 2) !== century - 19) {
      const from = 1900 + 100 * Math.floor(code / 2);
      errors.push(
        `CCCD digit 4 ('${code}') denotes a birth year in ${from}–${from + 99}, but the birth date is in ${year} / ` +
          `Chữ số thứ 4 của CCCD ('${code}') ứng với năm sinh ${from}–${from + 99}, không khớp với năm sinh ${year}`,
      );
    }
    if (yy !== String(year % 100).padStart(2, '0')) {
      errors.push(
        `CCCD digits 5–6 ('${yy}') do not match birth year ${year} / ` +
          `Chữ số thứ 5–6 của CCCD ('${yy}') không khớp với năm sinh ${year}`,
      );
    }
  }
  const cccdSex = code % 2 === 0 ? 'male' : 'female';
  if ((gender === 'male' || gender === 'female') && gender !== cccdSex) {
    const [en, vi] = cccdSex === 'male' ? ['male', 'nam'] : ['female', 'nữ'];
    const viGender = gender === 'male' ? 'nam' : 'nữ';
    warnings.push(
      `CCCD digit 4 ('${code}') denotes ${en}, but the recorded gender is ${gender} / ` +
        `Chữ số thứ 4 của CCCD ('${code}') ứng với giới tính ${vi}, khác với giới tính đã ghi (${viGender})`,
    );
  }
  return { errors, warnings };
}

/**
 * Checks a BHYT card number: the legacy 15-character code (Decision 1351/QĐ-BHXH), the 10-digit
 * social-insurance number (cards since 2021) or the 12-digit CCCD. Returns the errors.
 */
export function checkBhyt(value: string): string[] {
  if (/^[A-Z]{2}[1-5]\d{2}\d{10}$/.test(value) || /^\d{10}$/.test(value)) return [];
  if (/^\d{12}$/.test(value)) {
    return knownPrefix(value)
      ? []
      : [
          `BHYT number is a 12-digit CCCD with unknown prefix '${value.slice(0, 3)}' / ` +
            `Mã thẻ BHYT là số CCCD 12 chữ số nhưng mã tỉnh '${value.slice(0, 3)}' không hợp lệ`,
        ];
  }
  return [
    'BHYT number must be a 15-character card code (e.g. DN4920123456789), a 10-digit social-insurance ' +
      'number or a 12-digit CCCD / Mã thẻ BHYT phải là mã 15 ký tự (vd. DN4920123456789), ' +
      'mã số BHXH 10 chữ số hoặc số CCCD 12 chữ số',
  ];
}

function checkIdentifier(
  identifier: unknown,
  at: string,
  person: { birthDate?: string; gender?: string },
  out: ValidationIssue[],
): void {
  if (!isObject(identifier) || typeof identifier.value !== 'string') return;
  const where = `${at}.value`;
  const push = (severity: ValidationIssue['severity'], message: string): void => {
    out.push({ severity, code: 'value', diagnostics: `${where}: ${message}`, expression: [where] });
  };
  if (identifier.system === CCCD_SYSTEM) {
    const { errors, warnings } = checkCccd(identifier.value, person.birthDate, person.gender);
    errors.forEach((m) => push('error', m));
    warnings.forEach((m) => push('warning', m));
  } else if (identifier.system === BHYT_SYSTEM) {
    checkBhyt(identifier.value).forEach((m) => push('error', m));
  }
}

function checkResource(resource: Record<string, unknown>, prefix: string, out: ValidationIssue[]): void {
  const type = resource.resourceType;
  const person =
    typeof type === 'string' && PERSON_TYPES.has(type)
      ? {
          birthDate: typeof resource.birthDate === 'string' ? resource.birthDate : undefined,
          gender: typeof resource.gender === 'string' ? resource.gender : undefined,
        }
      : {};
  const ids = resource.identifier;
  if (Array.isArray(ids))
    ids.forEach((id, i) => checkIdentifier(id, `${prefix}.identifier[${i}]`, person, out));
  else checkIdentifier(ids, `${prefix}.identifier`, person, out);

  const contained = resource.contained;
  if (Array.isArray(contained)) {
    contained.forEach((r, i) => {
      if (isObject(r)) checkResource(r, `${prefix}.contained[${i}]`, out);
    });
  }
  const entries = type === 'Bundle' ? resource.entry : undefined;
  if (Array.isArray(entries)) {
    entries.forEach((e, i) => {
      if (isObject(e) && isObject(e.resource))
        checkResource(e.resource, `${prefix}.entry[${i}].resource`, out);
    });
  }
}

/**
 * Format checks for Vietnamese identifiers (CCCD, BHYT) in a resource's `identifier`, including
 * contained resources and Bundle entries. Expressions look like `Patient.identifier[0].value`.
 */
export function validateVietnameseIdentifiers(resource: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (isObject(resource) && typeof resource.resourceType === 'string') {
    checkResource(resource, resource.resourceType, out);
  }
  return out;
}
