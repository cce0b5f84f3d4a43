import { validateStructure } from '@mekong/fhir';
import {
  TRIAGE_QUESTIONNAIRE,
  triage,
  type QuestionnaireResponse,
  type QuestionnaireResponseItem,
} from './triage';
import { REQUIRED_DANGER_SIGN_ITEMS, TRIAGE_RULES, type TriageCondition } from './triage-rules';

type Answers = Record<string, boolean | number | string | undefined>;

/** No danger signs: an adult with a 2-day cough and no fever. */
const CALM: Answers = {
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
const NO_DENGUE_SIGNS: Answers = {
  'dw-abdominal-pain': false,
  'dw-persistent-vomiting': false,
  'dw-mucosal-bleeding': false,
};

function response(answers: Answers): QuestionnaireResponse {
  const item: QuestionnaireResponseItem[] = Object.entries(answers)
    .filter(([, v]) => v !== undefined)
    .map(([linkId, v]) => ({
      linkId,
      answer: [
        typeof v === 'boolean'
          ? { valueBoolean: v }
          : typeof v === 'number'
            ? { valueDecimal: v }
            : { valueCoding: { system: 'https://fhir.mekong.health/CodeSystem/triage-answer', code: v } },
      ],
    }));
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: TRIAGE_QUESTIONNAIRE.url,
    status: 'completed',
    item,
  };
}

const rulesOf = (answers: Answers): string[] => triage(response(answers)).reasons.map((r) => r.rule);

interface QItem {
  linkId: string;
  text: string;
  _text?: { extension: { extension: { url: string; valueString?: string }[] }[] };
  item?: QItem[];
}
function allItems(items: QItem[]): QItem[] {
  return items.flatMap((i) => [i, ...allItems(i.item ?? [])]);
}

