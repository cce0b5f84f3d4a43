import {
  type FhirResource,
  parseSearchRequest,
  type RecordCaller,
  type SearchService,
} from '@mekong/health-record';
import type { EntityManager } from 'typeorm';

const PAGE = 500;

/**
 * Every current resource of `type` matching the FHIR search `params`, read through the health
 * record's search (its API, not its tables) inside `em`'s transaction, following the pages.
 * Unknown parameters are an error (not silently ignored). `caller`: care's rules search as the
 * server under their named reason (audited so); a user's request (the station's list) with the
 * user's access context.
 */
export async function searchAll(
  search: SearchService,
  em: EntityManager,
  type: string,
  params: readonly [string, string][],
  caller: RecordCaller,
): Promise<FhirResource[]> {
  const out: FhirResource[] = [];
  let cursor: string | undefined;
  do {
    const request = parseSearchRequest([
      ...params,
      ['_count', String(PAGE)],
      ...(cursor ? ([['_cursor', cursor]] as [string, string][]) : []),
    ]);
    const { matches, next } = await search.search(type, request, { lenient: false, em, caller });
    out.push(...matches);
    cursor = next;
  } while (cursor);
  return out;
}

/** Every current resource of `type` whose `patient` is one of `patientIds` (searched 50 at a time). */
export async function searchByPatients(
  search: SearchService,
  em: EntityManager,
  type: string,
  patientIds: readonly string[],
  caller: RecordCaller,
): Promise<FhirResource[]> {
  const out: FhirResource[] = [];
  for (let i = 0; i < patientIds.length; i += 50) {
    const refs = patientIds.slice(i, i + 50).map((id) => `Patient/${id}`);
    out.push(...(await searchAll(search, em, type, [['patient', refs.join(',')]], caller)));
  }
  return out;
}
