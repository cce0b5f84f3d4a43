import type { DateTime } from 'luxon';
import { describeDuration, isoDay, maxDay, plus, vnDay } from '../common/dates';
import type { Bilingual, Coding, Reason } from '../common/types';
import { antigensOf, type Antigen } from './cvx-antigens';
import { PREGNANCY_RULE_SOURCE, type CurrentPregnancy } from './pregnancy';
import {
  CURRENT_SCHEDULE,
  CVX_SYSTEM,
  EPI_ANTIGEN_SYSTEM,
  type AntigenSeries,
  type DoseRule,
  type ImmunizationSchedule,
  type Population,
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

export type ForecastStatus = 'due' | 'overdue' | 'upcoming' | 'complete' | 'too-old' | 'not-applicable';

/** Statuses with nothing left to give (no dates, no reminder, not on the station's list). */
export const CLOSED_STATUSES: ReadonlySet<ForecastStatus> = new Set([
  'complete',
  'too-old',
  'not-applicable',
]);

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
  /** Who the series is for (schedule.ts): the children's series, or the one for pregnant women. */
  population: Population;
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
  /** Records that made the series apply (the pregnancy's Observations/Conditions), e.g. `Observation/1`. */
  supportingInformation?: string[];
}

/** Which populations' series to evaluate (schedule.ts `population`). */
export interface ForecastContext {
  /** The children's series (by age). Default: true. */
  children?: boolean;
  /** The current pregnancy (pregnancy.ts); the series for pregnant women are evaluated only with it. */
  pregnancy?: CurrentPregnancy;
}

export interface ForecastResult {
  scheduleVersion: string;
  scheduleSource: string;
  birthDate: string;
  asOf: string;
  forecasts: AntigenForecast[];
  /** History entries whose code matches no series of the schedule (never silently dropped). */
  unmatched: UnmatchedEntry[];
}

export interface UnmatchedEntry {
  entry: ImmunizationHistoryEntry;
  /** The code as matched (CVX "08"; a code of another system as `system|code`). */
  code: string;
  /** `unknown-code`: not in the vaccine → antigen table; `no-series`: carries no antigen of the schedule. */
  why: 'unknown-code' | 'no-series';
  antigens: readonly Antigen[];
}

interface NormalizedEntry {
  index: number;
  entry: ImmunizationHistoryEntry;
  code: string;
  antigens: readonly Antigen[];
  day: DateTime;
}

/** Per history entry, the antigens a series has already counted it for (one injection, one count each). */
type Consumed = Map<number, { antigens: Set<Antigen>; by: string }>;

function entryCode(e: ImmunizationHistoryEntry): string {
  if (e.antigen !== undefined && e.antigen.trim() !== '') return e.antigen.trim().toUpperCase();
  const vc = e.vaccineCode;
  if (typeof vc === 'string' && vc.trim() !== '') return vc.trim().toUpperCase();
  if (typeof vc === 'object' && vc.code !== undefined && vc.code.trim() !== '') {
    const code = vc.code.trim().toUpperCase();
    // CVX codes below 10 are written with a leading zero ("08").
    if (vc.system === CVX_SYSTEM) return /^\d$/.test(code) ? `0${code}` : code;
    if (vc.system === undefined || vc.system === EPI_ANTIGEN_SYSTEM) return code;
    // Another system's "198" is not CVX 198: kept distinct, so it is unknown (and shown), never guessed.
    return `${vc.system}|${code}`;
  }
  throw new RangeError(`Immunization history entry dated ${e.date} has neither antigen nor vaccineCode`);
}

const accepts = (codes: string[], code: string): boolean => codes.some((c) => c.toUpperCase() === code);

/** The antigens `dose` requires and whether `n` carries them in a product the dose accepts. */
function fits(series: AntigenSeries, dose: DoseRule, n: NormalizedEntry): boolean {
  const need = dose.antigens ?? series.antigens;
  const codes = dose.acceptedCodes ?? series.acceptedCodes;
  return need.every((a) => n.antigens.includes(a)) && (codes === undefined || accepts(codes, n.code));
}

/** An entry belongs to a series when it fits one of its doses (so it is evaluated there, valid or not). */
const belongsTo = (series: AntigenSeries, n: NormalizedEntry): boolean =>
  series.doses.some((d) => fits(series, d, n));

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

