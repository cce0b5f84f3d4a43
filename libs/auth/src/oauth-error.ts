import { HttpException } from '@nestjs/common';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

/**
 * An RFC 6749 §5.2 error response: `{error, error_description}`, never a stack trace. `code` (an
 * extension member clients may ignore) tells a client what to do where `error` alone cannot: the
 * portal asks for the authenticator code only after `AUTH.OTP_REQUIRED`, and says how long a
 * lockout lasts after `AUTH.TOO_MANY_ATTEMPTS` (with Retry-After).
 */
export class OAuthError extends HttpException {
  constructor(
    error: OAuthErrorCode,
    description: string,
    status = 400,
    readonly headers: Readonly<Record<string, string>> = {},
    code?: string,
  ) {
    super({ error, error_description: description, ...(code ? { code } : {}) }, status);
  }
}
