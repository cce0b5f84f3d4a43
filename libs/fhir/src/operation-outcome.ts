/** FHIR R4 OperationOutcome (http://hl7.org/fhir/R4/operationoutcome.html), the error body of /fhir. */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** The R4 issue-type codes this server uses (value set issue-type, required binding). */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'not-found'
  | 'deleted'
  | 'too-long'
  | 'conflict'
  | 'business-rule'
  | 'too-costly'
  | 'throttled'
  | 'exception'
  | 'transient';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueType;
  diagnostics?: string;
  details?: { text?: string; coding?: { system: string; code: string }[] };
  expression?: string[];
}

/**
 * The project's error codes (e.g. `SCHEDULING.SLOT_TAKEN`, `CARE.NEWS2_ALERT_ACTIVE`): carried in
 * `issue.details.coding` so a client shows its own sentence in its user's language (the portal's
 * catalogue), the same codes as the `code` of the non-FHIR error body.
 */
export const ERROR_CODE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/error-code';

/** `details` naming an error code (and keeping a text, when there is one). */
export function errorDetails(code: string, text?: string): NonNullable<OperationOutcomeIssue['details']> {
  return { coding: [{ system: ERROR_CODE_SYSTEM, code }], ...(text !== undefined ? { text } : {}) };
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  id?: string;
  issue: OperationOutcomeIssue[];
}

/** Builds an OperationOutcome with one or more issues. */
export function operationOutcome(...issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

/** The issue code that fits an HTTP status, for errors raised outside the FHIR layer. */
export function issueTypeForStatus(status: number): IssueType {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
      return 'not-supported';
    case 409:
      return 'conflict';
    case 410:
      return 'deleted';
    case 412:
      return 'conflict';
    case 413:
      return 'too-long';
    case 422:
      return 'business-rule';
    case 429:
      return 'throttled';
    default:
      return status >= 500 ? 'exception' : 'processing';
  }
}
