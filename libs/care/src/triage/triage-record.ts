import { createHash } from 'node:crypto';
import { ruleExtensions } from '../common/types';
import { type QuestionnaireResponse, TRIAGE_QUESTIONNAIRE, TRIAGE_QUESTIONNAIRE_URL, triage } from './triage';
import type { TriageLevel } from './triage-rules';

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
  opts: { now: Date; previous?: Json },
): Json | undefined {
  const subject = (qr.subject as { reference?: string } | undefined)?.reference;
  if (typeof subject !== 'string' || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(subject)) return undefined;
  const result = triage(qr as unknown as QuestionnaireResponse);
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
