/**
 * Care's REST bodies (docs/care.md): the NEWS2 alerts' inbox and the duty roster. The server's DTO
 * classes implement the request bodies (their class-validator decorators stay the validation); its
 * services return the responses.
 */

/** The NEWS2 responses that raise an alert (a single 3, or a total of 5 or more). */
export type News2AlertResponse = 'urgent-review' | 'urgent' | 'emergency';

/** GET /care/alerts?status=: the open alerts (default) or all of them. */
export type News2AlertsStatus = 'open' | 'all';

/** A NEWS2 alert's workflow: who was told, who acknowledged, escalation, override. */
export interface News2Alert {
  id: string;
  patientId: string;
  observationId: string;
  /** `Organization/…` whose staff recorded the vitals. */
  facility?: string;
  /** `Organization/…`: the facility's referral hospital (Organization.partOf). */
  hospital?: string;
  score?: number;
  response: News2AlertResponse;
  raisedAt: string;
  notified: string[];
  onCall: string[];
  status: 'open' | 'acknowledged';
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  escalateAt: string;
  escalatedAt?: string;
  escalatedTo?: string[];
  override?: { by: string; at: string; reason: string };
}

/**
 * An alert as GET /care/alerts lists it: the workflow plus the patient's name and the display names
 * of the practitioners and organizations it names. POST …/acknowledge and …/booking-override answer
 * the bare {@link News2Alert}.
 */
export interface News2AlertView extends News2Alert {
  patient: { id: string; name?: string };
  names: Record<string, string>;
}

/** POST /care/alerts/:id/booking-override: why a video booking is safe despite the alert. */
export interface BookingOverrideBody {
  reason: string;
}

/** POST /care/duty-roster and PUT /care/duty-roster/:id: one on-call shift. */
export interface DutyShiftBody {
  /** `Practitioner/…`. */
  practitioner: string;
  /** `Organization/…`: the facility that owns the row (its clinic staff edit it). */
  facility: string;
  /** `Organization/…`: the owning facility and/or its stations (partOf) the practitioner covers. */
  covers: string[];
  start: string;
  end: string;
  note?: string;
}

/** A roster row as POST and PUT /care/duty-roster answer it. */
export interface DutyShift extends DutyShiftBody {
  id: string;
  createdBy: string;
  updatedBy: string;
}

/** A roster row as GET /care/duty-roster lists it: with the display names of its practitioner and facilities. */
export interface DutyShiftView extends DutyShift {
  names: Record<string, string>;
}
