import type { DateTime } from 'luxon';
import { describeDuration, isoDay, maxDay, plus, vnDay } from '../common/dates';
import type { Bilingual, Coding, Reason } from '../common/types';
import {
  CURRENT_SCHEDULE,
  CVX_SYSTEM,
  type AntigenSeries,
  type DoseRule,
  type ImmunizationSchedule,
} from './schedule';

/** One administered dose from the patient's record. */
export interface ImmunizationHistoryEntry {
  /** Local antigen code from the schedule (e.g. `DTP-HEPB-HIB`), or */
  antigen?: string;
  /** a vaccine code: a bare code (local or CVX) or a Coding. */
  vaccineCode?: string | Coding;
  /** ISO date or date-time of administration (converted to the Asia/Ho_Chi_Minh calendar day). */
  date: string;
  /** FHIR reference of the Immunization resource, e.g. `Immunization/123`. */
  reference?: string;
}

export type ForecastStatus = 'due' | 'overdue' | 'upcoming' | 'complete' | 'too-old';

export interface EvaluatedDose {
  date: string;
  code: string;
  reference?: string;
  /** The dose number it counted as; absent when not valid. */
  doseNumber?: number;
  valid: boolean;
  reason?: Reason;
}

export interface AntigenForecast {
  antigen: string;
  name: Bilingual;
  targetDisease: Bilingual;
  vaccineCode: Coding[];
  status: ForecastStatus;
  /** The next dose (absent when complete). */
  doseNumber?: number;
  seriesDoses: number;
  earliest?: string;
  due?: string;
  overdue?: string;
  /** First day on which the dose is no longer given (max age), if the schedule has one. */
  agedOutOn?: string;
  /** The rule that timed the next dose (or closed the series) and its source. */
  rule: string;
  source: string;
  /** Every rule that shaped the dates/status, with explanation. */
  reasons: Reason[];
  doses: EvaluatedDose[];
}

export interface ForecastResult {
  scheduleVersion: string;
  scheduleSource: string;
  birthDate: string;
  asOf: string;
  forecasts: AntigenForecast[];
  /** History entries whose code matches no series of the schedule (never silently dropped). */
  unmatched: ImmunizationHistoryEntry[];
}

interface NormalizedEntry {
  entry: ImmunizationHistoryEntry;
  code: string;
  day: DateTime;
}

function entryCode(e: ImmunizationHistoryEntry): string {
  if (e.antigen !== undefined && e.antigen.trim() !== '') return e.antigen.trim().toUpperCase();
  const vc = e.vaccineCode;
  if (typeof vc === 'string' && vc.trim() !== '') return vc.trim().toUpperCase();
  if (typeof vc === 'object' && vc.code !== undefined && vc.code.trim() !== '') {
    const code = vc.code.trim().toUpperCase();
    // CVX codes below 10 are written with a leading zero ("08").
    return vc.system === CVX_SYSTEM && /^\d$/.test(code) ? `0${code}` : code;
  }
  throw new RangeError(`Immunization history entry dated ${e.date} has neither antigen nor vaccineCode`);
}

const accepts = (codes: string[], code: string): boolean => codes.some((c) => c.toUpperCase() === code);

/** Earliest valid date of `dose`, with the rule that set it. */
function earliestFor(
  dose: DoseRule,
  birth: DateTime,
  previous: DateTime | undefined,
): [DateTime, 'age' | 'interval'] {
  const byAge = plus(birth, dose.minAge);
  if (previous === undefined || dose.minIntervalFromPrevious === undefined) return [byAge, 'age'];
  const byInterval = plus(previous, dose.minIntervalFromPrevious);
  return byInterval > byAge ? [byInterval, 'interval'] : [byAge, 'age'];
}

