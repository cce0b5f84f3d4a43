import { HttpException } from '@nestjs/common';
import { type IssueType, operationOutcome, type OperationOutcomeIssue } from '@mekong/fhir';

/** An error of the FHIR API: its body is an OperationOutcome, its status the fitting HTTP code. */
export class FhirError extends HttpException {
  constructor(
    status: number,
    code: IssueType,
    diagnostics: string,
    expression?: readonly string[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(
      operationOutcome({
        severity: 'error',
        code,
        diagnostics,
        ...(expression && expression.length > 0 ? { expression: [...expression] } : {}),
      }),
      status,
    );
  }

  /** Several issues at once (validation). */
  static of(status: number, issues: OperationOutcomeIssue[]): HttpException {
    return new HttpException(operationOutcome(...issues), status);
  }
}
