import type { EmailLanguage } from './email-templates';

interface Coded {
  readonly coding?: readonly { readonly code?: unknown }[];
}

/**
 * The language an email puts first, from the recipient's `communication` (FHIR R4: Patient and
 * RelatedPerson `{ language, preferred }`, Practitioner a list of CodeableConcept; BCP 47 codes):
 * English when the preferred one (else the first) is `en…`, otherwise Vietnamese.
 */
export function recipientLanguage(communication: unknown): EmailLanguage {
  if (!Array.isArray(communication)) return 'vi';
  const entries = communication.map((c: unknown) => {
    const o = (c ?? {}) as { language?: Coded; preferred?: unknown } & Coded;
    const code = (o.language ?? o).coding?.find((x) => typeof x.code === 'string')?.code;
    return { code: typeof code === 'string' ? code : undefined, preferred: o.preferred === true };
  });
  const chosen = entries.find((e) => e.preferred && e.code) ?? entries.find((e) => e.code);
  return chosen?.code && /^en\b/i.test(chosen.code) ? 'en' : 'vi';
}
