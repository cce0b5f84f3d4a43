/**
 * Pure logic of finding a doctor and booking (docs/scheduling.md): the Slot search query for a
 * local day in Asia/Ho_Chi_Minh, grouping free slots by day and doctor, the Appointment the
 * server expects, and what a refusal means. No React, no fetch: unit-tested on its own.
 */
import { ApiError, type FhirResource } from '../api';
import { localDay } from '../format';
import {
  OTHER_REASON_PENDING_TEXT,
  TELEHEALTH_REASON_OTHER,
  telehealthReasonOptions,
} from '../../../../libs/care/src/eligibility/conditions';

/**
 * The reasons a patient picks for a video visit (libs/care eligibility data: Circular 30/2023
 * appendix rows read, then "other" — pending until a doctor confirms it).
 */
export const TELEHEALTH_REASONS = telehealthReasonOptions();
export { OTHER_REASON_PENDING_TEXT, TELEHEALTH_REASON_OTHER };

/** True when the appointment's reason is the coded "other" (waits for a doctor's confirmation). */
export function isOtherReason(a: { reasonCode?: CodeableConcept[] }): boolean {
  return (a.reasonCode ?? []).some((c) =>
    (c.coding ?? []).some(
      (x) => x.system === TELEHEALTH_REASON_OTHER.system && x.code === TELEHEALTH_REASON_OTHER.code,
    ),
  );
}

/** True when the appointment's reason carries an ICD-10 coding (a listed row, or a doctor's code). */
export function hasListedReason(a: { reasonCode?: CodeableConcept[] }): boolean {
  return (a.reasonCode ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.system === 'http://hl7.org/fhir/sid/icd-10' && Boolean(x.code)),
  );
}

/** True when the appointment is for an in-person visit (its serviceType says so). */
export function inPerson(a: { serviceType?: CodeableConcept[] }): boolean {
  return (a.serviceType ?? []).some((c) =>
    (c.coding ?? []).some((x) => x.system === SERVICE_TYPE_SYSTEM && x.code === 'in-person'),
  );
}

/** Vietnam is UTC+7 all year (no daylight saving). */
export const VN_OFFSET = '+07:00';
const VN_OFFSET_MS = 7 * 3600_000;

export const SERVICE_TYPE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/service-type';
export type ServiceType = 'video' | 'in-person' | '';

/** Specialties offered in the search (SNOMED CT practice settings, as the schedules carry them). */
export const SPECIALTIES = [
  '394814009', // general practice
  '419192003', // internal medicine
  '394579002', // cardiology
  '394537008', // paediatrics
  '394585009', // obstetrics and gynaecology
  '394582007', // dermatology
  '394583002', // endocrinology
  '394584008', // gastroenterology
  '394591006', // neurology
  '394589003', // nephrology
  '418112009', // pulmonology
  '394594003', // ophthalmology
  '418960008', // otolaryngology
  '394587001', // psychiatry
] as const;

export interface Reference {
  reference?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: { system?: string; code?: string; display?: string }[];
  text?: string;
}

export interface Slot extends FhirResource {
  resourceType: 'Slot';
  id: string;
  schedule: Reference;
  status: string;
  start: string;
  end: string;
  serviceType?: CodeableConcept[];
  specialty?: CodeableConcept[];
}

export interface Schedule extends FhirResource {
  resourceType: 'Schedule';
  id: string;
  actor?: Reference[];
  specialty?: CodeableConcept[];
}

export interface Participant {
  actor?: Reference;
  status?: string;
}

export interface Appointment extends FhirResource {
  resourceType: 'Appointment';
  id?: string;
  status: string;
  start?: string;
  end?: string;
  slot?: Reference[];
  participant?: Participant[];
  reasonCode?: CodeableConcept[];
  serviceType?: CodeableConcept[];
  specialty?: CodeableConcept[];
  supportingInformation?: Reference[];
  cancelationReason?: CodeableConcept;
}

