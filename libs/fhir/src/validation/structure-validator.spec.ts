import type { ValidationIssue } from '../search/index-types';
import { knownResourceTypes, validateStructure } from './structure-validator';

const errorsOf = (resource: unknown): ValidationIssue[] =>
  validateStructure(resource).filter((i) => i.severity === 'error');
const at = (issues: ValidationIssue[], expression: string): ValidationIssue[] =>
  issues.filter((i) => i.expression.includes(expression));

const patient = {
  resourceType: 'Patient',
  id: 'pt-1',
  meta: { versionId: '1', lastUpdated: '2024-05-01T08:30:00+07:00' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Nguyễn Văn An</div>' },
  identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '092090012345' }],
  active: true,
  name: [{ use: 'official', family: 'Nguyễn', given: ['Văn', 'An'] }],
  telecom: [{ system: 'phone', value: '+84 912 345 678', use: 'mobile' }],
  gender: 'male',
  birthDate: '1990-04-12',
  _birthDate: {
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime',
        valueDateTime: '1990-04-12T06:15:00+07:00',
      },
    ],
  },
  deceasedBoolean: false,
  address: [{ line: ['12 Nguyễn Trãi'], city: 'Cần Thơ', country: 'VN' }],
  managingOrganization: { reference: 'Organization/org-1' },
};

const observation = {
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Mạch' },
  subject: { reference: 'Patient/pt-1' },
  effectiveDateTime: '2024-05-01T08:30:00+07:00',
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
};

const bundle = {
  resourceType: 'Bundle',
  type: 'transaction',
  entry: [
    {
      fullUrl: 'urn:uuid:4a1f8a6e-3c1b-4f43-9d3a-5b0c5f6e7a81',
      resource: { ...patient, id: undefined, meta: undefined },
      request: { method: 'POST', url: 'Patient' },
    },
    { resource: observation, request: { method: 'PUT', url: 'Observation/obs-1' } },
  ],
};

