/**
 * What the top of the record says first (issue 18 item 4): active allergies (high criticality
 * first), active problems, current medicines, the next vaccinations due and the next appointment —
 * read from the resources of the record's targeted searches (RecordView `loadSummaryResources`:
 * allergies, conditions, medicines, the schedule, coming appointments; pure, so it is easy to test).
 */
import { type FhirResource } from '../api';
import { type CodeableConcept, conceptCode, conceptText, type Reference, timeOf } from './fhir-util';

type R = FhirResource & Record<string, unknown>;
const cc = (v: unknown) => v as CodeableConcept | undefined;
const code = (v: unknown): string => cc(v)?.coding?.find((c) => c.code)?.code ?? '';
/** Not recorded by mistake, not ruled out. */
const verified = (r: R): boolean => !['entered-in-error', 'refuted'].includes(code(r.verificationStatus));

export interface SummaryAllergy {
  id: string;
  text: string;
  high: boolean;
  reactions: string[];
}
export interface SummaryProblem {
  id: string;
  text: string;
  code: string;
}
export interface SummaryMedicine {
  id: string;
  text: string;
  dosage: string;
}
export type VaccineStatus = 'overdue' | 'due' | 'upcoming';
export interface SummaryVaccine {
  key: string;
  /** The schedule's series code (e.g. `DTP-HEPB-HIB`), for the portal's own name of the vaccine. */
  series: string;
  /** The server's name (Vietnamese) when the portal has none. */
  text: string;
  dose?: number;
  status: VaccineStatus;
  /** When the dose is due (FHIR date), if the schedule says. */
  due?: string;
}
export interface SummaryAppointment {
  id: string;
  start: string;
  status: string;
  /** References of the practitioners taking part (names looked up by the caller). */
  who: Reference[];
  serviceType: string;
}

export interface RecordSummaryData {
  allergies: SummaryAllergy[];
  problems: SummaryProblem[];
  medicines: SummaryMedicine[];
  vaccines: SummaryVaccine[];
  /** Whether the record holds a vaccination schedule at all (a child or a pregnant woman). */
  hasSchedule: boolean;
  nextAppointment?: SummaryAppointment;
}

const OPEN_VACCINE: readonly string[] = ['overdue', 'due', 'upcoming'];
const VACCINE_ORDER: Record<VaccineStatus, number> = { overdue: 0, due: 1, upcoming: 2 };
const UPCOMING_APPOINTMENT = ['booked', 'pending', 'arrived', 'checked-in', 'waitlist'];

export const DUE_DATE = '30980-7';

/** The vaccination schedule's open rows (overdue, due, upcoming), the most pressing first. */
export function scheduleRows(all: readonly FhirResource[]): { rows: SummaryVaccine[]; hasSchedule: boolean } {
  const recs = (all as R[])
    .filter((r) => r.resourceType === 'ImmunizationRecommendation')
    .sort((a, b) => timeOf(b.date as string | undefined) - timeOf(a.date as string | undefined));
  const latest = recs[0];
  if (!latest) return { rows: [], hasSchedule: false };
  const rows: SummaryVaccine[] = [];
  const entries = (latest.recommendation ?? []) as {
    vaccineCode?: CodeableConcept[];
    targetDisease?: CodeableConcept;
    forecastStatus?: CodeableConcept;
    dateCriterion?: { code?: CodeableConcept; value?: string }[];
    series?: string;
    doseNumberPositiveInt?: number;
  }[];
  entries.forEach((e, i) => {
    const status = code(e.forecastStatus) || e.forecastStatus?.text || '';
    if (!OPEN_VACCINE.includes(status)) return;
    const due = e.dateCriterion?.find((d) => (d.code?.coding ?? []).some((c) => c.code === DUE_DATE))?.value;
    rows.push({
      key: `${e.series ?? i}|${e.doseNumberPositiveInt ?? ''}`,
      series: e.series ?? '',
      text: conceptText(e.vaccineCode?.[0]) || conceptText(e.targetDisease) || e.series || '—',
      ...(e.doseNumberPositiveInt !== undefined ? { dose: e.doseNumberPositiveInt } : {}),
      status: status as VaccineStatus,
      ...(due ? { due } : {}),
    });
  });
  rows.sort(
    (a, b) =>
      VACCINE_ORDER[a.status] - VACCINE_ORDER[b.status] ||
      timeOf(a.due) - timeOf(b.due) ||
      a.key.localeCompare(b.key),
  );
  return { rows, hasSchedule: true };
}

export function recordSummary(all: readonly FhirResource[], now: Date = new Date()): RecordSummaryData {
  const list = all as R[];
  const allergies = list
    .filter((r) => r.resourceType === 'AllergyIntolerance' && verified(r))
    .filter((r) => !['inactive', 'resolved'].includes(code(r.clinicalStatus)))
    .map((r): SummaryAllergy => ({
      id: r.id ?? '',
      text: conceptText(cc(r.code)) || '—',
      high: r.criticality === 'high',
      reactions: ((r.reaction ?? []) as { manifestation?: CodeableConcept[] }[])
        .flatMap((x) => x.manifestation ?? [])
        .map(conceptText)
        .filter(Boolean),
    }))
    .sort((a, b) => Number(b.high) - Number(a.high) || a.text.localeCompare(b.text, 'vi'));
  const problems = list
    .filter((r) => r.resourceType === 'Condition' && verified(r))
    .filter((r) => ['active', 'recurrence', 'relapse'].includes(code(r.clinicalStatus)))
    .map((r): SummaryProblem => {
      const text = conceptText(cc(r.code));
      const c = conceptCode(cc(r.code));
      return { id: r.id ?? '', text: text || '—', code: c && c !== text ? c : '' };
    });
  const medicines = list
    .filter(
      (r) =>
        (r.resourceType === 'MedicationRequest' && r.status === 'active') ||
        (r.resourceType === 'MedicationStatement' && ['active', 'intended'].includes(String(r.status))),
    )
    .map((r): SummaryMedicine => ({
      id: `${r.resourceType}/${r.id ?? ''}`,
      text:
        conceptText(cc(r.medicationCodeableConcept)) ||
        (r.medicationReference as Reference | undefined)?.display ||
        '—',
      dosage: ((r.dosageInstruction ?? r.dosage ?? []) as { text?: string }[])
        .map((d) => d.text)
        .filter(Boolean)
        .join('; '),
    }));
  const { rows, hasSchedule } = scheduleRows(all);
  const upcoming = list
    .filter((r) => r.resourceType === 'Appointment' && UPCOMING_APPOINTMENT.includes(String(r.status)))
    .filter(
      (r) =>
        typeof r.start === 'string' &&
        timeOf((r.end as string | undefined) ?? (r.start as string)) >= now.getTime(),
    )
    .sort((a, b) => timeOf(a.start as string) - timeOf(b.start as string));
  const next = upcoming[0];
  return {
    allergies,
    problems,
    medicines,
    vaccines: rows.slice(0, 3),
    hasSchedule,
    ...(next
      ? {
          nextAppointment: {
            id: next.id ?? '',
            start: next.start as string,
            status: String(next.status),
            who: ((next.participant ?? []) as { actor?: Reference }[])
              .map((p) => p.actor)
              .filter((a): a is Reference => Boolean(a?.reference?.startsWith('Practitioner/') || a?.display))
              .filter((a) => !a.reference?.startsWith('Patient/')),
            serviceType: ((next.serviceType ?? []) as CodeableConcept[]).map(code).find(Boolean) ?? '',
          },
        }
      : {}),
  };
}
