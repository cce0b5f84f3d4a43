/**
 * The vital-signs form: parsing (a decimal comma is fine), plausible ranges, and the one
 * transaction Bundle of FHIR vital-signs Observations (LOINC codes, UCUM units) it records.
 */
import type { FhirResource } from '../api';

export type VitalField =
  | 'heartRate'
  | 'systolic'
  | 'diastolic'
  | 'spo2'
  | 'temperature'
  | 'respiratoryRate'
  | 'oxygenFlow'
  | 'weight'
  | 'height'
  | 'avpu';

export type VitalsForm = Record<VitalField, string>;

export const EMPTY_VITALS: VitalsForm = {
  heartRate: '',
  systolic: '',
  diastolic: '',
  spo2: '',
  temperature: '',
  respiratoryRate: '',
  oxygenFlow: '',
  weight: '',
  height: '',
  avpu: '',
};

export type NumericVital = Exclude<VitalField, 'avpu'>;

/** Plausible values (outside them it is almost surely a typing slip), and the UCUM unit. */
export const VITAL_RANGES: Record<
  NumericVital,
  { min: number; max: number; unit: string; decimals: number }
> = {
  heartRate: { min: 20, max: 250, unit: '/min', decimals: 0 },
  systolic: { min: 50, max: 260, unit: 'mm[Hg]', decimals: 0 },
  diastolic: { min: 20, max: 160, unit: 'mm[Hg]', decimals: 0 },
  spo2: { min: 50, max: 100, unit: '%', decimals: 0 },
  temperature: { min: 30, max: 43, unit: 'Cel', decimals: 1 },
  respiratoryRate: { min: 4, max: 70, unit: '/min', decimals: 0 },
  // Supplemental oxygen (NEWS2 "air or oxygen"): 0 means breathing room air.
  oxygenFlow: { min: 0, max: 15, unit: 'L/min', decimals: 1 },
  weight: { min: 0.5, max: 300, unit: 'kg', decimals: 2 },
  height: { min: 30, max: 250, unit: 'cm', decimals: 1 },
};

/**
 * ACVPU (RCP NEWS2: Alert, new Confusion, Voice, Pain, Unresponsive), coded in SNOMED CT and
 * observed as LOINC 67775-7 "Level of responsiveness". New confusion scores 3 like V, P and U; the
 * server reads 130987000 as C (libs/care/src/news2/early-warning.service.ts).
 */
export const AVPU = {
  A: { code: '248234008', display: 'Mentally alert' },
  C: { code: '130987000', display: 'Acute confusion' },
  V: { code: '300202002', display: 'Responds to voice' },
  P: { code: '450847001', display: 'Responds to pain' },
  U: { code: '422768004', display: 'Unresponsive' },
} as const;
export type AvpuLevel = keyof typeof AVPU;

/** A problem with a field: the i18n key (station namespace) and its values. */
export interface VitalError {
  key: string;
  values?: Record<string, string | number>;
}

/** "36,5" or "36.5" → 36.5; empty → undefined; anything else → NaN. */
export function parseNumber(raw: string): number | undefined {
  const s = raw.trim().replace(',', '.');
  if (s === '') return undefined;
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

export function checkVitals(form: VitalsForm): Partial<Record<VitalField, VitalError>> {
  const errors: Partial<Record<VitalField, VitalError>> = {};
  const values: Partial<Record<NumericVital, number>> = {};
  for (const [field, range] of Object.entries(VITAL_RANGES) as [
    NumericVital,
    (typeof VITAL_RANGES)[NumericVital],
  ][]) {
    const v = parseNumber(form[field]);
    if (v === undefined) continue;
    if (Number.isNaN(v)) errors[field] = { key: 'vitals.notNumber' };
    else if (v < range.min || v > range.max)
      errors[field] = { key: 'vitals.outOfRange', values: { min: range.min, max: range.max } };
    else values[field] = v;
  }
  const { systolic, diastolic } = values;
  if (systolic !== undefined && diastolic === undefined && !errors.diastolic)
    errors.diastolic = { key: 'vitals.bpBoth' };
  if (diastolic !== undefined && systolic === undefined && !errors.systolic)
    errors.systolic = { key: 'vitals.bpBoth' };
  if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic)
    errors.diastolic = { key: 'vitals.bpOrder' };
  if (form.avpu && !Object.hasOwn(AVPU, form.avpu)) errors.avpu = { key: 'vitals.notNumber' };
  return errors;
}

