import { DateTime } from 'luxon';
import { CARE_ZONE } from '../common/dates';
import { NEWS2_SCALE1_DEFAULT_TEXT } from './news2';

/**
 * Which SpO₂ scale a NEWS2 set is scored on (docs/decisions/017-news2-scale-2.md). RCP NEWS2
 * (chart text, PRIMARY): "Use Scale 2 if target range is 88—92%, eg in hypercapnic respiratory
 * failure"; only under a recorded clinical decision (SECONDARY). LOCAL POLICY: that decision is a
 * Goal with an SpO₂ target of 88–92 %, recorded by a practitioner, and it applies while active.
 */

export const LOINC_SYSTEM = 'http://loinc.org';
/** SpO₂ by pulse oximetry (59408-5) and arterial SpO₂ (2708-6), the codes a target may measure. */
export const SPO2_TARGET_CODES: readonly string[] = ['59408-5', '2708-6'];
/** The Scale 2 target range (RCP chart: "target range is 88—92%"). */
export const SCALE2_TARGET = { low: 88, high: 92 } as const;

/** The Goal elements the rule reads (FHIR R4 Goal). */
export interface Spo2GoalLike {
  resourceType?: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; tag?: { system?: string; code?: string }[] };
  lifecycleStatus?: string;
  statusDate?: string;
  statusReason?: string;
  startDate?: string;
  expressedBy?: { reference?: string; display?: string };
  addresses?: { reference?: string; display?: string }[];
  target?: {
    measure?: { coding?: { system?: string; code?: string }[] };
    detailRange?: { low?: { value?: number; code?: string }; high?: { value?: number; code?: string } };
  }[];
}

export interface Scale2Decision {
  /** `Goal/<id>/_history/<version>`: the version the score followed. */
  goal: string;
  /** Who decided (`Goal.expressedBy`, a Practitioner; the version is recorded by a practitioner). */
  by: { reference: string; display?: string };
  /** Since when (`Goal.startDate`). */
  since: string;
  /** Why (`Goal.addresses`: the condition, e.g. hypercapnic respiratory failure). */
  reason: string;
}

export interface Spo2ScaleChoice {
  scale: 1 | 2;
  decision?: Scale2Decision;
  /** What the NEWS2 Observation states. */
  text: string;
  /** SpO₂ 88–92 % Goals that were not followed, and why (noted in the Observation). */
  ignored: { goal: string; why: string }[];
}

/** True when the Goal targets SpO₂ 88–92 % (whatever its status or author). */
export function isSpo2Scale2Target(goal: Spo2GoalLike): boolean {
  return (goal.target ?? []).some(
    (t) =>
      (t.measure?.coding ?? []).some(
        (c) => c.system === LOINC_SYSTEM && SPO2_TARGET_CODES.includes(c.code ?? ''),
      ) &&
      t.detailRange?.low?.value === SCALE2_TARGET.low &&
      t.detailRange?.high?.value === SCALE2_TARGET.high &&
      [t.detailRange.low.code, t.detailRange.high.code].every((u) => u === undefined || u === '%'),
  );
}

const versionRef = (g: Spo2GoalLike): string =>
  `Goal/${g.id ?? '?'}${g.meta?.versionId ? `/_history/${g.meta.versionId}` : ''}`;

/** Why a Goal with an SpO₂ 88–92 % target is not (or no longer) a Scale 2 decision at `day`. */
function notFollowed(goal: Spo2GoalLike, recordedBy: string | undefined, day: string): string | undefined {
  if (goal.lifecycleStatus !== 'active')
    return `not active (${goal.lifecycleStatus ?? 'no status'}${goal.statusDate ? ` since ${goal.statusDate}` : ''})`;
  if (recordedBy !== 'practitioner') return `recorded by ${recordedBy ?? 'unknown'}, not by a practitioner`;
  if (!goal.expressedBy?.reference?.startsWith('Practitioner/'))
    return 'no deciding practitioner (expressedBy)';
  if (!goal.startDate || !/^\d{4}-\d{2}-\d{2}$/.test(goal.startDate)) return 'no start date';
  if (goal.startDate > day) return `starts ${goal.startDate}`;
  if (!(goal.addresses ?? []).some((a) => a.display?.trim() || a.reference)) return 'no reason (addresses)';
  return undefined;
}

/**
 * The scale for a set taken at `at`, from the patient's Goals as they stand now: Scale 2 only
 * under an active practitioner-recorded SpO₂ 88–92 % Goal that started on or before that day
 * (Vietnam time); the latest such decision is named. Anything else — none, ended, recorded by the
 * patient or clinic staff, incomplete — is Scale 1.
 */
export function chooseSpo2Scale(
  goals: readonly Spo2GoalLike[],
  at: Date,
  recordedByOf: (goal: Spo2GoalLike) => string | undefined,
): Spo2ScaleChoice {
  const day = DateTime.fromJSDate(at).setZone(CARE_ZONE).toISODate() ?? '';
  const ignored: Spo2ScaleChoice['ignored'] = [];
  const followed: Spo2GoalLike[] = [];
  for (const g of goals) {
    if (!isSpo2Scale2Target(g)) continue;
    const why = notFollowed(g, recordedByOf(g), day);
    if (why) ignored.push({ goal: versionRef(g), why });
    else followed.push(g);
  }
  followed.sort(
    (a, b) =>
      (b.startDate ?? '').localeCompare(a.startDate ?? '') ||
      (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''),
  );
  const g = followed[0];
  if (!g) return { scale: 1, text: NEWS2_SCALE1_DEFAULT_TEXT, ignored };
  const reason = (g.addresses ?? [])
    .map((a) => a.display?.trim() || a.reference || '')
    .filter(Boolean)
    .join('; ');
  const decision: Scale2Decision = {
    goal: versionRef(g),
    by: {
      reference: g.expressedBy!.reference!,
      ...(g.expressedBy?.display ? { display: g.expressedBy.display } : {}),
    },
    since: g.startDate!,
    reason,
  };
  const who = decision.by.display
    ? `${decision.by.display} (${decision.by.reference})`
    : decision.by.reference;
  return {
    scale: 2,
    decision,
    text: `Scale 2 (${decision.goal}: SpO2 target 88–92 % set by ${who} from ${decision.since}; reason: ${reason})`,
    ignored,
  };
}
