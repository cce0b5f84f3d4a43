import type { Principal } from '@mekong/auth';
import { CCCD_SYSTEM } from '@mekong/fhir';
import type { AuditRecord } from '../audit/audit-record';
import { FhirError } from '../fhir-error';
import type { SqlParams } from '../search/query-builder';
import type { ScopePredicate } from '../search/search.service';
import { GATHERING_TYPES } from '../store/compartments';
import { checkGrantingWrite } from './granting-writes';

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

/**
 * The only types readable without belonging to a patient: directory, catalogue, terminology,
 * conformance and knowledge resources (who and where care is given, what may be prescribed,
 * which codes and forms exist). Any other resource that belongs to no patient — a Bundle or
 * Binary without one, an Observation with no subject — is open to system clients only: a type
 * missing here is closed, never open (test: every R4 type against this list).
 */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  // who and where
  'Organization',
  'OrganizationAffiliation',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'HealthcareService',
  'Endpoint',
  'Schedule',
  'Slot',
  'InsurancePlan',
  'Device',
  'DeviceDefinition',
  'ResearchStudy',
  // what may be given
  'Medication',
  'MedicationKnowledge',
  'MedicinalProduct',
  'MedicinalProductAuthorization',
  'MedicinalProductContraindication',
  'MedicinalProductIndication',
  'MedicinalProductIngredient',
  'MedicinalProductInteraction',
  'MedicinalProductManufactured',
  'MedicinalProductPackaged',
  'MedicinalProductPharmaceutical',
  'MedicinalProductUndesirableEffect',
  'Substance',
  'SubstanceNucleicAcid',
  'SubstancePolymer',
  'SubstanceProtein',
  'SubstanceReferenceInformation',
  'SubstanceSourceMaterial',
  'SubstanceSpecification',
  'CatalogEntry',
  // terminology and conformance
  'CodeSystem',
  'ValueSet',
  'ConceptMap',
  'NamingSystem',
  'TerminologyCapabilities',
  'CapabilityStatement',
  'StructureDefinition',
  'StructureMap',
  'SearchParameter',
  'OperationDefinition',
  'CompartmentDefinition',
  'ImplementationGuide',
  'GraphDefinition',
  'MessageDefinition',
  'EventDefinition',
  'ExampleScenario',
  // knowledge
  'Questionnaire',
  'PlanDefinition',
  'ActivityDefinition',
  'Library',
  'Measure',
  'ObservationDefinition',
  'SpecimenDefinition',
  'ChargeItemDefinition',
  'ResearchDefinition',
  'ResearchElementDefinition',
  'Evidence',
  'EvidenceVariable',
  'EffectEvidenceSynthesis',
  'RiskEvidenceSynthesis',
]);

/**
 * Types whose compartments are gathered from what they hold or name (a Bundle's entries, a Group's
 * members, a List's items...; GATHERING_TYPES), and Binary, which takes those of the resource it
 * follows (a scan of a Group's roster): readable only by a caller who reaches every one of those
 * patients, not just one of them.
 */
const CONTAINERS: ReadonlySet<string> = new Set([...GATHERING_TYPES, 'Binary']);

/** HL7 v3 RoleCode: the code system of GUARDIAN_CODES. */
export const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
/** The citizen-ID system a guardian is identified by (unique per Patient in this record). */
export const GUARDIAN_ID_SYSTEM = CCCD_SYSTEM;

/**
 * RelatedPerson.relationship codes (HL7 v3 RoleCode) that make someone a child's parent or legal
 * guardian — the people who may act for the child. Other relations (grandparent, sibling, contact)
 * grant nothing.
 */
export const GUARDIAN_CODES: readonly string[] = [
  'PRN',
  'MTH',
  'FTH',
  'NPRN',
  'NMTH',
  'NFTH',
  'ADOPTP',
  'ADOPTMTH',
  'ADOPTFTH',
  'STPPRN',
  'STPMTH',
  'STPFTH',
  'GUARD',
];

