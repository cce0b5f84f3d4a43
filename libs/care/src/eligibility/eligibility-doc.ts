import {
  CIRCULAR_30_COVERAGE,
  CIRCULAR_30_TITLE,
  FIRST_VISIT_POLICY,
  OTHER_REASON_PENDING_TEXT,
  REFERRAL_CONDITIONS,
  TELEHEALTH_CONDITIONS,
  TELEHEALTH_CONDITIONS_VERSION,
  TELEHEALTH_REASON_OTHER,
} from './conditions';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The telehealth eligibility data as Markdown, for docs/care.md (a clinician checks it line by line;
 * eligibility-doc.spec.ts fails when the doc differs from this output).
 */
export function eligibilityMarkdown(): string {
  const p = FIRST_VISIT_POLICY;
  return [
    `Version \`${TELEHEALTH_CONDITIONS_VERSION}\`: ${cell(CIRCULAR_30_TITLE)}. The appendix has ${CIRCULAR_30_COVERAGE.appendixRows} rows (${cell(CIRCULAR_30_COVERAGE.appendixRowsSource)}); loaded: rows ${CIRCULAR_30_COVERAGE.loadedRows.join(', ')}. ${cell(CIRCULAR_30_COVERAGE.notLoaded)}`,
    '',
    '| STT | Chuyên khoa | Bệnh, tình trạng bệnh (as printed) | ICD-10 | Patient picks (vi) | Patient picks (en) | First-visit rule | Source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...TELEHEALTH_CONDITIONS.map(
      (c) =>
        `| ${c.row} | ${cell(c.specialty)} | ${cell(c.condition)} | ${c.icd10} | ${cell(c.label.vi)} | ${cell(c.label.en)} | ${c.episode}: ${cell(c.episodeSource)} | ${cell(c.source)} |`,
    ),
    `| — | — | (not a row) | — | ${cell(TELEHEALTH_REASON_OTHER.display.vi)} | ${cell(TELEHEALTH_REASON_OTHER.display.en)} | pending until a practitioner confirms | \`${TELEHEALTH_REASON_OTHER.system}#${TELEHEALTH_REASON_OTHER.code}\` |`,
    '',
    `While an "other" booking waits, the patient is told: "${cell(OTHER_REASON_PENDING_TEXT.vi)}" / "${cell(OTHER_REASON_PENDING_TEXT.en)}"`,
    '',
    `First-visit rule, version \`${p.version}\`: ${cell(p.source)}.`,
    '',
    '| Case | Route |',
    '| --- | --- |',
    `| never seen in person | ${p.neverSeen} |`,
    `| last in-person visit more than ${p.lookback.months} months before the appointment | in-person |`,
    `| a reason whose 3-character ICD-10 category is not among the known problems (a new problem) | ${p.newProblem} |`,
    `| an acute row (${TELEHEALTH_CONDITIONS.filter((c) => c.episode === 'acute')
      .map((c) => c.icd10)
      .join(
        ', ',
      )}) for a patient seen in person within ${p.lookback.months} months, not a known problem | ${p.acuteListedRowsForEstablishedPatient} |`,
    '',
    '| Referral (not remote) | ICD-10 | Source |',
    '| --- | --- | --- |',
    ...REFERRAL_CONDITIONS.map((r) => `| ${cell(r.name.en)} | ${r.icd10.join(', ')} | ${cell(r.source)} |`),
  ].join('\n');
}
