export { TerminologyModule } from './terminology.module';
export {
  TerminologyService,
  TerminologyNotFound,
  type Concept,
  type ExpandRequest,
  type ExpandResult,
  type ValidateRequest,
  type ValidateResult,
} from './terminology.service';
export { fold } from './fold';
export {
  defaultDataDir,
  readCodeSystemFolder,
  readDataDir,
  TerminologyDataError,
  type CodeSystemMeta,
} from './data-files';

/** ICD-10 (WHO) as the Ministry of Health lists it, and its all-codes value set. */
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10_VALUESET = 'http://hl7.org/fhir/ValueSet/icd-10';
