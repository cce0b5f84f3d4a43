import { ruleExtensions, type CodeableConcept, type Extension, type Reference } from '../common/types';
import { CLOSED_STATUSES, type AntigenForecast, type ForecastResult, type ForecastStatus } from './forecast';

export const RECOMMENDATION_STATUS_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/immunization-recommendation-status';
/** Statuses the HL7 code system has no code for (upcoming, aged out, not applicable). */
export const LOCAL_FORECAST_STATUS_SYSTEM =
  'https://fhir.mekong.health/CodeSystem/immunization-forecast-status';
export const LOINC_SYSTEM = 'http://loinc.org';

export const DATE_CRITERION = {
  earliest: { system: LOINC_SYSTEM, code: '30981-5', display: 'Earliest date to give' },
  due: { system: LOINC_SYSTEM, code: '30980-7', display: 'Date vaccine due' },
  overdue: { system: LOINC_SYSTEM, code: '59778-1', display: 'Date when overdue for immunization' },
} as const;

export interface ImmunizationRecommendationResource {
  resourceType: 'ImmunizationRecommendation';
  patient: Reference;
  date: string;
  extension: Extension[];
  recommendation: {
    extension: Extension[];
    vaccineCode: CodeableConcept[];
    targetDisease: CodeableConcept;
    forecastStatus: CodeableConcept;
    dateCriterion?: { code: CodeableConcept; value: string }[];
    description: string;
    series: string;
    doseNumberPositiveInt?: number;
    seriesDosesPositiveInt: number;
    supportingImmunization?: Reference[];
    /** What made the series apply: the pregnancy's Observations/Conditions (tetanus for pregnant women). */
    supportingPatientInformation?: Reference[];
  }[];
}

function forecastStatus(status: ForecastStatus): CodeableConcept {
  switch (status) {
    case 'due':
    case 'overdue':
    case 'complete':
      return { coding: [{ system: RECOMMENDATION_STATUS_SYSTEM, code: status }], text: status };
    case 'upcoming':
      return {
        coding: [{ system: LOCAL_FORECAST_STATUS_SYSTEM, code: 'upcoming', display: 'Not yet due' }],
        text: 'upcoming',
      };
    case 'too-old':
      return {
        coding: [
          { system: LOCAL_FORECAST_STATUS_SYSTEM, code: 'too-old', display: 'Aged out of the schedule' },
        ],
        text: 'too-old',
      };
    case 'not-applicable':
      return {
        coding: [
          {
            system: LOCAL_FORECAST_STATUS_SYSTEM,
            code: 'not-applicable',
            display: 'Not applicable (past the dose age limit; not overdue)',
          },
        ],
        text: 'not-applicable',
      };
  }
}

function recommendationOf(f: AntigenForecast): ImmunizationRecommendationResource['recommendation'][number] {
  const criteria: { code: CodeableConcept; value: string }[] = [];
  if (!CLOSED_STATUSES.has(f.status)) {
    if (f.earliest !== undefined)
      criteria.push({ code: { coding: [DATE_CRITERION.earliest] }, value: f.earliest });
    if (f.due !== undefined) criteria.push({ code: { coding: [DATE_CRITERION.due] }, value: f.due });
    if (f.overdue !== undefined)
      criteria.push({ code: { coding: [DATE_CRITERION.overdue] }, value: f.overdue });
  }
  const supporting = f.doses
    .filter((d) => d.valid && d.reference !== undefined)
    .map((d) => ({ reference: d.reference }));
  const because = f.reasons.map((r) => `${r.rule}: ${r.text.en} [${r.source}]`).join(' | ');
  return {
    extension: ruleExtensions(f),
    vaccineCode: [{ coding: f.vaccineCode, text: f.name.vi }],
    targetDisease: { text: f.targetDisease.vi },
    forecastStatus: forecastStatus(f.status),
    ...(criteria.length > 0 ? { dateCriterion: criteria } : {}),
    description: `${f.name.en} — rule ${f.rule} (${f.source}). ${because}`,
    series: f.antigen,
    ...(f.doseNumber !== undefined ? { doseNumberPositiveInt: f.doseNumber } : {}),
    seriesDosesPositiveInt: f.seriesDoses,
    ...(supporting.length > 0 ? { supportingImmunization: supporting } : {}),
    ...(f.supportingInformation && f.supportingInformation.length > 0
      ? { supportingPatientInformation: f.supportingInformation.map((reference) => ({ reference })) }
      : {}),
  };
}

/** FHIR R4 ImmunizationRecommendation for a forecast; every recommendation carries its rule and source. */
export function toImmunizationRecommendation(
  patientRef: string | Reference,
  result: ForecastResult,
): ImmunizationRecommendationResource {
  return {
    resourceType: 'ImmunizationRecommendation',
    patient: typeof patientRef === 'string' ? { reference: patientRef } : patientRef,
    date: result.asOf,
    extension: ruleExtensions({
      rule: `epi.schedule.${result.scheduleVersion}`,
      source: result.scheduleSource,
    }),
    recommendation: result.forecasts.map(recommendationOf),
  };
}
