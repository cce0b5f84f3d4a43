import { type FhirStore, type RecordCaller, recordedBy } from '@mekong/health-record';
import type { EntityManager } from 'typeorm';
import { NEWS2_FLAG_SCORE_EXTENSION, news2FlagId } from '../news2/news2-flag';

/** The patient's NEWS2 alert while it is active, as the server raised it. */
export interface ActiveNews2Alert {
  flag: string;
  /** When the episode began (Flag.period.start: the first alerting score). */
  since: string;
  score?: number;
}

/**
 * The patient's active NEWS2 alert raised by the server from vitals recorded by staff (a
 * self-reported set never raises the Flag; a Flag version written by anyone but the server — a
 * user's PUT on its id — does not count), or undefined.
 */
export async function activeNews2Alert(
  store: FhirStore,
  em: EntityManager,
  patientId: string,
  caller: RecordCaller,
): Promise<ActiveNews2Alert | undefined> {
  const id = news2FlagId(patientId);
  const v = await store.current(em, 'Flag', id, caller);
  const flag = v && !v.deleted ? v.content : null;
  if (!flag || flag.status !== 'active' || recordedBy(flag) !== 'system') return undefined;
  const score = (flag.extension as { url?: string; valueInteger?: number }[] | undefined)?.find(
    (e) => e.url === NEWS2_FLAG_SCORE_EXTENSION,
  )?.valueInteger;
  return {
    flag: `Flag/${id}`,
    since: (flag.period as { start?: string } | undefined)?.start ?? new Date(0).toISOString(),
    ...(typeof score === 'number' ? { score } : {}),
  };
}
