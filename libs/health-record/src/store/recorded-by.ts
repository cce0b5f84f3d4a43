import type { AccessContext } from '../access/access-context';
import type { FhirResource } from './resource.repository';

/**
 * Who recorded a version, as the server knows it — the authenticated writer's role — kept in
 * `meta.tag` under this system (server-owned like versionId: a tag of this system sent by a client
 * is replaced). Elements of the body such as `performer` are the client's claim; this is not. Codes:
 * patient, practitioner, clinic-staff, admin, system (a system client, or the server itself, e.g.
 * a derived NEWS2 score).
 */
export const RECORDED_BY_SYSTEM = 'https://fhir.mekong.health/CodeSystem/recorded-by';

/** `meta` with the recorded-by tag of this writer (`access` undefined: the server itself). */
export function stampRecordedBy(
  meta: Record<string, unknown> | undefined,
  access: AccessContext | undefined,
): Record<string, unknown> {
  const tags = ((meta?.tag as { system?: string }[] | undefined) ?? []).filter(
    (t) => t?.system !== RECORDED_BY_SYSTEM,
  );
  const role = access ? access.principal.role : 'system';
  return { ...(meta ?? {}), tag: [...tags, { system: RECORDED_BY_SYSTEM, code: role }] };
}

/** The role that recorded this content's version (undefined: written before the server kept it). */
export function recordedBy(content: FhirResource | null | undefined): string | undefined {
  const tags = (content?.meta?.tag as { system?: string; code?: string }[] | undefined) ?? [];
  return tags.find((t) => t.system === RECORDED_BY_SYSTEM)?.code;
}
