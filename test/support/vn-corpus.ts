/**
 * A realistic synthetic Vietnamese (Mekong Delta) corpus as FHIR R4 JSON, for e2e tests: patients
 * with valid CCCD and BHYT identifiers and their encounters, vital signs, conditions, immunizations,
 * medication requests and documents. Deterministic for a given seed (faker's fakerVI locale).
 */
import { runInThisContext } from 'node:vm';
import type * as FakerModule from '@faker-js/faker';

/**
 * Node's own `require`, outside Jest's module registry. @faker-js/faker 10 and fhir-kit-client 2
 * are ESM-only packages: Jest (CommonJS through @swc/jest, no transform of node_modules, Node 20)
 * cannot `require` them, and a dynamic `import()` needs --experimental-vm-modules. Node ≥ 20.19
 * itself can `require()` an ES module, so load them with the real loader (they then run in the
 * outer realm, which is harmless for plain data and fetch-based code).
 */
export function nodeRequire<T>(id: string): T {
  // Jest hands the test a sandboxed `process` and `module`; the main realm's `process` is Node's own.
  const realProcess = runInThisContext('process') as NodeJS.Process;
  return realProcess.getBuiltinModule('node:module').createRequire(__filename)(id) as T;
}

const { fakerVI: faker } = nodeRequire<typeof FakerModule>('@faker-js/faker');

export const CCCD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cccd';
export const BHYT_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/bhyt';
export const CORPUS_TAG = { system: 'urn:mekong:test', code: 'vn-corpus' } as const;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const CVX = 'http://hl7.org/fhir/sid/cvx';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const VITAL_SIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

export type FhirJson = { resourceType: string } & Record<string, unknown>;

/** A type alias (not an interface), so it is assignable to `Record<string, unknown>`. */
export type TransactionBundle = {
  resourceType: 'Bundle';
  type: 'transaction';
  entry: { fullUrl: string; resource: FhirJson; request: { method: 'POST'; url: string } }[];
};

interface Province {
  readonly code: string;
  readonly name: string;
  readonly districts: readonly string[];
  readonly areaCode: string;
}

/** Mekong Delta provinces with their CCCD prefix (Circular 07/2016/TT-BCA). */
export const PROVINCES: readonly Province[] = [
  {
    code: '092',
    name: 'Cần Thơ',
    districts: ['Ninh Kiều', 'Cái Răng', 'Bình Thủy', 'Ô Môn', 'Phong Điền'],
    areaCode: '0292',
  },
  {
    code: '089',
    name: 'An Giang',
    districts: ['Long Xuyên', 'Châu Đốc', 'Tân Châu', 'Chợ Mới', 'Tịnh Biên'],
    areaCode: '0296',
  },
  {
    code: '087',
    name: 'Đồng Tháp',
    districts: ['Cao Lãnh', 'Sa Đéc', 'Hồng Ngự', 'Lấp Vò', 'Tháp Mười'],
    areaCode: '0277',
  },
  {
    code: '086',
    name: 'Vĩnh Long',
    districts: ['Vĩnh Long', 'Long Hồ', 'Trà Ôn', 'Bình Minh', 'Mang Thít'],
    areaCode: '0270',
  },
  {
    code: '083',
    name: 'Bến Tre',
    districts: ['Bến Tre', 'Châu Thành', 'Mỏ Cày Nam', 'Ba Tri', 'Giồng Trôm'],
    areaCode: '0275',
  },
  {
    code: '094',
    name: 'Sóc Trăng',
    districts: ['Sóc Trăng', 'Vĩnh Châu', 'Ngã Năm', 'Kế Sách', 'Mỹ Xuyên'],
    areaCode: '0299',
  },
  {
    code: '096',
    name: 'Cà Mau',
    districts: ['Cà Mau', 'Năm Căn', 'Đầm Dơi', 'U Minh', 'Trần Văn Thời'],
    areaCode: '0290',
  },
];

