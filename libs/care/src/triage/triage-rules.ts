import type { Bilingual } from '../common/types';

/**
 * Triage rules as DATA, evaluated against answers to triage-questionnaire.json.
 * The reference file (/work/shared/reference/vietnam-health.md) only says that Dispatch
 * 7946/BYT-KCB requires a quick urgency assessment (first aid, referral when needed) and that
 * Circular 30/2023/TT-BYT allows remote care for dengue only WITHOUT warning signs. The individual
 * red flags are general clinical knowledge and are marked as such in `source`: clinical review needed.
 */

export type TriageLevel = 'emergency' | 'urgent' | 'routine';

/** The version of this rule table (docs/care.md renders it; bump on any change to a rule). */
export const TRIAGE_RULES_VERSION = 'mekong-previsit-triage-rules.2';

export type TriageCondition =
  | { kind: 'true'; linkId: string }
  | { kind: 'coding'; linkId: string; codes: string[] }
  | { kind: 'decimalAtLeast'; linkId: string; value: number }
  | { kind: 'any'; of: TriageCondition[] }
  | { kind: 'all'; of: TriageCondition[] };

export interface TriageRule {
  rule: string;
  level: Exclude<TriageLevel, 'routine'>;
  when: TriageCondition;
  text: Bilingual;
  source: string;
}

const REF = 'reference: /work/shared/reference/vietnam-health.md § Regulations';
export const DISPATCH_7946 = `Dispatch 7946/BYT-KCB (Dec 2023): assess urgency quickly, first aid, referral when needed (${REF})`;
const GENERAL = `general emergency-medicine red flag [general knowledge, NOT in reference; clinical review required]; urgency assessment per ${DISPATCH_7946}`;

const yes = (linkId: string): TriageCondition => ({ kind: 'true', linkId });
const fever: TriageCondition = {
  kind: 'any',
  of: [yes('fever'), { kind: 'decimalAtLeast', linkId: 'max-temperature', value: 38 }],
};

export const TRIAGE_RULES: TriageRule[] = [
  {
    rule: 'triage.red-flag.chest-pain',
    level: 'emergency',
    when: yes('rf-chest-pain'),
    text: { vi: 'Đau ngực', en: 'Chest pain' },
    source: GENERAL,
  },
  {
    rule: 'triage.red-flag.difficulty-breathing',
    level: 'emergency',
    when: yes('rf-difficulty-breathing'),
    text: { vi: 'Khó thở', en: 'Difficulty breathing' },
    source: GENERAL,
  },
  {
    rule: 'triage.red-flag.unconscious',
    level: 'emergency',
    when: yes('rf-unconscious'),
    text: { vi: 'Bất tỉnh hoặc lơ mơ', en: 'Unconscious or drowsy' },
    source: GENERAL,
  },
  {
    rule: 'triage.red-flag.severe-bleeding',
    level: 'emergency',
    when: yes('rf-severe-bleeding'),
    text: { vi: 'Chảy máu nhiều', en: 'Severe bleeding' },
    source: GENERAL,
  },
  {
    rule: 'triage.red-flag.seizure',
    level: 'emergency',
    when: yes('rf-seizure'),
    text: { vi: 'Co giật', en: 'Seizure' },
    source: GENERAL,
  },
  {
    rule: 'triage.red-flag.stroke-fast',
    level: 'emergency',
    when: { kind: 'any', of: [yes('rf-fast-face'), yes('rf-fast-arm'), yes('rf-fast-speech')] },
    text: {
      vi: 'Dấu hiệu đột quỵ (méo mặt, yếu tay, nói khó): cấp cứu ngay',
      en: 'Stroke signs (face, arm, speech): time-critical emergency',
    },
    source: `FAST stroke recognition (Face, Arms, Speech, Time) [general knowledge, NOT in reference]; ${DISPATCH_7946}`,
  },
  {
    rule: 'triage.red-flag.infant-fever-under-3-months',
    level: 'emergency',
    when: { kind: 'all', of: [{ kind: 'coding', linkId: 'age-group', codes: ['under-3-months'] }, fever] },
    text: {
      vi: 'Trẻ dưới 3 tháng tuổi bị sốt từ 38 °C',
      en: 'Infant under 3 months with fever of 38 °C or more',
    },
    source:
      'NICE NG143 (Fever in under 5s), traffic-light table: age 0–3 months with temperature ≥38 °C = red [general knowledge, NOT in reference]',
  },
  {
    rule: 'triage.red-flag.dengue-warning-signs',
    level: 'emergency',
    when: {
      kind: 'all',
      of: [
        fever,
        {
          kind: 'any',
          of: [yes('dw-abdominal-pain'), yes('dw-persistent-vomiting'), yes('dw-mucosal-bleeding')],
        },
      ],
    },
    text: {
      vi: 'Sốt kèm dấu hiệu cảnh báo sốt xuất huyết (đau bụng, nôn nhiều, chảy máu chân răng/mũi): cần khám trực tiếp ngay',
      en: 'Fever with dengue warning signs (abdominal pain, persistent vomiting, bleeding gums/nose): in-person care now',
    },
    source:
      'WHO 2009 dengue guidelines, warning signs [general knowledge, NOT in reference]; Circular 30/2023/TT-BYT: secondary summaries name "dengue fever without warning signs" as a remote-care topic (SECONDARY, VietnamNet English; the appendix row itself was not read, docs/care.md § Rules and sources)',
  },
  {
    rule: 'triage.urgent.infant-3-6-months-fever-39',
    level: 'urgent',
    when: {
      kind: 'all',
      of: [
        { kind: 'coding', linkId: 'age-group', codes: ['3-to-6-months'] },
        { kind: 'decimalAtLeast', linkId: 'max-temperature', value: 39 },
      ],
    },
    text: { vi: 'Trẻ 3–6 tháng tuổi sốt từ 39 °C', en: 'Infant aged 3–6 months with fever of 39 °C or more' },
    source:
      'NICE NG143 (Fever in under 5s): age 3–6 months with temperature ≥39 °C = amber [general knowledge, NOT in reference]',
  },
  {
    rule: 'triage.urgent.fever-5-days-or-more',
    level: 'urgent',
    when: {
      kind: 'all',
      of: [fever, { kind: 'coding', linkId: 'symptom-duration', codes: ['5-7d', 'gt-7d'] }],
    },
    text: { vi: 'Sốt kéo dài từ 5 ngày trở lên', en: 'Fever lasting 5 days or more' },
    source:
      'NICE NG143 (Fever in under 5s): fever for ≥5 days = amber; applied to all ages as LOCAL POLICY [general knowledge, NOT in reference]',
  },
  {
    rule: 'triage.urgent.rapidly-worsening',
    level: 'urgent',
    when: yes('worsening'),
    text: { vi: 'Triệu chứng nặng lên nhanh', en: 'Symptoms getting worse quickly' },
    source: `LOCAL POLICY [NOT in reference]: rapid worsening needs a clinician today; ${DISPATCH_7946}`,
  },
];

