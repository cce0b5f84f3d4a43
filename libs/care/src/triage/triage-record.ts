import { createHash } from 'node:crypto';
import { ruleExtensions } from '../common/types';
import {
  type QuestionnaireResponse,
  TRIAGE_QUESTIONNAIRE,
  TRIAGE_QUESTIONNAIRE_URL,
  triage,
  type TriageResult,
} from './triage';
import { TRIAGE_ADVICE, type TriageLevel } from './triage-rules';

/** Fixed id of the triage Questionnaire in the record (GET /fhir/Questionnaire/mekong-previsit-triage). */
export const TRIAGE_QUESTIONNAIRE_ID = TRIAGE_QUESTIONNAIRE.id;

/** Local CodeSystem of the triage levels (RiskAssessment.prediction.qualitativeRisk). */
export const TRIAGE_LEVEL_SYSTEM = 'https://fhir.mekong.health/CodeSystem/triage-level';
/** Local CodeSystem of the method: how the RiskAssessment was computed (identifies a triage result). */
export const TRIAGE_METHOD_SYSTEM = 'https://fhir.mekong.health/CodeSystem/triage-method';
export const TRIAGE_METHOD_CODE = 'mekong-previsit-triage-rules';
/** Version of the answered QuestionnaireResponse the RiskAssessment was computed from. */
export const TRIAGE_BASIS_VERSION_EXTENSION =
  'https://fhir.mekong.health/StructureDefinition/triage-basis-version';

export const TRIAGE_LEVEL_DISPLAY: Record<TriageLevel, { vi: string; en: string }> = {
  emergency: { vi: 'Cấp cứu', en: 'Emergency' },
  urgent: { vi: 'Khẩn', en: 'Urgent' },
  routine: { vi: 'Thông thường', en: 'Routine' },
};

/** True when a QuestionnaireResponse answers the triage Questionnaire (canonical, optional |version). */
export function isTriageResponse(qr: { questionnaire?: unknown }): boolean {
  return typeof qr.questionnaire === 'string' && qr.questionnaire.split('|')[0] === TRIAGE_QUESTIONNAIRE_URL;
}

/** The RiskAssessment id derived from a QuestionnaireResponse id: one per response, stable across versions. */
export function triageAssessmentId(responseId: string): string {
  const direct = `triage-${responseId}`;
  return direct.length <= 64
    ? direct
    : `triage-${createHash('sha256').update(responseId).digest('hex').slice(0, 40)}`;
}

type Json = Record<string, unknown>;

/**
 * The RiskAssessment recording the triage of one QuestionnaireResponse: level as a local code,
 * every reason as a note carrying its rule id and source, the advice as mitigation. `undefined`
 * when the response has no Patient subject (nothing to attach the result to).
 */
export function triageAssessment(
  qr: Json & { id: string },
  opts: { now: Date; previous?: Json; activeAlert?: ActiveAlertRef },
): Json | undefined {
  const subject = (qr.subject as { reference?: string } | undefined)?.reference;
  if (typeof subject !== 'string' || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(subject)) return undefined;
  const result = withActiveAlert(triage(qr as unknown as QuestionnaireResponse), opts.activeAlert);
  const display = TRIAGE_LEVEL_DISPLAY[result.level];
  const versionId = (qr.meta as { versionId?: string } | undefined)?.versionId;
  const status =
    qr.status === 'in-progress' ? 'preliminary' : opts.previous !== undefined ? 'amended' : 'final';
  const encounter = qr.encounter as { reference?: string } | undefined;
  const performer = qr.author as { reference?: string } | undefined;
  return {
    resourceType: 'RiskAssessment',
    id: triageAssessmentId(qr.id),
    ...(versionId !== undefined
      ? { extension: [{ url: TRIAGE_BASIS_VERSION_EXTENSION, valueString: versionId }] }
      : {}),
    status,
    method: {
      coding: [
        {
          system: TRIAGE_METHOD_SYSTEM,
          code: TRIAGE_METHOD_CODE,
          display: 'Mekong pre-visit triage rules (libs/care/src/triage/triage-rules.ts)',
        },
      ],
    },
    code: { text: 'Phân loại mức độ khẩn cấp trước khám / Pre-visit urgency triage' },
    subject: { reference: subject },
    ...(encounter?.reference !== undefined ? { encounter: { reference: encounter.reference } } : {}),
    occurrenceDateTime: opts.now.toISOString(),
    ...(performer?.reference !== undefined && /^(Practitioner|PractitionerRole)\//.test(performer.reference)
      ? { performer: { reference: performer.reference } }
      : {}),
    basis: [{ reference: `QuestionnaireResponse/${qr.id}` }],
    prediction: [
      {
        outcome: { text: 'Mức độ khẩn cấp / Urgency' },
        qualitativeRisk: {
          coding: [{ system: TRIAGE_LEVEL_SYSTEM, code: result.level, display: display.en }],
          text: `${display.vi} / ${display.en}`,
        },
        rationale:
          result.reasons.length > 0
            ? result.reasons.map((r) => `${r.text.vi} / ${r.text.en}`).join('; ')
            : 'Không có dấu hiệu nguy hiểm / No danger signs',
      },
    ],
    mitigation: `${result.advice.vi} / ${result.advice.en}`,
    note: [
      ...result.reasons.map((r) => ({
        extension: ruleExtensions(r),
        text: `${r.text.vi} / ${r.text.en} [${r.rule}; ${r.source}]`,
      })),
      {
        extension: ruleExtensions({ rule: `triage.advice.${result.level}`, source: result.adviceSource }),
        text: `${result.advice.vi} / ${result.advice.en} [${result.adviceSource}]`,
      },
    ],
  };
}

