import {
  ruleExtensions,
  type CodeableConcept,
  type Extension,
  type Reference,
  type RuleRef,
} from '../common/types';
import { news2Band, NEWS2_RULES_VERSION, type News2BandParameter, type News2BandRow } from './news2-bands';

/**
 * NEWS2 per the Royal College of Physicians (2017), Chart 1 (scoring; the band rows with their
 * citations are data in news2-bands.ts) and Chart 4 (trigger thresholds, as given in
 * /work/shared/reference/vietnam-health.md § NEWS2). A missing parameter is NEVER scored 0: the
 * result is "incomplete" and has no total.
 */

const REF = 'reference: /work/shared/reference/vietnam-health.md § NEWS2';
export const NEWS2_CHART1 = `RCP NEWS2 2017, Chart 1 (SECONDARY: ${NEWS2_RULES_VERSION.transcribedFrom})`;
export const NEWS2_CHART4 = `RCP NEWS2 2017, Chart 4 (${REF})`;
const APPLICABILITY = `RCP NEWS2 2017: not for people under 16 or pregnant women (${REF}, Rules and caveats)`;

export type News2Parameter =
  'respirationRate' | 'spo2' | 'airOrOxygen' | 'systolicBp' | 'pulse' | 'consciousness' | 'temperature';

export const NEWS2_PARAMETERS: readonly News2Parameter[] = [
  'respirationRate',
  'spo2',
  'airOrOxygen',
  'systolicBp',
  'pulse',
  'consciousness',
  'temperature',
];

/** ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. */
export type Acvpu = 'A' | 'C' | 'V' | 'P' | 'U';

export interface News2Input {
  /** Breaths per minute. */
  respirationRate?: number;
  /** Oxygen saturation, %. */
  spo2?: number;
  /** 1 = standard; 2 = hypercapnic (type 2) respiratory failure, chosen by a clinician (target 88–92 %). */
  spo2Scale: 1 | 2;
  /** true = on supplemental oxygen, false = breathing air, undefined = not reported. */
  onOxygen?: boolean;
  /** mmHg. */
  systolicBp?: number;
  /** Beats per minute. */
  pulse?: number;
  consciousness?: Acvpu;
  /** °C. */
  temperature?: number;
  /** Age in whole years. */
  ageYears: number;
  pregnant: boolean;
}

export interface News2Component extends RuleRef {
  parameter: News2Parameter;
  value: number | string | boolean;
  score: 0 | 1 | 2 | 3;
}

export type ClinicalRisk = 'low' | 'low-medium' | 'medium' | 'high';

export interface News2Result {
  status: 'complete' | 'incomplete' | 'not-applicable';
  total?: number;
  components: News2Component[];
  missing: News2Parameter[];
  /** Values that could not be scored (out of range, not a number); also listed in `missing`. */
  invalid: { parameter: News2Parameter; value: unknown; reason: string }[];
  /**
   * Complete: the RCP risk. Incomplete: only set when the parameters present already establish
   * at least low-medium risk (a single 3, or a partial sum ≥ 5); never a reassuring "low".
   */
  clinicalRisk?: ClinicalRisk;
  /** total ≥ 5 or any single parameter scoring 3 (also raised on incomplete data when already established). */
  alert: boolean;
  /** Rules that decided status, risk and alert. */
  reasons: RuleRef[];
}

type Score = 0 | 1 | 2 | 3;

/** The scored component of a band row: its rule, and the row's evidence and citation as source. */
function fromRow(row: News2BandRow): { score: Score; rule: string; source: string } {
  return { score: row.score, rule: row.rule, source: `${row.evidence}: ${row.citation}` };
}

/** Plausible measurement ranges; anything outside is reported as invalid, never scored. */
const PLAUSIBLE: Record<
  'respirationRate' | 'spo2' | 'systolicBp' | 'pulse' | 'temperature',
  [number, number]
> = {
  respirationRate: [0, 100],
  spo2: [0, 100],
  systolicBp: [0, 350],
  pulse: [0, 350],
  temperature: [20, 45],
};

