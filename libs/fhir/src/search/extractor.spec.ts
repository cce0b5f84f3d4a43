import { RESOURCE_TYPES } from './definitions';
import { extractIndex, parseReference, unindexableParameters } from './extractor';
import { type IndexEntry } from './index-types';

type Resource = { resourceType: string } & Record<string, unknown>;

const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const BHYT = 'http://fhir.hl7.org.vn/core/sid/bhyt';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

const patient: Resource = {
  resourceType: 'Patient',
  id: 'p-an',
  meta: {
    lastUpdated: '2024-05-06T07:08:09.123Z',
    profile: ['http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient'],
    tag: [{ system: 'http://mekong.health/tags', code: 'demo' }],
  },
  identifier: [
    { system: CCCD, value: '079090001234', type: { text: 'Căn cước công dân' } },
    { system: BHYT, value: 'DN4797912345678' },
  ],
  active: true,
  name: [{ use: 'official', family: 'Nguyễn', given: ['Văn', 'An'], text: 'Nguyễn Văn An' }],
  telecom: [
    { system: 'phone', value: '0909123456', use: 'mobile' },
    { system: 'email', value: 'an.nguyen@example.vn' },
  ],
  gender: 'male',
  birthDate: '1990-05-01',
  address: [
    {
      use: 'home',
      line: ['12 Đường 30 Tháng 4', 'Phường Xuân Khánh'],
      district: 'Quận Ninh Kiều',
      city: 'Cần Thơ',
      country: 'VN',
    },
  ],
  generalPractitioner: [{ reference: 'Practitioner/bs-lan' }],
  managingOrganization: { reference: 'Organization/bv-da-khoa-can-tho', display: 'BV Đa khoa Cần Thơ' },
};

const observation: Resource = {
  resourceType: 'Observation',
  id: 'obs-hr',
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'Vital Signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }], text: 'Nhịp tim' },
  subject: { reference: 'Patient/123' },
  encounter: { reference: 'Encounter/enc-1' },
  effectiveDateTime: '2024-03-15T09:30:00+07:00',
  performer: [{ reference: 'http://fhir.mekong.health/r4/Practitioner/bs-lan/_history/3' }],
  valueQuantity: { value: 72, unit: 'beats/minute', system: UCUM, code: '/min' },
};

const condition: Resource = {
  resourceType: 'Condition',
  id: 'cond-pneumonia',
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  code: { coding: [{ system: ICD10, code: 'J18.9', display: 'Viêm phổi, không đặc hiệu' }] },
  subject: { reference: 'Patient/123' },
  onsetDateTime: '2024-03-10',
  recordedDate: '2024-03-12T08:00:00+07:00',
};

const immunization: Resource = {
  resourceType: 'Immunization',
  id: 'imm-1',
  status: 'completed',
  vaccineCode: {
    coding: [
      { system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'Hep B, adolescent or pediatric' },
    ],
    text: 'Vắc xin viêm gan B',
  },
  patient: { reference: 'Patient/123' },
  occurrenceDateTime: '2023-11-20T10:15:00+07:00',
  lotNumber: 'HB-2023-11',
};

const encounter: Resource = {
  resourceType: 'Encounter',
  id: 'enc-1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: 'Patient/123' },
  period: { start: '2024-03-15T08:00:00+07:00', end: '2024-03-15T11:00:00+07:00' },
  serviceProvider: { reference: 'Organization/bv-da-khoa-can-tho' },
};

const medicationRequest: Resource = {
  resourceType: 'MedicationRequest',
  id: 'mr-1',
  status: 'active',
  intent: 'order',
  medicationCodeableConcept: {
    coding: [{ system: 'http://www.whocc.no/atc', code: 'J01CA04', display: 'Amoxicillin' }],
    text: 'Amoxicilin 500mg',
  },
  subject: { reference: 'Patient/123' },
  authoredOn: '2024-03-15',
  requester: { reference: 'Practitioner/bs-lan' },
};

function rowsOf(entries: IndexEntry[], param: string): IndexEntry[] {
  return entries.filter((e) => e.param === param);
}