const STREETS = [
  'Trần Hưng Đạo',
  'Nguyễn Trãi',
  'Lê Lợi',
  'Hai Bà Trưng',
  'Nguyễn Văn Cừ',
  'Mậu Thân',
  '30 Tháng 4',
  'Hùng Vương',
  'Lý Thường Kiệt',
  'Phan Đình Phùng',
];

const CONDITIONS = [
  { code: 'J18.9', display: 'Viêm phổi, không đặc hiệu', acute: true },
  { code: 'I10', display: 'Tăng huyết áp vô căn (nguyên phát)', acute: false },
  { code: 'E11.9', display: 'Đái tháo đường type 2 không có biến chứng', acute: false },
  { code: 'A90', display: 'Sốt Dengue (sốt xuất huyết kinh điển)', acute: true },
  { code: 'A09', display: 'Tiêu chảy và viêm dạ dày ruột do nhiễm trùng', acute: true },
  { code: 'J06.9', display: 'Nhiễm trùng đường hô hấp trên cấp', acute: true },
  { code: 'K29.7', display: 'Viêm dạ dày, không đặc hiệu', acute: false },
] as const;

const VACCINES = [
  { code: '19', display: 'BCG' },
  { code: '08', display: 'Hep B, adolescent or pediatric' },
  { code: '20', display: 'DTaP' },
  { code: '05', display: 'measles' },
  { code: '39', display: 'Japanese encephalitis SC' },
  { code: '141', display: 'Influenza, seasonal, injectable' },
] as const;

const MEDICATIONS = [
  { code: '308182', text: 'Amoxicillin 500 mg viên nang', dose: 'Uống 1 viên x 3 lần/ngày sau ăn' },
  { code: '197361', text: 'Amlodipine 5 mg viên nén', dose: 'Uống 1 viên buổi sáng' },
  { code: '860975', text: 'Metformin 500 mg viên nén', dose: 'Uống 1 viên x 2 lần/ngày sau ăn' },
  {
    code: '313782',
    text: 'Paracetamol 500 mg viên nén',
    dose: 'Uống 1 viên khi sốt trên 38.5 độ, cách 6 giờ',
  },
  {
    code: '1115005',
    text: 'Oresol gói pha 200 ml',
    dose: 'Pha 1 gói với 200 ml nước, uống sau mỗi lần đi ngoài',
  },
] as const;

