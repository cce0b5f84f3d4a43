/**
 * Error codes (`AREA.CODE`) a client can rely on: the non-FHIR error body's `code`, or an
 * OperationOutcome issue's `details.coding` in ERROR_CODE_SYSTEM (docs/fhir-server.md "Errors").
 */
export const ERROR_CODE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/error-code';

/** The non-FHIR error body (`{ statusCode, code, message, correlationId }`). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  correlationId?: string;
}
