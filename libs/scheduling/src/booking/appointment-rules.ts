/**
 * Pure rules of the Appointment lifecycle and of what a booking request must contain
 * (FHIR R4 Appointment status codes: http://hl7.org/fhir/R4/valueset-appointmentstatus.html).
 */

export type AppointmentStatus =
  | 'proposed'
  | 'pending'
  | 'booked'
  | 'arrived'
  | 'fulfilled'
  | 'cancelled'
  | 'noshow'
  | 'entered-in-error'
  | 'checked-in'
  | 'waitlist';

/** Allowed transitions; staying in the same status (editing other elements) is always allowed. */
export const TRANSITIONS: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  proposed: ['pending', 'booked', 'cancelled', 'entered-in-error'],
  waitlist: ['pending', 'booked', 'cancelled', 'entered-in-error'],
  pending: ['booked', 'cancelled', 'entered-in-error'],
  booked: ['checked-in', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error'],
  'checked-in': ['arrived', 'fulfilled', 'cancelled', 'entered-in-error'],
  arrived: ['fulfilled', 'entered-in-error'],
  fulfilled: ['entered-in-error'],
  cancelled: ['entered-in-error'],
  noshow: ['entered-in-error'],
  'entered-in-error': [],
};

/** Statuses in which an appointment holds its slot. */
export const HOLDS_SLOT: ReadonlySet<string> = new Set(['pending', 'booked', 'checked-in', 'arrived']);

export function transitionError(from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const allowed = TRANSITIONS[from as AppointmentStatus] as readonly string[] | undefined;
  if (!allowed) return `Unknown current status ${from}`;
  return allowed.includes(to)
    ? undefined
    : `An appointment cannot go from ${from} to ${to} (allowed: ${allowed.join(', ') || 'none'}) / Không thể chuyển trạng thái lịch hẹn từ ${from} sang ${to}`;
}

/** What a patient may do to their own appointment: confirm a hold, reschedule, cancel. */
export function patientMayTransition(from: string, to: string): boolean {
  return from === to || to === 'cancelled' || (from === 'pending' && to === 'booked');
}

export interface BookingRequest {
  readonly status: string;
  readonly slotId: string | undefined;
  readonly slotCount: number;
  readonly patientId: string | undefined;
  readonly patientCount: number;
  readonly actors: readonly string[];
}

interface AppointmentShape {
  status?: unknown;
  slot?: { reference?: unknown }[];
  participant?: { actor?: { reference?: unknown } }[];
}

export function bookingRequest(appointment: Record<string, unknown>): BookingRequest {
  const a = appointment as AppointmentShape;
  const slots = (a.slot ?? []).map((s) => (typeof s.reference === 'string' ? s.reference : ''));
  const actors = (a.participant ?? [])
    .map((p) => p.actor?.reference)
    .filter((r): r is string => typeof r === 'string');
  const patients = actors.filter((r) => r.startsWith('Patient/'));
  const slot = slots[0];
  return {
    status: typeof a.status === 'string' ? a.status : '',
    slotId: slot?.startsWith('Slot/') ? slot.slice(5) : undefined,
    slotCount: slots.length,
    patientId: patients[0]?.slice(8),
    patientCount: patients.length,
    actors,
  };
}
