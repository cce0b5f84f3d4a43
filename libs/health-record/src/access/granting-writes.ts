import type { Principal } from '@mekong/auth';
import { recordedBy } from '../store/recorded-by';
import type { FhirResource } from '../store/resource.repository';
import { isBreakGlassNotice } from './break-glass-alerts';

interface Side {
  readonly compartments: readonly string[];
  readonly content: Record<string, unknown> | null;
}

/**
 * Write rules for what grants access (docs/access-control.md "Facts that grant access"), checked
 * after the caller is known to reach every patient of the write:
 * - break-glass is read-only: nothing is written for a patient reached only through it, so an
 *   emergency opening can leave no lasting fact (an Appointment, an Encounter, a CareTeam...);
 * - only staff of the patient's managing facility (or the server) change Patient.generalPractitioner;
 * - practitioners do not write CareTeams (their facility's staff record membership);
 * - the patient's break-glass notice, written by the server, is changed or deleted by no one but a
 *   system client (system clients never reach this check).
 * AccessService.relationships counts these facts only from entitled writers as well; these rules
 * make the refusal visible (403) instead of a write that silently grants nothing.
 */
export function checkGrantingWrite(
  principal: Principal,
  reasons: ReadonlyMap<string, string>,
  type: string,
  before: Side | undefined,
  after: Side | undefined,
  deny: (why: string) => never,
): void {
  if (before && isBreakGlassNotice(type, before.content, recordedBy(before.content as FhirResource | null)))
    deny("The patient's break-glass notice is the server's record and is never changed");
  const sides = [before, after].filter((s): s is Side => s !== undefined);
  if (sides.some((s) => s.compartments.some((c) => reasons.get(c) === 'break-glass')))
    deny('Break-glass access is read-only: nothing is written under it');
  const role = principal.role;
  if (type === 'Patient' && after) {
    const gp = (s: Side | undefined): string => JSON.stringify(s?.content?.generalPractitioner ?? []);
    const managedHere = (s: Side): boolean =>
      principal.organization !== undefined &&
      (s.content?.managingOrganization as { reference?: string } | undefined)?.reference ===
        principal.organization;
    if (
      gp(before) !== gp(after) &&
      (role !== 'clinic-staff' || !managedHere(after) || (before !== undefined && !managedHere(before)))
    )
      deny("Only staff of the patient's facility record the general practitioner");
  }
  if (type === 'CareTeam' && role === 'practitioner')
    deny("Care team membership is recorded by the patient's facility");
}
