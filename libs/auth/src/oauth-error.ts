import { HttpException } from '@nestjs/common';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

/** An RFC 6749 §5.2 error response: `{error, error_description}`, never a stack trace. */
export class OAuthError extends HttpException {
  constructor(
    error: OAuthErrorCode,
    description: string,
    status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ error, error_description: description }, status);
  }
}