/** Whether this RelatedPerson content names a parent or legal guardian. */
export function isGuardianship(content: Record<string, unknown> | null | undefined): boolean {
  const rel = content?.relationship as { coding?: { system?: string; code?: string }[] }[] | undefined;
  return (rel ?? []).some((r) =>
    (r.coding ?? []).some((c) => c.system === ROLE_CODE && GUARDIAN_CODES.includes(c.code ?? '')),
  );
}

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
  private readonly allowed: ReadonlySet<string>;
  /** The SQL predicate of `scope` (undefined for system clients), built once. */
  private readonly predicate: ScopePredicate | undefined;

  constructor(
    readonly principal: Principal,
    readonly patients: 'all' | readonly string[],
    /** Why each patient is reachable (gp, careteam, encounter, appointment, consent, break-glass, self...). */
    readonly reasons: ReadonlyMap<string, string> = new Map(),
    /** The client's address, for the audit trail. */
    readonly sourceAddress?: string,
  ) {
    this.allowed = new Set(patients === 'all' ? [] : patients);
    this.predicate = patients === 'all' ? undefined : this.buildPredicate();
    // Computed once per request and never changed: a write that registers a Patient yields a new
    // context (`withRegistered`) for what the same request does next.
    Object.freeze(this);
  }

  /**
   * This request's context after it registered `patientId` (clinic staff creating a Patient at
   * their facility, checkWrite): the same caller, reaching that new Patient too.
   */
  withRegistered(patientId: string): AccessContext {
    if (this.patients === 'all' || this.allowed.has(patientId)) return this;
    return new AccessContext(
      this.principal,
      [...this.allowed, patientId],
      new Map([...this.reasons, [patientId, 'registered']]),
      this.sourceAddress,
    );
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
      agentOrg: this.principal.organization,
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

  /**
   * The SQL predicate every search, include, history and $everything adds (`alias` is a row of
   * `resource` or `resource_version`, each with the compartments of that version): the same rule
   * as `canSee`.
   */
  get scope(): ScopePredicate | undefined {
    return this.predicate;
  }

  private buildPredicate(): ScopePredicate {
    return (a: string, params: SqlParams): string => {
      const directory = `(cardinality(${a}.compartments) = 0 AND ${a}.resource_type = ANY(${params.add([...DIRECTORY_TYPES], 'text[]')}))`;
      if (this.principal.role === 'admin') return directory;
      const mine = params.add([...this.allowed], 'text[]');
      const containers = params.add([...CONTAINERS], 'text[]');
      return `(${directory}
        OR (${a}.compartments && ${mine} AND NOT ${a}.resource_type = ANY(${containers}))
        OR (cardinality(${a}.compartments) > 0 AND ${a}.compartments <@ ${mine} AND ${a}.resource_type = ANY(${containers})))`;
    };
  }

  /**
   * What the references of a write by this caller must resolve to (undefined: any live resource):
   * a resource the caller may see, so that one it may not see is refused exactly like a missing
   * one (422) and a write is no oracle on other patients' data. Directory data, the caller's own
   * Practitioner and the patients it reaches all pass. The one exception is an administrator
   * recording a guardianship, who names a child's Patient without reaching any patient.
   */
  referenceScope(type: string, content: Record<string, unknown> | null): ScopePredicate | undefined {
    if (this.principal.role === 'admin' && type === 'RelatedPerson' && isGuardianship(content))
      return undefined;
    return this.scope;
  }

  /** Whether a resource of `type` in these patients' compartments is visible (same rule as `scope`). */
  canSee(type: string, compartments: readonly string[]): boolean {
    if (this.patients === 'all') return true;
    if (compartments.length === 0) return DIRECTORY_TYPES.has(type);
    if (this.principal.role === 'admin') return false;
    return CONTAINERS.has(type)
      ? compartments.every((c) => this.allowed.has(c))
      : compartments.some((c) => this.allowed.has(c));
  }

  /** A patient whose whole record the caller may read ($everything). */
  canReachPatient(id: string): boolean {
    return this.patients === 'all' || (this.principal.role !== 'admin' && this.allowed.has(id));
  }

  /**
   * Throws 403 unless the caller may turn `before` into `after` (create: no before; delete: no
   * after). Returns the id of a Patient this write registers (clinic staff at their facility), which
   * the request then reaches through `withRegistered`; undefined otherwise.
   */
  checkWrite(type: string, before: WriteSide | undefined, after: WriteSide | undefined): string | undefined {
    // A deleted Patient's id is never registered again, by anyone (system clients included): its
    // audit trail, accounts, consents and the data still naming it would pass to whoever wrote it.
    if (type === 'Patient' && before && before.content === null && after)
      throw new FhirError(
        410,
        'deleted',
        'This Patient was deleted; its id is never registered again / Hồ sơ bệnh nhân này đã bị xóa và không thể đăng ký lại',
      );
    if (this.patients === 'all') return undefined;
    const role = this.principal.role;
    const sides = [before, after].filter((s): s is WriteSide => s !== undefined);
    const touchesPatients = sides.some((s) => s.compartments.length > 0);
    const deny = (why: string): never => {
      throw new FhirError(403, 'forbidden', `${why} / Không có quyền thực hiện thao tác này`);
    };
    // A guardianship counts only when written by the child's own facility or an administrator
    // (AccessService.children checks the writer); an administrator may record one, nothing else.
    if (role === 'admin' && type === 'RelatedPerson' && sides.some((side) => isGuardianship(side.content)))
      return;
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
      return newId;
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
    checkGrantingWrite(this.principal, this.reasons, type, before, after, deny);
  }
}

function pick(content: Record<string, unknown> | null, path: string): unknown {
  let cur: unknown = content;
  for (const part of path.split('.'))
    cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}
