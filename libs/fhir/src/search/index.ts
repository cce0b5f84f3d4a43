export { dateRange, parseSearchDate, type DateRange } from './date-range';
export {
  RESOURCE_TYPES,
  isResourceType,
  narrowExpression,
  searchParametersFor,
  splitUnion,
} from './definitions';
export { extractIndex, parseReference, unindexableParameters, type ParsedReference } from './extractor';
export { normalizeText } from './normalize';
