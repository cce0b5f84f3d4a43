/** Short, readable text of FHIR values for the doctor's screens. */
export interface CodeableConcept {
  text?: string;
  coding?: { system?: string; code?: string; display?: string }[];
}

export const conceptText = (c: CodeableConcept | undefined): string =>
  c?.text ?? c?.coding?.find((x) => x.display)?.display ?? c?.coding?.[0]?.code ?? '';
