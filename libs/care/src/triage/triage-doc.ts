import { TRIAGE_ADVICE, TRIAGE_RULES, TRIAGE_RULES_VERSION, type TriageCondition } from './triage-rules';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A rule's condition in words: `linkId = yes`, `linkId ∈ {…}`, `linkId ≥ n`, (a OR b), a AND b. */
export function describeCondition(c: TriageCondition): string {
  switch (c.kind) {
    case 'true':
      return `\`${c.linkId}\` = yes`;
    case 'coding':
      return `\`${c.linkId}\` ∈ {${c.codes.join(', ')}}`;
    case 'decimalAtLeast':
      return `\`${c.linkId}\` ≥ ${c.value}`;
    case 'any':
      return `(${c.of.map(describeCondition).join(' OR ')})`;
    case 'all':
      return c.of.map(describeCondition).join(' AND ');
  }
}

/**
 * The triage red flags and urgent rules as Markdown, for docs/care.md (triage-doc.spec.ts fails
 * when the doc differs from this output).
 */
export function triageRulesMarkdown(): string {
  return [
    `Version \`${TRIAGE_RULES_VERSION}\`. Any rule that holds sets at least its level; none → routine (when every danger-sign question is answered).`,
    '',
    '| Rule | Level | When (Questionnaire linkIds) | Vietnamese | English | Source |',
    '| --- | --- | --- | --- | --- | --- |',
    ...TRIAGE_RULES.map(
      (r) =>
        `| \`${r.rule}\` | ${r.level} | ${cell(describeCondition(r.when))} | ${cell(r.text.vi)} | ${cell(r.text.en)} | ${cell(r.source)} |`,
    ),
    '',
    '| Level | Advice (vi) | Advice (en) | Source |',
    '| --- | --- | --- | --- |',
    ...(['emergency', 'urgent', 'routine'] as const).map(
      (l) =>
        `| ${l} | ${cell(TRIAGE_ADVICE[l].vi)} | ${cell(TRIAGE_ADVICE[l].en)} | ${cell(TRIAGE_ADVICE[l].source)} |`,
    ),
  ].join('\n');
}
