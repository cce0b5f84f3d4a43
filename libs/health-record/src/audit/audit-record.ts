/**
 * One audit trail entry (FHIR AuditEvent, BALP-style): who did what to which patients' data,
 * when, from where, with what outcome. Never a token, an identifier value or a clinical value.
 */
export interface AuditRecord {
  /** FHIR AuditEvent.action: C create, R read/vread/history, U update, D delete, E execute (search, operations). */
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  /** The interaction: read, vread, search-type, history, create, update, patch, delete, everything, break-glass... */
  readonly subtype: string;
  /** FHIR AuditEvent.outcome: 0 success, 4 minor failure (refused), 8 serious failure. */
  readonly outcome: '0' | '4' | '8';
  /** Account id or client_id. */
  readonly agent: string;
  readonly agentRole: string;
  /** The agent's fhirUser (Patient/..., Practitioner/...), when it has one. */
  readonly agentWho?: string;
  /** The agent's facility (`Organization/ID`), when it has one. */
  readonly agentOrg?: string;
  readonly patientIds: readonly string[];
  /** `Type/id/_history/n`, `Type/id` or `Type?param,param` (parameter names only). */
  readonly entity?: string;
  readonly sourceAddress?: string;
  /** v3 PurposeOfUse: TREAT normally, ETREAT under break-glass. */
  readonly purpose?: string;
  /**
   * A reason given by the user (break-glass), the refusal's status, or that a count named only its
   * first patients; never clinical data.
   */
  readonly detail?: string;
}

/** SQL that inserts an audit record, as a CTE body or a statement; parameters appended to `params`. */
export function auditInsertSql(
  a: AuditRecord,
  add: (value: unknown, cast: string) => string,
  guard = 'TRUE',
): string {
  return `INSERT INTO health_record.audit_event
      (action, subtype, outcome, agent, agent_role, agent_who, patient_ids, entity, source_address, purpose, detail, agent_org)
    SELECT ${add(a.action, 'text')}, ${add(a.subtype, 'text')}, ${add(a.outcome, 'text')}, ${add(a.agent, 'text')},
      ${add(a.agentRole, 'text')}, ${add(a.agentWho ?? null, 'text')}, ${add([...new Set(a.patientIds)], 'text[]')},
      ${add(a.entity ?? null, 'text')}, ${add(a.sourceAddress ?? null, 'text')}, ${add(a.purpose ?? null, 'text')},
      ${add(a.detail ?? null, 'text')}, ${add(a.agentOrg ?? null, 'text')} WHERE ${guard}`;
}
