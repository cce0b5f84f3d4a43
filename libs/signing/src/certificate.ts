/** X.509 helpers over node:crypto (parsing, validity window, key/certificate match, thumbprints). */
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { SigningError, type SignatureAlgorithm } from './signer';

/** Splits PEM text into DER buffers (one per CERTIFICATE block), order preserved. */
export function pemToDerChain(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m !== null; m = re.exec(pem))
    out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  return out;
}

export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END CERTIFICATE-----\n`;
}

/** Accepts DER buffers or PEM strings (a PEM string may hold several certificates). */
export function normaliseChain(input: readonly (Buffer | string)[]): Buffer[] {
  return input.flatMap((c) => (typeof c === 'string' ? pemToDerChain(c) : [c]));
}

/** SHA-256 of the DER certificate, base64url: the JWS `x5t#S256` value (RFC 7515 §4.1.8). */
export function thumbprintS256(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** The algorithm a public key can sign with here: RSA → RS256, EC P-256 → ES256; else refuse. */
export function algorithmForKey(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new SigningError(
    'SIGNING.UNSUPPORTED_KEY',
    `unsupported key type ${key.asymmetricKeyType ?? '?'} ${key.asymmetricKeyDetails?.namedCurve ?? ''}`.trim(),
  );
}

export function sameKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

/**
 * The start-up check every signer runs: a certificate is present and parses, it is inside its
 * validity window now, and (when the key's public half is known) it certifies that key.
 * Legal validity in Vietnam depends on a certificate from a licensed CA (docs/signatures.md);
 * a signer without one does not start.
 */
export function assertUsableChain(
  chain: readonly Buffer[],
  opts: { publicKey?: KeyObject; now?: Date } = {},
): X509Certificate {
  if (chain.length === 0) {
    throw new SigningError(
      'SIGNING.NO_CERTIFICATE',
      'no X.509 certificate for the signing key; a signer does not start without one',
    );
  }
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(chain[0]);
  } catch (e) {
    throw new SigningError(
      'SIGNING.NO_CERTIFICATE',
      `the signing certificate does not parse: ${(e as Error).message}`,
    );
  }
  const now = (opts.now ?? new Date()).getTime();
  if (now < Date.parse(leaf.validFrom) || now > Date.parse(leaf.validTo)) {
    throw new SigningError(
      'SIGNING.CERTIFICATE_NOT_VALID_NOW',
      `the signing certificate is valid from ${leaf.validFrom} to ${leaf.validTo}, not now`,
    );
  }
  if (opts.publicKey && !sameKey(opts.publicKey, leaf.publicKey)) {
    throw new SigningError(
      'SIGNING.KEY_CERTIFICATE_MISMATCH',
      'the certificate does not certify the signing key',
    );
  }
  return leaf;
}

export function publicKeyOf(der: Buffer): KeyObject {
  return createPublicKey(new X509Certificate(der).publicKey.export({ type: 'spki', format: 'pem' }));
}

/**
 * The chain builds to one of `anchors` (the operator's trusted CAs — e.g. the national root CA and
 * the licensed CAs it certified): each certificate is issued and signed by the next, every issuer
 * is a CA, and the last is an anchor or is issued and signed by one. `at`: the time each
 * certificate must be valid at (the signer's start; left out for a retired key, whose signatures
 * are checked against their own time). Throws SIGNING.UNTRUSTED_CHAIN naming what fails.
 */
export function assertChainToAnchor(
  chain: readonly Buffer[],
  anchors: readonly X509Certificate[],
  at?: Date,
): X509Certificate {
  const untrusted = (why: string): SigningError =>
    new SigningError('SIGNING.UNTRUSTED_CHAIN', `the signing certificate is not trusted: ${why}`);
  if (chain.length === 0) throw untrusted('no certificate');
  const certs = chain.map((d) => new X509Certificate(d));
  const within = (c: X509Certificate): boolean =>
    !at || (at.getTime() >= Date.parse(c.validFrom) && at.getTime() <= Date.parse(c.validTo));
  for (const [i, c] of certs.entries()) {
    if (!within(c)) throw untrusted(`${c.subject.replace(/\n/g, ', ')} is not valid at ${at?.toISOString()}`);
    const issuer = certs[i + 1];
    if (!issuer) break;
    if (!issuer.ca) throw untrusted(`${issuer.subject.replace(/\n/g, ', ')} is not a CA`);
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey))
      throw untrusted(`certificate ${i + 1} of the chain is not issued by the next one`);
  }
  const last = certs[certs.length - 1]!;
  if (anchors.some((a) => a.fingerprint256 === last.fingerprint256)) return certs[0]!;
  const anchor = anchors.find((a) => a.ca && last.checkIssued(a) && last.verify(a.publicKey) && within(a));
  if (!anchor)
    throw untrusted(`no trusted CA issued ${last.issuer.replace(/\n/g, ', ')} (SIGNING_TRUST_ANCHORS)`);
  return certs[0]!;
}

/** Every certificate of a PEM bundle (trust anchors). */
export function certificatesOfPem(pem: string): X509Certificate[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map(
    (m) => new X509Certificate(m[0]),
  );
}
