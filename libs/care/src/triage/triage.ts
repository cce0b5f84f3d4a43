import type { Bilingual, Reason } from '../common/types';
import questionnaire from './triage-questionnaire.json';
import {
  DISPATCH_7946,
  REQUIRED_DANGER_SIGN_ITEMS,
  TRIAGE_ADVICE,
  TRIAGE_RULES,
  type TriageCondition,
  type TriageLevel,
} from './triage-rules';

/** The triage Questionnaire (FHIR R4 JSON, bilingual via the translation extension). */
export const TRIAGE_QUESTIONNAIRE = questionnaire;
export const TRIAGE_QUESTIONNAIRE_URL = questionnaire.url;

export interface QuestionnaireResponseAnswer {
  valueBoolean?: boolean;
  valueDecimal?: number;
  valueInteger?: number;
  valueString?: string;
  valueCoding?: { system?: string; code?: string; display?: string };
  item?: QuestionnaireResponseItem[];
}

export interface QuestionnaireResponseItem {
  linkId: string;
  text?: string;
  answer?: QuestionnaireResponseAnswer[];
  item?: QuestionnaireResponseItem[];
}

export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  questionnaire?: string;
  status: string;
  item?: QuestionnaireResponseItem[];
}

export interface TriageResult {
  level: TriageLevel;
  reasons: Reason[];
  advice: Bilingual;
  adviceSource: string;
  /** true for emergencies: the remote booking flow must not continue. */
  blocksRemoteBooking: boolean;
}

const ORDER: TriageLevel[] = ['routine', 'urgent', 'emergency'];

function collectAnswers(
  items: QuestionnaireResponseItem[] | undefined,
  into: Map<string, QuestionnaireResponseAnswer[]>,
): void {
  for (const it of items ?? []) {
    if (it.answer !== undefined && it.answer.length > 0) into.set(it.linkId, it.answer);
    collectAnswers(it.item, into);
    for (const a of it.answer ?? []) collectAnswers(a.item, into);
  }
}

function holds(c: TriageCondition, answers: Map<string, QuestionnaireResponseAnswer[]>): boolean {
  switch (c.kind) {
    case 'true':
      return (answers.get(c.linkId) ?? []).some((a) => a.valueBoolean === true);
    case 'coding':
      return (answers.get(c.linkId) ?? []).some(
        (a) => a.valueCoding?.code !== undefined && c.codes.includes(a.valueCoding.code),
      );
    case 'decimalAtLeast':
      return (answers.get(c.linkId) ?? []).some((a) => {
        const v = a.valueDecimal ?? a.valueInteger;
        return v !== undefined && v >= c.value;
      });
    case 'any':
      return c.of.some((x) => holds(x, answers));
    case 'all':
      return c.of.every((x) => holds(x, answers));
  }
}

/** Triage of a response to TRIAGE_QUESTIONNAIRE: the highest level of every rule that fires. */
export function triage(response: QuestionnaireResponse): TriageResult {
  if (response.resourceType !== 'QuestionnaireResponse') {
    throw new RangeError('triage() expects a QuestionnaireResponse');
  }
  const canonical = response.questionnaire?.split('|')[0];
  if (canonical !== undefined && canonical !== TRIAGE_QUESTIONNAIRE_URL) {
    throw new RangeError(
      `QuestionnaireResponse answers ${response.questionnaire}, not ${TRIAGE_QUESTIONNAIRE_URL}`,
    );
  }
  const answers = new Map<string, QuestionnaireResponseAnswer[]>();
  collectAnswers(response.item, answers);

  const reasons: (Reason & { level: TriageLevel })[] = TRIAGE_RULES.filter((r) => holds(r.when, answers)).map(
    (r) => ({ rule: r.rule, text: r.text, source: r.source, level: r.level }),
  );

  const hasFever = holds(
    {
      kind: 'any',
      of: [
        { kind: 'true', linkId: 'fever' },
        { kind: 'decimalAtLeast', linkId: 'max-temperature', value: 38 },
      ],
    },
    answers,
  );
  const unanswered = REQUIRED_DANGER_SIGN_ITEMS.filter(
    (i) => (i.onlyIfFever !== true || hasFever) && !answers.has(i.linkId),
  ).map((i) => i.linkId);
  if (unanswered.length > 0) {
    reasons.push({
      rule: 'triage.incomplete.unanswered-danger-signs',
      level: 'urgent',
      text: {
        vi: `Chưa trả lời câu hỏi về dấu hiệu nguy hiểm (${unanswered.join(', ')}): chưa loại trừ được tình trạng khẩn cấp`,
        en: `Danger-sign questions unanswered (${unanswered.join(', ')}): an emergency cannot be ruled out`,
      },
      source: `LOCAL POLICY [NOT in reference]: a routine level needs every danger sign answered; ${DISPATCH_7946}`,
    });
  }

  let level: TriageLevel = 'routine';
  for (const r of reasons) if (ORDER.indexOf(r.level) > ORDER.indexOf(level)) level = r.level;
  reasons.sort((a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level));
  if (reasons.length === 0) {
    reasons.push({
      rule: 'triage.routine.no-red-flags',
      level: 'routine',
      text: { vi: 'Không có dấu hiệu nguy hiểm', en: 'No danger signs reported' },
      source: DISPATCH_7946,
    });
  }
  const advice = TRIAGE_ADVICE[level];
  return {
    level,
    reasons: reasons.map(({ rule, text, source }) => ({ rule, text, source })),
    advice: { vi: advice.vi, en: advice.en },
    adviceSource: advice.source,
    blocksRemoteBooking: level === 'emergency',
  };
}
