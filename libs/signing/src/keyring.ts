/**
 * Keys by `kid`: exactly one active key signs; every key still on the ring verifies. Rotation =
 * add the new signer, activate it, keep the old entry as retired (verification only) so that
 * signatures made before the rotation still verify. Only certificates are kept for retired keys.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import { algorithmForKey, assertChainToAnchor, publicKeyOf } from './certificate';
import { SigningError, type SignatureAlgorithm, type Signer } from './signer';

export type KeyStatus = 'active' | 'retired';

export interface VerificationKey {
  kid: string;
  algorithm: SignatureAlgorithm;
  publicKey: KeyObject;
  certificate: X509Certificate;
  certificateChain: readonly Buffer[];
  status: KeyStatus;
}

export class Keyring {
  readonly #keys = new Map<string, VerificationKey>();
  readonly #signers = new Map<string, Signer>();
  #active: string | undefined;
  readonly #anchors: readonly X509Certificate[];

  /**
   * `trustAnchors`: when given, a key joins the ring only if its chain builds to one of them
   * (assertChainToAnchor) — the signer valid now, a retired key's chain whatever the date — so
   * every signature that verifies against this ring is by a certificate of a trusted CA.
   */
  constructor(opts: { trustAnchors?: readonly X509Certificate[] } = {}) {
    this.#anchors = opts.trustAnchors ?? [];
  }

  /** Whether keys must chain to configured trust anchors. */
  get anchored(): boolean {
    return this.#anchors.length > 0;
  }

  /** Adds a signer (it can sign once activated, and verifies). The first signer added becomes active. */
  addSigner(signer: Signer, opts: { activate?: boolean } = {}): this {
    this.#put(signer.keyId, signer.certificateChain, new Date());
    this.#signers.set(signer.keyId, signer);
    if (opts.activate === true || this.#active === undefined) this.activate(signer.keyId);
    return this;
  }

  /** Adds a verification-only key (a retired key whose private half is gone) from its certificate chain. */
  addCertificate(kid: string, chain: readonly Buffer[]): this {
    this.#put(kid, chain);
    return this;
  }

  /** Makes `kid` the signing key; the previous active key becomes retired and still verifies. */
  activate(kid: string): this {
    if (!this.#signers.has(kid)) throw new SigningError('SIGNING.NO_ACTIVE_KEY', `no signer for kid ${kid}`);
    for (const k of this.#keys.values()) k.status = k.kid === kid ? 'active' : 'retired';
    this.#active = kid;
    return this;
  }

  /** Drops a key entirely: signatures under it no longer verify against this ring. */
  remove(kid: string): this {
    if (kid === this.#active)
      throw new SigningError('SIGNING.NO_ACTIVE_KEY', 'cannot remove the active key; activate another first');
    this.#keys.delete(kid);
    this.#signers.delete(kid);
    return this;
  }

  activeSigner(): Signer {
    const s = this.#active === undefined ? undefined : this.#signers.get(this.#active);
    if (!s) throw new SigningError('SIGNING.NO_ACTIVE_KEY', 'the keyring has no active signing key');
    return s;
  }

  verificationKey(kid: string): VerificationKey | undefined {
    return this.#keys.get(kid);
  }

  list(): VerificationKey[] {
    return [...this.#keys.values()];
  }

  #put(kid: string, chain: readonly Buffer[], at?: Date): void {
    if (this.#keys.has(kid))
      throw new SigningError('SIGNING.DUPLICATE_KID', `kid ${kid} is already on the keyring`);
    if (chain.length === 0) throw new SigningError('SIGNING.NO_CERTIFICATE', `kid ${kid} has no certificate`);
    if (this.#anchors.length > 0) assertChainToAnchor(chain, this.#anchors, at);
    const publicKey = publicKeyOf(chain[0]);
    this.#keys.set(kid, {
      kid,
      algorithm: algorithmForKey(publicKey),
      publicKey,
      certificate: new X509Certificate(chain[0]),
      certificateChain: Object.freeze([...chain]),
      status: 'retired',
    });
  }
}
