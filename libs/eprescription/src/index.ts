export { EprescriptionModule } from './eprescription.module';
export { EPRESCRIPTION_DATABASE, EPRESCRIPTION_CONTEXT } from './eprescription.database';
export { EprescriptionChecks } from './eprescription-checks.service';
export {
  DRUG_SYSTEM,
  E_PRESCRIPTION_CODE_SYSTEM,
  E_PRESCRIPTION_TYPE_SYSTEM,
  ISSUED_TYPES,
  type PrescriptionType,
} from './eprescription.constants';
export {
  prescribingProblems,
  MAX_DAYS,
  MAX_DAYS_APPENDIX_VII,
  type StructuredPrescription,
} from './rules/prescribing-rules';
export { APPENDIX_VII, APPENDIX_VII_VERSION } from './rules/tt26-appendix-vii';
export { isPrescriptionCode, newPrescriptionCode } from './prescription-code';
export { SUBMIT_QUEUE } from './prescription-outbox';
