/**
 * The pluggable signer: something that holds (or reaches) one private key and its X.509
 * certificate chain, and signs bytes with it. The private key never leaves the implementation.
 */

/** JOSE algorithm names (RFC 7518 §3.1); the same key and padding are used for XMLDSig. */
export type SignatureAlgorithm = 'RS256' | 'ES256';

export interface Signer {
  /** Key identifier: JWS `kid`, keyring entry, `ds:KeyName`. Stable for the key's lifetime. */
  readonly keyId: string;
  /** X.509 chain, DER, signer's certificate first (then intermediates). Never empty. */
  readonly certificateChain: readonly Buffer[];
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (SHA-256 is applied by the signer). Returns the signature value in the JOSE /
   * XMLDSig 1.1 encoding: RSASSA-PKCS1-v1_5 octets for RS256; the 64-octet r||s pair for ES256
   * (RFC 7518 §3.4), never DER.
   */
  sign(data: Buffer): Promise<Buffer>;
}

export type SigningErrorCode =
  | 'SIGNING.NO_CERTIFICATE'
  | 'SIGNING.CERTIFICATE_NOT_VALID_NOW'
  | 'SIGNING.KEY_CERTIFICATE_MISMATCH'
  | 'SIGNING.BAD_PASSPHRASE'
  | 'SIGNING.BAD_KEYSTORE'
  | 'SIGNING.UNSUPPORTED_KEY'
  | 'SIGNING.REMOTE_FAILED'
  | 'SIGNING.NO_ACTIVE_KEY'
  | 'SIGNING.DUPLICATE_KID'
  | 'SIGNING.UNTRUSTED_CHAIN'
  | 'SIGNING.CONFIG';

/** Domain error with a stable code (STYLE.md: services throw domain errors with stable codes). */
export class SigningError extends Error {
  constructor(
    readonly code: SigningErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SigningError';
  }
}
