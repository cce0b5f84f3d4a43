import { stableUuid } from '@mekong/common';

/**
 * The NEWS2 alert Flag as other contexts read it (the consultation's waiting room orders by it):
 * one Flag per patient, written by early-warning.service.ts, active while the latest complete
 * score alerts, its score in an extension.
 */
export const NEWS2_FLAG_SCORE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/news2-score';

/** The patient's one NEWS2 alert Flag (active while the latest complete score alerts). */
export function news2FlagId(patientId: string): string {
  return stableUuid(`news2-flag|${patientId}`);
}

export interface News2FlagLike {
  status?: string;
  subject?: { reference?: string };
  extension?: { url?: string; valueInteger?: number }[];
}

/** What a NEWS2 Flag says: the score it reflects and whether it alerts now. */
export function news2AlertOf(flag: News2FlagLike | null | undefined): { news2?: number; alert?: boolean } {
  if (!flag) return {};
  const news2 = flag.extension?.find((e) => e.url === NEWS2_FLAG_SCORE_EXTENSION)?.valueInteger;
  return { ...(typeof news2 === 'number' ? { news2 } : {}), alert: flag.status === 'active' };
}
