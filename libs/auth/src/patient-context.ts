/**
 * Who may act for a patient: provided by the health-record context (it knows guardianships:
 * Patient.link → RelatedPerson.patient), used by the token endpoint to issue a parent a token
 * for a child. Absent (deployed apart), only one's own patient context is granted.
 */
export const PATIENT_CONTEXT_AUTHORIZER = Symbol('PATIENT_CONTEXT_AUTHORIZER');

export interface PatientContextAuthorizer {
  mayActFor(fhirUser: string | undefined, patientId: string): Promise<boolean>;
  /** The patients (children) the account behind `fhirUser` is guardian of, with name and birth date. */
  dependentsOf(fhirUser: string | undefined): Promise<Dependent[]>;
  /**
   * The managing organization (`Organization/ID`) of each existing Patient among `ids`; a Patient
   * that does not exist (or is deleted) is absent from the map, one with none maps to null.
   */
  managingOrganizations(ids: readonly string[]): Promise<Map<string, string | null>>;
  /**
   * Whether the Patient's CCCD (citizen identity card number) ends with `lastDigits` — the check a
   * station makes in person before resetting a patient's password; undefined when no such Patient
   * exists or it carries no CCCD. The number itself never leaves the record.
   */
  cccdEndsWith(patientId: string, lastDigits: string): Promise<boolean | undefined>;
}

export interface Dependent {
  readonly patient: string;
  readonly name?: string;
  readonly birthDate?: string;
}
