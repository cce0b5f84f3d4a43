/**
 * The NEWS2 score the server computes from the vitals just saved (docs/care.md § Early warning):
 * its total and the response RCP NEWS2 Chart 4 requires, read from the NEWS2 Observation — the
 * portal never scores vitals itself.
 */
import type { FhirResource } from '../api';
import { scaleOf } from '../record/scale2';

/** SNOMED CT "NEWS2 total score", the code of the NEWS2 Observation. */
export const NEWS2_CODE = 'http://snomed.info/sct|1104051000000101';
export const NEWS2_RESPONSE_SYSTEM = 'https://fhir.mekong.health/CodeSystem/news2-response';

/** RCP Chart 4: 0 routine · 1–4 assess · a single 3 urgent review · 5–6 urgent · ≥ 7 emergency. */
export type News2Response = 'routine' | 'assess' | 'urgent-review' | 'urgent' | 'emergency';
const RESPONSES: readonly string[] = ['routine', 'assess', 'urgent-review', 'urgent', 'emergency'];

export interface News2Summary {
  /** The total; absent when the set is incomplete (a missing parameter is never scored 0). */
  score?: number;
  /** The required response; absent when nothing is established yet. */
  response?: News2Response;
  /** The SpO2 scale the server used (Scale 2 only under a doctor's recorded decision). */
  scale?: 1 | 2;
}

/** The responses that raise an alert (and are sent to the station's staff). */
export const isAlert = (r: News2Response | undefined): boolean =>
  r === 'urgent-review' || r === 'urgent' || r === 'emergency';

/** Score and response of a NEWS2 Observation. */
export function news2Summary(observation: FhirResource): News2Summary {
  const o = observation as FhirResource & {
    valueInteger?: unknown;
    interpretation?: { coding?: { system?: string; code?: string }[] }[];
  };
  const code = (o.interpretation ?? [])
    .flatMap((i) => i.coding ?? [])
    .find((c) => c.system === NEWS2_RESPONSE_SYSTEM && RESPONSES.includes(c.code ?? ''))?.code;
  return {
    ...(typeof o.valueInteger === 'number' ? { score: o.valueInteger } : {}),
    ...(code ? { response: code as News2Response } : {}),
    ...(scaleOf(observation).scale ? { scale: scaleOf(observation).scale } : {}),
  };
}
