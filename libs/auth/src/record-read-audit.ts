import type { Principal } from './roles';

/**
 * Writes a read of patient data made outside the FHIR API into the record's audit trail, naming
 * the patients read, so each sees it in their own AuditEvent list ("who viewed my record"): provided
 * by the health-record context (AuditService.recordRead). Used by auth's own routes that show
 * record data (dependents, accounts to review); absent only where the record is not deployed, and
 * there those routes have no record data to show.
 */
export const RECORD_READ_AUDIT = Symbol('RECORD_READ_AUDIT');

/** One read of patient data through a non-FHIR route. */
export interface RecordRead {
  /** The route as `METHOD /path` with no query string and no parameter values (`GET /auth/dependents`). */
  readonly route: string;
  /** The patients whose data the answer shows (ids, without `Patient/`); none: nothing is recorded. */
  readonly patients: readonly (string | undefined)[];
  /** The caller's address (taken from trusted proxy hops only). */
  readonly address?: string;
}

export interface RecordReadAudit {
  recordRead(who: Principal, read: RecordRead): Promise<void>;
}