function band(
  parameter: News2BandParameter,
  value: number | string,
  supply?: 'air' | 'oxygen',
): News2BandRow {
  const found = news2Band(parameter, value, supply);
  if (found === undefined) throw new RangeError(`No NEWS2 ${parameter} band for ${value}`);
  return found;
}

/**
 * The chart is written in whole numbers (temperature: one decimal); a reading between two
 * printed values is rounded half-up to the chart's resolution before it is banded.
 */
function toChartResolution(parameter: News2Parameter, value: number): number {
  return parameter === 'temperature' ? Math.round(value * 10) / 10 : Math.round(value);
}

const RISK_ORDER: ClinicalRisk[] = ['low', 'low-medium', 'medium', 'high'];

/** Calculates NEWS2. */
export function news2(input: News2Input): News2Result {
  const notApplicable: RuleRef[] = [];
  if (!Number.isFinite(input.ageYears) || input.ageYears < 0) {
    throw new RangeError(`Invalid ageYears: ${input.ageYears}`);
  }
  if (input.ageYears < 16)
    notApplicable.push({ rule: 'news2.applicability.under-16', source: APPLICABILITY });
  if (input.pregnant) notApplicable.push({ rule: 'news2.applicability.pregnancy', source: APPLICABILITY });
  if (notApplicable.length > 0) {
    return {
      status: 'not-applicable',
      components: [],
      missing: [],
      invalid: [],
      alert: false,
      reasons: notApplicable,
    };
  }

  const components: News2Component[] = [];
  const missing: News2Parameter[] = [];
  const invalid: News2Result['invalid'] = [];

  const numeric = (parameter: keyof typeof PLAUSIBLE, raw: number | undefined): number | undefined => {
    if (raw === undefined || raw === null) {
      missing.push(parameter);
      return undefined;
    }
    const [lo, hi] = PLAUSIBLE[parameter];
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < lo || raw > hi) {
      missing.push(parameter);
      invalid.push({ parameter, value: raw, reason: `outside the plausible range ${lo}–${hi}` });
      return undefined;
    }
    return toChartResolution(parameter, raw);
  };
  const scoreBy = (parameter: Exclude<keyof typeof PLAUSIBLE, 'spo2'>, raw: number | undefined): void => {
    const value = numeric(parameter, raw);
    if (value === undefined) return;
    components.push({ parameter, value, ...fromRow(band(parameter, value)) });
  };

  scoreBy('respirationRate', input.respirationRate);

  const spo2 = numeric('spo2', input.spo2);
  if (spo2 !== undefined) {
    const supply = input.onOxygen === true ? 'oxygen' : input.onOxygen === false ? 'air' : undefined;
    const row = news2Band(input.spo2Scale === 2 ? 'spo2Scale2' : 'spo2Scale1', spo2, supply);
    if (row) components.push({ parameter: 'spo2', value: spo2, ...fromRow(row) });
    else {
      // Scale 2 at ≥ 93 % cannot be scored without knowing whether the patient is on oxygen.
      missing.push('spo2');
      invalid.push({
        parameter: 'spo2',
        value: spo2,
        reason: 'Scale 2 at ≥93 % needs air/oxygen to be known',
      });
    }
  }

  if (input.onOxygen === undefined || input.onOxygen === null) missing.push('airOrOxygen');
  else {
    const value = input.onOxygen ? 'oxygen' : 'air';
    components.push({ parameter: 'airOrOxygen', value, ...fromRow(band('airOrOxygen', value)) });
  }

  scoreBy('systolicBp', input.systolicBp);
  scoreBy('pulse', input.pulse);

  const c = input.consciousness;
  if (c === undefined || c === null) missing.push('consciousness');
  else if (!['A', 'C', 'V', 'P', 'U'].includes(c)) {
    missing.push('consciousness');
    invalid.push({ parameter: 'consciousness', value: c, reason: 'not one of A, C, V, P, U' });
  } else {
    components.push({ parameter: 'consciousness', value: c, ...fromRow(band('consciousness', c)) });
  }

  scoreBy('temperature', input.temperature);

  // Chart 4: risk and trigger.
  const sum = components.reduce((s, x) => s + x.score, 0);
  const single3 = components.filter((x) => x.score === 3);
  const reasons: RuleRef[] = [];
  let risk: ClinicalRisk = 'low';
  if (sum >= 7) {
    risk = 'high';
    reasons.push({ rule: 'news2.risk.high', source: NEWS2_CHART4 });
  } else if (sum >= 5) {
    risk = 'medium';
    reasons.push({ rule: 'news2.risk.medium', source: NEWS2_CHART4 });
  }
  if (single3.length > 0) {
    reasons.push({ rule: 'news2.risk.single-parameter-3', source: NEWS2_CHART4 });
    if (RISK_ORDER.indexOf(risk) < RISK_ORDER.indexOf('low-medium')) risk = 'low-medium';
  }
  const alert = sum >= 5 || single3.length > 0;

  if (missing.length > 0) {
    reasons.unshift({
      rule: 'news2.incomplete.missing-parameter',
      source: `Missing parameters are never scored 0 (${REF}, Rules and caveats)`,
    });
    return {
      status: 'incomplete',
      components,
      missing,
      invalid,
      ...(risk === 'low' ? {} : { clinicalRisk: risk }),
      alert,
      reasons,
    };
  }
  if (risk === 'low') reasons.push({ rule: 'news2.risk.low', source: NEWS2_CHART4 });
  return { status: 'complete', total: sum, components, missing, invalid, clinicalRisk: risk, alert, reasons };
}

