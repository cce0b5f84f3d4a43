export * from './health-record.module';
export * from './health-record.database';
export { SearchService, type ScopePredicate } from './search/search.service';
export { parseSearchRequest } from './search/search-request';
export { FhirRestService } from './rest/fhir-rest.service';
