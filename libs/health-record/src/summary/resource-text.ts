import type { FhirResource } from '../store/resource.repository';

/**
 * Plain text of what a resource says, for the IPS narrative and the visit PDF: the record's own
 * words (code text or display, values, dates), never a label of ours.
 */
export const ICD10_WHO = 'http://hl7.org/fhir/sid/icd-10';

type Coding = { system?: string; code?: string; display?: string };
export type Concept = { text?: string; coding?: Coding[] };
type Quantity = { value?: number; unit?: string; code?: string };

const get = (r: unknown, name: string): unknown =>
  r && typeof r === 'object' ? (r as Record<string, unknown>)[name] : undefined;

/** A CodeableConcept as text: its text, else the first display, else the first code. */
export function conceptText(c: unknown): string {
  const concept = c as Concept | undefined;
  if (!concept) return '';
  if (concept.text) return concept.text;
  const first = concept.coding?.find((x) => x.display) ?? concept.coding?.[0];
  return first?.display ?? first?.code ?? '';
}

/** The ICD-10 (WHO) coding of a concept, if any. */
export function icd10(c: unknown): Coding | undefined {
  return (c as Concept | undefined)?.coding?.find((x) => x.system === ICD10_WHO && x.code);
}

/** A diagnosis: "I10 — Tăng huyết áp vô căn" when ICD-10 coded, else the concept's text. */
export function diagnosisText(c: unknown): string {
  const code = icd10(c);
  const name = (c as Concept | undefined)?.text ?? code?.display ?? conceptText(c);
  return code ? `${code.code ?? ''} — ${name}` : name;
}

const quantity = (q: unknown): string => {
  const v = q as Quantity | undefined;
  if (v?.value === undefined) return '';
  return `${v.value}${(v.unit ?? v.code) ? ` ${v.unit ?? v.code}` : ''}`;
};

/** An Observation's value: quantity, string, concept, boolean or integer; components joined. */
export function observationValue(o: unknown): string {
  const direct =
    quantity(get(o, 'valueQuantity')) ||
    (get(o, 'valueString') as string | undefined) ||
    conceptText(get(o, 'valueCodeableConcept')) ||
    (get(o, 'valueInteger') !== undefined ? String(get(o, 'valueInteger') as number) : '') ||
    (get(o, 'valueBoolean') !== undefined ? String(get(o, 'valueBoolean') as boolean) : '');
  if (direct) return direct;
  const parts = ((get(o, 'component') as unknown[] | undefined) ?? [])
    .map((c) => {
      const v = quantity(get(c, 'valueQuantity')) || conceptText(get(c, 'valueCodeableConcept'));
      return v ? `${conceptText(get(c, 'code'))}: ${v}` : '';
    })
    .filter(Boolean);
  return parts.join('; ');
}

/** The date a resource is about (first 10 characters of the first date element it has). */
export function resourceDate(r: FhirResource): string {
  for (const name of [
    'effectiveDateTime',
    'occurrenceDateTime',
    'onsetDateTime',
    'authoredOn',
    'recordedDate',
    'dateAsserted',
    'issued',
  ]) {
    const v = get(r, name);
    if (typeof v === 'string') return v.slice(0, 10);
  }
  const period = (get(r, 'effectivePeriod') ?? get(r, 'period')) as { start?: string } | undefined;
  return period?.start?.slice(0, 10) ?? '';
}

/** The medicine a MedicationRequest or MedicationStatement names. */
export function medicationText(r: unknown): string {
  return (
    conceptText(get(r, 'medicationCodeableConcept')) ||
    ((get(r, 'medicationReference') as { display?: string } | undefined)?.display ?? '')
  );
}

/** One line for a resource of the summary. */
export function entryText(r: FhirResource): string {
  let what: string;
  switch (r.resourceType) {
    case 'Condition':
      what = diagnosisText(get(r, 'code'));
      break;
    case 'AllergyIntolerance':
      what = conceptText(get(r, 'code'));
      break;
    case 'MedicationRequest':
    case 'MedicationStatement': {
      const dosage = (
        (get(r, 'dosageInstruction') ?? get(r, 'dosage')) as { text?: string }[] | undefined
      )?.[0]?.text;
      what = [medicationText(r), dosage].filter(Boolean).join(': ');
      break;
    }
    case 'Immunization':
      what = conceptText(get(r, 'vaccineCode'));
      break;
    case 'Observation': {
      const value = observationValue(r);
      what = [conceptText(get(r, 'code')), value].filter(Boolean).join(': ');
      break;
    }
    default:
      what = conceptText(get(r, 'code'));
  }
  const date = resourceDate(r);
  return [what || `${r.resourceType}/${r.id ?? ''}`, date && `(${date})`].filter(Boolean).join(' ');
}

/** A HumanName list as text: `text`, else family then given names (the Vietnamese order). */
export function personName(names: unknown): string {
  const n = (names as { text?: string; family?: string; given?: string[] }[] | undefined)?.[0];
  if (!n) return '';
  return n.text ?? [n.family, ...(n.given ?? [])].filter(Boolean).join(' ');
}
