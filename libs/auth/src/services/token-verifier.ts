import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ACCOUNT_ROLES, type Principal, type PrincipalRole } from '../roles';
import { SIGNING_ALG } from './key-store.service';

/** Injection token of the TokenVerifier (local keys on the issuer, JWKS elsewhere). */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export class InvalidTokenError extends Error {}

const KNOWN_ROLES = new Set<string>([...ACCOUNT_ROLES, 'system']);

/** Verifies access tokens against a JWKS: the local key store, or a remote JWKS URL. */
export class TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  static local(jwks: () => { keys: object[] }, issuer: string, audience: string): TokenVerifier {
    // Rebuilt only when the key store publishes a different key set (keys load after construction);
    // jose caches imported keys per set, so verification stays a signature check.
    let current: { keys: object[] } | undefined;
    let set: JWTVerifyGetKey | undefined;
    const getKey: JWTVerifyGetKey = (header, token) => {
      const keys = jwks();
      if (keys !== current || !set) {
        current = keys;
        set = createLocalJWKSet(keys as Parameters<typeof createLocalJWKSet>[0]);
      }
      return set(header, token);
    };
    return new TokenVerifier(getKey, issuer, audience);
  }

  static remote(jwksUrl: string, issuer: string, audience: string): TokenVerifier {
    return new TokenVerifier(createRemoteJWKSet(new URL(jwksUrl)), issuer, audience);
  }

  /**
   * Verified tokens, until they expire: a client sends the same token with every request, and the
   * ECDSA check was the largest single cost of a read. Bounded; oldest entries go first.
   */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();

  /** The caller, or InvalidTokenError (expired, wrong signature/issuer/audience, alg none...). */
  async verify(token: string): Promise<Principal> {
    const hit = this.verified.get(token);
    if (hit && hit.expiresAt > Date.now()) return hit.principal;
    if (hit) this.verified.delete(token);
    const principal = await this.verifySignature(token);
    if (this.verified.size >= 10000) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAt: principal.expiresAt * 1000 });
    return principal;
  }

  private async verifySignature(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: [SIGNING_ALG],
        requiredClaims: ['sub', 'exp', 'jti'],
      });
      if (!KNOWN_ROLES.has(String(payload.role))) throw new InvalidTokenError('token invalid');
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return {
        subject: payload.sub as string,
        role: payload.role as PrincipalRole,
        scopes: scope.split(' ').filter(Boolean),
        fhirUser: typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined,
        patient: typeof payload.patient === 'string' ? payload.patient : undefined,
        organization: typeof payload.organization === 'string' ? payload.organization : undefined,
        tokenId: payload.jti as string,
        expiresAt: payload.exp as number,
        // `iat` has whole seconds; the server's own `iat_ms` says which side of a password change
        // a token issued in that same second is on.
        ...(typeof payload.iat_ms === 'number'
          ? { issuedAtMs: payload.iat_ms }
          : typeof payload.iat === 'number'
            ? { issuedAtMs: payload.iat * 1000 }
            : {}),
        ...(typeof payload.sid === 'string' ? { sessionId: payload.sid } : {}),
      };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof errors.JOSEError) {
        throw new InvalidTokenError(err instanceof errors.JWTExpired ? 'token expired' : 'token invalid');
      }
      throw new InvalidTokenError('token invalid');
    }
  }
}
