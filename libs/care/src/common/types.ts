/** Text in both languages the product ships (Vietnamese first). */
export interface Bilingual {
  vi: string;
  en: string;
}

/** Which rule produced an output, and the document the rule (and its numbers) came from. */
export interface RuleRef {
  rule: string;
  source: string;
}

/** A rule outcome with a human-readable explanation. */
export interface Reason extends RuleRef {
  text: Bilingual;
}

/** Minimal FHIR R4 shapes used by this library (JSON-compatible, no runtime dependency). */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Reference {
  reference?: string;
  display?: string;
}

export interface Extension {
  url: string;
  valueString?: string;
  valueCode?: string;
}

/** Extension URLs used to carry rule provenance on FHIR output. */
export const CARE_RULE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/care-rule';
export const CARE_RULE_SOURCE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/care-rule-source';

export function ruleExtensions(ref: RuleRef): Extension[] {
  return [
    { url: CARE_RULE_EXTENSION, valueString: ref.rule },
    { url: CARE_RULE_SOURCE_EXTENSION, valueString: ref.source },
  ];
}
