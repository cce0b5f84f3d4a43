import { HttpException, Injectable } from '@nestjs/common';
import { ERROR_CODE_SYSTEM, operationOutcome, type OperationOutcomeIssue } from '@mekong/fhir';
import {
  type FhirResource,
  FhirStore,
  type RequestContext,
  SearchService,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import type { BookingChecks, BookingVerdict } from '@mekong/scheduling';
import type { EntityManager } from 'typeorm';
import { activeNews2Alert } from '../alerts/active-alert';
import { bookingOverrideSince } from '../alerts/news2-alert.repository';
import { searchAll } from '../common/record-search';
import { TRIAGE_ADVICE } from '../triage/triage-rules';
import {
  TRIAGE_METHOD_CODE,
  TRIAGE_METHOD_SYSTEM,
  triageAssessmentId,
  triageLevelOf,
  triageReasonsOf,
} from '../triage/triage-record';
import { OTHER_REASON_PENDING_TEXT, TELEHEALTH_REASON_OTHER } from './conditions';
import { checkEligibility, type EligibilityRoute, normalizeIcd10 } from './eligibility';

export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const SERVICE_TYPE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/service-type';
const V3_ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
/** Encounter classes seen in person (v3 ActCode); VR (virtual) is not. */
export const IN_PERSON_CLASSES = new Set([
  'AMB',
  'IMP',
  'EMER',
  'ACUTE',
  'NONAC',
  'OBSENC',
  'SS',
  'HH',
  'FLD',
]);
/** How far back a triage counts for a booking that does not reference one. */
export const TRIAGE_LOOKBACK_HOURS = 24;

export const EMERGENCY_MESSAGE =
  'Call 115 / go to the nearest emergency department now / Gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay';

/** The code of the refusal while a NEWS2 alert is active (issue[0].diagnostics and details.text start with it). */
export const NEWS2_ALERT_ACTIVE = 'CARE.NEWS2_ALERT_ACTIVE';
/** The code of the refusal of a video booking after an emergency triage (call 115). */
export const EMERGENCY_TRIAGE = 'CARE.EMERGENCY_TRIAGE';
/** The codes of the refusal of a video booking the eligibility rule routes elsewhere. */
export const NOT_ELIGIBLE_IN_PERSON = 'CARE.NOT_ELIGIBLE_IN_PERSON';
export const NOT_ELIGIBLE_REFERRAL = 'CARE.NOT_ELIGIBLE_REFERRAL';
/** The code of the refusal of an "other" reason booked (not pending) by someone who is not a practitioner. */
export const REASON_OTHER_NEEDS_CLINICIAN = 'CARE.REASON_OTHER_NEEDS_CLINICIAN';

type Json = Record<string, unknown>;
type Codings = { coding?: { system?: string; code?: string }[] }[] | undefined;

const ROUTE_TEXT: Record<Exclude<EligibilityRoute, 'telehealth'>, string> = {
  'in-person':
    'Not eligible for a video consultation: an in-person visit is needed (route in-person) / Không đủ điều kiện khám từ xa: cần khám trực tiếp',
  referral:
    'Not eligible for a video consultation: refer for in-person care (route referral) / Không đủ điều kiện khám từ xa: cần chuyển tuyến khám trực tiếp',
};

const refused = (issues: OperationOutcomeIssue[]): HttpException =>
  new HttpException(operationOutcome(...issues), 422);

/** The gate reads the booked Slot and the patient's triage for the booking: audited under this reason. */
const GATE = SystemReason.of(SYSTEM_REASONS.bookingGate);

/**
 * The care gate on a new booking (scheduling's BookingChecks extension point), for a remote (video) booking:
 * 1. emergency triage → 422 "call 115" (the latest triage of the patient within 24 h, or one the
 *    Appointment references in supportingInformation);
 * 2. telehealth eligibility (Circular 30/2023/TT-BYT, Dispatch 7946/BYT-KCB) of the Appointment's
 *    ICD-10 reasonCodes against the patient's in-person visits and known problems → 422 with the
 *    route and the reasons; a reasonCode "other" (TELEHEALTH_REASON_OTHER: not an appendix row) is
 *    let through only as pending, held until the slot starts, and becomes booked only when a
 *    practitioner confirms it (PUT status booked); anyone else booking or confirming it → 422
 *    CARE.REASON_OTHER_NEEDS_CLINICIAN. A reason without an ICD-10 coding (free text only, or none)
 *    is treated as "other": it cannot skip the gate (issue 17 item 8).
 * An in-person booking (Slot or Appointment serviceType in-person) passes both.
 */
@Injectable()
export class CareBookingGate implements BookingChecks {
  constructor(
    private readonly store: FhirStore,
    private readonly search: SearchService,
  ) {}

  async check(
    em: EntityManager,
    appointment: FhirResource,
    ctx: RequestContext,
  ): Promise<void | BookingVerdict> {
    const patientId = this.patientOf(appointment);
    if (patientId === undefined) return;
    if ((await this.serviceType(em, appointment)) === 'in-person') return;
    await this.checkActiveAlert(em, patientId);
    await this.checkTriage(em, appointment, patientId);
    if (this.isOtherReason(appointment) || !this.hasIcd10Reason(appointment))
      return this.checkOtherReason(appointment, ctx);
    await this.checkEligibility(em, appointment, patientId);
  }

  /** Whether a reasonCode carries an ICD-10 coding (a listed row picked, or a doctor's code). */
  private hasIcd10Reason(appointment: FhirResource): boolean {
    return ((appointment.reasonCode as Codings) ?? [])
      .flatMap((c) => c.coding ?? [])
      .some((c) => c.system === ICD10_SYSTEM && typeof c.code === 'string');
  }

  private isOtherReason(appointment: FhirResource): boolean {
    return ((appointment.reasonCode as Codings) ?? [])
      .flatMap((c) => c.coding ?? [])
      .some((c) => c.system === TELEHEALTH_REASON_OTHER.system && c.code === TELEHEALTH_REASON_OTHER.code);
  }

  /**
   * A reason outside the appendix rows ("other"): pending, held until the slot starts, until a
   * practitioner confirms it (the confirmation is the practitioner's Appointment version: who, when).
   */
  private checkOtherReason(appointment: FhirResource, ctx: RequestContext): BookingVerdict {
    if (appointment.status === 'pending') {
      const start = Date.parse(String(appointment.start));
      return Number.isNaN(start) ? {} : { holdUntil: new Date(start) };
    }
    if (ctx.access.principal.role === 'practitioner') return {};
    throw refused([
      {
        severity: 'error',
        code: 'business-rule',
        diagnostics: `${REASON_OTHER_NEEDS_CLINICIAN}: a reason outside the remote-care list (or given as free text only) waits for a doctor — pick a listed condition, or book it as pending; only a practitioner confirms it / Lý do ngoài danh mục khám từ xa (hoặc chỉ ghi bằng lời) cần bác sĩ xác nhận — chọn bệnh trong danh mục, hoặc đặt lịch ở trạng thái chờ; chỉ bác sĩ xác nhận`,
        details: {
          coding: [{ system: ERROR_CODE_SYSTEM, code: REASON_OTHER_NEEDS_CLINICIAN }],
          text: `${REASON_OTHER_NEEDS_CLINICIAN} ${OTHER_REASON_PENDING_TEXT.en} / ${OTHER_REASON_PENDING_TEXT.vi}`,
        },
        expression: ['Appointment.status'],
      },
    ]);
  }

  private patientOf(appointment: FhirResource): string | undefined {
    const refs = ((appointment.participant as { actor?: { reference?: string } }[] | undefined) ?? [])
      .map((p) => p.actor?.reference)
      .filter((r): r is string => typeof r === 'string' && r.startsWith('Patient/'));
    return refs[0]?.slice('Patient/'.length);
  }

  /** The Slot's service type decides; the Appointment's when the Slot has none; else unspecified (remote). */
  private async serviceType(em: EntityManager, appointment: FhirResource): Promise<string | undefined> {
    const code = (concepts: Codings): string | undefined =>
      (concepts ?? []).flatMap((c) => c.coding ?? []).find((c) => c.system === SERVICE_TYPE_SYSTEM)?.code;
    const slotRef = (appointment.slot as { reference?: string }[] | undefined)?.[0]?.reference;
    if (slotRef?.startsWith('Slot/')) {
      const slot = await this.store.current(em, 'Slot', slotRef.slice(5), GATE);
      const fromSlot = code(slot?.content?.serviceType as Codings);
      if (fromSlot !== undefined) return fromSlot;
    }
    return code(appointment.serviceType as Codings);
  }

  /**
   * An active NEWS2 alert raised from vitals staff recorded (issue 17 item 10): no remote booking
   * until a doctor overrides it on one of the episode's alerts (POST /care/alerts/:id/booking-override,
   * who, when and why recorded) or a later normal score ends the alert.
   */
  private async checkActiveAlert(em: EntityManager, patientId: string): Promise<void> {
    const alert = await activeNews2Alert(this.store, em, patientId, GATE);
    if (!alert) return;
    if (await bookingOverrideSince(em, patientId, alert.since)) return;
    const score = alert.score !== undefined ? ` ${alert.score}` : '';
    throw refused([
      {
        severity: 'error',
        code: 'business-rule',
        diagnostics: `${NEWS2_ALERT_ACTIVE}: the patient has an active NEWS2 alert${score} — a doctor must assess them before a video consultation is booked (or override, recorded) / Người bệnh đang có cảnh báo NEWS2${score} — bác sĩ cần đánh giá trước khi đặt lịch khám từ xa (hoặc cho phép vượt, có ghi lại)`,
        details: {
          coding: [{ system: ERROR_CODE_SYSTEM, code: NEWS2_ALERT_ACTIVE }],
          text: `${NEWS2_ALERT_ACTIVE} ${alert.flag} since ${alert.since}`,
        },
        expression: ['Appointment.participant'],
      },
    ]);
  }

  private async checkTriage(em: EntityManager, appointment: FhirResource, patientId: string): Promise<void> {
    const candidates: Json[] = [];
    for (const ref of (appointment.supportingInformation as { reference?: string }[] | undefined) ?? []) {
      const r = ref.reference ?? '';
      const id = r.startsWith('QuestionnaireResponse/')
        ? triageAssessmentId(r.slice('QuestionnaireResponse/'.length))
        : r.startsWith('RiskAssessment/')
          ? r.slice('RiskAssessment/'.length)
          : undefined;
      if (id === undefined) continue;
      const ra = await this.store.current(em, 'RiskAssessment', id, GATE);
      if (ra?.content && !ra.deleted) candidates.push(ra.content);
    }
    const since = new Date(Date.now() - TRIAGE_LOOKBACK_HOURS * 3600_000);
    const recent = await searchAll(
      this.search,
      em,
      'RiskAssessment',
      [
        ['subject', `Patient/${patientId}`],
        ['method', `${TRIAGE_METHOD_SYSTEM}|${TRIAGE_METHOD_CODE}`],
        ['_lastUpdated', `ge${since.toISOString()}`],
        ['_sort', '-_lastUpdated'],
      ],
      GATE,
    );
    const latest = recent.find((ra) => ra.status !== 'entered-in-error');
    if (latest) candidates.push(latest as Json);
    const emergency = candidates.find(
      (ra) =>
        (ra.subject as { reference?: string } | undefined)?.reference === `Patient/${patientId}` &&
        triageLevelOf(ra) === 'emergency',
    );
    if (!emergency) return;
    const advice = TRIAGE_ADVICE.emergency;
    throw refused([
      {
        severity: 'error',
        code: 'business-rule',
        diagnostics: `${EMERGENCY_MESSAGE}. ${advice.en} / ${advice.vi}`,
        details: {
          coding: [{ system: ERROR_CODE_SYSTEM, code: EMERGENCY_TRIAGE }],
          text: `Pre-visit triage RiskAssessment/${String(emergency.id)}: emergency — a remote consultation cannot be booked / Phân loại trước khám: cấp cứu — không đặt lịch khám từ xa`,
        },
        expression: ['Appointment.supportingInformation'],
      },
      ...triageReasonsOf(emergency).map((text): OperationOutcomeIssue => ({
        severity: 'information',
        code: 'business-rule',
        diagnostics: text,
      })),
    ]);
  }

  private async checkEligibility(
    em: EntityManager,
    appointment: FhirResource,
    patientId: string,
  ): Promise<void> {
    const raw = ((appointment.reasonCode as Codings) ?? [])
      .flatMap((c) => c.coding ?? [])
      .filter((c) => c.system === ICD10_SYSTEM && typeof c.code === 'string')
      .map((c) => c.code as string);
    if (raw.length === 0) return; // unreachable: check() sends a reason without ICD-10 to checkOtherReason
    const reasonCodes: string[] = [];
    for (const code of raw) {
      try {
        reasonCodes.push(normalizeIcd10(code));
      } catch {
        throw refused([
          {
            severity: 'error',
            code: 'value',
            diagnostics: `${JSON.stringify(code)} is not an ICD-10 code / Mã ICD-10 không hợp lệ`,
            expression: ['Appointment.reasonCode'],
          },
        ]);
      }
    }
    const start = typeof appointment.start === 'string' ? appointment.start : new Date().toISOString();
    const asOf = start < new Date().toISOString() ? new Date().toISOString() : start;
    const result = checkEligibility({
      reasonCodes,
      knownProblems: await this.knownProblems(em, patientId),
      ...(await this.lastInPersonVisit(em, patientId, asOf)),
      asOf,
    });
    if (result.eligible) return;
    const route = result.route as Exclude<EligibilityRoute, 'telehealth'>;
    throw refused([
      {
        severity: 'error',
        code: 'business-rule',
        diagnostics: ROUTE_TEXT[route],
        details: {
          coding: [
            {
              system: ERROR_CODE_SYSTEM,
              code: route === 'referral' ? NOT_ELIGIBLE_REFERRAL : NOT_ELIGIBLE_IN_PERSON,
            },
          ],
          text: `route: ${route}`,
        },
        expression: ['Appointment.reasonCode'],
      },
      ...result.reasons.map((r): OperationOutcomeIssue => ({
        severity: 'information',
        code: 'business-rule',
        diagnostics: `${r.text.vi} / ${r.text.en}`,
        details: { text: `${r.rule}: ${r.source}` },
      })),
    ]);
  }

  /** ICD-10 codes of the patient's Conditions (not refuted, not entered in error). */
  private async knownProblems(em: EntityManager, patientId: string): Promise<string[]> {
    const conditions = await searchAll(
      this.search,
      em,
      'Condition',
      [['subject', `Patient/${patientId}`]],
      GATE,
    );
    const codes: string[] = [];
    for (const content of conditions as Json[]) {
      if ((content.subject as { reference?: string } | undefined)?.reference !== `Patient/${patientId}`)
        continue;
      const verification = (content.verificationStatus as { coding?: { code?: string }[] } | undefined)
        ?.coding?.[0]?.code;
      if (verification === 'entered-in-error' || verification === 'refuted') continue;
      for (const c of (content.code as { coding?: { system?: string; code?: string }[] } | undefined)
        ?.coding ?? []) {
        if (c.system !== ICD10_SYSTEM || typeof c.code !== 'string') continue;
        try {
          codes.push(normalizeIcd10(c.code));
        } catch {
          // a malformed code in the record is not a known problem
        }
      }
    }
    return codes;
  }

  /** The end (or start) of the latest finished in-person Encounter of the patient, up to `asOf`. */
  private async lastInPersonVisit(
    em: EntityManager,
    patientId: string,
    asOf: string,
  ): Promise<{ lastInPersonVisit?: string }> {
    const encounters = await searchAll(
      this.search,
      em,
      'Encounter',
      [
        ['subject', `Patient/${patientId}`],
        ['status', 'finished'],
      ],
      GATE,
    );
    let latest: number | undefined;
    let latestText: string | undefined;
    for (const content of encounters as Json[]) {
      if ((content.subject as { reference?: string } | undefined)?.reference !== `Patient/${patientId}`)
        continue;
      const cls = content.class as { system?: string; code?: string } | undefined;
      if (cls?.system !== V3_ACT_CODE || !IN_PERSON_CLASSES.has(cls.code ?? '')) continue;
      const period = content.period as { start?: string; end?: string } | undefined;
      const when = period?.end ?? period?.start;
      if (when === undefined) continue;
      const t = Date.parse(when);
      if (Number.isNaN(t) || t > Date.parse(asOf)) continue;
      if (latest === undefined || t > latest) {
        latest = t;
        latestText = when;
      }
    }
    return latestText !== undefined ? { lastInPersonVisit: latestText } : {};
  }
}
