/** The pre-visit triage Questionnaire's canonical URL (docs/care.md "Triage and eligibility"). */
export const TRIAGE_QUESTIONNAIRE_URL = 'https://fhir.mekong.health/Questionnaire/triage';
/** The code system of the triage Questionnaire's coded answers. */
export const TRIAGE_ANSWER = 'https://fhir.mekong.health/CodeSystem/triage-answer';

/** Triage answers by linkId: a yes/no, a number, or an answer code. */
export type TriageAnswers = Record<string, boolean | number | string>;

/** An adult without any danger sign (every danger-sign question answered): triage `routine`. */
export const CALM_TRIAGE: Readonly<TriageAnswers> = {
  'age-group': '16-plus',
  'main-symptoms': 'cough',
  'symptom-duration': '1-2d',
  fever: false,
  'rf-chest-pain': false,
  'rf-difficulty-breathing': false,
  'rf-unconscious': false,
  'rf-severe-bleeding': false,
  'rf-seizure': false,
  'rf-fast-face': false,
  'rf-fast-arm': false,
  'rf-fast-speech': false,
  worsening: false,
};

/** A completed triage QuestionnaireResponse for `patient`, authored now (calm answers by default). */
export function triageResponse(
  patient: string,
  answers: Readonly<TriageAnswers> = CALM_TRIAGE,
  id?: string,
): Record<string, unknown> {
  return {
    resourceType: 'QuestionnaireResponse',
    ...(id ? { id } : {}),
    questionnaire: `${TRIAGE_QUESTIONNAIRE_URL}|1.0.0`,
    status: 'completed',
    subject: { reference: `Patient/${patient}` },
    authored: new Date().toISOString(),
    item: Object.entries(answers).map(([linkId, v]) => ({
      linkId,
      answer: [
        typeof v === 'boolean'
          ? { valueBoolean: v }
          : typeof v === 'number'
            ? { valueDecimal: v }
            : { valueCoding: { system: TRIAGE_ANSWER, code: v } },
      ],
    })),
  };
}
