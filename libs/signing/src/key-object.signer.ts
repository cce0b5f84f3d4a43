/** A signer over an in-memory node:crypto private key (used by the PKCS#12 signer and by tests). */
import { createPublicKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { algorithmForKey, assertUsableChain, thumbprintS256 } from './certificate';
import type { SignatureAlgorithm, Signer } from './signer';

export class KeyObjectSigner implements Signer {
  readonly algorithm: SignatureAlgorithm;
  readonly keyId: string;
  readonly certificateChain: readonly Buffer[];
  readonly #key: KeyObject;

  /**
   * Refuses to construct without a certificate that is valid now and certifies `privateKey`.
   * `keyId` defaults to the certificate's SHA-256 thumbprint (base64url).
   */
  constructor(privateKey: KeyObject, chain: readonly Buffer[], opts: { keyId?: string; now?: Date } = {}) {
    if (privateKey.type !== 'private') throw new TypeError('KeyObjectSigner needs a private key');
    const publicKey = createPublicKey(privateKey);
    assertUsableChain(chain, { publicKey, now: opts.now });
    this.algorithm = algorithmForKey(publicKey);
    this.certificateChain = Object.freeze([...chain]);
    this.keyId = opts.keyId ?? thumbprintS256(chain[0]);
    this.#key = privateKey;
  }

  sign(data: Buffer): Promise<Buffer> {
    const sig =
      this.algorithm === 'ES256'
        ? cryptoSign('sha256', data, { key: this.#key, dsaEncoding: 'ieee-p1363' })
        : cryptoSign('sha256', data, this.#key);
    return Promise.resolve(sig);
  }
}
