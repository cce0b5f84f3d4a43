import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { NestContainer } from '@nestjs/core';
import fc from 'fast-check';
import { searchParametersFor } from '@mekong/fhir';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { heartRate } from './support/fhir-fixtures';
import {
  ADMIN,
  api,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

/**
 * Issue 16 §5: property-based fuzzing (fast-check, decision 014). Random search parameters,
 * headers and bodies, sent with valid tokens of every role so they reach the handlers, to the FHIR
 * API and to every other route of the app (enumerated from Nest's metadata). The property: never a
 * 5xx, never a stack trace, and every 4xx has a well-formed error body (an OperationOutcome under
 * /fhir, `{statusCode, message}` or an OAuth error elsewhere).
 *
 * CI runs a fixed seed (FUZZ_SEED overrides it) and FUZZ_RUNS inputs in total (default 10,000
 * per engine, so each engine alone meets the issue's ≥ 10,000 inputs in CI);
 * `npm run fuzz` runs 200,000 with a random seed (FUZZ_SEED=random). A failure prints the seed,
 * the path to replay it and the shrunk request.
 */
const SEED =
  process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 0x6d656b6f);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Requests of one generated case are sent concurrently (the server sees interleaved callers). */
const BATCH = 4;
const PASSWORD = 'Mat-khau-an-toan-2026';

type Role = 'patient' | 'practitioner' | 'clinic-staff' | 'admin' | 'system' | 'narrowed';
const ROLES: readonly Role[] = ['patient', 'practitioner', 'clinic-staff', 'admin', 'system', 'narrowed'];

interface Req {
  readonly role: Role;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** The route pattern, for the report (non-FHIR routes). */
  readonly route?: string;
}

interface Route {
  readonly method: string;
  readonly path: string;
}

/** Every HTTP route of the app, from Nest's metadata (as test/attacks/scopes.e2e-spec.ts does). */
function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  const container = (t.app as unknown as { container: NestContainer }).container;
  for (const mod of container.getModules().values()) {
    for (const wrapper of mod.controllers.values()) {
      const type = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
      if (!type || typeof type !== 'function' || !type.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
      if (base === undefined) continue;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] as string;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[];
        for (const b of [base].flat())
          for (const p of [sub].flat())
            routes.push({
              method,
              path: `/${[b, p].filter((x) => x && x !== '/').join('/')}`.replace(/\/+/g, '/'),
            });
      }
    }
  }
  return routes;
}

/** encodeURIComponent, but a lone surrogate becomes its (invalid UTF-8) bytes instead of throwing. */
function enc(s: string): string {
  let out = '';
  for (const ch of s) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    }
  }
  return out;
}

const ODD = [
  '',
  ' ',
  'Nguyễn Thị Đào',
  'ạảãàáâậầấẩẫăắằặẳẵ',
  'Nguyen\u0301',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '\ud800',
  '\udfff\ud800',
  '😀👨‍👩‍👧',
  '\u202e\u200b\ufeff',
  "' OR 1=1 --",
  '$1',
  '\\',
  '\\,',
  ',',
  '|',
  '||',
  '%',
  '%00',
  '%ZZ',
  '*',
  '..',
  'null',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  'x'.repeat(2100),
];
const TYPES = [
  'Patient',
  'Observation',
  'Encounter',
  'Practitioner',
  'Organization',
  'Condition',
  'MedicationRequest',
  'Appointment',
  'Flag',
  'AuditEvent',
  'Bundle',
  'OperationOutcome',
  'patient',
  'Nope',
  '',
];
const SEARCH_TYPES = [
  'Patient',
  'Observation',
  'Encounter',
  'Practitioner',
  'Condition',
  'Appointment',
  'Flag',
];
const MODIFIERS = [
  'exact',
  'contains',
  'missing',
  'not',
  'text',
  'above',
  'below',
  'in',
  'not-in',
  'of-type',
  'identifier',
  'iterate',
  'Patient',
  'Observation',
  'Nope',
  '',
];
const PREFIXES = ['', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap', 'xx'];

const odd = fc.constantFrom(...ODD);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: odd },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      maxLength: 8,
    }),
  },
);