// ---------------------------------------------------------------------------------------------
// FHIR
// ---------------------------------------------------------------------------------------------

export const SNOMED_SYSTEM = 'http://snomed.info/sct';
/**
 * SNOMED CT (UK edition) NEWS2 codes: NOT in the reference file; taken from NHS England-derived
 * FHIR IGs (e.g. Interweave NEWS2Score profile) [verify against the UK SNOMED release].
 */
export const NEWS2_SNOMED = {
  total: {
    code: '1104051000000101',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score',
  },
  respirationRate: {
    code: '1104301000000104',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) - respiration rate score',
  },
  spo2Scale1: {
    code: '1104311000000102',
    display:
      'Royal College of Physicians NEWS2 (National Early Warning Score 2) - oxygen saturation scale 1 score',
  },
  airOrOxygen: {
    code: '1104331000000105',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) - air or oxygen score',
  },
  systolicBp: {
    code: '1104341000000101',
    display:
      'Royal College of Physicians NEWS2 (National Early Warning Score 2) - systolic blood pressure score',
  },
  pulse: {
    code: '1104351000000103',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) - pulse score',
  },
  consciousness: {
    code: '1104361000000100',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) - consciousness score',
  },
  temperature: {
    code: '1104371000000107',
    display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) - temperature score',
  },
} as const;
/** Local codes for what has no confirmed SNOMED code here (SpO₂ Scale 2 score). */
export const NEWS2_LOCAL_SYSTEM = 'https://fhir.mekong.health/CodeSystem/news2-parameter';

export interface ObservationResource {
  resourceType: 'Observation';
  status: 'final';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  effectiveDateTime: string;
  extension: (Extension | News2ScaleExtension)[];
  valueInteger?: number;
  dataAbsentReason?: CodeableConcept;
  interpretation?: CodeableConcept[];
  note: { text: string }[];
  method?: CodeableConcept;
  component: {
    extension: Extension[];
    code: CodeableConcept;
    valueInteger: number;
  }[];
  derivedFrom?: Reference[];
}

export interface News2ObservationOptions {
  subject: string | Reference;
  /** When the vitals were taken (ISO date-time). */
  effectiveDateTime: string;
  /** The vitals Observations used, by parameter; only those actually scored go into derivedFrom. */
  derivedFrom?: Partial<Record<News2Parameter, string | Reference>>;
  spo2Scale: 1 | 2;
  /**
   * Why that scale (stated in every NEWS2 Observation): the practitioner's Scale 2 decision
   * (`Goal/<id>/_history/<v>`) and its words; default "Scale 1 (no active Scale 2 decision)".
   */
  spo2ScaleBasis?: { decision?: string; text: string };
}

