import type { ValidationIssue } from '../search/index-types';
import { validateStructure } from './structure-validator';
import { validateVietnameseIdentifiers } from './vietnam-identifiers';

/** Full validation of an incoming resource: R4 structure, then Vietnamese identifier formats. */
export function validateResource(resource: unknown): ValidationIssue[] {
  const issues = validateStructure(resource);
  if (typeof resource === 'object' && resource !== null && 'resourceType' in resource) {
    issues.push(...validateVietnameseIdentifiers(resource));
  }
  return issues;
}
