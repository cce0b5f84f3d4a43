/**
 * An error a service throws on purpose: a stable machine code (`AUTH.USERNAME_TAKEN`), the HTTP
 * status it maps to, and a message safe to show the caller. Transport filters format it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