/**
 * Which SpO₂ scale a NEWS2 Observation used and why: sub-extensions `scale` (valueInteger 1|2),
 * `rule` (NEWS2_SCALE_RULES), `decision` (valueReference to the Goal version, Scale 2 only) and
 * `reason` (valueString).
 */
export const NEWS2_SPO2_SCALE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale';

export interface News2ScaleExtension {
  url: typeof NEWS2_SPO2_SCALE_EXTENSION;
  extension: {
    url: 'scale' | 'rule' | 'decision' | 'reason';
    valueInteger?: number;
    valueString?: string;
    valueReference?: Reference;
  }[];
}

/** The text stated when no Scale 2 decision applies. */
export const NEWS2_SCALE1_DEFAULT_TEXT = 'Scale 1 (no active Scale 2 decision)';

function scaleExtension(options: News2ObservationOptions): News2ScaleExtension {
  const scale = options.spo2Scale;
  const decision = scale === 2 ? options.spo2ScaleBasis?.decision : undefined;
  return {
    url: NEWS2_SPO2_SCALE_EXTENSION,
    extension: [
      { url: 'scale', valueInteger: scale },
      {
        url: 'rule',
        valueString: scale === 2 ? 'news2.spo2.scale2.recorded-goal' : 'news2.spo2.scale1.default',
      },
      ...(decision ? [{ url: 'decision' as const, valueReference: { reference: decision } }] : []),
      {
        url: 'reason',
        valueString: options.spo2ScaleBasis?.text ?? (scale === 2 ? 'Scale 2' : NEWS2_SCALE1_DEFAULT_TEXT),
      },
    ],
  };
}

function componentCode(parameter: News2Parameter, scale: 1 | 2): CodeableConcept {
  if (parameter === 'spo2' && scale === 2) {
    return {
      coding: [
        { system: NEWS2_LOCAL_SYSTEM, code: 'spo2-scale2', display: 'NEWS2 oxygen saturation scale 2 score' },
      ],
      text: 'NEWS2 SpO2 Scale 2 score',
    };
  }
  const key = parameter === 'spo2' ? 'spo2Scale1' : parameter;
  const c = NEWS2_SNOMED[key];
  return { coding: [{ system: SNOMED_SYSTEM, code: c.code, display: c.display }], text: c.display };
}

/**
 * What the score asks of the staff, per RCP NEWS2 Chart 4 "Clinical response to NEWS trigger
 * thresholds": `routine` (0: monitoring at least 12-hourly), `assess` (1–4: a registered nurse
 * assesses; 4–6-hourly), `urgent-review` (a single parameter scores 3: urgent review by the
 * medical team; at least hourly), `urgent` (5–6: urgent response by a clinician competent in
 * acute illness; at least hourly), `emergency` (7 or more: emergency assessment by a
 * critical-care team; continuous monitoring). The portal words each for the station (call 115,
 * refer, urgent review) in Vietnamese and English.
 */
export type News2Response = 'routine' | 'assess' | 'urgent-review' | 'urgent' | 'emergency';

/** The NEWS2 Observation's `interpretation` coding of the required response. */
export const NEWS2_RESPONSE_SYSTEM = 'https://fhir.mekong.health/CodeSystem/news2-response';

export const NEWS2_RESPONSE_TEXT: Record<News2Response, string> = {
  routine: 'NEWS2 0: continue routine monitoring, at least 12-hourly (RCP NEWS2 Chart 4)',
  assess: 'NEWS2 1–4: a registered nurse assesses the patient; monitor 4–6-hourly (RCP NEWS2 Chart 4)',
  'urgent-review':
    'A single parameter scores 3: urgent review by the medical team; monitor at least hourly (RCP NEWS2 Chart 4)',
  urgent:
    'NEWS2 5–6: urgent response — urgent assessment by a clinician competent in acute illness; monitor at least hourly (RCP NEWS2 Chart 4)',
  emergency:
    'NEWS2 7 or more: emergency response — emergency assessment by a critical-care team, transfer to a higher level of care; continuous monitoring (RCP NEWS2 Chart 4)',
};

