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
  details?: { text: string };
  expression?: string[];
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