export interface SearchCriteria {
  /** SNOMED code, or '' for any specialty. */
  specialty: string;
  /** Organization id, or '' for any hospital. */
  organization: string;
  /** Local day in Asia/Ho_Chi_Minh, YYYY-MM-DD. */
  day: string;
  /** How many days from `day` to search (1 = that day only). */
  days: number;
  serviceType: ServiceType;
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y as number, (m as number) - 1, (d as number) + n));
  return t.toISOString().slice(0, 10);
}

/** An instant written as Vietnamese wall-clock time with its offset: 2026-12-01T08:05:00+07:00. */
export function vnIso(instant: Date): string {
  return new Date(instant.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19) + VN_OFFSET;
}

/**
 * The instants [from, to) of local days `day`…`day + days - 1` in Asia/Ho_Chi_Minh, both with the
 * +07:00 offset; a range that began already starts now (a past slot cannot be booked).
 */
export function dayRange(day: string, days: number, now: Date = new Date()): { from: string; to: string } {
  const from = `${day}T00:00:00${VN_OFFSET}`;
  const to = `${addDays(day, Math.max(1, days))}T00:00:00${VN_OFFSET}`;
  return { from: new Date(from).getTime() < now.getTime() ? vnIso(now) : from, to };
}

/**
 * `GET /fhir/Slot` parameters for free slots: status, the day range (ge…+07:00 / lt…+07:00),
 * specialty, service type and the doctors (schedule actors) — e.g. those of a hospital.
 */
export function slotSearchParams(
  c: SearchCriteria,
  actors: readonly string[] = [],
  now: Date = new Date(),
  count = 100,
): [string, string][] {
  const { from, to } = dayRange(c.day, c.days, now);
  const q: [string, string][] = [
    ['status', 'free'],
    ['start', `ge${from}`],
    ['start', `lt${to}`],
  ];
  if (c.specialty) q.push(['specialty', c.specialty]);
  if (c.serviceType) q.push(['service-type', c.serviceType]);
  if (actors.length > 0) q.push(['schedule.actor', [...new Set(actors)].join(',')]);
  q.push(['_sort', 'start'], ['_count', String(count)], ['_include', 'Slot:schedule']);
  return q;
}

export function queryString(params: [string, string][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) q.append(k, v);
  return q.toString();
}

/** The doctor of a schedule: its Practitioner actor, else its PractitionerRole. */
export function doctorOf(schedule: Schedule | undefined): string | undefined {
  const refs = (schedule?.actor ?? []).map((a) => a.reference ?? '');
  return (
    refs.find((r) => r.startsWith('Practitioner/')) ?? refs.find((r) => r.startsWith('PractitionerRole/'))
  );
}

/** The clinician participants of an appointment (Practitioner / PractitionerRole references). */
export function clinicianRefs(a: { participant?: Participant[] }): string[] {
  return (a.participant ?? [])
    .map((p) => p.actor?.reference ?? '')
    .filter((r) => r.startsWith('Practitioner/') || r.startsWith('PractitionerRole/'));
}

/** The doctor of an appointment: its Practitioner participant, else its PractitionerRole. */
export function appointmentDoctor(a: { participant?: Participant[] }): string | undefined {
  const refs = clinicianRefs(a);
  return refs.find((r) => r.startsWith('Practitioner/')) ?? refs[0];
}

export interface DoctorInfo {
  name?: string;
  organization?: string;
}

export interface DoctorGroup {
  doctor: string;
  name?: string;
  organization?: string;
  specialty?: string;
  slots: Slot[];
}
export interface DayGroup {
  day: string;
  doctors: DoctorGroup[];
}

const codeOf = (c: CodeableConcept[] | undefined): string | undefined =>
  c?.flatMap((x) => x.coding ?? []).find((x) => x.code)?.code;

/**
 * Free slots grouped by local day (Asia/Ho_Chi_Minh), then by doctor (by name), each doctor's
 * slots in time order. Slots whose schedule names no doctor are left out (they cannot be booked).
 */