function fuzzArbitraries(ids: { patient: string; observation: string; cursors: string[] }) {
  const id = fc.oneof(
    fc.constantFrom(
      ids.patient,
      ids.observation,
      '00000000-0000-4000-8000-000000000000',
      'a'.repeat(64),
      'a'.repeat(65),
    ),
    fc.uuid(),
    text,
  );
  const date = fc.oneof(
    fc
      .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .chain((d) => fc.constantFrom(4, 7, 10, 16, 19, 23, 24).map((n) => d.toISOString().slice(0, n))),
    fc
      .tuple(
        fc.integer({ min: -1, max: 99999 }),
        fc.integer({ min: -1, max: 14 }),
        fc.integer({ min: -1, max: 40 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc
      .tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: 0, max: 99 }))
      .map(([h, m]) => `2026-01-10T08:00:00${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:${m}`),
    fc.constantFrom(
      '2026',
      '2026-02-30',
      '2026-01-10T25:61:61Z',
      '2026-01-10T08:00',
      '2026-01-10T08:00:00.123456789Z',
    ),
  );
  const num = fc.oneof(
    fc.double().map(String),
    fc.integer().map(String),
    fc.bigInt().map(String),
    fc.constantFrom(
      '1e309',
      '-1e309',
      '1e-400',
      '0x10',
      '1_000',
      '.5',
      '5.',
      '+5',
      '--5',
      '1,2',
      '72.0000000000000000001',
    ),
  );
  const quantity = fc
    .tuple(
      num,
      fc.option(fc.constantFrom('http://unitsofmeasure.org', '', 'x|y'), { nil: undefined }),
      fc.option(fc.constantFrom('/min', 'mm[Hg]', 'kg', ''), { nil: undefined }),
    )
    .map(([n, s, c]) => [n, s, c].filter((x) => x !== undefined).join('|'));
  const reference = fc.oneof(
    fc.tuple(fc.constantFrom(...TYPES), id).map(([ty, i]) => `${ty}/${i}`),
    id,
    fc.constantFrom(
      'http://example.org/fhir/Patient/1',
      'Patient/',
      '/Patient/x',
      'Patient/x/_history/1',
      'urn:uuid:x',
      '#contained',
    ),
  );
  const token = fc.oneof(
    fc
      .tuple(fc.option(text, { nil: undefined }), fc.option(text, { nil: undefined }))
      .map(([s, c]) => `${s ?? ''}|${c ?? ''}`),
    text,
    fc.constantFrom('http://loinc.org|8867-4', 'male', 'final', 'true', 'false'),
  );
  const valueOf = (kind?: string): fc.Arbitrary<string> => {
    const byKind: Record<string, fc.Arbitrary<string>> = {
      date,
      number: num,
      quantity,
      reference,
      token,
      string: text,
      uri: fc.oneof(text, fc.webUrl()),
    };
    const base = byKind[kind ?? ''] ?? fc.oneof(date, num, quantity, reference, token, text);
    return fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), base).map(([p, v]) => p + v) },
      { weight: 1, arbitrary: fc.array(base, { minLength: 2, maxLength: 4 }).map((xs) => xs.join(',')) },
      { weight: 1, arbitrary: fc.oneof(date, num, quantity, reference, token, text) },
    );
  };

  const searchParam = (type: string): fc.Arbitrary<[string, string]> => {
    const defs = [...searchParametersFor(type).values()];
    const known = defs.length
      ? fc
          .constantFrom(...defs)
          .chain((d) =>
            fc
              .tuple(fc.option(fc.constantFrom(...MODIFIERS), { nil: undefined, freq: 3 }), valueOf(d.type))
              .map(([m, v]): [string, string] => [m === undefined ? d.code : `${d.code}:${m}`, v]),
          )
      : fc.constant<[string, string]>(['_id', 'x']);
    const refDefs = defs.filter((d) => d.type === 'reference');
    const chain = refDefs.length
      ? fc
          .tuple(
            fc.constantFrom(...refDefs),
            fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
            fc.constantFrom(
              'name',
              'family',
              'birthdate',
              'identifier',
              'code',
              '_id',
              'subject.name',
              'general-practitioner.name',
              'nope',
              '',
            ),
            valueOf(),
          )
          .map(([d, ty, tail, v]): [string, string] => [`${d.code}${ty ? `:${ty}` : ''}.${tail}`, v])
      : known;
    const control = fc.oneof(
      fc.tuple(
        fc.constant('_sort'),
        fc
          .array(
            fc.tuple(
              fc.boolean(),
              fc.oneof(fc.constantFrom(...defs.map((d) => d.code), '_lastUpdated', '_id'), text),
            ),
            { maxLength: 3 },
          )
          .map((xs) => xs.map(([neg, k]) => (neg ? '-' : '') + k).join(',')),
      ),
      fc.tuple(fc.constant('_count'), fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), num, text)),
      fc.tuple(
        fc.constant('_cursor'),
        fc.oneof(
          fc.constantFrom(...ids.cursors),
          fc.base64String({ maxLength: 60 }),
          fc.jsonValue({ maxDepth: 2 }).map((j) => Buffer.from(JSON.stringify(j)).toString('base64url')),
          text,
        ),
      ),
      fc.tuple(
        fc.constantFrom('_include', '_revinclude', '_include:iterate', '_revinclude:iterate'),
        fc.oneof(
          fc
            .tuple(
              fc.constantFrom(...TYPES, '*'),
              fc.constantFrom(...refDefs.map((d) => d.code), 'subject', 'patient', '*', 'nope', ''),
              fc.option(fc.constantFrom(...TYPES), { nil: undefined }),
            )
            .map(([a, b, c]) => [a, b, c].filter((x) => x !== undefined).join(':')),
          text,
        ),
      ),
      fc.tuple(
        fc.constantFrom(
          '_summary',
          '_elements',
          '_total',
          '_format',
          '_pretty',
          '_lastUpdated',
          '_id',
          '_has:Observation:subject:code',
          '_filter',
          '_text',
          '_content',
          '_list',
          '_type',
          '_tag',
          '_profile',
          '_security',
          '_source',
        ),
        valueOf(),
      ),
    );
    return fc.oneof(
      { weight: 5, arbitrary: known },
      { weight: 2, arbitrary: chain },
      { weight: 3, arbitrary: control },
      { weight: 1, arbitrary: fc.tuple(text, text) },
    );
  };
  const query = (type: string): fc.Arbitrary<string> =>
    fc
      .array(fc.tuple(searchParam(type), fc.boolean()), { maxLength: 5 })
      .map((ps) =>
        ps
          .map(([[k, v], raw]) => (raw ? `${k}=${v}`.replace(/[#\s]/g, '') : `${enc(k)}=${enc(v)}`))
          .join('&'),
      );

  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.double(),
      fc.integer(),
      text,
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            'resourceType',
            'id',
            'meta',
            'name',
            'given',
            'status',
            'code',
            'subject',
            'reference',
            'extension',
            'url',
            'value',
            'valueQuantity',
            'entry',
            'resource',
            'request',
            'method',
            'contained',
            '_gender',
            'text',
            'div',
          ),
          text,
        ),
        tie('value'),
        { maxKeys: 5 },
      ),
    ),
  })).value;
  const deep = fc
    .tuple(fc.integer({ min: 1, max: 130 }), fc.constantFrom('array', 'object', 'extension'))
    .map(([n, how]) => {
      let v: unknown = 'leaf';
      for (let i = 0; i < n; i++)
        v = how === 'array' ? [v] : how === 'object' ? { a: v } : { url: 'http://x', extension: [v] };
      return v;
    });
  const resource = fc
    .tuple(
      fc.constantFrom(...TYPES),
      fc.dictionary(
        fc.constantFrom(
          'id',
          'meta',
          'text',
          'contained',
          'extension',
          'name',
          'gender',
          'birthDate',
          'status',
          'code',
          'subject',
          'effectiveDateTime',
          'valueQuantity',
          'identifier',
          'telecom',
          'address',
          'active',
          'managingOrganization',
          'entry',
          'type',
          'period',
          'participant',
        ),
        fc.oneof(json, deep),
        { maxKeys: 6 },
      ),
    )
    .map(([resourceType, rest]) => ({ resourceType, ...rest }));
  const mutatedValid = fc
    .tuple(
      fc.constantFrom('valueQuantity', 'subject', 'code', 'status', 'effectiveDateTime', 'meta', 'id'),
      fc.oneof(json, deep),
    )
    .map(([k, v]) => ({
      ...(heartRate(ids.patient, 72, '2026-01-10T08:00:00+07:00') as Record<string, unknown>),
      [k]: v,
    }));
  const bundle = fc
    .tuple(
      fc.constantFrom('transaction', 'batch', 'collection', 'nope'),
      fc.array(
        fc.record({
          fullUrl: fc.option(
            fc.oneof(
              fc.uuid().map((u) => `urn:uuid:${u}`),
              text,
            ),
            { nil: undefined },
          ),
          resource: fc.option(fc.oneof(resource, mutatedValid), { nil: undefined }),
          request: fc.option(
            fc.record({
              method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'x'),
              url: fc.oneof(
                fc.constantFrom(...SEARCH_TYPES).chain((ty) => query(ty).map((q) => `${ty}?${q}`)),
                reference,
                text,
              ),
              ifNoneExist: fc.option(text, { nil: undefined }),
              ifMatch: fc.option(text, { nil: undefined }),
            }),
            { nil: undefined },
          ),
        }),
        { maxLength: 4 },
      ),
    )
    .map(([type, entry]) => ({ resourceType: 'Bundle', type, entry }));
  const body = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.oneof(resource, mutatedValid, bundle, json, deep).map((v) => JSON.stringify(v)),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        text,
        fc.constantFrom(
          '{',
          '[',
          '{"a":1e999999}',
          '{"resourceType":"Patient","resourceType":"Observation"}',
          '{"__proto__":{"x":1}}',
          '\ufeff{}',
          'null',
          '"x"',
          '1',
        ),
      ),
    },
  );

  /** A header present in one case of four (else most requests would die at the first refusal). */
  const header = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Record<string, string>> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<Record<string, string>>({}) },
      { weight: 1, arbitrary: value.map((v) => ({ [name]: v })) },
    );
  const ascii = fc.string({ maxLength: 30 });
  const headers = fc
    .tuple(
      header(
        'If-Match',
        fc.oneof(
          fc.constantFrom('W/"1"', 'W/"0"', '"1"', 'W/"-1"', 'W/"99999999999999999999"', '*', 'W/""'),
          ascii,
        ),
      ),
      header(
        'If-None-Exist',
        fc.constantFrom(...SEARCH_TYPES).chain((ty) => query(ty)),
      ),
      header('If-None-Match', fc.oneof(fc.constantFrom('*', 'W/"1"'), ascii)),
      header(
        'If-Modified-Since',
        fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
          ascii,
        ),
      ),
      header(
        'Prefer',
        fc.oneof(
          fc.constantFrom(
            'return=minimal',
            'return=representation',
            'return=OperationOutcome',
            'handling=strict',
            'handling=lenient',
            'respond-async',
            'return=nope',
          ),
          ascii,
        ),
      ),
      header(
        'Content-Type',
        fc.oneof(
          fc.constantFrom(
            'application/fhir+json',
            'application/json',
            'application/json-patch+json',
            'application/fhir+xml',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/fhir+json; fhirVersion=3.0',
            '*/*',
          ),
          ascii,
        ),
      ),
      header(
        'Accept',
        fc.oneof(
          fc.constantFrom(
            'application/fhir+json',
            'application/json',
            'application/fhir+xml',
            'text/html',
            '*/*',
            'application/fhir+json; fhirVersion=5.0',
          ),
          ascii,
        ),
      ),
    )
    .map((hs) => Object.assign({}, ...hs) as Record<string, string>);

  const role = fc.constantFrom(...ROLES);
  const searchType = fc.constantFrom(...SEARCH_TYPES);
  const fhirRequest: fc.Arbitrary<Req> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          role,
          searchType.chain((ty) => query(ty).map((q) => `/fhir/${ty}?${q}`)),
          headers,
        )
        .map(([r, path, h]) => ({ role: r, method: 'GET', path, headers: h })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          role,
          searchType.chain((ty) => query(ty).map((q) => [ty, q] as const)),
          headers,
        )
        .map(([r, [ty, q], h]) => ({
          role: r,
          method: 'POST',
          path: `/fhir/${ty}/_search`,
          headers: { ...h, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: q,
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(role, query('Patient'), headers)
        .map(([r, q, h]) => ({ role: r, method: 'GET', path: `/fhir?${q}`, headers: h })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          role,
          fc.constantFrom('POST', 'PUT', 'PATCH'),
          fc.constantFrom(...TYPES),
          fc.option(id, { nil: undefined }),
          fc.option(
            searchType.chain((ty) => query(ty)),
            { nil: undefined },
          ),
          headers,
          body,
        )
        .map(([r, m, ty, i, q, h, b]) => ({
          role: r,
          method: m,
          path: `/fhir/${enc(ty)}${m !== 'POST' || i !== undefined ? `/${enc(i ?? '')}` : ''}${q !== undefined && m !== 'POST' ? `?${q}` : ''}`,
          headers: { 'Content-Type': 'application/fhir+json', ...h },
          body: b,
        })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(role, headers, bundle).map(([r, h, b]) => ({
        role: r,
        method: 'POST',
        path: '/fhir',
        headers: { 'Content-Type': 'application/fhir+json', ...h },
        body: JSON.stringify(b),
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          role,
          fc.constantFrom('GET', 'DELETE'),
          fc.constantFrom(...TYPES),
          id,
          fc.constantFrom(
            '',
            '/_history',
            '/_history/1',
            '/_history/x',
            '/$everything',
            '/$validate',
            '/$nope',
          ),
          fc.option(query('Patient'), { nil: undefined }),
          headers,
        )
        .map(([r, m, ty, i, suffix, q, h]) => ({
          role: r,
          method: m,
          path: `/fhir/${enc(ty)}/${enc(i)}${suffix}${q ? `?${q}` : ''}`,
          headers: h,
        })),
    },
  );
  return { fhirRequest, query, body, headers, id, text, role };
}

/** Header values as HTTP can carry them: anything outside printable ASCII percent-encoded. */
function headerSafe(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/gu, (ch) => enc(ch)).trim()]),
  );
}