/** Whether anything was entered. */
export const hasAnyVital = (form: VitalsForm): boolean => Object.values(form).some((v) => v.trim() !== '');

const LOINC = 'http://loinc.org';
const CATEGORY = [
  {
    coding: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/observation-category',
        code: 'vital-signs',
        display: 'Vital Signs',
      },
    ],
  },
];

const SINGLE: { field: NumericVital; code: string; display: string }[] = [
  { field: 'heartRate', code: '8867-4', display: 'Heart rate' },
  { field: 'spo2', code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  { field: 'temperature', code: '8310-5', display: 'Body temperature' },
  { field: 'respiratoryRate', code: '9279-1', display: 'Respiratory rate' },
  { field: 'oxygenFlow', code: '3151-8', display: 'Inhaled oxygen flow rate' },
  { field: 'weight', code: '29463-7', display: 'Body weight' },
  { field: 'height', code: '8302-2', display: 'Body height' },
];

/** crypto.randomUUID needs a secure context; a random v4 UUID otherwise. */
function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const quantity = (field: NumericVital, value: number) => {
  const unit = VITAL_RANGES[field].unit;
  return { value, unit, system: 'http://unitsofmeasure.org', code: unit };
};

/**
 * The transaction Bundle recording the entered vitals as Observations of `patientId`, performed by
 * `performer` (the staff's Practitioner reference) at `now`. Throws if the form has errors.
 */
export function vitalsBundle(
  form: VitalsForm,
  patientId: string,
  performer: string | undefined,
  now: Date = new Date(),
): FhirResource & {
  entry: { fullUrl: string; resource: FhirResource; request: { method: 'POST'; url: string } }[];
} {
  if (Object.keys(checkVitals(form)).length) throw new Error('vitals form has errors');
  const base = {
    resourceType: 'Observation',
    status: 'final',
    category: CATEGORY,
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: now.toISOString(),
    ...(performer ? { performer: [{ reference: performer }] } : {}),
  };
  const code = (c: string, display: string) => ({
    coding: [{ system: LOINC, code: c, display }],
    text: display,
  });
  const observations: FhirResource[] = [];
  for (const s of SINGLE) {
    const v = parseNumber(form[s.field]);
    if (v !== undefined)
      observations.push({ ...base, code: code(s.code, s.display), valueQuantity: quantity(s.field, v) });
  }
  const sys = parseNumber(form.systolic);
  const dia = parseNumber(form.diastolic);
  if (sys !== undefined && dia !== undefined)
    observations.push({
      ...base,
      code: code('85354-9', 'Blood pressure panel with all children optional'),
      component: [
        { code: code('8480-6', 'Systolic blood pressure'), valueQuantity: quantity('systolic', sys) },
        { code: code('8462-4', 'Diastolic blood pressure'), valueQuantity: quantity('diastolic', dia) },
      ],
    });
  if (form.avpu) {
    const level = AVPU[form.avpu as AvpuLevel];
    observations.push({
      ...base,
      code: code('67775-7', 'Level of responsiveness'),
      valueCodeableConcept: {
        coding: [{ system: 'http://snomed.info/sct', code: level.code, display: level.display }],
        text: form.avpu,
      },
    });
  }
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: observations.map((resource) => ({
      fullUrl: `urn:uuid:${uuid()}`,
      resource,
      request: { method: 'POST', url: 'Observation' },
    })),
  };
}
