/**
 * Client of a remote signing service (HSM / cloud signing), modelled on the Cloud Signature
 * Consortium API v2: `credentials/info` gives the certificate chain, `signatures/signHash` signs
 * SHA-256 digests. Only the digest leaves this process. Protocol: docs/signatures.md §Remote.
 */
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { algorithmForKey, assertUsableChain, publicKeyOf, thumbprintS256 } from './certificate';
import { toRawEcdsa } from './ecdsa';
import { SigningError, type SignatureAlgorithm, type Signer } from './signer';

/** OIDs used in the requests (CSC v2 takes OIDs, not JOSE names). */
export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
} as const;

export interface RemoteSignerOptions {
  /** Service base URL, e.g. https://sign.example.vn/csc/v2 (paths are appended). */
  baseUrl: string;
  /** The service's identifier of our key + certificate (CSC `credentialID`). */
  credentialId: string;
  /** Bearer access token for the service (CSC: scope "service" or "credential"). */
  accessToken: string;
  /** Signature Activation Data, when the service requires one per call (CSC `SAD`). */
  sad?: string;
  /** JWS `kid`; defaults to the certificate's SHA-256 thumbprint. */
  keyId?: string;
  /** Request timeout, ms (default 10 s). */
  timeoutMs?: number;
  now?: Date;
}

interface CredentialsInfo {
  cert?: { certificates?: string[] };
}
interface SignHashResponse {
  signatures?: string[];
}

async function post<T>(url: string, token: string, body: unknown, timeoutMs: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new SigningError('SIGNING.REMOTE_FAILED', `signing service unreachable: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = '';
    try {
      const j = JSON.parse(text) as { error?: string; error_description?: string };
      detail = [j.error, j.error_description].filter(Boolean).join(': ');
    } catch {
      detail = '';
    }
    throw new SigningError(
      'SIGNING.REMOTE_FAILED',
      `signing service answered ${res.status}${detail ? ` (${detail})` : ''}`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SigningError('SIGNING.REMOTE_FAILED', 'signing service answered with a body that is not JSON');
  }
}

export class RemoteSigner implements Signer {
  private constructor(
    private readonly opts: RemoteSignerOptions,
    readonly certificateChain: readonly Buffer[],
    readonly algorithm: SignatureAlgorithm,
    readonly keyId: string,
  ) {}

  /**
   * Fetches the credential's certificate chain (`credentials/info`) and refuses to start when it
   * has none, is not valid now, or uses an unsupported key.
   */
  static async connect(opts: RemoteSignerOptions): Promise<RemoteSigner> {
    const base = opts.baseUrl.replace(/\/+$/, '');
    const info = await post<CredentialsInfo>(
      `${base}/credentials/info`,
      opts.accessToken,
      { credentialID: opts.credentialId, certificates: 'chain' },
      opts.timeoutMs ?? 10_000,
    );
    const chain = (info.cert?.certificates ?? []).map((b64) => Buffer.from(b64, 'base64'));
    assertUsableChain(chain, { now: opts.now });
    const algorithm = algorithmForKey(publicKeyOf(chain[0]));
    return new RemoteSigner(
      { ...opts, baseUrl: base },
      Object.freeze(chain),
      algorithm,
      opts.keyId ?? thumbprintS256(chain[0]),
    );
  }

  async sign(data: Buffer): Promise<Buffer> {
    const digest = createHash('sha256').update(data).digest('base64');
    const res = await post<SignHashResponse>(
      `${this.opts.baseUrl}/signatures/signHash`,
      this.opts.accessToken,
      {
        credentialID: this.opts.credentialId,
        ...(this.opts.sad ? { SAD: this.opts.sad } : {}),
        hashes: [digest],
        hashAlgorithmOID: OID.sha256,
        signAlgo: this.algorithm === 'ES256' ? OID.ecdsaWithSHA256 : OID.sha256WithRSAEncryption,
      },
      this.opts.timeoutMs ?? 10_000,
    );
    const sig = res.signatures?.[0];
    if (typeof sig !== 'string' || res.signatures?.length !== 1) {
      throw new SigningError('SIGNING.REMOTE_FAILED', 'signing service did not return exactly one signature');
    }
    const bytes = Buffer.from(sig, 'base64');
    const value = this.algorithm === 'ES256' ? toRawEcdsa(bytes) : bytes;
    // Check before handing it out: a wrong key or a corrupted answer must not become a record.
    const key = publicKeyOf(this.certificateChain[0]);
    const ok =
      this.algorithm === 'ES256'
        ? cryptoVerify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, value)
        : cryptoVerify('sha256', data, key, value);
    if (!ok)
      throw new SigningError(
        'SIGNING.REMOTE_FAILED',
        'the signature returned by the service does not verify with its certificate',
      );
    return value;
  }
}