export function groupSlots(
  slots: readonly Slot[],
  schedules: ReadonlyMap<string, Schedule>,
  doctors: ReadonlyMap<string, DoctorInfo> = new Map(),
): DayGroup[] {
  const days = new Map<string, Map<string, DoctorGroup>>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const schedule = schedules.get(slot.schedule.reference ?? '');
    const doctor = doctorOf(schedule);
    if (!doctor) continue;
    const day = localDay(slot.start);
    const byDoctor = days.get(day) ?? new Map<string, DoctorGroup>();
    days.set(day, byDoctor);
    let g = byDoctor.get(doctor);
    if (!g) {
      const info = doctors.get(doctor);
      g = {
        doctor,
        name: info?.name,
        organization: info?.organization,
        specialty: codeOf(slot.specialty) ?? codeOf(schedule?.specialty),
        slots: [],
      };
      byDoctor.set(doctor, g);
    }
    g.slots.push(slot);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, byDoctor]) => ({
      day,
      doctors: [...byDoctor.values()].sort(
        (a, b) =>
          (a.name ?? a.doctor).localeCompare(b.name ?? b.doctor, 'vi') || a.doctor.localeCompare(b.doctor),
      ),
    }));
}

/**
 * The Appointment that books `slot` for the patient (docs/scheduling.md): status booked (or
 * pending for a hold), exactly one slot, the slot's start/end, the schedule's clinicians and the
 * patient as participants, the reason as text, and — when staff book on the patient's behalf —
 * the patient's Consent in supportingInformation.
 */
