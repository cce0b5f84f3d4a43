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
    '| Series | Dose | Minimum age | Due at | Minimum interval | Overdue after due | Upper age (then) | Counts when the dose carries | Source | Overdue rule | Upper-age source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...schedule.antigens.flatMap((s) =>
      s.doses.map((d) => {
        const codes = d.acceptedCodes ?? s.acceptedCodes;
        const carries = `${(d.antigens ?? s.antigens).join(', ')}${codes ? ` (only ${codes.join(', ')})` : ''}`;
        const due = d.recommendedAge
          ? age(d.recommendedAge)
          : `${age(d.recommendedIntervalFromPrevious)} after previous`;
        const upper = d.maxAge ? `${age(d.maxAge)} (${d.pastMaxAge?.status ?? 'too-old'})` : '—';
        return `| ${s.code} | ${d.doseNumber} | ${age(d.minAge)} | ${due} | ${age(d.minIntervalFromPrevious)} | ${age(d.overdueAfterDue)} | ${upper} | ${cell(carries)} | ${cell(d.source)} | ${cell(d.overdueSource)} | ${cell(d.maxAgeSource ?? '—')} |`;
      }),
    ),
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
