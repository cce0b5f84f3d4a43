/**
 * Video bookings waiting for the doctor (docs/care.md "The booking gate", reason "other" and "No
 * ICD-10 coding"): held as `pending` until a practitioner confirms them (`PUT` status `booked`) or
 * declines them (`PUT` status `cancelled` with `cancelationReason.text`). Pure: no React, no fetch.
 */
import { ApiError, type FhirResource } from '../api';
import { hasListedReason, inPerson, isOtherReason } from '../booking/booking-logic';
import type { CodeableConcept } from './fhir-text';

export interface RequestAppointment extends FhirResource {
  status?: string;
  start?: string;
  end?: string;
  description?: string;
  reasonCode?: CodeableConcept[];
  serviceType?: CodeableConcept[];
  participant?: { actor?: { reference?: string; display?: string }; status?: string }[];
}

/** The search of the doctor's upcoming holds, soonest first, with their patients. */
export function requestSearch(practitioner: string, now: Date): Record<string, string> {
  return {
    actor: practitioner,
    status: 'pending',
    date: `ge${now.toISOString()}`,
    _include: 'Appointment:patient',
    _sort: 'date',
    _count: '100',
  };
}

/**
 * True when a hold waits for a doctor: a pending remote booking whose reason is the coded "other"
 * or has no ICD-10 coding. Not a waitlist offer or any hold the patient has still to accept (their
 * participant is `needs-action`), nor an in-person booking (not gated).
 */
export function waitsForDoctor(a: RequestAppointment): boolean {
  if (a.status !== 'pending' || inPerson(a)) return false;
  const patient = a.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'));
  if (patient?.status === 'needs-action') return false;
  return isOtherReason(a) || !hasListedReason(a);
}

/** The appointment as confirmed by the doctor. */
export const confirmBody = (a: RequestAppointment): RequestAppointment => ({ ...a, status: 'booked' });

/** The appointment as declined, with the reason the patient will read. */
export const declineBody = (a: RequestAppointment, reason: string): RequestAppointment => ({
  ...a,
  status: 'cancelled',
  cancelationReason: { text: reason },
});

export type RequestProblem = 'news2' | 'emergency' | 'ineligible' | 'notClinician' | 'changed';

/** What a refused confirmation means (the server's codes, docs/care.md "Status codes"). */
export function requestProblem(error: unknown): RequestProblem | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status === 409) return 'changed';
  if (error.status !== 422) return undefined;
  const issues = (error.body as { issue?: { diagnostics?: string; details?: { text?: string } }[] })?.issue;
  const all = [
    error.message,
    ...(issues ?? []).map((i) => `${i.diagnostics ?? ''} ${i.details?.text ?? ''}`),
  ].join(' ');
  if (all.includes('CARE.NEWS2_ALERT_ACTIVE')) return 'news2';
  if (all.includes('CARE.REASON_OTHER_NEEDS_CLINICIAN')) return 'notClinician';
  if (/\b115\b/.test(error.message)) return 'emergency';
  if (/route:? ?(in-person|referral)/i.test(all)) return 'ineligible';
  return undefined;
}