describe('extractIndex: Patient', () => {
  const rows = extractIndex(patient);

  it('indexes the name in both name orders and by part', () => {
    const name = rowsOf(rows, 'name');
    expect(name).toContainEqual({
      kind: 'string',
      param: 'name',
      value: 'Nguyễn Văn An',
      norm: 'nguyen van an',
    });
    expect(name).toContainEqual({
      kind: 'string',
      param: 'name',
      value: 'Văn An Nguyễn',
      norm: 'van an nguyen',
    });
    expect(name).toContainEqual({ kind: 'string', param: 'name', value: 'Nguyễn', norm: 'nguyen' });
    expect(name).toContainEqual({ kind: 'string', param: 'name', value: 'An', norm: 'an' });
    expect(rowsOf(rows, 'family')).toEqual([
      { kind: 'string', param: 'family', value: 'Nguyễn', norm: 'nguyen' },
    ]);
    expect(rowsOf(rows, 'given').map((r) => (r.kind === 'string' ? r.norm : undefined))).toEqual([
      'van',
      'an',
    ]);
  });

  it('indexes identifiers with their system and type text', () => {
    expect(rowsOf(rows, 'identifier')).toEqual([
      { kind: 'token', param: 'identifier', system: CCCD, code: '079090001234', text: 'can cuoc cong dan' },
      { kind: 'token', param: 'identifier', system: BHYT, code: 'DN4797912345678', text: null },
    ]);
  });

  it('indexes birthDate as the whole day and gender as a code', () => {
    expect(rowsOf(rows, 'birthdate')).toEqual([
      { kind: 'date', param: 'birthdate', low: '1990-05-01T00:00:00.000Z', high: '1990-05-02T00:00:00.000Z' },
    ]);
    expect(rowsOf(rows, 'gender')).toEqual([
      { kind: 'token', param: 'gender', system: null, code: 'male', text: null },
    ]);
  });

  it('indexes the address parts folded for Vietnamese', () => {
    const address = rowsOf(rows, 'address');
    expect(address).toContainEqual({ kind: 'string', param: 'address', value: 'Cần Thơ', norm: 'can tho' });
    expect(address).toContainEqual({
      kind: 'string',
      param: 'address',
      value: '12 Đường 30 Tháng 4',
      norm: '12 duong 30 thang 4',
    });
    expect(address).toContainEqual({
      kind: 'string',
      param: 'address',
      value: 'Quận Ninh Kiều',
      norm: 'quan ninh kieu',
    });
    expect(rowsOf(rows, 'address-city')).toEqual([
      { kind: 'string', param: 'address-city', value: 'Cần Thơ', norm: 'can tho' },
    ]);
  });

  it('indexes telecom, phone and email as tokens without a system', () => {
    expect(rowsOf(rows, 'telecom')).toEqual([
      { kind: 'token', param: 'telecom', system: null, code: '0909123456', text: null },
      { kind: 'token', param: 'telecom', system: null, code: 'an.nguyen@example.vn', text: null },
    ]);
    expect(rowsOf(rows, 'phone')).toEqual([
      { kind: 'token', param: 'phone', system: null, code: '0909123456', text: null },
    ]);
    expect(rowsOf(rows, 'email')).toEqual([
      { kind: 'token', param: 'email', system: null, code: 'an.nguyen@example.vn', text: null },
    ]);
  });

  it('indexes references, booleans and the Resource parameters', () => {
    expect(rowsOf(rows, 'general-practitioner')).toEqual([
      {
        kind: 'reference',
        param: 'general-practitioner',
        targetType: 'Practitioner',
        targetId: 'bs-lan',
        reference: 'Practitioner/bs-lan',
      },
    ]);
    expect(rowsOf(rows, 'organization')).toEqual([
      {
        kind: 'reference',
        param: 'organization',
        targetType: 'Organization',
        targetId: 'bv-da-khoa-can-tho',
        reference: 'Organization/bv-da-khoa-can-tho',
      },
    ]);
    expect(rowsOf(rows, 'active')).toEqual([
      { kind: 'token', param: 'active', system: null, code: 'true', text: null },
    ]);
    expect(rowsOf(rows, 'deceased')).toEqual([
      { kind: 'token', param: 'deceased', system: null, code: 'false', text: null },
    ]);
    expect(rowsOf(rows, '_id')).toEqual([
      { kind: 'token', param: '_id', system: null, code: 'p-an', text: null },
    ]);
    expect(rowsOf(rows, '_lastUpdated')).toEqual([
      {
        kind: 'date',
        param: '_lastUpdated',
        low: '2024-05-06T07:08:09.123Z',
        high: '2024-05-06T07:08:09.124Z',
      },
    ]);
    expect(rowsOf(rows, '_tag')).toEqual([
      { kind: 'token', param: '_tag', system: 'http://mekong.health/tags', code: 'demo', text: null },
    ]);
    expect(rowsOf(rows, '_profile')).toEqual([
      {
        kind: 'uri',
        param: '_profile',
        value: 'http://fhir.hl7.org.vn/core/StructureDefinition/vn-core-patient',
      },
    ]);
  });

  it('finds Vietnamese names typed without diacritics via norm', () => {
    const norms = rowsOf(rows, 'name').map((r) => (r.kind === 'string' ? r.norm : ''));
    expect(norms).toContain('nguyen van an');
    expect(norms).toContain('van');
  });

  it('emits no duplicate rows', () => {
    const keys = rows.map((r) => JSON.stringify(r));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('extractIndex: Observation', () => {
  const rows = extractIndex(observation);

  it('indexes subject and patient as references to Patient/123', () => {
    const expected = { kind: 'reference', targetType: 'Patient', targetId: '123', reference: 'Patient/123' };
    expect(rowsOf(rows, 'subject')).toEqual([{ ...expected, param: 'subject' }]);
    expect(rowsOf(rows, 'patient')).toEqual([{ ...expected, param: 'patient' }]);
  });

  it('keeps type and id of an absolute, versioned reference', () => {
    expect(rowsOf(rows, 'performer')).toEqual([
      {
        kind: 'reference',
        param: 'performer',
        targetType: 'Practitioner',
        targetId: 'bs-lan',
        reference: 'http://fhir.mekong.health/r4/Practitioner/bs-lan/_history/3',
      },
    ]);
  });

  it('indexes the LOINC code with display and the concept text', () => {
    expect(rowsOf(rows, 'code')).toEqual([
      { kind: 'token', param: 'code', system: LOINC, code: '8867-4', text: 'heart rate' },
      { kind: 'token', param: 'code', system: null, code: null, text: 'nhip tim' },
    ]);
    expect(rowsOf(rows, 'category')).toContainEqual({
      kind: 'token',
      param: 'category',
      system: 'http://terminology.hl7.org/CodeSystem/observation-category',
      code: 'vital-signs',
      text: 'vital signs',
    });
  });

  it('indexes the value as a UCUM quantity', () => {
    const quantity = { kind: 'quantity', value: 72, system: UCUM, code: '/min', unit: 'beats/minute' };
    expect(rowsOf(rows, 'value-quantity')).toEqual([{ ...quantity, param: 'value-quantity' }]);
    expect(rowsOf(rows, 'combo-value-quantity')).toEqual([{ ...quantity, param: 'combo-value-quantity' }]);
  });

  it('indexes the effective time in UTC at second precision', () => {
    expect(rowsOf(rows, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '2024-03-15T02:30:00.000Z', high: '2024-03-15T02:30:01.000Z' },
    ]);
  });
});

describe('extractIndex: Condition', () => {
  it('indexes the ICD-10 code, the patient and the onset', () => {
    const rows = extractIndex(condition);
    expect(rowsOf(rows, 'code')).toEqual([
      { kind: 'token', param: 'code', system: ICD10, code: 'J18.9', text: 'viem phoi, khong dac hieu' },
    ]);
    expect(rowsOf(rows, 'patient')).toEqual([
      {
        kind: 'reference',
        param: 'patient',
        targetType: 'Patient',
        targetId: '123',
        reference: 'Patient/123',
      },
    ]);
    expect(rowsOf(rows, 'onset-date')).toEqual([
      {
        kind: 'date',
        param: 'onset-date',
        low: '2024-03-10T00:00:00.000Z',
        high: '2024-03-11T00:00:00.000Z',
      },
    ]);
    expect(rowsOf(rows, 'recorded-date')).toEqual([
      {
        kind: 'date',
        param: 'recorded-date',
        low: '2024-03-12T01:00:00.000Z',
        high: '2024-03-12T01:00:01.000Z',
      },
    ]);
  });

  it('gives `patient` only for Patient subjects, `subject` for any', () => {
    const forGroup = extractIndex({ ...condition, subject: { reference: 'Group/ho-gia-dinh-7' } });
    expect(rowsOf(forGroup, 'patient')).toEqual([]);
    expect(rowsOf(forGroup, 'subject')).toEqual([
      {
        kind: 'reference',
        param: 'subject',
        targetType: 'Group',
        targetId: 'ho-gia-dinh-7',
        reference: 'Group/ho-gia-dinh-7',
      },
    ]);
    const absolute = extractIndex({
      ...condition,
      subject: { reference: 'https://fhir.example.vn/Patient/9' },
    });
    expect(rowsOf(absolute, 'patient')).toEqual([
      {
        kind: 'reference',
        param: 'patient',
        targetType: 'Patient',
        targetId: '9',
        reference: 'https://fhir.example.vn/Patient/9',
      },
    ]);
  });
});

describe('extractIndex: Immunization, Encounter, MedicationRequest', () => {
  it('indexes an Immunization', () => {
    const rows = extractIndex(immunization);
    expect(rowsOf(rows, 'vaccine-code')).toEqual([
      {
        kind: 'token',
        param: 'vaccine-code',
        system: 'http://hl7.org/fhir/sid/cvx',
        code: '08',
        text: 'hep b, adolescent or pediatric',
      },
      { kind: 'token', param: 'vaccine-code', system: null, code: null, text: 'vac xin viem gan b' },
    ]);
    expect(rowsOf(rows, 'patient')).toEqual([
      {
        kind: 'reference',
        param: 'patient',
        targetType: 'Patient',
        targetId: '123',
        reference: 'Patient/123',
      },
    ]);
    expect(rowsOf(rows, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '2023-11-20T03:15:00.000Z', high: '2023-11-20T03:15:01.000Z' },
    ]);
    expect(rowsOf(rows, 'lot-number')).toEqual([
      { kind: 'string', param: 'lot-number', value: 'HB-2023-11', norm: 'hb-2023-11' },
    ]);
  });

  it('indexes an Encounter period from the start of start to the end of end', () => {
    const rows = extractIndex(encounter);
    expect(rowsOf(rows, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '2024-03-15T01:00:00.000Z', high: '2024-03-15T04:00:01.000Z' },
    ]);
    expect(rowsOf(rows, 'class')).toEqual([
      {
        kind: 'token',
        param: 'class',
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: 'AMB',
        text: null,
      },
    ]);
    expect(rowsOf(rows, 'patient')).toEqual([
      {
        kind: 'reference',
        param: 'patient',
        targetType: 'Patient',
        targetId: '123',
        reference: 'Patient/123',
      },
    ]);
  });

  it('indexes an open-ended period as unbounded above', () => {
    const rows = extractIndex({ ...encounter, period: { start: '2024-03-15' } });
    expect(rowsOf(rows, 'date')).toEqual([
      { kind: 'date', param: 'date', low: '2024-03-15T00:00:00.000Z', high: null },
    ]);
  });

  it('indexes a MedicationRequest', () => {
    const rows = extractIndex(medicationRequest);
    expect(rowsOf(rows, 'code')).toEqual([
      {
        kind: 'token',
        param: 'code',
        system: 'http://www.whocc.no/atc',
        code: 'J01CA04',
        text: 'amoxicillin',
      },
      { kind: 'token', param: 'code', system: null, code: null, text: 'amoxicilin 500mg' },
    ]);
    expect(rowsOf(rows, 'authoredon')).toEqual([
      {
        kind: 'date',
        param: 'authoredon',
        low: '2024-03-15T00:00:00.000Z',
        high: '2024-03-16T00:00:00.000Z',
      },
    ]);
    expect(rowsOf(rows, 'intent')).toEqual([
      { kind: 'token', param: 'intent', system: null, code: 'order', text: null },
    ]);
    expect(rowsOf(rows, 'requester')).toEqual([
      {
        kind: 'reference',
        param: 'requester',
        targetType: 'Practitioner',
        targetId: 'bs-lan',
        reference: 'Practitioner/bs-lan',
      },
    ]);
    expect(rowsOf(rows, 'medication')).toEqual([]);
  });
});

describe('extractIndex: other data types', () => {
  it('indexes Money as an ISO 4217 quantity', () => {
    const rows = extractIndex({
      resourceType: 'Invoice',
      status: 'issued',
      totalGross: { value: 350000, currency: 'VND' },
    });
    expect(rowsOf(rows, 'totalgross')).toEqual([
      {
        kind: 'quantity',
        param: 'totalgross',
        value: 350000,
        system: 'urn:iso:std:iso:4217',
        code: 'VND',
        unit: null,
      },
    ]);
  });

  it('indexes Timing events and bounds', () => {
    const rows = extractIndex({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/123' },
      occurrenceTiming: {
        event: ['2024-04-01'],
        repeat: {
          boundsPeriod: { start: '2024-04-01', end: '2024-04-30' },
          frequency: 1,
          period: 1,
          periodUnit: 'd',
        },
      },
    });
    expect(rowsOf(rows, 'occurrence')).toEqual([
      {
        kind: 'date',
        param: 'occurrence',
        low: '2024-04-01T00:00:00.000Z',
        high: '2024-04-02T00:00:00.000Z',
      },
      {
        kind: 'date',
        param: 'occurrence',
        low: '2024-04-01T00:00:00.000Z',
        high: '2024-05-01T00:00:00.000Z',
      },
    ]);
  });

  it('indexes decimal numbers', () => {
    const rows = extractIndex({
      resourceType: 'RiskAssessment',
      status: 'final',
      subject: { reference: 'Patient/123' },
      prediction: [{ probabilityDecimal: 0.25 }, { probabilityRange: { low: { value: 1 } } }],
    });
    expect(rowsOf(rows, 'probability')).toEqual([{ kind: 'number', param: 'probability', value: 0.25 }]);
  });

  it('indexes the first resource of a document Bundle as its composition only', () => {
    const rows = extractIndex({
      resourceType: 'Bundle',
      type: 'document',
      entry: [{ resource: { resourceType: 'Composition', id: 'tom-tat-ra-vien' } }],
    });
    expect(rowsOf(rows, 'composition')).toEqual([
      {
        kind: 'reference',
        param: 'composition',
        targetType: 'Composition',
        targetId: 'tom-tat-ra-vien',
        reference: 'Composition/tom-tat-ra-vien',
      },
    ]);
    expect(rowsOf(rows, 'message')).toEqual([]);
  });

  it('keeps canonical references as written', () => {
    const rows = extractIndex({
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      questionnaire: 'http://mekong.health/Questionnaire/sang-loc-tieu-duong|1.0',
    });
    expect(rowsOf(rows, 'questionnaire')).toEqual([
      {
        kind: 'reference',
        param: 'questionnaire',
        targetType: null,
        targetId: null,
        reference: 'http://mekong.health/Questionnaire/sang-loc-tieu-duong|1.0',
      },
    ]);
  });

  it('skips contained references and keeps urn:uuid ones without a target', () => {
    const rows = extractIndex({
      ...observation,
      subject: { reference: 'urn:uuid:6f1c2a9e-4b7d-4e2a-9c1f-2b3d4e5f6a7b' },
      performer: [{ reference: '#bs' }],
    });
    expect(rowsOf(rows, 'subject')).toEqual([
      {
        kind: 'reference',
        param: 'subject',
        targetType: null,
        targetId: null,
        reference: 'urn:uuid:6f1c2a9e-4b7d-4e2a-9c1f-2b3d4e5f6a7b',
      },
    ]);
    expect(rowsOf(rows, 'patient')).toEqual([]);
    expect(rowsOf(rows, 'performer')).toEqual([]);
  });
});

describe('extractIndex: robustness', () => {
  it('does not throw on odd input', () => {
    const odd: Resource[] = [
      { resourceType: 'NotAType' },
      { resourceType: 'Patient', name: 'not an array', birthDate: 'yesterday', identifier: [null, 3, {}] },
      { resourceType: 'Observation', valueQuantity: { value: 'seventy' }, effectivePeriod: { start: 'x' } },
      { resourceType: 'Patient', name: [{ given: [null, '', '  '] }], address: [{ line: 7 }], _gender: {} },
    ];
    for (const resource of odd) {
      expect(() => extractIndex(resource)).not.toThrow();
    }
    expect(extractIndex({ resourceType: 'NotAType' })).toEqual([]);
    expect(rowsOf(extractIndex(odd[1]), 'birthdate')).toEqual([]);
  });

  it('handles a minimal resource of every R4 type', () => {
    for (const resourceType of RESOURCE_TYPES) {
      expect(() => extractIndex({ resourceType })).not.toThrow();
    }
    expect(unindexableParameters().size).toBe(0);
  });

  it('extracts a batch of resources (performance sanity, no timing assertion)', () => {
    let total = 0;
    for (let i = 0; i < 500; i++) {
      total += extractIndex({ ...patient, id: `p-${i}` }).length;
      total += extractIndex({ ...observation, id: `o-${i}` }).length;
    }
    expect(total).toBeGreaterThan(1000);
  });
});

describe('parseReference', () => {
  it.each([
    ['Patient/123', 'Patient', '123'],
    ['Patient/123/_history/4', 'Patient', '123'],
    ['http://fhir.example.vn/fhir/Encounter/enc-1', 'Encounter', 'enc-1'],
    ['urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0', null, null],
    ['Unknown/1', null, null],
  ])('%s', (reference, targetType, targetId) => {
    expect(parseReference(reference)).toEqual({ targetType, targetId, reference });
  });

  it('skips contained references', () => {
    expect(parseReference('#med1')).toBeUndefined();
  });
});
