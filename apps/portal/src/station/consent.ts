/**
 * Booking on a patient's behalf needs their active Consent, referenced in the Appointment's
 * supportingInformation (docs/scheduling.md "On behalf"; test/scheduling.e2e-spec.ts). The station
 * staff record it when the patient agrees in person.
 */
import type { FhirResource } from '../api';

export const CONSENT_CATEGORY_TEXT = 'Đồng ý đặt lịch khám từ xa';

export function bookingConsent(patientId: string, now: Date = new Date()): FhirResource {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }],
    },
    category: [{ text: CONSENT_CATEGORY_TEXT }],
    patient: { reference: `Patient/${patientId}` },
    dateTime: now.toISOString(),
  };
}

/**
 * An active consent of this patient that allows booking (the latest): the server accepts any
 * active Consent of the patient; we look for treatment-scope ones (ours and the booking area's).
 */
export function activeBookingConsent(consents: FhirResource[], patientId: string): FhirResource | undefined {
  return consents
    .filter(
      (c) =>
        c.status === 'active' &&
        (c.patient as { reference?: string } | undefined)?.reference === `Patient/${patientId}` &&
        (c.scope as { coding?: { code?: string }[] } | undefined)?.coding?.some(
          (k) => k.code === 'treatment',
        ),
    )
    .sort((a, b) => String(b.dateTime ?? '').localeCompare(String(a.dateTime ?? '')))[0];
}
