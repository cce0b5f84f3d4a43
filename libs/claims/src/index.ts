export * from './xml130/fields';
export * from './xml130/model';
export {
  buildCheckIn,
  buildClaim,
  buildEnvelope,
  renderTable,
  UNINSURED_TABLES,
  SUMMARY_CARE_TYPES,
} from './xml130/build-claim';
export type { BuildOptions, CheckInInput, ClaimOutput, ClaimTables, ClaimTotals } from './xml130/build-claim';
export { validateClaim } from './xml130/validate-claim';
export type { ClaimError } from './xml130/validate-claim';
export { tableXsd, envelopeXsd } from './xml130/xsd';
export { ClaimsModule, ClaimsRecordModule } from './claims.module';
export { ClaimMapper, CLAIM_EXTENSIONS, MA_CSKCB_SYSTEM, CCHN_SYSTEM } from './claim-mapper';
export { ClaimsConfig } from './claims-config';
export { ClaimSource, type ClaimProblem, type ClaimResult } from './claim-source';
export { SystemClaimSource, CLAIMS_PRINCIPAL } from './system-claim-source';
export * from './health-book';
export { CLAIMS_DATABASE, CLAIMS_CONTEXT } from './claims.database';
export { CLAIM_QUEUE } from './submission/claim-submission';
export {
  ClaimCheckIn,
  CHECK_IN_QUEUE,
  type CheckInRow,
  type CheckInStatus,
} from './submission/claim-check-in';
export type { CheckInRequest, CheckInResult } from './claim-source';