/** The patient's active NEWS2 alert (a Flag the server raised from staff-recorded vitals). */
export interface ActiveAlertRef {
  flag: string;
  score?: number;
}

/** The rule that raises triage while a NEWS2 alert is active (issue 17 item 10). */
export const ACTIVE_ALERT_RULE = 'triage.news2-active-alert';

/**
 * An active clinician-recorded NEWS2 alert makes triage at least `urgent`, whatever the answers
 * (RCP NEWS2 2017 Chart 4, SECONDARY restatement in docs/research/issue-17-sources.md §1.5: a total
 * of 5 or more or a single parameter scoring 3 needs urgent assessment by a clinician; that the
 * questionnaire's level follows it is LOCAL POLICY). A higher level stays, with the reason added.
 */
export function withActiveAlert(result: TriageResult, alert: ActiveAlertRef | undefined): TriageResult {
  if (!alert) return result;
  const score = alert.score !== undefined ? ` = ${alert.score}` : '';
  const reason = {
    rule: ACTIVE_ALERT_RULE,
    text: {
      vi: `Đang có cảnh báo NEWS2${score} từ sinh hiệu do nhân viên y tế đo (${alert.flag}): ít nhất mức khẩn`,
      en: `Active NEWS2 alert${score} from vitals measured by staff (${alert.flag}): at least urgent`,
    },
    source:
      'RCP NEWS2 2017 Chart 4 (SECONDARY: openEHR news2.v1 at0058–at0060; rcpjournals Table 1): total ≥ 5 or a single 3 → urgent clinical assessment; LOCAL POLICY: triage at least urgent while the alert is active',
  };
  if (result.level !== 'routine') return { ...result, reasons: [...result.reasons, reason] };
  const advice = TRIAGE_ADVICE.urgent;
  return {
    level: 'urgent',
    reasons: [reason],
    advice: { vi: advice.vi, en: advice.en },
    adviceSource: advice.source,
    blocksRemoteBooking: result.blocksRemoteBooking,
  };
}

/** The level of a stored triage RiskAssessment, if it is one (and not withdrawn). */
export function triageLevelOf(ra: Json | null | undefined): TriageLevel | undefined {
  if (!ra || ra.resourceType !== 'RiskAssessment') return undefined;
  if (ra.status === 'entered-in-error' || ra.status === 'cancelled') return undefined;
  const method = (ra.method as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? [];
  if (!method.some((c) => c.system === TRIAGE_METHOD_SYSTEM && c.code === TRIAGE_METHOD_CODE))
    return undefined;
  const prediction = (
    ra.prediction as { qualitativeRisk?: { coding?: { system?: string; code?: string }[] } }[]
  )?.[0];
  const code = prediction?.qualitativeRisk?.coding?.find((c) => c.system === TRIAGE_LEVEL_SYSTEM)?.code;
  return code === 'emergency' || code === 'urgent' || code === 'routine' ? code : undefined;
}

/** The reasons stored on a triage RiskAssessment (note text with rule ids), for error messages. */
export function triageReasonsOf(ra: Json): string[] {
  return (
    (ra.note as { text?: string; extension?: { url: string; valueString?: string }[] }[] | undefined) ?? []
  )
    .filter((n) => !(n.extension ?? []).some((e) => e.valueString?.startsWith('triage.advice.')))
    .map((n) => n.text ?? '')
    .filter((t) => t.length > 0);
}