export function bookingBody(opts: {
  slot: Slot;
  schedule: Schedule | undefined;
  patientId: string;
  reason: string;
  consentId?: string;
  status?: 'booked' | 'pending';
  /** The listed reason picked (`system|code`), or "other": then the booking is pending. */
  pick?: string;
}): Appointment {
  const { slot, schedule } = opts;
  const clinicians = (schedule?.actor ?? [])
    .map((a) => a.reference ?? '')
    .filter((r) => /^(Practitioner|PractitionerRole)\//.test(r));
  const specialty = slot.specialty ?? schedule?.specialty;
  const reason = opts.reason.trim();
  const picked = TELEHEALTH_REASONS.find((r) => `${r.system}|${r.code}` === opts.pick);
  const coding = picked
    ? [{ system: picked.system, code: picked.code, display: picked.label.vi }]
    : undefined;
  const other = picked?.system === TELEHEALTH_REASON_OTHER.system;
  return {
    resourceType: 'Appointment',
    status: other ? 'pending' : (opts.status ?? 'booked'),
    ...(slot.serviceType ? { serviceType: slot.serviceType } : {}),
    ...(specialty ? { specialty } : {}),
    ...(coding
      ? { reasonCode: [{ coding, ...(reason ? { text: reason } : {}) }] }
      : reason
        ? { reasonCode: [{ text: reason }] }
        : {}),
    start: slot.start,
    end: slot.end,
    slot: [{ reference: `Slot/${slot.id}` }],
    participant: [
      { actor: { reference: `Patient/${opts.patientId}` }, status: 'accepted' },
      ...clinicians.map((reference) => ({ actor: { reference }, status: 'needs-action' })),
    ],
    ...(opts.consentId ? { supportingInformation: [{ reference: `Consent/${opts.consentId}` }] } : {}),
  };
}

/** The same appointment moved to another free slot of the same doctor (one atomic PUT). */
export function rescheduleBody(appointment: Appointment, slot: Slot): Appointment {
  return { ...appointment, slot: [{ reference: `Slot/${slot.id}` }], start: slot.start, end: slot.end };
}

export function cancelBody(appointment: Appointment, reason: string): Appointment {
  return { ...appointment, status: 'cancelled', cancelationReason: { text: reason } };
}

/** Statuses in which an appointment is still ahead of the patient. */
const ACTIVE = new Set(['proposed', 'pending', 'booked', 'checked-in', 'arrived', 'waitlist']);
/** Statuses in which the consultation room lets the patient in (the server's rule). */
const JOINABLE = new Set(['booked', 'checked-in', 'arrived']);

/**
 * How long before the start (and after the end) the consultation room is open: the server's
 * CONSULT_MARGIN_MINUTES, documented default 15 (docs/consultation-protocol.md, OUTSIDE_WINDOW).
 */
export const ROOM_MARGIN_MINUTES = 15;
const MARGIN_MS = ROOM_MARGIN_MINUTES * 60_000;

/** When the room of an appointment opens (ms since the epoch), NaN without a start. */
export function roomOpensAt(a: Appointment): number {
  return Date.parse(a.start ?? '') - MARGIN_MS;
}

/**
 * The consultation room of an appointment, as the server decides a `join`: `not-yet` before
 * start − margin, `open` until end + margin, then `closed`; `inactive` in other statuses.
 */
export function roomState(
  a: Appointment,
  now: number = Date.now(),
): 'not-yet' | 'open' | 'closed' | 'inactive' {
  if (!JOINABLE.has(a.status)) return 'inactive';
  const opens = roomOpensAt(a);
  const closes = Date.parse(a.end ?? a.start ?? '') + MARGIN_MS;
  if (Number.isNaN(opens)) return 'inactive';
  if (now < opens) return 'not-yet';
  return now <= closes ? 'open' : 'closed';
}

/** The patient was in the room already (the server marks them `arrived`): "Rejoin". */
export const wasInRoom = (a: Appointment): boolean => a.status === 'arrived' || a.status === 'checked-in';

/**
 * Upcoming (active and not over — a joinable visit stays while its room is open — soonest
 * first), cancelled visits that were still ahead (soonest first), and past (newest first).
 */
export function splitAppointments(
  list: readonly Appointment[],
  now: Date = new Date(),
): { upcoming: Appointment[]; cancelled: Appointment[]; past: Appointment[] } {
  const time = (a: Appointment) => Date.parse(a.start ?? '') || 0;
  const over = (a: Appointment) =>
    roomState(a, now.getTime()) === 'open' ? false : Date.parse(a.end ?? a.start ?? '') <= now.getTime();
  const upcoming = list.filter((a) => ACTIVE.has(a.status) && !over(a)).sort((a, b) => time(a) - time(b));
  const cancelled = list
    .filter((a) => a.status === 'cancelled' && time(a) > now.getTime())
    .sort((a, b) => time(a) - time(b));
  const past = list
    .filter((a) => !upcoming.includes(a) && !cancelled.includes(a))
    .sort((a, b) => time(b) - time(a));
  return { upcoming, cancelled, past };
}

export const canJoin = (a: Appointment): boolean => JOINABLE.has(a.status);
export const canChange = (a: Appointment): boolean => a.status === 'booked' || a.status === 'pending';

export type BookingProblem =
  'taken' | 'consent' | 'past' | 'forbidden' | 'network' | 'expired' | 'rejected' | 'other';

/** What a refused booking (or reschedule) means, to explain it in plain language. */
export function bookingProblem(error: unknown): BookingProblem {
  if (!(error instanceof ApiError)) return 'other';
  const m = error.message.toLowerCase();
  if (error.status === 0) return 'network';
  if (error.status === 409) return m.includes('expired') || m.includes('hết thời gian') ? 'expired' : 'taken';
  if (error.status === 403) return 'forbidden';
  if (error.status === 422 || error.status === 400) {
    if (m.includes('consent')) return 'consent';
    if (m.includes('past') || m.includes('đã qua')) return 'past';
    return 'rejected';
  }
  return 'other';
}

export type NetworkQuality = 'good' | 'weak' | 'offline';

/** Round-trip times in ms (null = failed) → good (median < 400 ms, at most one failure), weak, offline. */
export function networkQuality(rtts: readonly (number | null)[]): {
  quality: NetworkQuality;
  median?: number;
} {
  const ok = rtts.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (ok.length === 0) return { quality: 'offline' };
  const mid = Math.floor(ok.length / 2);
  const median = Math.round(
    ok.length % 2 ? (ok[mid] as number) : ((ok[mid - 1] as number) + (ok[mid] as number)) / 2,
  );
  const failures = rtts.length - ok.length;
  return { quality: median < 400 && failures <= 1 ? 'good' : 'weak', median };
}

/** Microphone level 0–100 from analyser time-domain bytes (128 = silence). */
export function micLevel(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = ((samples[i] as number) - 128) / 128;
    sum += v * v;
  }
  return Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300));
}
