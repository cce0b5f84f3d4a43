/** @mekong/signing — signatures and provenance (docs/signatures.md, decision 030). */
export { SigningError, type SignatureAlgorithm, type Signer, type SigningErrorCode } from './signer';
export { KeyObjectSigner } from './key-object.signer';
export { Pkcs12Signer, type Pkcs12Options } from './pkcs12.signer';
export { RemoteSigner, OID, type RemoteSignerOptions } from './remote.signer';
export { signerFromEnv, keyringFromEnv } from './signer-from-env';
export { Keyring, type KeyStatus, type VerificationKey } from './keyring';
export { canonicalize } from './jcs';
export { canonicalFhirJson, FHIR_JSON_STATIC, TARGET_FORMAT, type FhirResource } from './fhir-canonical';
export {
  signDetached,
  verifyDetached,
  decodeProtectedHeader,
  type DetachedJwsHeader,
  type JwsVerification,
} from './detached-jws';
export {
  signResourceVersion,
  verifyProvenance,
  versionedReference,
  AUTHOR_SIGNATURE,
  SIGNATURE_TYPE_SYSTEM,
  type FhirReference,
  type ProvenanceResource,
  type ProvenanceVerification,
  type SignResourceOptions,
} from './provenance';
export {
  signXml,
  verifyXml,
  RSA_SHA256,
  ECDSA_SHA256,
  type SignXmlOptions,
  type XmlVerification,
} from './xmldsig';
export { pemToDerChain, derToPem, normaliseChain, thumbprintS256 } from './certificate';
export { SigningModule } from './signing.module';
export { SigningService, SIGNED_TYPES, provenanceId } from './signing.service';