function evaluateSeries(
  series: AntigenSeries,
  entries: NormalizedEntry[],
  birth: DateTime,
  today: DateTime,
): AntigenForecast {
  const doses: EvaluatedDose[] = [];
  let next = 0;
  let previous: DateTime | undefined;
  for (const n of entries) {
    const base: EvaluatedDose = {
      date: isoDay(n.day),
      code: n.code,
      reference: n.entry.reference,
      valid: false,
    };
    const dose = series.doses[next];
    if (dose === undefined) {
      doses.push({
        ...base,
        reason: {
          rule: `epi.${series.code}.extra-dose`,
          source: series.doses[series.doses.length - 1]?.source ?? '',
          text: { vi: 'Liều thừa: loạt tiêm đã đủ', en: 'Extra dose: the series was already complete' },
        },
      });
      previous = n.day;
      continue;
    }
    const [earliest, by] = earliestFor(dose, birth, previous);
    if (!accepts(dose.acceptedCodes ?? series.acceptedCodes, n.code)) {
      doses.push({
        ...base,
        reason: {
          rule: `epi.${series.code}.dose${dose.doseNumber}.product`,
          source: dose.source,
          text: {
            vi: `Vắc xin ${n.code} không được tính là mũi ${dose.doseNumber}`,
            en: `Vaccine ${n.code} does not count as dose ${dose.doseNumber}`,
          },
        },
      });
    } else if (n.day < earliest) {
      const min = describeDuration((by === 'age' ? dose.minAge : dose.minIntervalFromPrevious) ?? {});
      doses.push({
        ...base,
        reason: {
          rule: by === 'age' ? 'epi.invalid-dose.min-age' : 'epi.invalid-dose.min-interval',
          source: `${dose.source}; a dose given before its minimum age/interval does not count (general immunization practice, not stated in the reference)`,
          text:
            by === 'age'
              ? {
                  vi: `Mũi ${dose.doseNumber} tiêm trước tuổi tối thiểu ${min.vi}: không được tính, cần tiêm lại`,
                  en: `Dose ${dose.doseNumber} given before the minimum age of ${min.en}: not counted, repeat it`,
                }
              : {
                  vi: `Mũi ${dose.doseNumber} tiêm chưa đủ khoảng cách tối thiểu ${min.vi}: không được tính, cần tiêm lại`,
                  en: `Dose ${dose.doseNumber} given before the minimum interval of ${min.en}: not counted, repeat it`,
                },
        },
      });
    } else {
      doses.push({ ...base, valid: true, doseNumber: dose.doseNumber });
      next += 1;
    }
    // Intervals are counted from the last dose actually given, valid or not (conservative).
    previous = n.day;
  }

  const common = {
    antigen: series.code,
    name: series.name,
    targetDisease: series.targetDisease,
    seriesDoses: series.doses.length,
    doses,
  };
  const dose = series.doses[next];
  if (dose === undefined) {
    const last = series.doses[series.doses.length - 1];
    const complete: Reason = {
      rule: `epi.${series.code}.complete`,
      source: last?.source ?? '',
      text: {
        vi: `Đã tiêm đủ ${series.doses.length} mũi`,
        en: `All ${series.doses.length} dose(s) given`,
      },
    };
    return {
      ...common,
      vaccineCode: series.vaccineCode,
      status: 'complete',
      rule: complete.rule,
      source: complete.source,
      reasons: [complete],
    };
  }

  const reasons: Reason[] = [];
  const doseRule = `epi.${series.code}.dose${dose.doseNumber}`;
  const [earliest, by] = earliestFor(dose, birth, previous);
  const minAge = describeDuration(dose.minAge);
  reasons.push({
    rule: `${doseRule}.min-age`,
    source: dose.source,
    text: { vi: `Tuổi tối thiểu: ${minAge.vi}`, en: `Minimum age: ${minAge.en}` },
  });
  let due = earliest;
  if (dose.recommendedAge !== undefined) due = maxDay(due, plus(birth, dose.recommendedAge));
  if (previous !== undefined && dose.recommendedIntervalFromPrevious !== undefined) {
    due = maxDay(due, plus(previous, dose.recommendedIntervalFromPrevious));
  }
  if (previous !== undefined && dose.minIntervalFromPrevious !== undefined) {
    const interval = describeDuration(dose.minIntervalFromPrevious);
    const lateCatchUp =
      by === 'interval' && dose.recommendedAge !== undefined && earliest > plus(birth, dose.recommendedAge);
    reasons.push({
      rule: lateCatchUp ? 'epi.catch-up.min-interval' : `${doseRule}.min-interval`,
      source: dose.source,
      text: lateCatchUp
        ? {
            vi: `Tiêm bù: mũi trước tiêm muộn nên mũi ${dose.doseNumber} lùi đến ít nhất ${interval.vi} sau mũi trước`,
            en: `Catch-up: the previous dose was late, so dose ${dose.doseNumber} moves to at least ${interval.en} after it`,
          }
        : {
            vi: `Cách mũi trước ít nhất ${interval.vi}`,
            en: `At least ${interval.en} after the previous dose`,
          },
    });
  }
  const overdue = plus(due, dose.overdueAfterDue);
  const grace = describeDuration(dose.overdueAfterDue);
  reasons.push({
    rule: `${doseRule}.overdue`,
    source: dose.overdueSource,
    text: {
      vi: `Quá hạn khi chậm ${grace.vi} so với ngày nên tiêm; tiêm bù càng sớm càng tốt`,
      en: `Overdue ${grace.en} after the due date; catch up as soon as possible`,
    },
  });

  const agedOut = dose.maxAge === undefined ? undefined : plus(birth, dose.maxAge);
  let status: ForecastStatus;
  if (agedOut !== undefined && (today >= agedOut || earliest >= agedOut)) {
    const max = describeDuration(dose.maxAge ?? {});
    status = 'too-old';
    reasons.push({
      rule: `${doseRule}.max-age`,
      source: dose.maxAgeSource ?? dose.source,
      text: {
        vi: `Quá tuổi tiêm trong chương trình (từ ${max.vi} tuổi): chuyển bác sĩ tư vấn`,
        en: `Past the programme age limit (${max.en}): refer to a clinician for advice`,
      },
    });
  } else if (today >= overdue) status = 'overdue';
  else if (today >= due) status = 'due';
  else status = 'upcoming';

  return {
    ...common,
    vaccineCode: dose.vaccineCode ?? series.vaccineCode,
    status,
    doseNumber: dose.doseNumber,
    earliest: isoDay(earliest),
    due: isoDay(due),
    overdue: isoDay(overdue),
    agedOutOn: agedOut === undefined ? undefined : isoDay(agedOut),
    rule: doseRule,
    source: dose.source,
    reasons,
  };
}

