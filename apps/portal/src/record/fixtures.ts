/** Realistic FHIR data for the record area's tests (shapes as the server and the visit write-back store them). */
import { type Bundle, type FhirResource } from '../api';

export const PATIENT: FhirResource = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Nguyễn', given: ['Thị', 'Lan'] }],
  birthDate: '1958-03-14',
};

const vital = (
  id: string,
  code: string,
  display: string,
  when: string,
  value: number,
  unit: string,
): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code, display }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: when,
  valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
});

export const bp = (id: string, when: string, sys: number, dia: number): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [
    {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: when,
  component: [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: sys, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: dia, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ],
});

export const hr = (id: string, when: string, value: number) =>
  vital(id, '8867-4', 'Heart rate', when, value, '/min');
export const temp = (id: string, when: string, value: number) =>
  vital(id, '8310-5', 'Body temperature', when, value, 'Cel');

export const ENCOUNTER: FhirResource = {
  resourceType: 'Encounter',
  id: 'e1',
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
  subject: { reference: 'Patient/p1' },
  participant: [{ individual: { reference: 'Practitioner/d1' } }],
  period: { start: '2025-03-10T01:30:00Z', end: '2025-03-10T01:50:00Z' },
  reasonCode: [{ text: 'Đau đầu, chóng mặt' }],
};

export const CONDITION: FhirResource = {
  resourceType: 'Condition',
  id: 'c1',
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  code: {
    coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp vô căn' }],
  },
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  recordedDate: '2025-03-10T01:50:00Z',
};

export const MEDICATION: FhirResource = {
  resourceType: 'MedicationRequest',
  id: 'm1',
  status: 'active',
  intent: 'order',
  medicationCodeableConcept: { text: 'Amlodipin 5 mg' },
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  authoredOn: '2025-03-10T01:50:00Z',
  requester: { reference: 'Practitioner/d1' },
  dosageInstruction: [{ text: 'Uống 1 viên mỗi sáng' }],
};

export const IMMUNIZATION: FhirResource = {
  resourceType: 'Immunization',
  id: 'i1',
  status: 'completed',
  vaccineCode: { text: 'Vắc xin cúm mùa' },
  patient: { reference: 'Patient/p1' },
  occurrenceDateTime: '2023-10-02',
  protocolApplied: [{ doseNumberPositiveInt: 1 }],
};

export const ALLERGY: FhirResource = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }],
  },
  code: { text: 'Penicillin' },
  criticality: 'high',
  patient: { reference: 'Patient/p1' },
  recordedDate: '2019-05-20',
  reaction: [{ manifestation: [{ text: 'Nổi mề đay' }] }],
};

export const NOTE: FhirResource = {
  resourceType: 'ClinicalImpression',
  id: 'n1',
  status: 'completed',
  subject: { reference: 'Patient/p1' },
  encounter: { reference: 'Encounter/e1' },
  date: '2025-03-10T01:50:00Z',
  assessor: { reference: 'Practitioner/d1' },
  summary: 'Huyết áp cao, tái khám sau 2 tuần.',
};

export const PRACTITIONER: FhirResource = {
  resourceType: 'Practitioner',
  id: 'd1',
  name: [{ family: 'Trần', given: ['Văn', 'Minh'] }],
};

export function bundle(items: FhirResource[], next?: string): Bundle {
  return {
    resourceType: 'Bundle',
    total: items.length,
    entry: items.map((resource) => ({ resource, search: { mode: 'match' } })),
    link: [
      { relation: 'self', url: 'http://localhost/fhir/x' },
      ...(next ? [{ relation: 'next', url: next }] : []),
    ],
  };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json' } });
}

/** The types the record's summary asks for by `?patient=` (RecordView `loadSummaryResources`). */
export const SUMMARY_TYPES = [
  'AllergyIntolerance',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'ImmunizationRecommendation',
  'Appointment',
];

/**
 * A stub's answer to the summary's targeted searches (`Condition?patient=p1` …): the resources of
 * that type in `record` (narrowed by `clinical-status` when asked); undefined for any other request.
 */
export function summarySearch(
  url: URL,
  record: readonly FhirResource[],
  patient = 'p1',
): Response | undefined {
  const type = url.pathname.replace(/^\/fhir\//, '');
  if (!SUMMARY_TYPES.includes(type) || url.searchParams.get('patient') !== patient) return undefined;
  // As the server does: `clinical-status=a,b` keeps the resources whose clinicalStatus has one of those codes.
  const wanted = url.searchParams.get('clinical-status')?.split(',');
  const status = (r: FhirResource) =>
    ((r as { clinicalStatus?: { coding?: { code?: string }[] } }).clinicalStatus?.coding ?? []).map(
      (c) => c.code,
    );
  return json(
    bundle(
      record.filter(
        (r) => r.resourceType === type && (!wanted || status(r).some((c) => wanted.includes(c ?? ''))),
      ),
    ),
  );
}
