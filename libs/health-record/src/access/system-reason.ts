import type { AuditRecord } from '../audit/audit-record';
import type { AccessContext } from './access-context';

/**
 * Why the server itself reads or writes the record, when no user's request is behind the call
 * (issue 16 §2): a closed list, so every such call is named in review and in the audit trail. A
 * user's request always passes that user's AccessContext instead — never one of these.
 */
export const SYSTEM_REASONS = {
  /** care: derive a NEWS2 score and its Flag from vitals just written (RecordObserver). */
  news2: 'care.news2',
  /** care: record a triage assessment and its Questionnaire. */
  triage: 'care.triage',
  /** care: recompute a child's vaccination recommendations after a vaccination (RecordObserver). */
  immunizationForecast: 'care.immunization-forecast',
  /** care: the telehealth eligibility gate a booking passes (its Slot, the patient's triage). */
  bookingGate: 'care.booking-gate',
  /**
   * care: route a NEWS2 alert (the recording facility, its referral hospital, the on-call doctors),
   * escalate it, put the on-call doctors in the patient's care for a while (a CareTeam), and check
   * a roster entry's practitioner and facilities.
   */
  news2Alerts: 'care.news2-alerts',
  /** scheduling: generate and retire Slots from a practitioner's availability rules. */
  slotGeneration: 'scheduling.slot-generation',
  /** scheduling: the checks a booking makes on the Slot, the Patient and a booking's Consent. */
  bookingChecks: 'scheduling.booking-checks',
  /**
   * scheduling: the Slot and Appointment status changes the booking rules make themselves (a slot
   * held, booked or freed; a hold expired; arrived, fulfilled, no-show).
   */
  bookingState: 'scheduling.booking-state',
  /** scheduling: an appointment reminder (durable job) reads the Appointment it is about. */
  reminders: 'scheduling.reminders',
  /** scheduling: offer a freed slot to the next patient on the waitlist. */
  waitlistOffer: 'scheduling.waitlist-offer',
  /** notify: write a notification into a recipient's inbox (Communication). */
  notification: 'notify.notification',
  /** consultation: a waiting room's ordering and checks (Appointment, NEWS2 Flag, Practitioner). */
  waitingRoom: 'consultation.waiting-room',
  /**
   * consultation: store a file shared in a visit (the room already checked the participant and the
   * patient's consent; the uploader's own audit record is written beside it).
   */
  visitFile: 'consultation.visit-file',
  /** consultation: find the Encounter a finished visit writes back to. */
  visitWriteBack: 'consultation.visit-write-back',
  /**
   * econsult: a store-and-forward case (docs/econsult.md): show its ServiceRequest, Task and
   * documents to the receiving specialty's clinician on duty or its assignee (the clinician's own
   * read is audited beside it), write the specialist's reply and the escalation.
   */
  econsult: 'econsult.cases',
  /** health-record: an emergency (break-glass) opening — the patient exists; the patient's notice. */
  breakGlass: 'health-record.break-glass',
  /** health-record: a search's query plan or a count run for review and the index-use tests. */
  queryReview: 'health-record.query-review',
} as const;

export type SystemReasonName = (typeof SYSTEM_REASONS)[keyof typeof SYSTEM_REASONS];

/** A named reason for the server's own access; audited as agent `system:<reason>`. */
export class SystemReason {
  private static readonly known = new Map<SystemReasonName, SystemReason>();

  private constructor(readonly reason: SystemReasonName) {
    Object.freeze(this);
  }

  static of(reason: SystemReasonName): SystemReason {
    let r = SystemReason.known.get(reason);
    if (!r) SystemReason.known.set(reason, (r = new SystemReason(reason)));
    return r;
  }

  /** The audit record of the server's own interaction, under this reason. */
  audit(
    action: AuditRecord['action'],
    subtype: string,
    entity: string | undefined,
    patientIds: readonly string[],
  ): AuditRecord {
    return {
      action,
      subtype,
      outcome: '0',
      agent: `system:${this.reason}`,
      agentRole: 'system',
      patientIds,
      entity,
      purpose: 'TREAT',
      detail: this.reason,
    };
  }
}

/** Who a call into the record is for: a user's request (its access context) or the server, named. */
export type RecordCaller = AccessContext | SystemReason;

/** The user's access context of a call, undefined when the server acts under a named reason. */
export function userAccess(caller: RecordCaller): AccessContext | undefined {
  return caller instanceof SystemReason ? undefined : caller;
}