describe('triage Questionnaire (data)', () => {
  const items = allItems(TRIAGE_QUESTIONNAIRE.item as QItem[]);

  it('is a structurally valid FHIR R4 Questionnaire', () => {
    expect(validateStructure(TRIAGE_QUESTIONNAIRE)).toEqual([]);
  });

  it('every item has Vietnamese text and an English translation', () => {
    for (const i of items) {
      expect(i.text.length).toBeGreaterThan(0);
      const en = i._text?.extension[0]?.extension.find((e) => e.url === 'content')?.valueString;
      expect(en?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('asks every red flag of the brief', () => {
    expect(items.map((i) => i.linkId)).toEqual(
      expect.arrayContaining([
        'rf-chest-pain',
        'rf-difficulty-breathing',
        'rf-unconscious',
        'rf-severe-bleeding',
        'rf-seizure',
        'rf-fast-face',
        'rf-fast-arm',
        'rf-fast-speech',
        'dw-abdominal-pain',
        'dw-persistent-vomiting',
        'dw-mucosal-bleeding',
        'symptom-duration',
        'main-symptoms',
      ]),
    );
  });

  it('every linkId used by a rule exists in the Questionnaire', () => {
    const ids = new Set(items.map((i) => i.linkId));
    const used = (c: TriageCondition): string[] =>
      c.kind === 'any' || c.kind === 'all' ? c.of.flatMap(used) : [c.linkId];
    for (const r of TRIAGE_RULES) for (const id of used(r.when)) expect(ids.has(id)).toBe(true);
    for (const r of REQUIRED_DANGER_SIGN_ITEMS) expect(ids.has(r.linkId)).toBe(true);
  });
});

describe('triage(): emergency', () => {
  it.each([
    ['rf-chest-pain', 'triage.red-flag.chest-pain'],
    ['rf-difficulty-breathing', 'triage.red-flag.difficulty-breathing'],
    ['rf-unconscious', 'triage.red-flag.unconscious'],
    ['rf-severe-bleeding', 'triage.red-flag.severe-bleeding'],
    ['rf-seizure', 'triage.red-flag.seizure'],
    ['rf-fast-face', 'triage.red-flag.stroke-fast'],
    ['rf-fast-arm', 'triage.red-flag.stroke-fast'],
    ['rf-fast-speech', 'triage.red-flag.stroke-fast'],
  ])('%s → emergency (%s), call 115, remote booking blocked', (linkId, rule) => {
    const r = triage(response({ ...CALM, [linkId]: true }));
    expect(r.level).toBe('emergency');
    expect(r.blocksRemoteBooking).toBe(true);
    expect(r.reasons.map((x) => x.rule)).toEqual([rule]);
    expect(r.advice.vi).toContain('115');
    expect(r.advice.en).toContain('115');
  });

  it('fever in an infant under 3 months → emergency', () => {
    const r = triage(response({ ...CALM, ...NO_DENGUE_SIGNS, 'age-group': 'under-3-months', fever: true }));
    expect(r.level).toBe('emergency');
    expect(r.reasons[0]?.rule).toBe('triage.red-flag.infant-fever-under-3-months');
    expect(r.reasons[0]?.source).toContain('NICE NG143');
  });

  it('a measured 38.0 °C in an infant under 3 months counts as fever', () => {
    expect(
      rulesOf({ ...CALM, ...NO_DENGUE_SIGNS, 'age-group': 'under-3-months', 'max-temperature': 38.0 }),
    ).toContain('triage.red-flag.infant-fever-under-3-months');
    expect(triage(response({ ...CALM, 'age-group': 'under-3-months', 'max-temperature': 37.9 })).level).toBe(
      'routine',
    );
  });

  it.each(['dw-abdominal-pain', 'dw-persistent-vomiting', 'dw-mucosal-bleeding'])(
    'fever with dengue warning sign %s → emergency',
    (linkId) => {
      const r = triage(response({ ...CALM, ...NO_DENGUE_SIGNS, fever: true, [linkId]: true }));
      expect(r.level).toBe('emergency');
      expect(r.reasons.map((x) => x.rule)).toEqual(['triage.red-flag.dengue-warning-signs']);
      expect(r.reasons[0]?.source).toContain('Circular 30/2023/TT-BYT');
    },
  );

  it('lists every rule that fired, the most severe first', () => {
    expect(rulesOf({ ...CALM, worsening: true, 'rf-chest-pain': true, 'rf-seizure': true })).toEqual([
      'triage.red-flag.chest-pain',
      'triage.red-flag.seizure',
      'triage.urgent.rapidly-worsening',
    ]);
  });
});

describe('triage(): urgent', () => {
  it('infant 3–6 months with 39.0 °C → urgent; 38.9 °C → routine', () => {
    const base = { ...CALM, ...NO_DENGUE_SIGNS, 'age-group': '3-to-6-months', fever: true };
    const r = triage(response({ ...base, 'max-temperature': 39.0 }));
    expect(r.level).toBe('urgent');
    expect(r.blocksRemoteBooking).toBe(false);
    expect(r.reasons.map((x) => x.rule)).toEqual(['triage.urgent.infant-3-6-months-fever-39']);
    expect(triage(response({ ...base, 'max-temperature': 38.9 })).level).toBe('routine');
  });

  it('fever for 5 days or more → urgent; 3–4 days → routine', () => {
    const base = { ...CALM, ...NO_DENGUE_SIGNS, fever: true };
    expect(rulesOf({ ...base, 'symptom-duration': '5-7d' })).toEqual(['triage.urgent.fever-5-days-or-more']);
    expect(rulesOf({ ...base, 'symptom-duration': 'gt-7d' })).toEqual(['triage.urgent.fever-5-days-or-more']);
    expect(triage(response({ ...base, 'symptom-duration': '3-4d' })).level).toBe('routine');
  });

  it('rapidly worsening symptoms → urgent', () => {
    expect(triage(response({ ...CALM, worsening: true })).level).toBe('urgent');
  });

  it('an unanswered danger-sign question cannot give routine → urgent', () => {
    const r = triage(response({ ...CALM, 'rf-seizure': undefined }));
    expect(r.level).toBe('urgent');
    expect(r.reasons.map((x) => x.rule)).toEqual(['triage.incomplete.unanswered-danger-signs']);
    expect(r.reasons[0]?.text.en).toContain('rf-seizure');
  });

  it('with fever, the dengue warning-sign questions must be answered', () => {
    expect(rulesOf({ ...CALM, fever: true })).toEqual(['triage.incomplete.unanswered-danger-signs']);
  });
});

describe('triage(): routine', () => {
  it('no danger signs → routine, booking allowed', () => {
    const r = triage(response(CALM));
    expect(r).toMatchObject({ level: 'routine', blocksRemoteBooking: false });
    expect(r.reasons.map((x) => x.rule)).toEqual(['triage.routine.no-red-flags']);
    expect(r.reasons[0]?.source).toContain('Dispatch 7946/BYT-KCB');
  });

  it('an adult with a 2-day fever and no warning signs → routine', () => {
    expect(
      triage(response({ ...CALM, ...NO_DENGUE_SIGNS, fever: true, 'max-temperature': 38.5 })).level,
    ).toBe('routine');
  });

  it('answers nested in groups are read', () => {
    const flat = response({ ...CALM, 'rf-fast-arm': true });
    const nested: QuestionnaireResponse = {
      ...flat,
      item: [{ linkId: 'red-flags', item: [{ linkId: 'rf-stroke', item: flat.item }] }],
    };
    expect(triage(nested).level).toBe('emergency');
  });

  it('rejects a response to another questionnaire', () => {
    expect(() => triage({ ...response(CALM), questionnaire: 'https://example.org/Questionnaire/x' })).toThrow(
      RangeError,
    );
  });
});