/** Danger-sign questions that must be answered before a routine level can be given. */
export const REQUIRED_DANGER_SIGN_ITEMS: { linkId: string; onlyIfFever?: boolean }[] = [
  { linkId: 'age-group' },
  { linkId: 'fever' },
  { linkId: 'rf-chest-pain' },
  { linkId: 'rf-difficulty-breathing' },
  { linkId: 'rf-unconscious' },
  { linkId: 'rf-severe-bleeding' },
  { linkId: 'rf-seizure' },
  { linkId: 'rf-fast-face' },
  { linkId: 'rf-fast-arm' },
  { linkId: 'rf-fast-speech' },
  { linkId: 'dw-abdominal-pain', onlyIfFever: true },
  { linkId: 'dw-persistent-vomiting', onlyIfFever: true },
  { linkId: 'dw-mucosal-bleeding', onlyIfFever: true },
];

export const TRIAGE_ADVICE: Record<TriageLevel, Bilingual & { source: string }> = {
  emergency: {
    vi: 'Gọi cấp cứu 115 hoặc đến cơ sở y tế gần nhất NGAY. Không chờ khám từ xa.',
    en: 'Call 115 (emergency) or go to the nearest health facility NOW. Do not wait for a remote consultation.',
    source: `115 is Vietnam's emergency medical number [general knowledge, NOT in reference]; ${DISPATCH_7946}`,
  },
  urgent: {
    vi: 'Cần bác sĩ đánh giá ngay trong hôm nay. Nếu xuất hiện dấu hiệu nguy hiểm, gọi 115 ngay.',
    en: 'A clinician needs to assess this today. If any danger sign appears, call 115 at once.',
    source: `LOCAL POLICY [NOT in reference]; ${DISPATCH_7946}`,
  },
  routine: {
    vi: 'Có thể đặt lịch khám. Nếu xuất hiện dấu hiệu nguy hiểm, gọi 115 ngay.',
    en: 'You can book a consultation. If any danger sign appears, call 115 at once.',
    source: `LOCAL POLICY [NOT in reference]; ${DISPATCH_7946}`,
  },
};
