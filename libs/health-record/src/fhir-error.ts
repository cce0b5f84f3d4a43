import { HttpException } from '@nestjs/common';
import { errorDetails, type IssueType, operationOutcome, type OperationOutcomeIssue } from '@mekong/fhir';

/** An error of the FHIR API: its body is an OperationOutcome, its status the fitting HTTP code. */
export class FhirError extends HttpException {
  constructor(
    status: number,
    code: IssueType,
    diagnostics: string,
    expression?: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
    /** One of the project's error codes (issue.details.coding), e.g. `SCHEDULING.SLOT_TAKEN`. */
    readonly errorCode?: string,
  ) {
    super(
      operationOutcome({
        severity: 'error',
        code,
        diagnostics,
        ...(errorCode !== undefined ? { details: errorDetails(errorCode) } : {}),
        ...(expression && expression.length > 0 ? { expression: [...expression] } : {}),
      }),
      status,
    );
  }

  /** An error with one of the project's codes (issue.details.coding; docs/fhir-server.md "Errors"). */
  static coded(
    status: number,
    type: IssueType,
    errorCode: string,
    diagnostics: string,
    expression?: readonly string[],
  ): FhirError {
    return new FhirError(status, type, diagnostics, expression, {}, errorCode);
  }

  /** Several issues at once (validation). */
  static of(status: number, issues: OperationOutcomeIssue[]): HttpException {
    return new HttpException(operationOutcome(...issues), status);
  }
}
