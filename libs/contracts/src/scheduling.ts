/**
 * Scheduling's REST bodies (docs/scheduling.md): a schedule's availability (weekly rules and
 * exceptions, in Asia/Ho_Chi_Minh) and the waitlist. The server's DTO classes implement the request
 * bodies (their class-validator decorators stay the validation); its services return the responses.
 */

/** How a slot is kept: by video or at the facility. */
export type ServiceType = 'video' | 'in-person';

/** POST /scheduling/schedules/{id}/rules: weekly hours in Asia/Ho_Chi_Minh. */
export interface AvailabilityRuleBody {
  /** ISO weekdays, 1 (Monday) to 7 (Sunday). */
  daysOfWeek: number[];
  /** HH:mm, Asia/Ho_Chi_Minh. */
  startTime: string;
  /** HH:mm, Asia/Ho_Chi_Minh, after startTime. */
  endTime: string;
  /** 5 to 240. */
  slotMinutes: number;
  serviceType: ServiceType;
  /** YYYY-MM-DD (default: today in Vietnam). */
  validFrom?: string;
  /** YYYY-MM-DD; absent: open-ended. */
  validTo?: string;
}

/** A rule as GET …/rules lists it (and POST …/rules returns it). */
export interface AvailabilityRule {
  id: string;
  scheduleId: string;
  daysOfWeek: number[];
  startTime: string;
  endTime: string;
  slotMinutes: number;
  serviceType: ServiceType;
  validFrom: string;
  validTo: string | null;
  timeZone: 'Asia/Ho_Chi_Minh';
  createdBy: string;
  createdAt: string;
}

/** The answer of POST …/rules: the rule and how many slots it made up to the horizon. */
export interface AvailabilityRuleAdded {
  rule: AvailabilityRule;
  slotsCreated: number;
}

/**
 * The answer of DELETE …/rules/{ruleId}: how many free future slots were withdrawn, and the
 * appointments (`Appointment/…`) whose booked slots were kept for the doctor to reschedule.
 */
export interface SlotsWithdrawn {
  slotsRemoved: number;
  bookedKept: string[];
}

/** POST /scheduling/schedules/{id}/exceptions: a closed period (holiday, leave) or one-off extra hours. */
export interface AvailabilityExceptionBody {
  kind: 'closed' | 'extra';
  /** An instant with an offset (Z or +07:00). */
  start: string;
  /** An instant with an offset, after start. */
  end: string;
  reason: string;
  /** Extra hours only (required there). */
  slotMinutes?: number;
  /** Extra hours only (required there). */
  serviceType?: ServiceType;
}

/** An exception as GET …/exceptions lists it. */
export interface AvailabilityException {
  id: string;
  kind: 'closed' | 'extra';
  start: string;
  end: string;
  reason: string;
  slotMinutes?: number;
  serviceType?: ServiceType;
  createdBy: string;
}

/** The answer of POST …/exceptions: the slots a period of extra hours made or a closed period withdrew. */
export interface AvailabilityExceptionAdded extends SlotsWithdrawn {
  id: string;
  slotsCreated: number;
}

/** POST /scheduling/waitlist: wait for a slot of a practitioner, or of a specialty. */
export interface WaitlistBody {
  /** `Patient/…`. */
  patient: string;
  /** `Practitioner/…`. */
  practitioner?: string;
  /** A specialty code (SNOMED CT, as in PractitionerRole.specialty / Slot.specialty). */
  specialty?: string;
  serviceType?: ServiceType;
  note?: string;
}

/** Where a waitlist entry stands (scheduling.waitlist's CHECK). */
export type WaitlistStatus = 'waiting' | 'offered' | 'booked' | 'expired' | 'cancelled';

/** A waitlist entry as POST, GET and DELETE /scheduling/waitlist answer it. */
export interface WaitlistEntry {
  id: string;
  /** `Patient/…`. */
  patient: string;
  /** `Practitioner/…`. */
  practitioner?: string;
  specialty?: string;
  serviceType?: ServiceType;
  note?: string;
  status: WaitlistStatus;
  /** `Appointment/…`: the pending hold offered from a freed slot. */
  offeredAppointment?: string;
  createdAt: string;
}
