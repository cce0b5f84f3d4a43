/** Account roles (API.md "Auth"). `system` is the role of an OAuth client (client_credentials). */
export const ACCOUNT_ROLES = ['patient', 'practitioner', 'clinic-staff', 'admin'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type PrincipalRole = AccountRole | 'system';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** Account id, or client_id for a system client. */
  readonly subject: string;
  readonly role: PrincipalRole;
  readonly scopes: readonly string[];
  /** `Patient/ID` or `Practitioner/ID`. */
  readonly fhirUser?: string;
  /** The patient in context (patients: themselves). */
  readonly patient?: string;
  /** `Organization/ID` the account belongs to (clinic staff: their facility). */
  readonly organization?: string;
  readonly tokenId: string;
  /** When the access token was issued, milliseconds since the epoch. */
  readonly issuedAtMs?: number;
  /** The sign-in session (refresh token family) the token belongs to; a sign-out ends it. */
  readonly sessionId?: string;
  /** Expiry of the access token, seconds since the epoch. */
  readonly expiresAt: number;
}