/** A concrete URL for a route pattern: parameters filled with generated values. */
function fill(path: string, values: string[]): string {
  let i = 0;
  return path.replace(/:(\w+)/g, () => enc(values[i++ % values.length] ?? 'x'));
}

describe('property-based fuzzing (issue 16 §5): never a 5xx, every 4xx well-formed', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;
  const ids = { patient: '', observation: '', cursors: [] as string[] };
  let routes: Route[];
  let sent = 0;
  const outcomeOutsideFhir = new Set<string>();
  const statuses = new Map<number, number>();
  const started = Date.now();

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0', FHIR_REQUEST_BUDGET_MS: '60000' });
    routes = routesOf(t);
    tokens.system = await systemToken(t.url);
    const mk = async (body: Record<string, unknown>): Promise<string> => {
      const res = await api(t.url, 'POST', `/fhir/${String(body.resourceType)}`, tokens.system, body);
      if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    };
    const org = await mk({ resourceType: 'Organization', name: 'Trạm Y tế' });
    const doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần' }] });
    const nurse = await mk({ resourceType: 'Practitioner' });
    ids.patient = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['An'] }],
      birthDate: '1980-04-02',
      managingOrganization: { reference: `Organization/${org}` },
      generalPractitioner: [{ reference: `Practitioner/${doctor}` }],
    });
    for (let i = 0; i < 3; i++)
      ids.observation = await mk(
        heartRate(ids.patient, 70 + i, `2026-01-1${i}T08:00:00+07:00`) as Record<string, unknown>,
      );
    const page = await api(t.url, 'GET', '/fhir/Observation?_count=1&_sort=-date', tokens.system);
    const link = ((await page.json()) as { link?: { relation: string; url: string }[] }).link?.find(
      (l) => l.relation === 'next',
    );
    const cursor = link ? new URL(link.url).searchParams.get('_cursor') : null;
    if (cursor) ids.cursors.push(cursor);
    tokens.admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts = await createAccounts(
      t.url,
      tokens.admin,
      [
        ['fz.pat', 'patient', `Patient/${ids.patient}`],
        ['fz.doc', 'practitioner', `Practitioner/${doctor}`],
        ['fz.staff', 'clinic-staff', `Practitioner/${nurse}`, `Organization/${org}`],
      ],
      PASSWORD,
    );
    tokens.patient = accounts['fz.pat']!;
    tokens.practitioner = accounts['fz.doc']!;
    tokens['clinic-staff'] = accounts['fz.staff']!;
    const scope = 'openid fhirUser patient/Observation.rs patient/Patient.r';
    const res = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'fz.pat',
      password: PASSWORD,
      scope,
    });
    if (res.status !== 200) throw new Error(`narrowed token: ${res.status} ${await res.text()}`);
    tokens.narrowed = ((await res.json()) as { access_token: string }).access_token;
    process.stderr.write(`fuzz: seed=${SEED} runs=${RUNS} (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})\n`);
  }, 60000);

  afterAll(async () => {
    if (outcomeOutsideFhir.size)
      process.stderr.write(
        `fuzz: OperationOutcome outside /fhir: ${[...outcomeOutsideFhir].sort().join(', ')}\n`,
      );
    const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([k, n]) => `${k}×${n}`);
    process.stderr.write(
      `fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${byStatus.join(' ')})\n`,
    );
    await t?.close();
    await t?.db.drop();
  });

  /** Sends one request; throws (so fast-check shrinks and reports it) if the answer breaks the property. */
  async function check(req: Req): Promise<void> {
    const res = await fetch(`${t.url}${req.path}`, {
      method: req.method,
      headers: { ...headerSafe(req.headers), Authorization: `Bearer ${tokens[req.role]}` },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
    });
    const raw = await res.text();
    sent++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const what = () => `${res.status} ${raw.slice(0, 500)}`;
    if (res.status >= 500) throw new Error(`server error: ${what()}`);
    if (/\n\s+at /.test(raw) || raw.includes('node_modules'))
      throw new Error(`stack trace in body: ${what()}`);
    // A HEAD answer has no body by definition (tus's HEAD of an e-consult upload): status only.
    if (res.status < 400 || req.method === 'HEAD') return;
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new Error(`error body is not JSON: ${what()}`);
    }
    const fhir = new URL(req.path, t.url).pathname.startsWith('/fhir');
    if (fhir) {
      const issues = json.issue;
      if (json.resourceType !== 'OperationOutcome' || !Array.isArray(issues) || issues.length === 0)
        throw new Error(`not an OperationOutcome: ${what()}`);
      if (
        !issues.every(
          (i: { severity?: unknown; code?: unknown }) =>
            typeof i.severity === 'string' && typeof i.code === 'string',
        )
      )
        throw new Error(`issue without severity/code: ${what()}`);
    } else if (json.resourceType === 'OperationOutcome' && Array.isArray(json.issue)) {
      // Well-formed, but the FHIR transport's format on a non-FHIR route (reported, not failed).
      outcomeOutsideFhir.add(`${req.method} ${req.route ?? new URL(req.path, t.url).pathname}`);
    } else if (
      !(json.statusCode === res.status && typeof json.message === 'string') &&
      !(typeof json.error === 'string')
    ) {
      throw new Error(`malformed error body: ${what()}`);
    }
  }

  const assertBatches = async (arb: fc.Arbitrary<Req>, runs: number): Promise<void> => {
    await fc.assert(
      fc.asyncProperty(fc.array(arb, { minLength: BATCH, maxLength: BATCH }), async (reqs) => {
        await Promise.all(reqs.map(check));
      }),
      { seed: SEED, numRuns: Math.max(1, Math.ceil(runs / BATCH)), verbose: 0 },
    );
  };
  const timeout = (share: number): number => 60000 + RUNS * share * 40;

  it(
    'the FHIR API: search parameters, headers and bodies',
    async () => {
      const { fhirRequest } = fuzzArbitraries(ids);
      const before = sent;
      await assertBatches(fhirRequest, RUNS * 0.75);
      expect(sent - before).toBeGreaterThanOrEqual(RUNS * 0.75);
    },
    timeout(0.75),
  );

  it(
    'every other route, enumerated from the app',
    async () => {
      const others = routes.filter((r) => !r.path.startsWith('/fhir'));
      expect(others.length).toBeGreaterThan(20);
      const { body, headers, id, text, role } = fuzzArbitraries(ids);
      const query = fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(
                'from',
                'to',
                'start',
                'end',
                'patient',
                'practitioner',
                'date',
                'status',
                'limit',
                'cursor',
                'scheduleId',
              ),
              text,
            ),
            fc.oneof(text, id),
          ),
          { maxLength: 4 },
        )
        .map((ps) => ps.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));
      const arb = fc
        .tuple(
          role,
          fc.constantFrom(...others),
          fc.array(id, { minLength: 1, maxLength: 3 }),
          query,
          headers,
          body,
          fc.boolean(),
        )
        .map(([r, route, values, q, h, b, jsonBody]): Req => ({
          role: r,
          method: route.method === 'ALL' ? 'POST' : route.method,
          path: `${fill(route.path, values)}${q ? `?${q}` : ''}`,
          headers: jsonBody ? { ...h, 'Content-Type': 'application/json' } : h,
          body: b,
          route: route.path,
        }));
      await assertBatches(arb, RUNS * 0.25);
    },
    timeout(0.25),
  );
});
