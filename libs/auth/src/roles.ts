import type { Role } from '@mekong/contracts';

/** Account roles: the shared contract (libs/contracts), the same list the portal builds against. */
export { ACCOUNT_ROLES, type AccountRole } from '@mekong/contracts';
export type PrincipalRole = Role;

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
