import { errorDetails, issueTypeForStatus, operationOutcome } from '@mekong/fhir';

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function defaultCode(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'ERROR');
}

/**
 * The error body for a path: an OperationOutcome under /fhir, the project's
 * `{statusCode, code, message, correlationId}` everywhere else.
 */
export function errorBody(
  path: string,
  status: number,
  code: string,
  message: string,
  correlationId: string,
): object {
  if (path === '/fhir' || path.startsWith('/fhir/') || path.startsWith('/fhir?')) {
    const outcome = operationOutcome({
      severity: 'error',
      code: issueTypeForStatus(status),
      diagnostics: message,
      details: errorDetails(code, code),
    });
    return { ...outcome, id: correlationId };
  }
  return { statusCode: status, code, message, correlationId };
}
