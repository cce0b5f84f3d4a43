/** The national prescription code on a MedicationRequest (`identifier`); the visit PDF prints it. */
export const E_PRESCRIPTION_CODE_SYSTEM = 'https://fhir.mekong.health/sid/e-prescription-code';
/**
 * The prescription type on a MedicationRequest (`category`): the letter ending the national code
 * (Circular 26/2025/TT-BYT, Appendix I, note 1: N narcotic, H psychotropic/precursor, C other) and
 * the connection standard's `loai_don_thuoc` (c, n, h, y — QĐ 808/QĐ-BYT, [unverified], see
 * docs/eprescription.md). A MedicationRequest carrying it is sent to the national system.
 */
export const E_PRESCRIPTION_TYPE_SYSTEM = 'https://fhir.mekong.health/CodeSystem/e-prescription-type';
/** The national drug list (MA_THUOC, the lists helper's `drugs-bhyt` code system). */
export const DRUG_SYSTEM = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
/** ICD-10 (WHO) as the Ministry of Health lists it. */
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const UCUM = 'http://unitsofmeasure.org';
export const CCCD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cccd';

/**
 * Prescription types this platform issues. Only `c` (ordinary): narcotic (`n`) and psychotropic/
 * precursor (`h`) prescriptions have their own forms, copies and limits (Circular 26/2025 art. 7–9)
 * that are not implemented, and `y` (traditional medicine) is outside Circular 26/2025 (art. 1:
 * chemical drugs and biologicals).
 */
export const ISSUED_TYPES = ['c'] as const;
export type PrescriptionType = 'c' | 'n' | 'h';
