import type { Principal } from '@mekong/auth';
import type { AuditRecord } from '../audit/audit-record';
import { FhirError } from '../fhir-error';
import type { SqlParams } from '../search/query-builder';
import type { ScopePredicate } from '../search/search.service';

/** Resource types only administrators manage (directory data, not clinical records). */
export const ADMINISTRATIVE_TYPES = new Set([
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'HealthcareService',
  'Endpoint',
  'Schedule',
]);

/** What a patient may write about themselves (self-reported data, consent, their own bookings). */
export const PATIENT_WRITABLE = new Set([
  'Observation',
  'QuestionnaireResponse',
  'Consent',
  'Appointment',
  'Patient',
]);

/** Patient elements a patient may not change on their own record (security-and-reliability.md §4). */
const PROTECTED_PATIENT_ELEMENTS = [
  'meta.security',
  'identifier',
  'generalPractitioner',
  'managingOrganization',
  'active',
  'link',
];

export interface WriteSide {
  readonly compartments: readonly string[];
  readonly content: Record<string, unknown> | null;
  /** The resource's very first version (no earlier version, not even a deleted one, exists). */
  readonly firstVersion?: boolean;
}

/**
 * One request's access decision (scope ∩ role ∩ relationship/consent): which patients' records
 * the caller reaches. `patients === 'all'` only for system clients. Computed per request from the
 * current data, so a revoked Consent takes effect on the next request.
 */
export class AccessContext {
  private readonly allowed: Set<string>;

  constructor(
    readonly principal: Principal,
    readonly patients: 'all' | readonly string[],
    /** Why each patient is reachable (gp, careteam, encounter, appointment, consent, break-glass, self...). */
    readonly reasons: ReadonlyMap<string, string> = new Map(),
    /** The client's address, for the audit trail. */
    readonly sourceAddress?: string,
  ) {
    this.allowed = new Set(patients === 'all' ? [] : patients);
  }

  /** The audit record of an interaction by this caller on these patients' data. */
  audit(
    action: AuditRecord['action'],
    subtype: string,
    entity: string | undefined,
    patientIds: readonly string[],
    outcome: AuditRecord['outcome'] = '0',
    detail?: string,
  ): AuditRecord {
    const emergency = patientIds.some((p) => this.reasons.get(p) === 'break-glass');
    return {
      action,
      subtype,
      outcome,
      agent: this.principal.subject,
      agentRole: this.principal.role,
      agentWho: this.principal.fhirUser,
      patientIds,
      entity,
      sourceAddress: this.sourceAddress,
      purpose: emergency ? 'ETREAT' : 'TREAT',
      detail,
    };
  }

  get isSystem(): boolean {
    return this.patients === 'all';
  }

  /** The SQL predicate every search, include and $everything adds: visible = no patient, or an allowed one. */
  get scope(): ScopePredicate | undefined {
    if (this.patients === 'all') return undefined;
    const allowed = [...this.allowed];
    const admin = this.principal.role === 'admin';
    return (alias: string, params: SqlParams): string =>
      admin
        ? `cardinality(${alias}.compartments) = 0`
        : `(cardinality(${alias}.compartments) = 0 OR ${alias}.compartments && ${params.add(allowed, 'text[]')})`;
  }

  /** Whether a resource in these patients' compartments is visible (same rule as `scope`). */
  canSee(compartments: readonly string[]): boolean {
    if (this.patients === 'all' || compartments.length === 0) return true;
    if (this.principal.role === 'admin') return false;
    return compartments.some((c) => this.allowed.has(c));
  }

  /** A patient whose whole record the caller may read ($everything). */
  canReachPatient(id: string): boolean {
    return this.patients === 'all' || (this.principal.role !== 'admin' && this.allowed.has(id));
  }

  /** Throws 403 unless the caller may turn `before` into `after` (create: no before; delete: no after). */
  checkWrite(type: string, before: WriteSide | undefined, after: WriteSide | undefined): void {
    if (this.patients === 'all') return;
    const role = this.principal.role;
    const sides = [before, after].filter((s): s is WriteSide => s !== undefined);
    const touchesPatients = sides.some((s) => s.compartments.length > 0);
    const deny = (why: string): never => {
      throw new FhirError(403, 'forbidden', `${why} / Không có quyền thực hiện thao tác này`);
    };
    if (role === 'admin') {
      if (touchesPatients) deny('Administrators do not write clinical records');
      return;
    }
    if (!touchesPatients) {
      if (role === 'patient') deny(`Patients may not write ${type} resources outside their record`);
      if (
        ADMINISTRATIVE_TYPES.has(type) &&
        !(role === 'clinic-staff' && type === 'Organization' && before === undefined)
      ) {
        deny(`Only administrators manage ${type} resources`);
      }
      return;
    }
    const newId = after?.firstVersion ? (after.content?.id as string | undefined) : undefined;
    if (type === 'Patient' && before === undefined && newId && role === 'clinic-staff') {
      // Registering a patient at one's own facility: the new record is theirs to manage. The set
      // of patients this request reaches gains that new Patient only — never a Patient it links to
      // (Patient.link puts the Patient in the linked one's compartment): those must be reachable
      // already, like every other patient of a write.
      const org = (after?.content?.managingOrganization as { reference?: string } | undefined)?.reference;
      if (!this.principal.organization || org !== this.principal.organization) {
        deny('Clinic staff register patients at their own facility (managingOrganization)');
      }
      if (after?.compartments.some((c) => c !== newId && !this.allowed.has(c)))
        deny('No care relationship or consent covers the patients this Patient links to');
      this.allowed.add(newId);
      return;
    }
    for (const side of sides) {
      // Every patient the resource belongs to, before and after, must be one the caller reaches.
      if (side.compartments.length === 0 || !side.compartments.every((c) => this.allowed.has(c))) {
        deny(`No care relationship or consent covers every patient of this ${type}`);
      }
    }
    if (role === 'patient') {
      if (!PATIENT_WRITABLE.has(type)) deny(`Patients may not write ${type} resources`);
      if (type === 'Patient' && (before === undefined || after === undefined))
        deny('Patients may not create or delete Patient records');
      if (type === 'Patient' && before && after) {
        for (const path of PROTECTED_PATIENT_ELEMENTS) {
          if (JSON.stringify(pick(before.content, path)) !== JSON.stringify(pick(after.content, path))) {
            deny(`Patients may not change ${path} on their own record`);
          }
        }
      }
    }
  }
}

function pick(content: Record<string, unknown> | null, path: string): unknown {
  let cur: unknown = content;
  for (const part of path.split('.'))
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}
