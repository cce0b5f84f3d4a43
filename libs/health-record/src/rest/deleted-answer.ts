import type { AccessContext } from '../access/access-context';
import { FhirError } from '../fhir-error';
import type { StoredVersion } from '../store/resource.repository';

/**
 * After a DELETE (`v`: the tombstone written, the earlier one if it was deleted before, undefined
 * if the id never existed). Deleting again is idempotent (204) for a caller who could see what was
 * there; to anyone else a missing id, or one deleted before, answers 404 exactly like a live
 * resource they may not see — else 204 against 404 would tell other people's ids from missing ones.
 * System clients see everything: for them a missing id stays an idempotent 204.
 */
export function assertDeleteVisible(
  type: string,
  id: string,
  v: StoredVersion | undefined,
  access: AccessContext,
): void {
  if (access.isSystem) return;
  if (!v || !access.canSee(type, v.compartments ?? []))
    throw new FhirError(404, 'not-found', `${type}/${id} not found`);
}