/** The reference instant the corpus is generated around (no clock dependency). */
const NOW = new Date('2026-06-30T00:00:00Z');

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A `dateTime` with the Vietnam offset (+07:00), at second precision. */
function vnDateTime(d: Date): string {
  const local = new Date(d.getTime() + 7 * 3600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

const usedCccd = new Set<string>();
const usedBhyt = new Set<string>();

/**
 * A valid 12-digit CCCD number: province prefix, century/sex digit (1900s: male 0 / female 1,
 * 2000s: male 2 / female 3), the last two digits of the birth year, then six random digits.
 */
export function cccdNumber(provinceCode: string, gender: 'male' | 'female', birthDate: string): string {
  const year = Number(birthDate.slice(0, 4));
  const century = year >= 2000 ? 2 : 0;
  const sexDigit = century + (gender === 'female' ? 1 : 0);
  for (;;) {
    const value = `${provinceCode}${sexDigit}${birthDate.slice(2, 4)}${faker.string.numeric(6)}`;
    if (!usedCccd.has(value)) {
      usedCccd.add(value);
      return value;
    }
  }
}

/** Checks the structure of a CCCD number against a birth date and gender (see cccdNumber). */
export function isValidCccd(value: string, gender: string, birthDate: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  if (!PROVINCES.some((p) => p.code === value.slice(0, 3))) return false;
  const year = Number(birthDate.slice(0, 4));
  const expected = (year >= 2000 ? 2 : 0) + (gender === 'female' ? 1 : 0);
  return Number(value[3]) === expected && value.slice(4, 6) === birthDate.slice(2, 4);
}

function bhytNumber(): string {
  for (;;) {
    const value = faker.string.numeric({ length: 10, allowLeadingZeros: false });
    if (!usedBhyt.has(value)) {
      usedBhyt.add(value);
      return value;
    }
  }
}

function codeable(system: string, code: string, display: string, text?: string): Record<string, unknown> {
  return { coding: [{ system, code, display }], ...(text !== undefined ? { text } : {}) };
}

function quantity(value: number, unit: string, code: string): Record<string, unknown> {
  return { value, unit, system: UCUM, code };
}

const VITAL_CATEGORY = [
  codeable('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs', 'Vital Signs'),
];

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function vitalSigns(subject: string, encounter: string, when: string, adult: boolean): FhirJson[] {
  const base = {
    resourceType: 'Observation',
    meta: { profile: [VITAL_SIGNS_PROFILE], tag: [CORPUS_TAG] },
    status: 'final',
    category: VITAL_CATEGORY,
    subject: { reference: subject },
    encounter: { reference: encounter },
    effectiveDateTime: when,
  };
  const systolic = adult ? faker.number.int({ min: 100, max: 165 }) : faker.number.int({ min: 90, max: 115 });
  const diastolic = adult ? faker.number.int({ min: 60, max: 100 }) : faker.number.int({ min: 55, max: 75 });
  return [
    {
      ...base,
      code: codeable(LOINC, '8867-4', 'Heart rate', 'Nhịp tim'),
      valueQuantity: quantity(
        adult ? faker.number.int({ min: 58, max: 110 }) : faker.number.int({ min: 80, max: 140 }),
        'lần/phút',
        '/min',
      ),
    },
    {
      ...base,
      code: codeable(LOINC, '8310-5', 'Body temperature', 'Nhiệt độ cơ thể'),
      valueQuantity: quantity(round1(faker.number.float({ min: 36.2, max: 39.8 })), '°C', 'Cel'),
    },
    {
      ...base,
      code: {
        coding: [
          {
            system: LOINC,
            code: '59408-5',
            display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
          },
          { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
        ],
        text: 'SpO2',
      },
      valueQuantity: quantity(faker.number.int({ min: 91, max: 100 }), '%', '%'),
    },
    {
      ...base,
      code: codeable(LOINC, '85354-9', 'Blood pressure panel with all children optional', 'Huyết áp'),
      component: [
        {
          code: codeable(LOINC, '8480-6', 'Systolic blood pressure'),
          valueQuantity: quantity(systolic, 'mmHg', 'mm[Hg]'),
        },
        {
          code: codeable(LOINC, '8462-4', 'Diastolic blood pressure'),
          valueQuantity: quantity(diastolic, 'mmHg', 'mm[Hg]'),
        },
      ],
    },
  ];
}

/** A small but well-formed PDF, base64. */
function pdfData(title: string): string {
  const text = `%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(text, 'latin1').toString('base64');
}

export interface CorpusPatient {
  /** The transaction that creates the patient and all its resources. */
  readonly bundle: TransactionBundle;
  readonly family: string;
  readonly given: readonly string[];
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly cccd: string;
  readonly bhyt: string;
  readonly province: string;
}

/** One patient and its record as a transaction Bundle of POSTs (urn:uuid fullUrls, references between them). */
export function patientBundle(): CorpusPatient {
  const entries: TransactionBundle['entry'] = [];
  const add = (resource: FhirJson): string => {
    const fullUrl = `urn:uuid:${faker.string.uuid()}`;
    entries.push({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
    return fullUrl;
  };

  const gender = faker.helpers.arrayElement(['male', 'female'] as const);
  const child = faker.datatype.boolean({ probability: 0.3 });
  const birth = faker.date.birthdate(
    child ? { mode: 'age', min: 0, max: 15, refDate: NOW } : { mode: 'age', min: 18, max: 90, refDate: NOW },
  );
  const birthDate = isoDate(birth);
  const family = faker.person.lastName();
  const given = faker.person.firstName(gender).split(' ');
  const province = faker.helpers.arrayElement(PROVINCES);
  const district = faker.helpers.arrayElement(province.districts);
  const ward = `Phường ${faker.number.int({ min: 1, max: 12 })}`;
  const line = `${faker.number.int({ min: 1, max: 450 })} ${faker.helpers.arrayElement(STREETS)}`;
  const cccd = cccdNumber(province.code, gender, birthDate);
  const bhyt = bhytNumber();
  const mobile = `0${faker.helpers.arrayElement(['90', '91', '93', '94', '97', '98', '88', '83'])}${faker.string.numeric(7)}`;

  const patient = add({
    resourceType: 'Patient',
    meta: { tag: [CORPUS_TAG] },
    identifier: [
      {
        use: 'official',
        type: codeable(
          'http://terminology.hl7.org/CodeSystem/v2-0203',
          'NI',
          'National unique individual identifier',
        ),
        system: CCCD_SYSTEM,
        value: cccd,
      },
      {
        use: 'secondary',
        type: codeable(
          'http://terminology.hl7.org/CodeSystem/v2-0203',
          'SB',
          'Social Beneficiary Identifier',
        ),
        system: BHYT_SYSTEM,
        value: bhyt,
      },
    ],
    active: true,
    name: [{ use: 'official', family, given, text: `${family} ${given.join(' ')}` }],
    telecom: [
      { system: 'phone', value: mobile, use: 'mobile' },
      ...(child
        ? []
        : [{ system: 'email', value: `${faker.internet.username().toLowerCase()}@example.vn`, use: 'home' }]),
    ],
    gender,
    birthDate,
    address: [
      {
        use: 'home',
        type: 'physical',
        text: `${line}, ${ward}, ${district}, ${province.name}`,
        line: [line, ward],
        district,
        city: district,
        state: province.name,
        postalCode: faker.string.numeric(6),
        country: 'VN',
      },
    ],
    communication: [{ language: codeable('urn:ietf:bcp:47', 'vi', 'Vietnamese'), preferred: true }],
  });
  const adult = !child;

  const encounterCount = faker.number.int({ min: 1, max: 3 });
  for (let i = 0; i < encounterCount; i++) {
    const start = faker.date.between({
      from: new Date(Math.max(birth.getTime(), Date.parse('2023-01-01'))),
      to: NOW,
    });
    const end = new Date(start.getTime() + faker.number.int({ min: 15, max: 90 }) * 60_000);
    const virtual = faker.datatype.boolean({ probability: 0.3 });
    const condition = faker.helpers.arrayElement(CONDITIONS);
    const encounter = add({
      resourceType: 'Encounter',
      meta: { tag: [CORPUS_TAG] },
      status: 'finished',
      class: virtual
        ? { system: ACT_CODE, code: 'VR', display: 'virtual' }
        : { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
      type: [
        codeable(
          'http://snomed.info/sct',
          '11429006',
          'Consultation',
          virtual ? 'Khám từ xa' : 'Khám ngoại trú',
        ),
      ],
      subject: { reference: patient },
      period: { start: vnDateTime(start), end: vnDateTime(end) },
      reasonCode: [codeable(ICD10, condition.code, condition.display)],
    });
    const when = vnDateTime(new Date(start.getTime() + 5 * 60_000));
    for (const obs of vitalSigns(patient, encounter, when, adult)) add(obs);

    const resolved = condition.acute && faker.datatype.boolean({ probability: 0.6 });
    const conditionRef = add({
      resourceType: 'Condition',
      meta: { tag: [CORPUS_TAG] },
      clinicalStatus: codeable(
        'http://terminology.hl7.org/CodeSystem/condition-clinical',
        resolved ? 'resolved' : 'active',
        resolved ? 'Resolved' : 'Active',
      ),
      verificationStatus: codeable(
        'http://terminology.hl7.org/CodeSystem/condition-ver-status',
        'confirmed',
        'Confirmed',
      ),
      category: [
        codeable(
          'http://terminology.hl7.org/CodeSystem/condition-category',
          'encounter-diagnosis',
          'Encounter Diagnosis',
        ),
      ],
      code: codeable(ICD10, condition.code, condition.display, condition.display),
      subject: { reference: patient },
      encounter: { reference: encounter },
      onsetDateTime: vnDateTime(
        new Date(start.getTime() - faker.number.int({ min: 1, max: 10 }) * 86_400_000),
      ),
      ...(resolved ? { abatementDateTime: vnDateTime(new Date(end.getTime() + 7 * 86_400_000)) } : {}),
      recordedDate: vnDateTime(end),
      note: [
        { text: `Bệnh nhân ${family} ${given.join(' ')} đến khám vì ${condition.display.toLowerCase()}.` },
      ],
    });

    const med = faker.helpers.arrayElement(MEDICATIONS);
    add({
      resourceType: 'MedicationRequest',
      meta: { tag: [CORPUS_TAG] },
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: med.code, display: med.text }],
        text: med.text,
      },
      subject: { reference: patient },
      encounter: { reference: encounter },
      authoredOn: vnDateTime(end),
      reasonReference: [{ reference: conditionRef }],
      dosageInstruction: [{ text: med.dose }],
      dispenseRequest: {
        quantity: quantity(faker.number.int({ min: 10, max: 30 }), 'viên', '{tbl}'),
      },
    });

    const title = `Phiếu khám bệnh ${family} ${given.join(' ')} ${isoDate(start)}`;
    add({
      resourceType: 'DocumentReference',
      meta: { tag: [CORPUS_TAG] },
      status: 'current',
      docStatus: 'final',
      type: codeable(LOINC, '11506-3', 'Progress note', 'Phiếu khám bệnh'),
      category: [
        codeable(
          'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
          'clinical-note',
          'Clinical Note',
        ),
      ],
      subject: { reference: patient },
      date: new Date(end.getTime()).toISOString(),
      description: title,
      content: [
        {
          attachment: {
            contentType: 'application/pdf',
            language: 'vi',
            data: pdfData(title),
            title,
            creation: vnDateTime(end),
          },
        },
      ],
      context: {
        encounter: [{ reference: encounter }],
        period: { start: vnDateTime(start), end: vnDateTime(end) },
      },
    });
  }

  const vaccines = child
    ? faker.helpers.arrayElements(VACCINES, { min: 2, max: 4 })
    : faker.helpers.arrayElements(VACCINES.slice(4), { min: 0, max: 1 });
  for (const vaccine of vaccines) {
    const from = child ? birth : new Date('2024-01-01T00:00:00Z');
    const at = faker.date.between({
      from,
      to: new Date(Math.min(NOW.getTime(), from.getTime() + 2 * 365 * 86_400_000)),
    });
    add({
      resourceType: 'Immunization',
      meta: { tag: [CORPUS_TAG] },
      status: 'completed',
      vaccineCode: codeable(CVX, vaccine.code, vaccine.display),
      patient: { reference: patient },
      occurrenceDateTime: vnDateTime(at),
      primarySource: true,
      lotNumber: `VN${faker.string.alphanumeric({ length: 6, casing: 'upper' })}`,
      site: codeable('http://terminology.hl7.org/CodeSystem/v3-ActSite', 'LA', 'left arm'),
      doseQuantity: quantity(0.5, 'mL', 'mL'),
    });
  }

  return {
    bundle: { resourceType: 'Bundle', type: 'transaction', entry: entries },
    family,
    given,
    gender,
    birthDate,
    cccd,
    bhyt,
    province: province.name,
  };
}

/** `count` patients (seeded: the same corpus for the same seed). */
export function vnCorpus(count: number, seed = 2026): CorpusPatient[] {
  faker.seed(seed);
  usedCccd.clear();
  usedBhyt.clear();
  return Array.from({ length: count }, () => patientBundle());
}