describe('validateStructure', () => {
  it('accepts valid Patient, Observation and Bundle resources', () => {
    expect(errorsOf(patient)).toEqual([]);
    expect(errorsOf(observation)).toEqual([]);
    expect(errorsOf(JSON.parse(JSON.stringify(bundle)))).toEqual([]);
  });

  it('reports missing required elements, primitive and complex, as required', () => {
    const issues = errorsOf({ resourceType: 'Observation', subject: { reference: 'Patient/1' } });
    expect(issues.map((i) => [i.code, i.expression])).toEqual(
      expect.arrayContaining([
        ['required', ['Observation.status']],
        ['required', ['Observation.code']],
      ]),
    );
    expect(issues).toHaveLength(2);
  });

  it('accepts a required primitive given only as its extension sibling', () => {
    const absent = {
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
      ],
    };
    expect(errorsOf({ ...observation, status: undefined, _status: absent })).toEqual([]);
  });

  it('reports an invalid date as a value error with a plain diagnostic', () => {
    const issues = errorsOf({ ...patient, birthDate: '1990-13-45' });
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'value',
        expression: ['Patient.birthDate'],
        diagnostics: "Patient.birthDate: '1990-13-45' is not a valid date",
      },
    ]);
  });

  it('rejects impossible calendar dates the regex lets through', () => {
    expect(at(errorsOf({ ...patient, birthDate: '1990-02-30' }), 'Patient.birthDate')).toHaveLength(1);
    expect(errorsOf({ ...patient, birthDate: '2024-02-29' })).toEqual([]);
  });

  it('reports an unknown element as a structure error at its path', () => {
    const issues = errorsOf({ ...patient, foo: 'bar' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'structure', expression: ['Patient.foo'] });
    expect(issues[0]?.diagnostics).toContain("unknown element 'foo'");
  });

  it('reports unknown elements deep inside datatypes with a FHIRPath expression', () => {
    const issues = errorsOf({ ...patient, name: [{ family: 'Lê' }, { given: ['A', 'B'], nickname: 'x' }] });
    expect(issues.map((i) => i.expression)).toEqual([['Patient.name[1].nickname']]);
  });

  it('reports a wrong JSON type at the element', () => {
    const issues = errorsOf({ ...patient, name: 'x' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'structure', expression: ['Patient.name'] });
    expect(issues[0]?.diagnostics).toBe(
      'Patient.name: wrong type: expected an array of HumanName but found a string',
    );
    expect(errorsOf({ ...patient, active: 'true' })[0]).toMatchObject({
      code: 'structure',
      expression: ['Patient.active'],
    });
  });

  it('reports a code outside a required binding as a value error', () => {
    const issues = errorsOf({ ...patient, gender: 'unknown-x' });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'value', expression: ['Patient.gender'] });
    expect(issues[0]?.diagnostics).toContain('male, female, other, unknown');
  });

  it('reports errors inside a Bundle entry at the precise path, without other branches', () => {
    const bad = JSON.parse(JSON.stringify(bundle)) as { entry: { resource: Record<string, unknown> }[] };
    bad.entry[0]!.resource.birthDate = '1990-13-45';
    const issues = errorsOf(bad);
    expect(issues.map((i) => [i.code, i.expression])).toEqual([
      ['value', ['Bundle.entry[0].resource.birthDate']],
    ]);
  });

  it('validates contained resources and their R4 invariants', () => {
    const issues = errorsOf({
      ...observation,
      contained: [
        {
          resourceType: 'Patient',
          id: 'p',
          gender: 'x',
          contained: [{ resourceType: 'Basic', code: { text: 'a' } }],
        },
      ],
    });
    expect(issues.map((i) => [i.code, i.expression[0]])).toEqual(
      expect.arrayContaining([
        ['value', 'Observation.contained[0].gender'],
        ['invariant', 'Observation.contained[0].contained'],
      ]),
    );
  });

  it('reports an unknown or missing resource type', () => {
    expect(errorsOf({ resourceType: 'Patiend' })).toEqual([
      {
        severity: 'error',
        code: 'structure',
        expression: ['resourceType'],
        diagnostics: "Unknown resource type 'Patiend'",
      },
    ]);
    expect(errorsOf({ resourceType: 'DomainResource' })[0]?.code).toBe('structure');
    expect(errorsOf({ resourceType: 'Project' })[0]?.code).toBe('structure');
    expect(errorsOf({ id: 'x' })[0]).toMatchObject({ code: 'required', expression: ['resourceType'] });
    const nested = errorsOf({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Nope' } }],
    });
    expect(nested).toEqual([
      expect.objectContaining({ code: 'structure', expression: ['Bundle.entry[0].resource'] }),
    ]);
  });

  it('rejects input that is not a JSON object', () => {
    for (const input of [null, 'Patient', 42, [patient]]) {
      expect(errorsOf(input)).toEqual([expect.objectContaining({ code: 'structure', expression: [] })]);
    }
  });

  it('rejects empty strings, arrays and objects anywhere', () => {
    const issues = errorsOf({
      ...patient,
      name: [{ family: '', given: ['An'] }],
      telecom: [],
      managingOrganization: {},
    });
    expect(issues.map((i) => [i.code, i.expression[0]])).toEqual(
      expect.arrayContaining([
        ['structure', 'Patient.name[0].family'],
        ['structure', 'Patient.telecom'],
        ['structure', 'Patient.managingOrganization'],
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('rejects an id with characters outside [A-Za-z0-9-.] or longer than 64', () => {
    expect(errorsOf({ ...patient, id: 'pt_1/x' })).toEqual([
      expect.objectContaining({ code: 'value', expression: ['Patient.id'] }),
    ]);
    expect(errorsOf({ ...patient, id: 'a'.repeat(65) })).toHaveLength(1);
    expect(errorsOf({ ...patient, id: 'A-Za.9' })).toEqual([]);
  });

  it('checks integer types, choice elements and extensions', () => {
    expect(errorsOf({ ...patient, multipleBirthInteger: 1.5 })[0]).toMatchObject({
      code: 'value',
      expression: ['Patient.multipleBirthInteger'],
    });
    expect(errorsOf({ ...patient, deceasedDateTime: '2020-01-01' })[0]).toMatchObject({
      expression: ['Patient.deceased[x]'],
    });
    expect(errorsOf({ ...patient, extension: [{ url: 'http://example.org/x' }] })[0]).toMatchObject({
      code: 'invariant',
      expression: ['Patient.extension[0]'],
    });
    expect(errorsOf({ ...patient, extension: [{ valueString: 'x' }] })[0]).toMatchObject({
      code: 'required',
      expression: ['Patient.extension[0].url'],
    });
    const med = {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/1' },
    };
    expect(errorsOf(med)).toEqual([
      expect.objectContaining({ code: 'required', expression: ['MedicationRequest.medication[x]'] }),
    ]);
  });

  it('allows nulls in primitive arrays only where the _ sibling has content', () => {
    const ext = { extension: [{ url: 'http://example.org/x', valueString: 'y' }] };
    expect(errorsOf({ ...patient, name: [{ given: ['An', null], _given: [null, ext] }] })).toEqual([]);
    expect(errorsOf({ ...patient, name: [{ given: ['An', null] }] })[0]).toMatchObject({
      expression: ['Patient.name[0].given[1]'],
    });
  });

  it('rejects elements Medplum added to its copy of the R4 definitions', () => {
    const withResource = {
      ...observation,
      subject: { reference: 'Patient/1', resource: { resourceType: 'Patient' } },
    };
    expect(errorsOf(withResource)[0]).toMatchObject({
      code: 'structure',
      expression: ['Observation.subject.resource'],
    });
    expect(knownResourceTypes().size).toBe(146);
  });

  it('validates 200 varied valid resources', () => {
    const resources = Array.from({ length: 200 }, (_, i) => variedResource(i));
    const failures = resources.map((r) => errorsOf(r)).filter((issues) => issues.length > 0);
    expect(failures).toEqual([]);
  });
});

function variedResource(i: number): Record<string, unknown> {
  const day = String((i % 28) + 1).padStart(2, '0');
  const subject = { reference: `Patient/p${i}` };
  switch (i % 8) {
    case 0:
      return {
        ...patient,
        id: `p${i}`,
        birthDate: `19${50 + (i % 50)}-06-${day}`,
        gender: i % 16 === 0 ? 'male' : 'female',
      };
    case 1:
      return {
        ...observation,
        id: `o${i}`,
        valueQuantity: {
          value: 60 + (i % 40),
          unit: '/min',
          system: 'http://unitsofmeasure.org',
          code: '/min',
        },
      };
    case 2:
      return {
        resourceType: 'Encounter',
        id: `e${i}`,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject,
        period: { start: `2024-03-${day}T09:00:00+07:00`, end: `2024-03-${day}T09:30:00+07:00` },
      };
    case 3:
      return {
        resourceType: 'Condition',
        id: `c${i}`,
        clinicalStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
        },
        code: {
          coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }],
          text: 'Đái tháo đường typ 2',
        },
        subject,
        onsetDateTime: `2020-01-${day}`,
        note: [{ text: 'Theo dõi HbA1c mỗi 3 tháng' }],
      };
    case 4:
      return {
        resourceType: 'MedicationRequest',
        id: `m${i}`,
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: { text: 'Metformin 500 mg' },
        subject,
        authoredOn: `2024-01-${day}`,
        dosageInstruction: [
          {
            text: '1 viên x 2 lần/ngày',
            timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
            doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
          },
        ],
      };
    case 5:
      return {
        resourceType: 'AllergyIntolerance',
        id: `a${i}`,
        patient: subject,
        category: ['medication'],
        criticality: 'high',
        code: { text: 'Penicillin' },
        reaction: [{ manifestation: [{ text: 'Mày đay' }], severity: 'moderate' }],
      };
    case 6:
      return {
        resourceType: 'Immunization',
        id: `i${i}`,
        status: 'completed',
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }], text: 'Viêm gan B' },
        patient: subject,
        occurrenceDateTime: `2023-11-${day}`,
        primarySource: true,
        protocolApplied: [{ doseNumberPositiveInt: 1 + (i % 3) }],
      };
    default:
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: 1,
        link: [{ relation: 'self', url: `https://example.vn/fhir/Patient?_id=p${i}` }],
        entry: [
          {
            fullUrl: `https://example.vn/fhir/Patient/p${i}`,
            resource: { ...patient, id: `p${i}` },
            search: { mode: 'match' },
          },
        ],
      };
  }
}
