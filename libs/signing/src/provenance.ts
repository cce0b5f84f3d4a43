/**
 * Signs one FHIR resource version and carries the detached JWS in a Provenance (FHIR R4
 * datatypes.html#JSON "JSON Signature rules"; provenance.html). `verifyProvenance` checks that the
 * Provenance targets exactly this version and that the signature covers this content.
 */
import { canonicalFhirJson, TARGET_FORMAT, type FhirResource } from './fhir-canonical';
import { signDetached, verifyDetached } from './detached-jws';
import type { Keyring } from './keyring';
import type { Signer } from './signer';

/** ASTM E1762-95(2013) signature type (FHIR R4 ValueSet signature-type). */
export const SIGNATURE_TYPE_SYSTEM = 'urn:iso-astm:E1762-95:2013';
export const AUTHOR_SIGNATURE = '1.2.840.10065.1.12.1.1';
export const JOSE = 'application/jose';

export interface FhirReference {
  reference?: string;
  display?: string;
  identifier?: { system?: string; value?: string };
}

export interface ProvenanceResource {
  resourceType: 'Provenance';
  id?: string;
  target: FhirReference[];
  recorded: string;
  agent: {
    type?: { coding: { system: string; code: string; display?: string }[] };
    who: FhirReference;
    onBehalfOf?: FhirReference;
  }[];
  signature: {
    type: { system: string; code: string; display?: string }[];
    when: string;
    who: FhirReference;
    onBehalfOf?: FhirReference;
    targetFormat?: string;
    sigFormat?: string;
    data?: string;
  }[];
  [k: string]: unknown;
}

export interface SignResourceOptions {
  /** The author (Practitioner / PractitionerRole reference) — Provenance.agent.who and signature.who. */
  author: FhirReference;
  onBehalfOf?: FhirReference;
  /** Signing time; defaults to now. */
  when?: Date;
}

/** `Type/id/_history/v` of a stored version; throws if id or meta.versionId is missing. */
export function versionedReference(resource: FhirResource): string {
  const v = resource.meta?.versionId;
  if (!resource.id || !v)
    throw new TypeError('sign a stored version: resource.id and meta.versionId are required');
  return `${resource.resourceType}/${resource.id}/_history/${v}`;
}

/**
 * Builds the Provenance for an author's signature over one stored resource version. The caller
 * stores it (in the same transaction as the version, where that matters).
 */
export async function signResourceVersion(
  resource: FhirResource,
  signer: Signer,
  opts: SignResourceOptions,
): Promise<ProvenanceResource> {
  const target = versionedReference(resource);
  const when = (opts.when ?? new Date()).toISOString();
  const jws = await signDetached(signer, canonicalFhirJson(resource), {
    // JAdES-style signing time and commitment type (FHIR: "SHALL include a CommitmentTypeIndication").
    // Header names follow ETSI TS 119 182-1 as far as read; see docs/signatures.md [unverified].
    sigT: when.replace(/\.\d{3}Z$/, 'Z'),
    srCms: [{ commId: { id: `urn:oid:${AUTHOR_SIGNATURE}` } }],
    cty: TARGET_FORMAT,
  });
  const type = [{ system: SIGNATURE_TYPE_SYSTEM, code: AUTHOR_SIGNATURE, display: "Author's Signature" }];
  return {
    resourceType: 'Provenance',
    target: [{ reference: target }],
    recorded: when,
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
              code: 'author',
              display: 'Author',
            },
          ],
        },
        who: opts.author,
        ...(opts.onBehalfOf ? { onBehalfOf: opts.onBehalfOf } : {}),
      },
    ],
    signature: [
      {
        type,
        when,
        who: opts.author,
        ...(opts.onBehalfOf ? { onBehalfOf: opts.onBehalfOf } : {}),
        targetFormat: TARGET_FORMAT,
        sigFormat: JOSE,
        data: Buffer.from(jws, 'utf8').toString('base64'),
      },
    ],
  };
}

export interface ProvenanceVerification {
  valid: boolean;
  reason: string;
  kid?: string;
}

/**
 * Verifies `provenance.signature[0]` over `resourceVersion`: target names this exact version,
 * the JWS verifies with the keyring key for its kid (retired keys included), the certificate was
 * valid at signature.when. Certificate revocation is not checked here (docs/signatures.md).
 */
export async function verifyProvenance(
  resourceVersion: FhirResource,
  provenance: ProvenanceResource,
  keyring: Keyring,
): Promise<ProvenanceVerification> {
  let target: string;
  try {
    target = versionedReference(resourceVersion);
  } catch (e) {
    return { valid: false, reason: (e as Error).message };
  }
  if (!provenance.target.some((t) => t.reference === target)) {
    return { valid: false, reason: `Provenance does not target ${target}` };
  }
  const sig = provenance.signature[0] as ProvenanceResource['signature'][number] | undefined;
  if (!sig?.data) return { valid: false, reason: 'Provenance has no signature data' };
  if (sig.sigFormat !== JOSE)
    return { valid: false, reason: `unsupported sigFormat ${sig.sigFormat ?? '(none)'}` };
  if (sig.targetFormat !== undefined && sig.targetFormat !== TARGET_FORMAT) {
    return { valid: false, reason: `unsupported targetFormat ${sig.targetFormat}` };
  }
  const jws = Buffer.from(sig.data, 'base64').toString('utf8');
  const res = await verifyDetached(jws, canonicalFhirJson(resourceVersion), keyring);
  if (!res.valid) return { valid: false, reason: res.reason, kid: res.kid };
  const key = keyring.verificationKey(res.kid);
  const when = Date.parse(sig.when);
  if (
    key &&
    (Number.isNaN(when) ||
      when < Date.parse(key.certificate.validFrom) ||
      when > Date.parse(key.certificate.validTo))
  ) {
    return { valid: false, reason: 'signature.when is outside the certificate validity', kid: res.kid };
  }
  return { valid: true, reason: 'signature verifies', kid: res.kid };
}
