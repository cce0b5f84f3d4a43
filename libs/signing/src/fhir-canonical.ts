/**
 * What is signed of a FHIR resource version. FHIR R4 §2.6.2.6 (json.html#canonical) names the
 * methods; this library uses `http://hl7.org/fhir/canonicalization/json#static`: Resource.text
 * and Resource.meta are removed (so meta.versionId / meta.lastUpdated, which the server assigns
 * and which change when the record moves, are not signed), then the rest is serialised with
 * RFC 8785 JCS, which meets R4's "no whitespace, properties in alphabetical order". The version
 * that was signed is named by Provenance.target (`Type/id/_history/v`). See decision 030.
 */
import { canonicalize } from './jcs';

export const FHIR_JSON_STATIC = 'http://hl7.org/fhir/canonicalization/json#static';
/** Signature.targetFormat: the signed content's mime type with its canonicalization. */
export const TARGET_FORMAT = `application/fhir+json;canonicalization=${FHIR_JSON_STATIC}`;

export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** Only the root resource's `text` and `meta` go (contained resources keep theirs, as R4 says "Resource.text"). */
export function canonicalFhirJson(resource: FhirResource): Buffer {
  const rest: Record<string, unknown> = { ...resource };
  delete rest.text;
  delete rest.meta;
  return Buffer.from(canonicalize(rest), 'utf8');
}
