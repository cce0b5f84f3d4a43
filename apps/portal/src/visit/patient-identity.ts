/**
 * Who the patient of a video visit is, for the doctor's screen (identifying the patient is the
 * first step of a remote visit): the Patient, their active allergies (high criticality first) and
 * active problems. The doctor may read them because of the appointment.
 */
import { type FhirResource, fhir, resources } from '../api';
import { localDay } from '../format';

const CCCD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cccd';

interface Concept {
  text?: string;
  coding?: { system?: string; code?: string; display?: string }[];
}

export interface PatientResource extends FhirResource {
  name?: { text?: string; family?: string; given?: string[]; use?: string }[];
  birthDate?: string;
  gender?: string;
  identifier?: { system?: string; value?: string }[];
}
export type Allergy = FhirResource & { code?: Concept; criticality?: string };
export type Problem = FhirResource & { code?: Concept };

export interface PatientIdentity {
  patientId: string;
  patient: PatientResource;
  allergies: Allergy[];
  problems: Problem[];
}

/** A concept's words: its text, else the first coding's display, else its code. */
export function conceptWords(c: Concept | undefined): string {
  return c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '';
}

/** The concept's code when it says something the words do not (e.g. an ICD-10 code). */
export function conceptCode(c: Concept | undefined): string {
  return c?.coding?.find((x) => x.code)?.code ?? '';
}

/** The name as written in Vietnamese (family, middle, given), the official one first. */
export function fullName(p: PatientResource): string {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  if (!n) return '';
  return n.text ?? [n.family, ...(n.given ?? [])].filter(Boolean).join(' ');
}

/**
 * Age on `today` (YYYY-MM-DD, Vietnam's calendar day): whole years, or whole months under two
 * years; undefined without a birth date. A partial date (1958, 1958-10) counts from its start.
 */
export function ageOn(
  birthDate: string | undefined,
  today: string = localDay(),
): { years: number } | { months: number } | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate ?? '');
  if (!m) return undefined;
  const [by, bm, bd] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  let months = (ty - by) * 12 + (tm - bm);
  if (td < bd) months -= 1;
  if (months < 0) return undefined;
  return months < 24 ? { months } : { years: Math.floor(months / 12) };
}

/** A CCCD shown on screen: every digit hidden but the last four. */
export function maskCccd(value: string): string {
  const v = value.replace(/\s/g, '');
  if (v.length <= 4) return v;
  return `${'•'.repeat(v.length - 4)}${v.slice(-4)}`;
}

export const cccdOf = (p: PatientResource): string | undefined =>
  p.identifier?.find((i) => i.system === CCCD_SYSTEM && i.value)?.value;

const CRITICALITY_ORDER: Record<string, number> = { high: 0, 'unable-to-assess': 1, low: 2 };

/** High criticality first (then unable-to-assess, low, unknown), by name within each. */
export function sortAllergies(list: Allergy[]): Allergy[] {
  return [...list].sort(
    (a, b) =>
      (CRITICALITY_ORDER[a.criticality ?? ''] ?? 3) - (CRITICALITY_ORDER[b.criticality ?? ''] ?? 3) ||
      conceptWords(a.code).localeCompare(conceptWords(b.code), 'vi'),
  );
}

interface AppointmentLike extends FhirResource {
  participant?: { actor?: { reference?: string } }[];
}

/** The appointment's patient, with their active allergies and problems. */
export async function loadPatientIdentity(appointmentId: string): Promise<PatientIdentity | undefined> {
  const a = await fhir.read<AppointmentLike>('Appointment', appointmentId);
  const ref = a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
  if (!ref) return undefined;
  const patientId = ref.slice('Patient/'.length);
  const [patient, allergies, problems] = await Promise.all([
    fhir.read<PatientResource>('Patient', patientId),
    fhir.search<Allergy>('AllergyIntolerance', {
      patient: ref,
      'clinical-status': 'active',
      _count: '50',
    }),
    fhir.search<Problem>('Condition', { patient: ref, 'clinical-status': 'active', _count: '50' }),
  ]);
  return {
    patientId,
    patient,
    allergies: sortAllergies(resources(allergies)),
    problems: resources(problems),
  };
}