/** What the population of a series adds: the first day a dose counts, and the current pregnancy. */
interface SeriesScope {
  countsFrom?: DateTime;
  pregnancy?: { since: DateTime; evidence: string[] };
}

function evaluateSeries(
  series: AntigenSeries,
  entries: NormalizedEntry[],
  birth: DateTime,
  today: DateTime,
  consumed: Consumed,
  scope: SeriesScope = {},
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
    if (scope.countsFrom !== undefined && n.day < scope.countsFrom) {
      // Another series' dose (the children's): shown, not counted, and it times nothing here.
      const from = describeDuration(series.countsFromAge ?? {});
      doses.push({
        ...base,
        reason: {
          rule: `epi.${series.code}.counts-from`,
          source: series.countsFromAgeSource ?? '',
          text: {
            vi: `Mũi tiêm trước ${from.vi} tuổi (thuộc lịch tiêm của trẻ em): không tính vào loạt này`,
            en: `Given before ${from.en} of age (the children's series): not counted in this series`,
          },
        },
      });
      continue;
    }
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
    const need = dose.antigens ?? series.antigens;
    const taken = consumed.get(n.index);
    const already = taken === undefined ? [] : need.filter((a) => taken.antigens.has(a));
    const agedOut = dose.maxAge === undefined ? undefined : plus(birth, dose.maxAge);
    if (!fits(series, dose, n)) {
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
    } else if (taken !== undefined && already.length > 0) {
      doses.push({
        ...base,
        reason: {
          rule: `epi.${series.code}.dose${dose.doseNumber}.counted-elsewhere`,
          source:
            'one injection counts once per antigen (CDC CDSi 4.64 evaluates each antigen once per dose)',
          text: {
            vi: `Mũi này đã được tính cho ${taken.by} (${already.join(', ')}): không tính lại là mũi ${dose.doseNumber}`,
            en: `This dose already counted for ${taken.by} (${already.join(', ')}): not counted again as dose ${dose.doseNumber}`,
          },
        },
      });
    } else if (agedOut !== undefined && n.day >= agedOut) {
      const max = describeDuration(dose.maxAge ?? {});
      doses.push({
        ...base,
        reason: {
          rule: 'epi.invalid-dose.max-age',
          source: dose.maxAgeSource ?? dose.source,
          text: {
            vi: `Mũi ${dose.doseNumber} tiêm khi đã quá tuổi (${max.vi}): không được tính là mũi này`,
            en: `Dose ${dose.doseNumber} given at or past the age limit of ${max.en}: not counted as this dose`,
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
      const mine = consumed.get(n.index) ?? { antigens: new Set<Antigen>(), by: '' };
      for (const a of need) mine.antigens.add(a);
      mine.by =
        mine.by === ''
          ? `${series.code} dose ${dose.doseNumber}`
          : `${mine.by}, ${series.code} dose ${dose.doseNumber}`;
      consumed.set(n.index, mine);
      next += 1;
    }
    // Intervals are counted from the last dose actually given, valid or not (conservative).
    previous = n.day;
  }

  const common = {
    antigen: series.code,
    population: series.population ?? 'children',
    name: series.name,
    targetDisease: series.targetDisease,
    seriesDoses: series.doses.length,
    doses,
    ...(scope.pregnancy ? { supportingInformation: scope.pregnancy.evidence } : {}),
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
  const [byRule, by] = earliestFor(dose, birth, previous);
  // Not before the first day a dose counts for the series (its population's age, or the pregnancy).
  const earliest = scope.countsFrom === undefined ? byRule : maxDay(byRule, scope.countsFrom);
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
  if (scope.pregnancy !== undefined) {
    // Given in pregnancy: due once the interval has passed and the pregnancy is on the record.
    due = maxDay(due, scope.pregnancy.since);
    const since = isoDay(scope.pregnancy.since);
    reasons.push({
      rule: `${doseRule}.pregnancy`,
      source: `${PREGNANCY_RULE_SOURCE} (${scope.pregnancy.evidence.join(', ')})`,
      text: {
        vi: `Đang mang thai (hồ sơ ghi nhận từ ngày ${since}): tiêm trong thời kỳ có thai`,
        en: `Pregnant (on the record since ${since}): given during the pregnancy`,
      },
    });
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
    status = dose.pastMaxAge?.status ?? 'too-old';
    reasons.push({
      rule: `${doseRule}.${status === 'not-applicable' ? 'not-applicable' : 'max-age'}`,
      source: dose.maxAgeSource ?? dose.source,
      text: dose.pastMaxAge?.text ?? {
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
 * Forecasts the next dose of every applicable series of the schedule for a patient born on
 * `birthDate`, given the doses already given, as of `asOf` (all as Asia/Ho_Chi_Minh calendar
 * days): the children's series unless `context.children` is false, the series for pregnant women
 * only with `context.pregnancy`.
 */
export function forecast(
  birthDate: string,
  history: readonly ImmunizationHistoryEntry[],
  asOf: string,
  schedule: ImmunizationSchedule = CURRENT_SCHEDULE,
  context: ForecastContext = {},
): ForecastResult {
  const birth = vnDay(birthDate, 'birthDate');
  const today = vnDay(asOf, 'asOf');
  if (today < birth) throw new RangeError(`asOf ${asOf} is before birthDate ${birthDate}`);

  const normalized: NormalizedEntry[] = history.map((entry, index) => {
    const day = vnDay(entry.date, 'immunization date');
    if (day < birth)
      throw new RangeError(`Immunization dated ${entry.date} is before birthDate ${birthDate}`);
    if (day > today) throw new RangeError(`Immunization dated ${entry.date} is after asOf ${asOf}`);
    const code = entryCode(entry);
    return { index, entry, code, antigens: antigensOf(code) ?? [], day };
  });
  normalized.sort((a, b) => a.day.toMillis() - b.day.toMillis() || a.index - b.index);

  const pregnancy =
    context.pregnancy === undefined
      ? undefined
      : { since: vnDay(context.pregnancy.since, 'pregnancy since'), evidence: context.pregnancy.evidence };
  const children = (s: AntigenSeries): boolean => (s.population ?? 'children') === 'children';
  const applies = (s: AntigenSeries): boolean =>
    children(s) ? context.children !== false : pregnancy !== undefined;

  // Match by antigen: a dose goes to every series whose antigens it carries (a 5-in-1 is DTP, HepB
  // and Hib at once); a dose no applicable series takes is reported, never dropped — except an
  // adult's childhood dose, which belongs to the children's series (not evaluated for her).
  const unmatched: UnmatchedEntry[] = normalized
    .filter((n) => !schedule.antigens.some((s) => applies(s) && belongsTo(s, n)))
    .filter(
      (n) => context.children !== false || !schedule.antigens.some((s) => children(s) && belongsTo(s, n)),
    )
    .map((n) => ({
      entry: n.entry,
      code: n.code,
      why: antigensOf(n.code) === undefined ? 'unknown-code' : 'no-series',
      antigens: n.antigens,
    }));
  // One injection counts once per antigen within a population; the woman's series is another
  // population (a Td at 15 may be a child's 7-year booster and a pregnant girl's dose 1).
  const consumed: Record<Population, Consumed> = { children: new Map(), 'pregnant-women': new Map() };
  const scopeOf = (s: AntigenSeries): SeriesScope => {
    const byAge = s.countsFromAge ? plus(birth, s.countsFromAge) : undefined;
    if (children(s)) return byAge ? { countsFrom: byAge } : {};
    // Doses of the current pregnancy count whatever the age (a pregnant girl under that age).
    const countsFrom =
      byAge !== undefined && pregnancy !== undefined && pregnancy.since < byAge ? pregnancy.since : byAge;
    return { ...(countsFrom ? { countsFrom } : {}), ...(pregnancy ? { pregnancy } : {}) };
  };

  return {
    scheduleVersion: schedule.version,
    scheduleSource: schedule.source,
    birthDate: isoDay(birth),
    asOf: isoDay(today),
    forecasts: schedule.antigens.filter(applies).map((s) =>
      evaluateSeries(
        s,
        normalized.filter((n) => belongsTo(s, n)),
        birth,
        today,
        consumed[s.population ?? 'children'],
        scopeOf(s),
      ),
    ),
    unmatched,
  };
}
