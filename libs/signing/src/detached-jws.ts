/**
 * Detached JWS with an unencoded payload (RFC 7515 Appendix F + RFC 7797 `b64: false`), compact
 * form `header..signature`. Signing goes through a Signer (which may be remote), verification
 * through `jose` against the keyring's certificate for the header's `kid`.
 */
import { flattenedVerify } from 'jose';
import { thumbprintS256 } from './certificate';
import type { Keyring } from './keyring';
import type { Signer } from './signer';

export interface DetachedJwsHeader {
  alg: 'RS256' | 'ES256';
  kid: string;
  b64: false;
  crit: ['b64'];
  x5c: string[];
  'x5t#S256': string;
  [extra: string]: unknown;
}

/** Returns the compact detached JWS (`<protected>..<signature>`). */
export async function signDetached(
  signer: Signer,
  payload: Buffer,
  extraHeader: Record<string, unknown> = {},
): Promise<string> {
  const header: DetachedJwsHeader = {
    ...extraHeader,
    alg: signer.algorithm,
    kid: signer.keyId,
    b64: false,
    crit: ['b64'],
    x5c: signer.certificateChain.map((c) => c.toString('base64')),
    'x5t#S256': thumbprintS256(signer.certificateChain[0]),
  };
  const protectedB64 = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
  // RFC 7797 §3: signing input = ASCII(BASE64URL(header)) || '.' || payload octets.
  const input = Buffer.concat([Buffer.from(`${protectedB64}.`, 'ascii'), payload]);
  const sig = await signer.sign(input);
  return `${protectedB64}..${sig.toString('base64url')}`;
}

export type JwsVerification =
  { valid: true; header: DetachedJwsHeader; kid: string } | { valid: false; reason: string; kid?: string };

export function decodeProtectedHeader(jws: string): DetachedJwsHeader | undefined {
  try {
    return JSON.parse(
      Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as DetachedJwsHeader;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a detached JWS over `payload`. The key is taken from the keyring by `kid` — never from
 * the JWS's own x5c (which anyone can put there); x5c must name the same certificate.
 */
export async function verifyDetached(
  jws: string,
  payload: Buffer,
  keyring: Keyring,
): Promise<JwsVerification> {
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '')
    return { valid: false, reason: 'not a compact detached JWS (header..signature)' };
  const header = decodeProtectedHeader(jws);
  if (!header || typeof header.kid !== 'string')
    return { valid: false, reason: 'JWS header unreadable or without kid' };
  const key = keyring.verificationKey(header.kid);
  if (!key) return { valid: false, reason: `unknown kid ${header.kid}`, kid: header.kid };
  if (header.alg !== key.algorithm)
    return {
      valid: false,
      reason: `alg ${String(header.alg)} does not match key ${key.kid}`,
      kid: header.kid,
    };
  if (header.b64 !== false)
    return { valid: false, reason: 'JWS must use an unencoded payload (b64: false)', kid: header.kid };
  if (Array.isArray(header.x5c) && header.x5c[0] !== key.certificateChain[0].toString('base64')) {
    return { valid: false, reason: 'x5c does not match the keyring certificate for kid', kid: header.kid };
  }
  try {
    await flattenedVerify({ protected: parts[0], payload, signature: parts[2] }, key.publicKey, {
      algorithms: [key.algorithm],
    });
  } catch (e) {
    return { valid: false, reason: `signature does not verify: ${(e as Error).message}`, kid: header.kid };
  }
  return { valid: true, header, kid: header.kid };
}
