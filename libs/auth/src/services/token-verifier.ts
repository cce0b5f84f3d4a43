import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Principal, PrincipalRole } from '../roles';
import { SIGNING_ALG } from './key-store.service';

export class InvalidTokenError extends Error {}

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

  /** The caller, or InvalidTokenError (expired, wrong signature/issuer/audience, alg none...). */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.issuer,
        audience: this.audience,
        algorithms: [SIGNING_ALG],
        requiredClaims: ['sub', 'exp', 'jti'],
      });
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return {
        subject: payload.sub as string,
        role: payload.role as PrincipalRole,
        scopes: scope.split(' ').filter(Boolean),
        fhirUser: typeof payload.fhirUser === 'string' ? payload.fhirUser : undefined,
        patient: typeof payload.patient === 'string' ? payload.patient : undefined,
        organization: typeof payload.organization === 'string' ? payload.organization : undefined,
        tokenId: payload.jti as string,
      };
    } catch (err) {
      if (err instanceof errors.JOSEError) {
        throw new InvalidTokenError(err instanceof errors.JWTExpired ? 'token expired' : 'token invalid');
      }
      throw new InvalidTokenError('token invalid');
    }
  }
}
