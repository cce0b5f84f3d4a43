/**
 * The NEWS2 SpO₂ Scale 2 decision as the portal reads and writes it (docs/care.md § SpO₂ Scale 2,
 * docs/decisions/017): a Goal with an SpO₂ target of 88–92 %, recorded by a practitioner, active
 * until ended. The server decides which scale a score uses; this only shows and records the decision.
 */
import type { FhirResource } from '../api';

export const RECORDED_BY_SYSTEM = 'https://fhir.mekong.health/CodeSystem/recorded-by';
export const CARE_GOAL_SYSTEM = 'https://fhir.mekong.health/CodeSystem/care-goal';
export const SCALE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale';
const SPO2_CODES = ['59408-5', '2708-6'];

export interface GoalLike extends FhirResource {
  resourceType: 'Goal';
  meta?: { versionId?: string; lastUpdated?: string; tag?: { system?: string; code?: string }[] };
  lifecycleStatus?: string;
  statusDate?: string;
  statusReason?: string;
  startDate?: string;
  expressedBy?: { reference?: string; display?: string };
  addresses?: { reference?: string; display?: string }[];
  note?: { text?: string; time?: string; authorReference?: { reference?: string; display?: string } }[];
  target?: {
    measure?: { coding?: { system?: string; code?: string; display?: string }[] };
    detailRange?: { low?: { value?: number }; high?: { value?: number } };
  }[];
}

/** A Goal targeting SpO₂ 88–92 % (whatever its status or author). */
export function isScale2Goal(g: GoalLike): boolean {
  return (g.target ?? []).some(
    (t) =>
      (t.measure?.coding ?? []).some(
        (c) => c.system === 'http://loinc.org' && SPO2_CODES.includes(c.code ?? ''),
      ) &&
      t.detailRange?.low?.value === 88 &&
      t.detailRange?.high?.value === 92,
  );
}

const recordedBy = (g: GoalLike): string | undefined =>
  g.meta?.tag?.find((t) => t.system === RECORDED_BY_SYSTEM)?.code;

/** The decision the server follows: active, recorded by a practitioner, naming who, since and why. */
export function activeDecision(goals: readonly GoalLike[], today: string): GoalLike | undefined {
  return goals
    .filter(
      (g) =>
        isScale2Goal(g) &&
        g.lifecycleStatus === 'active' &&
        recordedBy(g) === 'practitioner' &&
        g.expressedBy?.reference?.startsWith('Practitioner/') &&
        !!g.startDate &&
        g.startDate <= today &&
        (g.addresses ?? []).some((a) => a.display?.trim() || a.reference),
    )
    .sort((a, b) => (b.startDate ?? '').localeCompare(a.startDate ?? ''))[0];
}

/** The most recently ended decision (to show when and why it ended). */
export function lastEnded(goals: readonly GoalLike[]): GoalLike | undefined {
  return goals
    .filter((g) => isScale2Goal(g) && ['cancelled', 'completed'].includes(g.lifecycleStatus ?? ''))
    .sort((a, b) => (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? ''))[0];
}

/** Today in Vietnam (YYYY-MM-DD): the decision's dates are Vietnam days. */
export function vietnamToday(now = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The new decision: SpO₂ target 88–92 %, by `practitioner` (who), from `startDate` (when), for `reason` (why). */
export function newDecision(input: {
  patientId: string;
  practitioner: string;
  name: string;
  startDate: string;
  reason: string;
}): GoalLike {
  const pct = (value: number) => ({ value, unit: '%', system: 'http://unitsofmeasure.org', code: '%' });
  return {
    resourceType: 'Goal',
    lifecycleStatus: 'active',
    category: [
      {
        coding: [
          {
            system: CARE_GOAL_SYSTEM,
            code: 'news2-spo2-scale-2',
            display: 'NEWS2 SpO2 Scale 2 (target 88–92 %)',
          },
        ],
      },
    ],
    description: { text: 'Mục tiêu SpO₂ 88–92 % (NEWS2 thang 2) / SpO₂ target 88–92 % (NEWS2 Scale 2)' },
    subject: { reference: `Patient/${input.patientId}` },
    startDate: input.startDate,
    expressedBy: { reference: input.practitioner, display: input.name.trim() },
    addresses: [{ display: input.reason.trim() }],
    target: [
      {
        measure: { coding: [{ system: 'http://loinc.org', code: '59408-5', display: 'Oxygen saturation' }] },
        detailRange: { low: pct(88), high: pct(92) },
      },
    ],
  };
}

/** The same Goal, ended: `cancelled`, on `date`, for `reason`, by whom (a note). */
export function endedDecision(
  goal: GoalLike,
  input: { practitioner: string; name: string; date: string; reason: string; now?: Date },
): GoalLike {
  // The server stamps meta (version, recorded-by) itself.
  return {
    ...goal,
    meta: undefined,
    lifecycleStatus: 'cancelled',
    statusDate: input.date,
    statusReason: input.reason.trim(),
    note: [
      ...(goal.note ?? []),
      {
        authorReference: { reference: input.practitioner, display: input.name.trim() },
        time: (input.now ?? new Date()).toISOString(),
        text: `Kết thúc thang 2 / Scale 2 ended: ${input.reason.trim()}`,
      },
    ],
  };
}

/** Which scale a NEWS2 Observation says it used (its `news2-spo2-scale` extension). */
export function scaleOf(observation: FhirResource): { scale?: 1 | 2; reason?: string } {
  const ext = (
    observation.extension as { url?: string; extension?: Record<string, unknown>[] }[] | undefined
  )?.find((e) => e.url === SCALE_EXTENSION);
  const part = (url: string) => ext?.extension?.find((e) => e.url === url);
  const scale = part('scale')?.valueInteger;
  const reason = part('reason')?.valueString;
  return {
    ...(scale === 1 || scale === 2 ? { scale } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}
