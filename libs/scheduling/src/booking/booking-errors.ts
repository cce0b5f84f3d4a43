import { FhirError, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { QueryFailedError } from 'typeorm';

export const OWNER = 'scheduling';

/** What a booking checks for itself (the Slot, the directory, a booking's Consent): audited so. */
export const CHECKS = SystemReason.of(SYSTEM_REASONS.bookingChecks);
/** The Slot and Appointment status changes the booking rules make themselves: audited so. */
export const STATE = SystemReason.of(SYSTEM_REASONS.bookingState);
/** Slots generated from, and retired with, a practitioner's availability: audited so. */
export const SLOTS = SystemReason.of(SYSTEM_REASONS.slotGeneration);

/** Extension recording who made a booking (the patient, a guardian, or station staff on their behalf). */
export const BOOKED_BY_URL = 'https://mekong.health/fhir/StructureDefinition/booked-by';

/** The database's refusal of a second live booking or of overlapping slots (23P01 / 23505). */
export function constraintOf(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const e = err.driverError as { code?: string; constraint?: string };
  return e.code === '23P01' || e.code === '23505' ? e.constraint : undefined;
}

export const slotTaken = (slotId: string): FhirError =>
  FhirError.coded(
    409,
    'conflict',
    'SCHEDULING.SLOT_TAKEN',
    `Slot/${slotId} is already booked or held / Khung giờ này đã có người đặt`,
    ['Appointment.slot'],
  );

/** A booking rule refused the request (422); `errorCode` names the rule for clients (the portal's sentence). */
export const unprocessable = (diagnostics: string, expression?: string, errorCode?: string): FhirError =>
  new FhirError(422, 'business-rule', diagnostics, expression ? [expression] : undefined, {}, errorCode);

export const forbidden = (diagnostics: string, errorCode?: string): FhirError =>
  new FhirError(403, 'forbidden', diagnostics, undefined, {}, errorCode);

/** The hold ran out before it was confirmed (409). */
export const holdExpired = (): FhirError =>
  FhirError.coded(
    409,
    'conflict',
    'SCHEDULING.HOLD_EXPIRED',
    'The hold has expired / Đã hết thời gian giữ chỗ',
  );

/**
 * A booking's Patient that does not exist or that the caller may not book for: one answer for
 * both (422), so that bookings cannot tell which patient ids exist.
 */
export const unknownPatient = (patientId: string): FhirError =>
  unprocessable(
    `Patient/${patientId} is unknown or not yours to book for (yourself, your children, patients in your care) / Không tìm thấy bệnh nhân hoặc bạn không được đặt lịch cho bệnh nhân này`,
    'Appointment.participant.actor',
    'SCHEDULING.UNKNOWN_PATIENT',
  );
