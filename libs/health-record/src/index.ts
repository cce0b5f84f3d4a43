export * from './health-record.module';
export * from './health-record.database';
export { SearchService, type ScopePredicate } from './search/search.service';
export { parseSearchRequest } from './search/search-request';
export { FhirRestService } from './rest/fhir-rest.service';
export {
  FhirStore,
  type WriteResult,
  parseIfMatch,
  type RecordObserver,
  type RecordWrite,
} from './store/fhir-store.service';
export type { FhirResource, StoredVersion } from './store/resource.repository';
export { ResourceOwners, type ResourceOwner, type FhirOperation } from './rest/resource-owners';
export type { RequestContext } from './rest/fhir-rest.service';
export { applyJsonPatch } from './rest/fhir-rest.service';
export { bundle, versionHeaders, type FhirResponse } from './rest/fhir-response';
export { FhirError } from './fhir-error';
export { AccessService } from './access/access.service';
export { BreakGlassService } from './access/break-glass.service';
export { type AccessContext, DIRECTORY_TYPES } from './access/access-context';
export { AuditService } from './audit/audit.service';
export {
  SYSTEM_REASONS,
  SystemReason,
  type SystemReasonName,
  type RecordCaller,
} from './access/system-reason';
export type { OwnedTypeCapability } from './rest/capability';
export { RECORDED_BY_SYSTEM, recordedBy } from './store/recorded-by';
export { type BreakGlassAlerts, type BreakGlassOpening } from './access/break-glass-alerts';
