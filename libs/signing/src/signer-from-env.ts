/**
 * Builds the configured Signer from environment variables (the lead may move the reading into
 * libs/common config; the names and rules stay). Secrets may come from files (`*_FILE`, e.g.
 * Docker/Kubernetes secrets) so they are not in the process environment.
 *
 *   SIGNING_MODE                 pkcs12 | remote
 *   SIGNING_KEY_ID               optional kid (default: SHA-256 thumbprint of the certificate)
 *   SIGNING_P12_PATH             pkcs12: path of the .p12/.pfx file
 *   SIGNING_P12_PASSPHRASE       pkcs12: passphrase, or
 *   SIGNING_P12_PASSPHRASE_FILE  pkcs12: file holding it (trailing newline dropped)
 *   SIGNING_REMOTE_URL           remote: service base URL (…/csc/v2)
 *   SIGNING_REMOTE_CREDENTIAL_ID remote: credentialID
 *   SIGNING_REMOTE_TOKEN | SIGNING_REMOTE_TOKEN_FILE   remote: bearer token
 */
import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { certificatesOfPem, pemToDerChain, thumbprintS256 } from './certificate';
import { Keyring } from './keyring';
import { Pkcs12Signer } from './pkcs12.signer';
import { RemoteSigner } from './remote.signer';
import { SigningError, type Signer } from './signer';

type Env = Record<string, string | undefined>;

function secret(env: Env, name: string): string {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && file !== undefined)
    throw new SigningError('SIGNING.CONFIG', `set ${name} or ${name}_FILE, not both`);
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new SigningError('SIGNING.CONFIG', `${name}_FILE cannot be read`);
    }
  }
  if (direct === undefined) throw new SigningError('SIGNING.CONFIG', `${name} (or ${name}_FILE) is required`);
  return direct;
}

function required(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new SigningError('SIGNING.CONFIG', `${name} is required`);
  return v;
}

export async function signerFromEnv(env: Env = process.env): Promise<Signer> {
  const keyId = env.SIGNING_KEY_ID || undefined;
  const mode = env.SIGNING_MODE ?? '';
  switch (mode) {
    case 'pkcs12':
      return Pkcs12Signer.fromFile(required(env, 'SIGNING_P12_PATH'), secret(env, 'SIGNING_P12_PASSPHRASE'), {
        keyId,
      });
    case 'remote':
      return RemoteSigner.connect({
        baseUrl: required(env, 'SIGNING_REMOTE_URL'),
        credentialId: required(env, 'SIGNING_REMOTE_CREDENTIAL_ID'),
        accessToken: secret(env, 'SIGNING_REMOTE_TOKEN'),
        keyId,
      });
    default:
      throw new SigningError('SIGNING.CONFIG', 'SIGNING_MODE must be pkcs12 or remote');
  }
}

/**
 * The keyring a process uses: the configured signer (active) plus the certificates of retired
 * keys, so that signatures made before a rotation still verify.
 *
 *   SIGNING_TRUST_ANCHORS  optional path of a PEM bundle of the CAs a signing certificate must
 *                          chain to (the national root CA, the licensed CAs): with it, a signer
 *                          or retired certificate that does not chain to one is refused at start.
 *   SIGNING_RETIRED_CERTS  optional path of a PEM bundle of retired signing certificates; each
 *                          is registered under its SHA-256 thumbprint (the default kid), so this
 *                          fits keys that were used without SIGNING_KEY_ID.
 */
export async function keyringFromEnv(env: Env = process.env): Promise<Keyring> {
  const ring = new Keyring({ trustAnchors: trustAnchorsFromEnv(env) }).addSigner(await signerFromEnv(env));
  const path = env.SIGNING_RETIRED_CERTS;
  if (path) {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
    } catch {
      throw new SigningError('SIGNING.CONFIG', 'SIGNING_RETIRED_CERTS cannot be read');
    }
    for (const der of pemToDerChain(pem)) {
      const kid = thumbprintS256(der);
      if (!ring.verificationKey(kid)) ring.addCertificate(kid, [der]);
    }
  }
  return ring;
}

/** The trust anchors of SIGNING_TRUST_ANCHORS (a PEM bundle), or none. */
export function trustAnchorsFromEnv(env: Env = process.env): X509Certificate[] {
  const path = env.SIGNING_TRUST_ANCHORS;
  if (!path) return [];
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    throw new SigningError('SIGNING.CONFIG', 'SIGNING_TRUST_ANCHORS cannot be read');
  }
  const anchors = certificatesOfPem(pem);
  if (anchors.length === 0)
    throw new SigningError('SIGNING.CONFIG', 'SIGNING_TRUST_ANCHORS holds no PEM certificate');
  return anchors;
}
