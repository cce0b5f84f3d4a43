import { describeDuration, type AgeDuration } from '../common/dates';
import { VACCINE_ANTIGENS } from './cvx-antigens';
import { CURRENT_SCHEDULE, type ImmunizationSchedule } from './schedule';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const age = (d: AgeDuration | undefined): string => (d === undefined ? '—' : describeDuration(d).en);

/**
 * The schedule's rows and the vaccine-code → antigen table as Markdown, for docs/care.md (a
 * clinician checks them line by line; schedule-rows.spec.ts fails when the doc differs).
 */
export function epiScheduleMarkdown(schedule: ImmunizationSchedule = CURRENT_SCHEDULE): string {
  const lines = [
    `Version \`${schedule.version}\`, in force from ${schedule.effectiveFrom}: ${cell(schedule.source)}.`,
    '',
    '| Series | For | Dose | Minimum age | Due at | Minimum interval | Overdue after due | Upper age (then) | Counts when the dose carries | Source | Overdue rule | Upper-age source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...schedule.antigens.flatMap((s) =>
      s.doses.map((d) => {
        const pregnant = s.population === 'pregnant-women';
        const codes = d.acceptedCodes ?? s.acceptedCodes;
        const from = s.countsFromAge
          ? `; given from ${age(s.countsFromAge)}${pregnant ? ' or in the current pregnancy' : ''}`
          : '';
        const carries = `${(d.antigens ?? s.antigens).join(', ')}${codes ? ` (only ${codes.join(', ')})` : ''}${from}`;
        const timed = d.recommendedAge
          ? age(d.recommendedAge)
          : d.recommendedIntervalFromPrevious
            ? `${age(d.recommendedIntervalFromPrevious)} after previous`
            : '';
        const due = pregnant
          ? timed
            ? `${timed}, in pregnancy`
            : 'in pregnancy (from its first record)'
          : timed;
        const upper = d.maxAge ? `${age(d.maxAge)} (${d.pastMaxAge?.status ?? 'too-old'})` : '—';
        const who = pregnant ? 'pregnant women (record)' : 'children (age)';
        return `| ${s.code} | ${who} | ${d.doseNumber} | ${age(d.minAge)} | ${due} | ${age(d.minIntervalFromPrevious)} | ${age(d.overdueAfterDue)} | ${upper} | ${cell(carries)} | ${cell(d.source)} | ${cell(d.overdueSource)} | ${cell(d.maxAgeSource ?? '—')} |`;
      }),
    ),
    '',
    ...schedule.antigens
      .filter((s) => s.countsFromAgeSource !== undefined)
      .map((s) => `Which doses count for ${s.code}: ${cell(s.countsFromAgeSource ?? '')}`),
    '',
    'Caveats of this version:',
    '',
    ...schedule.caveats.map((c) => `- ${cell(c)}`),
    '',
    '| Code | Short description | Antigens | Source |',
    '| --- | --- | --- | --- |',
    ...VACCINE_ANTIGENS.map(
      (r) => `| ${r.code} | ${cell(r.short)} | ${r.antigens.join(', ')} | ${cell(r.source)} |`,
    ),
  ];
  return lines.join('\n');
}
