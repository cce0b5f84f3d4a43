import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { stableUuid } from '@mekong/common';
import {
  AccessService,
  type FhirResource,
  type StoredVersion,
  FhirStore,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import { FOLLOW_UP_CODE, FOLLOW_UP_LETTER_SYSTEM } from '@mekong/fhir';
import { DRUG_SYSTEM, E_PRESCRIPTION_TYPE_SYSTEM, type StructuredPrescription } from '@mekong/eprescription';
import { JobQueue, type RetryPolicy } from '@mekong/notify';
import { SigningService } from '@mekong/signing';
import { BookingService } from '@mekong/scheduling';

export const WRITEBACK_QUEUE = 'consultation.writeback';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
/**
 * A visit is retried until it is written: once a minute (a record down for a while, a deploy),
 * for up to a year — not the queue's default 8 tries. Each try is idempotent (see `write`).
 */
export const WRITEBACK_RETRY: RetryPolicy = {
  retryLimit: 1_000_000,
  retryDelay: 60,
  retryBackoff: false,
  retentionDays: 365,
};

export interface VisitRecord {
  /** Identifies the visit; the Encounter's id derives from it, so a retried write-back is a no-op. */
  readonly visitId: string;
  readonly appointmentId: string;
  readonly patientId: string;
  /** The practitioner ending the visit: the writes are checked and audited as theirs. */
  readonly author: Principal;
  readonly practitioners: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly reasonCode?: unknown[];
  readonly notes?: string;
  readonly diagnoses?: readonly { code: string; display?: string }[];
  /** Structured for the national system (a job queued before that change may still hold only medication and dosage). */
  readonly prescriptions?: readonly (Partial<StructuredPrescription> & {
    medication: string;
    dosage: string;
  })[];
  /**
   * The re-visit appointment ("giấy hẹn khám lại"): when to come back (ISO 8601 with offset,
   * checked to be after `end` and within a year before the job is queued) and a note for the patient.
   */
  readonly followUp?: { readonly at: string; readonly note?: string };
  /** The chat transcript, present only when the patient consented to keep it. */
  readonly chat?: readonly { actor: string; text: string; at: string }[];
}

/** The id of a visit's re-visit appointment (ServiceRequest): derived from the visit, never duplicated. */
export const followUpId = (visitId: string): string => stableUuid(`follow-up|${visitId}`);

/** The re-visit letter's number (XML14 SO_GIAYHEN_KL, ≤ 50 characters): HKL- and 12 hex digits of its id. */
export const followUpLetterNumber = (serviceRequestId: string): string =>
  `HKL-${serviceRequestId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;

/**
 * A chat message's sender: a reference to someone in the record, or — for a guest invited by
 * name, without an account (actor `interpreter:Thạch Thị Sa Rây`) — their name and role, since a
 * reference must name a resource.
 */
export function senderOf(actor: string): { reference: string } | { display: string } {
  if (/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(actor)) return { reference: actor };
  const [role, ...name] = actor.split(':');
  return { display: name.length > 0 ? `${name.join(':')} (${role})` : actor };
}

/**
 * Writes a finished video visit into the lifelong record in ONE transaction: the Encounter
 * (class VR) with participants, period, reason and appointment; the doctor's notes
 * (ClinicalImpression); diagnoses (Condition, ICD-10); prescriptions (MedicationRequest); the
 * re-visit appointment (ServiceRequest); and the Appointment becomes fulfilled. Enqueued as a
 * durable job and retried until it succeeds; never duplicated (deterministic ids, checked first).
 */
@Injectable()
export class WritebackService implements OnModuleInit {
  constructor(
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly bookings: BookingService,
    private readonly jobs: JobQueue,
    private readonly signing: SigningService,
  ) {}

  onModuleInit(): void {
    this.jobs.work<VisitRecord>(WRITEBACK_QUEUE, (v) => this.write(v).then(() => undefined), WRITEBACK_RETRY);
  }

  enqueue(visit: VisitRecord): Promise<string | null> {
    return this.jobs.send(WRITEBACK_QUEUE, visit, { key: visit.visitId });
  }

  /**
   * The patient is in the visit's waiting room: the Appointment becomes `arrived`, as at a clinic's
   * front desk. Until then the no-show check (start + NOSHOW_GRACE_MINUTES) would mark a visit
   * still going on — or a patient kept waiting by a late doctor — `noshow`, and the write-back
   * could no longer make it `fulfilled`.
   */
  async markArrived(appointmentId: string): Promise<void> {
    await this.store.transaction((em, pending) =>
      this.bookings.transition(em, appointmentId, 'arrived', pending, ['booked', 'checked-in']),
    );
  }

  /** The patient's Consent to keep this visit's chat in their record, written as theirs. */
  async recordConsent(patientId: string, appointmentId: string, patient: Principal): Promise<string> {
    const access = await this.access.contextFor(patient);
    const { version } = await this.store.createOne(
      'Consent',
      {
        resourceType: 'Consent',
        status: 'active',
        scope: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
        },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
        patient: { reference: `Patient/${patientId}` },
        dateTime: new Date().toISOString(),
        policyRule: {
          text: 'Lưu nội dung trò chuyện của buổi khám từ xa vào hồ sơ sức khỏe / Keep the video visit chat in the health record',
        },
        provision: {
          type: 'permit',
          data: [{ meaning: 'related', reference: { reference: `Appointment/${appointmentId}` } }],
        },
      },
      access,
    );
    return version.id;
  }

  encounterId(visitId: string): string {
    return stableUuid(`encounter|${visitId}`);
  }

  /** Returns the Encounter id; false-free: an already written visit returns its id unchanged. */
  async write(v: VisitRecord): Promise<string> {
    const encounterId = this.encounterId(v.visitId);
    const access = await this.access.contextFor(v.author);
    await this.store.transaction(async (em, pending) => {
      const existing = await this.store
        .read('Encounter', encounterId, SystemReason.of(SYSTEM_REASONS.visitWriteBack), em)
        .catch(() => undefined);
      if (existing) return;
      const subject = { reference: `Patient/${v.patientId}` };
      const encounter = { reference: `Encounter/${encounterId}` };
      const author = { reference: v.author.fhirUser ?? v.practitioners[0] ?? '' };
      // Every version written here is the doctor's: kept to be signed before the commit.
      const written: StoredVersion[] = [];
      const put = async (type: string, id: string, body: FhirResource) => {
        const r = await this.store.update(em, type, id, body, { pending, access });
        written.push(r.version);
        return r;
      };
      await put('Encounter', encounterId, {
        resourceType: 'Encounter',
        id: encounterId,
        identifier: [{ system: 'https://mekong.health/fhir/sid/visit', value: v.visitId }],
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
        subject,
        participant: v.practitioners.map((p) => ({ individual: { reference: p } })),
        period: { start: v.start, end: v.end },
        ...(v.reasonCode && v.reasonCode.length > 0 ? { reasonCode: v.reasonCode } : {}),
        // The diagnoses in the doctor's order: rank 1 is the main one (a claim's MA_BENH_CHINH).
        ...((v.diagnoses ?? []).length > 0
          ? {
              diagnosis: (v.diagnoses ?? []).map((_, i) => ({
                condition: { reference: `Condition/${stableUuid(`condition|${v.visitId}|${i}`)}` },
                rank: i + 1,
              })),
            }
          : {}),
        appointment: [{ reference: `Appointment/${v.appointmentId}` }],
        // The facility that gave the visit: the ending doctor's (claims are the facility's).
        ...(v.author.organization ? { serviceProvider: { reference: v.author.organization } } : {}),
      });
      if (v.notes && v.notes.trim()) {
        await put('ClinicalImpression', stableUuid(`notes|${v.visitId}`), {
          resourceType: 'ClinicalImpression',
          id: stableUuid(`notes|${v.visitId}`),
          status: 'completed',
          subject,
          encounter,
          date: v.end,
          ...(author.reference ? { assessor: author } : {}),
          summary: v.notes.trim(),
        });
      }
      for (const [i, d] of (v.diagnoses ?? []).entries()) {
        const id = stableUuid(`condition|${v.visitId}|${i}`);
        await put('Condition', id, {
          resourceType: 'Condition',
          id,
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
          },
          verificationStatus: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'provisional' },
            ],
          },
          category: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/condition-category',
                  code: 'encounter-diagnosis',
                },
              ],
            },
          ],
          code: { coding: [{ system: ICD10, code: d.code, ...(d.display ? { display: d.display } : {}) }] },
          subject,
          encounter,
          recordedDate: v.end,
          ...(author.reference ? { recorder: author } : {}),
        });
      }
      // A structured drug (national drug code, quantity, days, type) is a national e-prescription:
      // eprescription's record observer gives the visit's drugs of one type a code and an outbox job
      // in this transaction; the code comes back as the MedicationRequest's identifier once issued.
      const reasonCode = (v.diagnoses ?? []).map((d) => ({
        coding: [{ system: ICD10, code: d.code, ...(d.display ? { display: d.display } : {}) }],
      }));
      for (const [i, p] of (v.prescriptions ?? []).entries()) {
        const id = stableUuid(`medication|${v.visitId}|${i}`);
        const structured = p.drugCode !== undefined && p.quantity !== undefined && p.days !== undefined;
        await put('MedicationRequest', id, {
          resourceType: 'MedicationRequest',
          id,
          status: 'active',
          intent: 'order',
          ...(structured
            ? { category: [{ coding: [{ system: E_PRESCRIPTION_TYPE_SYSTEM, code: p.type ?? 'c' }] }] }
            : {}),
          medicationCodeableConcept: {
            ...(structured
              ? { coding: [{ system: DRUG_SYSTEM, code: p.drugCode, display: p.medication }] }
              : {}),
            text: p.medication,
          },
          subject,
          encounter,
          authoredOn: v.end,
          ...(author.reference ? { requester: author } : {}),
          ...(structured && reasonCode.length > 0 ? { reasonCode } : {}),
          dosageInstruction: [{ text: p.dosage }],
          ...(structured
            ? {
                dispenseRequest: {
                  quantity: { value: p.quantity, ...(p.unit ? { unit: p.unit } : {}) },
                  expectedSupplyDuration: {
                    value: p.days,
                    unit: 'd',
                    system: 'http://unitsofmeasure.org',
                    code: 'd',
                  },
                },
              }
            : {}),
        });
      }
      // The re-visit appointment: a ServiceRequest of the Encounter (libs/fhir follow-up.ts), the
      // source of the claim's XML14; its letter number (SO_GIAYHEN_KL) derives from the visit.
      if (v.followUp) {
        const id = followUpId(v.visitId);
        await put('ServiceRequest', id, {
          resourceType: 'ServiceRequest',
          id,
          status: 'active',
          intent: 'order',
          identifier: [{ system: FOLLOW_UP_LETTER_SYSTEM, value: followUpLetterNumber(id) }],
          code: { coding: [{ ...FOLLOW_UP_CODE }], text: 'Hẹn khám lại' },
          subject,
          encounter,
          occurrenceDateTime: v.followUp.at,
          authoredOn: v.end,
          ...(author.reference ? { requester: author } : {}),
          ...(v.followUp.note ? { note: [{ text: v.followUp.note }] } : {}),
        });
      }
      for (const [i, m] of (v.chat ?? []).entries()) {
        const id = stableUuid(`chat|${v.visitId}|${i}`);
        await put('Communication', id, {
          resourceType: 'Communication',
          id,
          status: 'completed',
          category: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/communication-category',
                  code: 'notification',
                },
              ],
            },
          ],
          subject,
          encounter,
          sender: senderOf(m.actor),
          sent: m.at,
          payload: [{ contentString: m.text }],
        });
      }
      // The author's signature over each version (Provenance + JWS, docs/signatures.md), same transaction.
      if (author.reference)
        await this.signing.signVersions(em, written, author.reference, (type, id, body) =>
          this.store.update(em, type, id, body, { pending, access }),
        );
      await this.bookings.transition(em, v.appointmentId, 'fulfilled', pending);
    });
    return encounterId;
  }
}