/**
 * Forecasts the next dose of every series of the schedule for a child born on `birthDate`,
 * given the doses already given, as of `asOf` (all as Asia/Ho_Chi_Minh calendar days).
 */
export function forecast(
  birthDate: string,
  history: readonly ImmunizationHistoryEntry[],
  asOf: string,
  schedule: ImmunizationSchedule = CURRENT_SCHEDULE,
): ForecastResult {
  const birth = vnDay(birthDate, 'birthDate');
  const today = vnDay(asOf, 'asOf');
  if (today < birth) throw new RangeError(`asOf ${asOf} is before birthDate ${birthDate}`);

  const normalized: NormalizedEntry[] = history.map((entry) => {
    const day = vnDay(entry.date, 'immunization date');
    if (day < birth)
      throw new RangeError(`Immunization dated ${entry.date} is before birthDate ${birthDate}`);
    if (day > today) throw new RangeError(`Immunization dated ${entry.date} is after asOf ${asOf}`);
    return { entry, code: entryCode(entry), day };
  });
  normalized.sort((a, b) => a.day.toMillis() - b.day.toMillis());

  const seriesOf = (code: string): AntigenSeries | undefined =>
    schedule.antigens.find((s) => accepts(s.acceptedCodes, code));
  const unmatched = normalized.filter((n) => seriesOf(n.code) === undefined).map((n) => n.entry);

  return {
    scheduleVersion: schedule.version,
    scheduleSource: schedule.source,
    birthDate: isoDay(birth),
    asOf: isoDay(today),
    forecasts: schedule.antigens.map((s) =>
      evaluateSeries(
        s,
        normalized.filter((n) => seriesOf(n.code) === s),
        birth,
        today,
      ),
    ),
    unmatched,
  };
}