/**
 * The response Chart 4 requires for this result; undefined when nothing is established yet (an
 * incomplete set whose parameters present score no 3 and sum below 5 never reassures).
 */
export function news2Response(result: News2Result): News2Response | undefined {
  switch (result.clinicalRisk) {
    case 'high':
      return 'emergency';
    case 'medium':
      return 'urgent';
    case 'low-medium':
      return 'urgent-review';
    case 'low':
      return result.status === 'complete' ? (result.total === 0 ? 'routine' : 'assess') : undefined;
    case undefined:
      return undefined;
  }
}

const RISK_TEXT: Record<ClinicalRisk, string> = {
  low: 'Low clinical risk (RCP NEWS2 Chart 4)',
  'low-medium': 'Low-medium clinical risk: a single parameter scores 3 (RCP NEWS2 Chart 4)',
  medium: 'Medium clinical risk: urgent response (RCP NEWS2 Chart 4)',
  high: 'High clinical risk: emergency response (RCP NEWS2 Chart 4)',
};

/** The RCP risk as text and, once established, the required response as a coding. */
function interpretation(result: News2Result): Pick<ObservationResource, 'interpretation'> {
  if (result.clinicalRisk === undefined) return {};
  const response = news2Response(result);
  return {
    interpretation: [
      {
        ...(response
          ? {
              coding: [
                { system: NEWS2_RESPONSE_SYSTEM, code: response, display: NEWS2_RESPONSE_TEXT[response] },
              ],
            }
          : {}),
        text: RISK_TEXT[result.clinicalRisk],
      },
    ],
  };
}

/** FHIR R4 Observation of the NEWS2 score (decision support for a clinician, not a diagnosis). */
export function toObservation(result: News2Result, options: News2ObservationOptions): ObservationResource {
  const ref = (r: string | Reference): Reference => (typeof r === 'string' ? { reference: r } : r);
  const derivedFrom = result.components
    .map((c) => options.derivedFrom?.[c.parameter])
    .filter((r): r is string | Reference => r !== undefined)
    .map(ref)
    .filter((r, i, all) => all.findIndex((o) => o.reference === r.reference) === i);
  const noteParts = [
    'NEWS2 is decision support for a clinician; it was developed for inpatients and must be read with clinical assessment and trends.',
  ];
  if (result.status === 'incomplete') noteParts.push(`Incomplete: missing ${result.missing.join(', ')}.`);
  if (result.status === 'not-applicable') noteParts.push('Not applicable (under 16 or pregnant).');
  const basis = scaleExtension(options).extension.find((e) => e.url === 'reason')?.valueString;
  noteParts.push(`SpO2 scale: ${basis ?? ''}.`);
  noteParts.push(`Rules: ${result.reasons.map((r) => `${r.rule} [${r.source}]`).join('; ')}`);

  const main = result.reasons[0] ?? { rule: 'news2', source: NEWS2_CHART1 };
  return {
    resourceType: 'Observation',
    status: 'final',
    extension: [...ruleExtensions(main), scaleExtension(options)],
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }],
      },
    ],
    code: {
      coding: [{ system: SNOMED_SYSTEM, code: NEWS2_SNOMED.total.code, display: NEWS2_SNOMED.total.display }],
      text: 'NEWS2',
    },
    subject: ref(options.subject),
    effectiveDateTime: options.effectiveDateTime,
    ...(result.status === 'complete' && result.total !== undefined
      ? { valueInteger: result.total }
      : {
          dataAbsentReason: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
                code: result.status === 'not-applicable' ? 'not-applicable' : 'unknown',
              },
            ],
            text: result.status,
          },
        }),
    ...interpretation(result),
    note: [{ text: noteParts.join(' ') }],
    component: result.components.map((c) => ({
      extension: ruleExtensions(c),
      code: componentCode(c.parameter, options.spo2Scale),
      valueInteger: c.score,
    })),
    ...(derivedFrom.length > 0 ? { derivedFrom } : {}),
  };
}
