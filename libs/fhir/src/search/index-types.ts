/** The FHIR R4 search parameter types (http://hl7.org/fhir/R4/search.html#ptypes). */
export type SearchParamType =
  'string' | 'token' | 'reference' | 'date' | 'number' | 'quantity' | 'uri' | 'composite' | 'special';

/** One SearchParameter definition from the official R4 artifacts, narrowed to one resource type. */
export interface SearchParamDef {
  readonly code: string;
  readonly type: SearchParamType;
  /** The FHIRPath expression, narrowed to this resource type's branch (e.g. `Patient.name`). */
  readonly expression: string;
  readonly url: string;
  /** Allowed target resource types of a reference parameter. */
  readonly target: readonly string[];
}

/**
 * One value a resource contributes to a search parameter, extracted at write time. Stored as a
 * row of the matching index table; searched without touching the resource JSON.
 */
export type IndexEntry =
  | { readonly kind: 'string'; readonly param: string; readonly value: string; readonly norm: string }
  | {
      readonly kind: 'token';
      readonly param: string;
      readonly system: string | null;
      readonly code: string | null;
      /** Normalised display/text for `:text` (see normalizeText). */
      readonly text: string | null;
    }
  | {
      readonly kind: 'reference';
      readonly param: string;
      readonly targetType: string | null;
      readonly targetId: string | null;
      /** The reference as written (relative, absolute URL, urn:uuid, canonical). */
      readonly reference: string;
    }
  | {
      readonly kind: 'date';
      readonly param: string;
      /** Inclusive lower bound, ISO instant (UTC); null: unbounded below. */
      readonly low: string | null;
      /** Exclusive upper bound, ISO instant (UTC); null: unbounded above. */
      readonly high: string | null;
    }
  | { readonly kind: 'number'; readonly param: string; readonly value: number }
  | {
      readonly kind: 'quantity';
      readonly param: string;
      readonly value: number;
      readonly system: string | null;
      readonly code: string | null;
      readonly unit: string | null;
    }
  | { readonly kind: 'uri'; readonly param: string; readonly value: string };

/** The severity and FHIRPath location of one validation problem (an OperationOutcome issue). */
export interface ValidationIssue {
  readonly severity: 'error' | 'warning';
  readonly code:
    'structure' | 'required' | 'value' | 'invariant' | 'code-invalid' | 'business-rule' | 'invalid';
  readonly diagnostics: string;
  /** FHIRPath expressions, e.g. `Patient.birthDate` or `Patient.identifier[0].value`. */
  readonly expression: readonly string[];
}
