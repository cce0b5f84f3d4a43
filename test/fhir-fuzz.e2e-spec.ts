/**
 * Deterministic fuzzing of the FHIR REST surface: random JSON, mutated valid resources and garbage
 * search queries. The server must never answer 5xx, every 4xx must be a clean OperationOutcome
 * (no stack traces), nothing invalid may be stored and pre-existing resources must not change.
 */
import { PlatformModule } from '../apps/platform/src/platform.module';
import { startApp, systemToken, type TestApp } from './support/test-app';
import { heartRate } from './support/fhir-fixtures';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
type Expect = 'reject' | 'any';

interface Sent {
  method: string;
  path: string;
  body: string;
  status: number;
  response: string;
}

const SEED = 0x6d656b6f; // "meko"

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const chance = (p: number): boolean => rand() < p;

const STRINGS = [
  '',
  ' ',
  'Nguyễn Thị Đào',
  'Đặng Văn Ánh',
  'Cần Thơ',
  'ạảãàáâậầấẩẫăắằặẳẵ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u001f\u007f',
  '\t\r\n',
  '\ud800',
  '\udfff\ud800',
  '😀👨‍👩‍👧',
  '\u202e\u200b\ufeff',
  "' OR 1=1 --",
  '"; DROP TABLE resource; --',
  '$1',
  '\\',
  '\\u0000',
  '%00',
  '%',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  'null',
  'true',
  '1e309',
  '-0',
  'Patient/1',
  '#',
  '__proto__',
  'constructor',
];
const KEYS = [
  'resourceType',
  'id',
  'meta',
  'name',
  'given',
  'family',
  'gender',
  'birthDate',
  'status',
  'code',
  'subject',
  'reference',
  'extension',
  'url',
  'value',
  'valueString',
  'entry',
  'resource',
  'request',
  'op',
  'path',
  'from',
  '__proto__',
  'constructor',
  '',
  '_gender',
  'nope',
  'Đào',
  '\u0000',
];
const NUMBERS = [0, -1, 1, 1.5, -0.0001, 2 ** 53, -(2 ** 53), 1e308, -1e308, 4294967296, 0.1 + 0.2];

function randomString(): string {
  if (chance(0.5)) return pick(STRINGS);
  const n = int(12);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(chance(0.7) ? 32 + int(95) : int(0x2fff));
  return s;
}

function randomJson(depth = 0): Json {
  const r = int(depth > 3 ? 4 : 7);
  switch (r) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick(NUMBERS);
    case 3:
      return randomString();
    case 4:
    case 5:
      return Array.from({ length: int(4) }, () => randomJson(depth + 1));
    default: {
      const o: Obj = {};
      for (let i = int(5); i > 0; i--) o[chance(0.6) ? pick(KEYS) : randomString()] = randomJson(depth + 1);
      return o;
    }
  }
}

function clone<T extends Json>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

type Path = (string | number)[];

/** Every path inside `v` (not the root). */
function paths(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [];
  if (Array.isArray(v)) {
    v.forEach((x, i) => out.push([...prefix, i], ...paths(x, [...prefix, i])));
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...paths(x, [...prefix, k]));
  }
  return out;
}

function getAt(root: Json, p: Path): Json {
  let cur: Json = root;
  for (const s of p) cur = (cur as Record<string | number, Json>)[s]!;
  return cur;
}

function setAt(root: Json, p: Path, value: Json | undefined): void {
  const parent = getAt(root, p.slice(0, -1)) as Record<string | number, Json>;
  const last = p.at(-1)!;
  if (value !== undefined) parent[last] = value;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
}

function kind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

const WRONG: Record<string, Json[]> = {
  string: [42, true, ['x'], { x: 'y' }, null],
  number: ['72', false, [72], { value: 72 }, null],
  boolean: ['true', 1, [true], { b: true }, null],
  array: ['x', 7, { 0: 'x' }, true, null],
  object: ['x', 7, [{ a: 'b' }], false, null],
  null: ['x', 7],
};

function nest(levels: number, leaf: Json, wrap: (inner: Json) => Json): Json {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = wrap(v);
  return v;
}

const BAD_IDS = [
  'a b',
  'ä',
  '..',
  '../x',
  'x'.repeat(65),
  '%00',
  '$everything',
  '*',
  "1' OR '1'='1",
  '\\',
  'Đào',
  '_history',
  'a/b',
];

function validPatient(): Obj {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'http://example.org/mrn', value: 'MRN-001' }],
    active: true,
    name: [{ use: 'official', family: 'Nguyễn', given: ['Văn', 'An'], text: 'Nguyễn Văn An' }],
    telecom: [{ system: 'phone', value: '+84 90 123 4567' }],
    gender: 'male',
    birthDate: '1990-04-12',
    address: [{ line: ['12 Nguyễn Trãi'], city: 'Cần Thơ', country: 'VN' }],
  };
}

function validObservation(patientId: string): Obj {
  return heartRate(patientId, 72, '2026-01-10T08:00:00+07:00') as Obj;
}

describe('FHIR fuzzing (deterministic)', () => {
  let t: TestApp;
  let token: string;
  let protectedPatient: Obj;
  let protectedObservation: Obj;
  let scratchId: string;
  let initialPatients: number;
  let patientsCreated = 0;

  const serverErrors: Sent[] = [];
  const badErrors: string[] = [];
  const acceptedInvalid: string[] = [];
  let requests = 0;

  const summary = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

  async function send(
    method: string,
    path: string,
    body?: unknown,
    opts: { expect?: Expect; raw?: boolean; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; json: Obj | undefined; text: string; headers: Headers }> {
    const payload =
      body === undefined ? undefined : opts.raw && typeof body === 'string' ? body : JSON.stringify(body);
    let status: number;
    let text: string;
    let headers: Headers;
    try {
      const res = await fetch(`${t.url}/fhir/${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
          ...opts.headers,
        },
        body: payload,
      });
      status = res.status;
      headers = res.headers;
      text = await res.text();
    } catch (e) {
      status = 599;
      headers = new Headers();
      text = `fetch failed: ${String(e)}`;
    }
    requests++;
    const desc = `${method} /fhir/${summary(path, 200)} body=${summary(payload ?? '', 700)} → ${status} ${summary(text)}`;
    let json: Obj | undefined;
    try {
      json = text ? (JSON.parse(text) as Obj) : undefined;
    } catch {
      json = undefined;
    }
    if (status >= 500) {
      serverErrors.push({
        method,
        path: summary(path, 200),
        body: summary(payload ?? ''),
        status,
        response: summary(text, 600),
      });
    } else if (status >= 400) {
      const issue = json?.issue;
      if (json?.resourceType !== 'OperationOutcome' || !Array.isArray(issue) || issue.length === 0)
        badErrors.push(`not an OperationOutcome: ${desc}`);
    }
    if (/\n\s+at /.test(text) || text.includes('node_modules')) badErrors.push(`stack trace: ${desc}`);
    if ((opts.expect ?? 'any') === 'reject' && status < 400) acceptedInvalid.push(desc);
    if (method === 'POST' && path === 'Patient' && status === 201) patientsCreated++;
    if (method === 'PUT' && path.startsWith('Patient/') && status === 201) patientsCreated++;
    return { status, json, text, headers };
  }

  function report(): void {
    const name = expect.getState().currentTestName ?? '';
    if (serverErrors.length)
      process.stderr.write(`[${name}] 5xx responses:\n${JSON.stringify(serverErrors, null, 2)}\n`);
    if (badErrors.length) process.stderr.write(`[${name}] bad error bodies:\n${badErrors.join('\n')}\n`);
    if (acceptedInvalid.length)
      process.stderr.write(`[${name}] invalid input accepted:\n${acceptedInvalid.join('\n')}\n`);
  }

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    token = await systemToken(t.url);
    const p = await send('POST', 'Patient', validPatient());
    const o = await send('POST', 'Observation', validObservation(p.json?.id as string));
    const s = await send('POST', 'Patient', validPatient());
    const count = await send('GET', 'Patient?_summary=count');
    if (p.status !== 201 || o.status !== 201 || s.status !== 201 || count.json?.total !== 2)
      throw new Error(`setup failed: ${p.text} ${o.text} ${s.text} ${count.text}`);
    protectedPatient = p.json!;
    protectedObservation = o.json!;
    scratchId = s.json!.id as string;
    initialPatients = 2;
    patientsCreated = 0;
  }, 60000);

  beforeEach(() => {
    serverErrors.length = 0;
    badErrors.length = 0;
    acceptedInvalid.length = 0;
  });

  afterAll(async () => {
    process.stderr.write(
      `fuzz: ${requests} requests, ${patientsCreated} Patients created by valid requests\n`,
    );
    await t?.close();
    await t?.db.drop();
  });

  it('survives random JSON bodies on every write endpoint', async () => {
    const pid = protectedPatient.id as string;
    const oid = protectedObservation.id as string;
    const raws = [
      '',
      '{',
      'not json',
      '[1,2',
      '{"resourceType":"Patient",}',
      '\u0000',
      'null',
      '"x"',
      '1e999',
    ];
    for (let i = 0; i < 40; i++) {
      let body: Json = randomJson();
      if (chance(0.3) && body !== null && typeof body === 'object' && !Array.isArray(body))
        body = { resourceType: pick(['Patient', 'Observation', 'Bundle', 'Nope', '']), ...body };
      // A random object is never a valid Patient: it has no known shape or carries unknown keys.
      const asPatient: Json =
        body !== null && typeof body === 'object' && !Array.isArray(body)
          ? { ...body, resourceType: 'Patient', [`x${i}`]: randomJson(2) }
          : body;
      await send('POST', 'Patient', asPatient, { expect: 'reject' });
      await send('PUT', `Patient/${pid}`, asPatient, { expect: 'reject' });
      await send(
        'POST',
        'Observation',
        { ...(asPatient as Obj), resourceType: 'Observation' },
        { expect: 'reject' },
      );
      await send(
        'POST',
        '',
        chance(0.5)
          ? body
          : { resourceType: 'Bundle', type: pick(['transaction', 'batch', 'nope']), entry: randomJson(1) },
        {
          expect: 'any',
        },
      );
      const ops = Array.from({ length: 1 + int(3) }, () =>
        chance(0.5)
          ? randomJson(1)
          : {
              op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'frob']),
              path: pick([
                '/',
                '',
                '/name/0/given/-',
                '/nope',
                '/id',
                '/resourceType',
                '/meta/versionId',
                '/name/99',
                'gender',
                '/gender/x',
                '/~2',
                randomString(),
              ]),
              value: randomJson(2),
              from: pick(['/name', '/x', randomString()]),
            },
      );
      await send('PATCH', `Patient/${scratchId}`, chance(0.8) ? ops : randomJson(), {
        headers: { 'Content-Type': 'application/json-patch+json' },
      });
      await send('POST', 'Patient/$validate', body);
      if (i < raws.length) {
        await send('POST', 'Patient', raws[i], { raw: true, expect: 'reject' });
        await send('POST', '', raws[i], { raw: true, expect: 'reject' });
        await send('PATCH', `Patient/${pid}`, raws[i], {
          raw: true,
          expect: 'reject',
          headers: { 'Content-Type': 'application/json-patch+json' },
        });
      }
    }
    // Patches that can never apply to the protected patient.
    const badPatches: Json[] = [
      [{ op: 'replace', path: '/gender', value: 42 }],
      [{ op: 'add', path: '/nope', value: 'x' }],
      [{ op: 'frob', path: '/gender' }],
      [{ op: 'replace', path: 'gender', value: 'male' }],
      [{ op: 'replace', path: '/resourceType', value: 'Observation' }],
      [{ op: 'replace', path: '/id', value: 'other' }],
      [{ op: 'remove', path: '/name/9' }],
      [{ op: 'test', path: '/gender', value: 'female' }],
      [{ op: 'replace', path: '/birthDate', value: '2026-02-30' }],
      [{ op: 'add', path: '/name/0/given/-', value: '' }],
      [{ op: 'replace', path: '/name', value: [] }],
      [{ op: 'move', from: '/name', path: '/name/0' }],
      [{ op: 'copy', from: '/nope', path: '/x' }],
      {},
      'x',
      [null],
      [1, 2],
    ];
    for (const patch of badPatches)
      await send('PATCH', `Patient/${pid}`, patch, {
        expect: 'reject',
        headers: { 'Content-Type': 'application/json-patch+json' },
      });
    await send('PATCH', `Observation/${oid}`, [{ op: 'remove', path: '/status' }], {
      expect: 'reject',
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    report();
    expect(serverErrors).toEqual([]);
    expect(badErrors).toEqual([]);
    expect(acceptedInvalid).toEqual([]);
  }, 60000);

  it('rejects mutated resources cleanly', async () => {
    const pid = protectedPatient.id as string;
    const oid = protectedObservation.id as string;
    const bases: { type: string; id: string; make: () => Obj }[] = [
      { type: 'Patient', id: pid, make: () => ({ ...validPatient(), id: pid }) },
      { type: 'Observation', id: oid, make: () => ({ ...validObservation(pid), id: oid }) },
    ];
    /** Sends a mutation as a create, an update of the protected resource (when invalid) and $validate. */
    const attempt = async (type: string, id: string, body: Json, want: Expect): Promise<void> => {
      const create = clone(body);
      if (create !== null && typeof create === 'object' && !Array.isArray(create)) delete create.id;
      await send('POST', type, create, { expect: want });
      if (want === 'reject') await send('PUT', `${type}/${id}`, body, { expect: want });
      await send('POST', `${type}/$validate`, body);
    };

    for (let round = 0; round < 12; round++) {
      for (const { type, id, make } of bases) {
        const base = make();
        const all = paths(base).filter((p) => p[0] !== 'id');
        // delete a random element (a required one for Observation makes it invalid; allowed either way)
        {
          const m = clone(base);
          const p = pick(all);
          setAt(m, p, undefined);
          const leavesEmpty =
            p.length > 1 &&
            kind(getAt(m, p.slice(0, -1))) === 'array' &&
            (getAt(m, p.slice(0, -1)) as Json[]).length === 0;
          await attempt(type, id, m, p[0] === 'resourceType' || leavesEmpty ? 'reject' : 'any');
        }
        // wrong type
        {
          const m = clone(base);
          const p = pick(all);
          setAt(m, p, pick(WRONG[kind(getAt(m, p))]!));
          await attempt(type, id, m, 'reject');
        }
        // unknown element
        {
          const m = clone(base);
          const objects = [[] as Path, ...all.filter((p) => kind(getAt(m, p)) === 'object')];
          const p = pick(objects);
          (getAt(m, p) as Obj)[pick(['nope', 'Đào', 'valueFoo', '_nope', 'extension_', '__proto__x'])] =
            randomJson(2) ?? 'x';
          await attempt(type, id, m, 'reject');
        }
        // empty string / array / object
        {
          const m = clone(base);
          setAt(m, pick(all.filter((p) => p[0] !== 'resourceType')), pick<Json>(['', [], {}]));
          await attempt(type, id, m, 'reject');
        }
        // invalid dates
        {
          const m = clone(base);
          const bad = pick([
            '2026-02-30',
            '20260101',
            'yesterday',
            '2026-13-01',
            '2026-1-1',
            '1990-04-12T25:00:00Z',
            '',
          ]);
          if (type === 'Patient') m.birthDate = bad;
          else m.effectiveDateTime = bad;
          await attempt(type, id, m, 'reject');
        }
        // wrong resourceType
        {
          const m = clone(base);
          m.resourceType = pick<Json>([
            type === 'Patient' ? 'Observation' : 'Patient',
            type.toLowerCase(),
            'Nope',
            '',
            42,
            null,
            ['Patient'],
          ]);
          await attempt(type, id, m, 'reject');
        }
      }
    }

    // very long strings: fine in free text, never in a code or an id
    const long = 'Đ'.repeat(10000);
    await send('POST', 'Patient', { ...validPatient(), name: [{ text: long }] });
    await attempt('Patient', pid, { ...validPatient(), id: pid, gender: long }, 'reject');
    await send(
      'PUT',
      `Patient/${long.slice(0, 1000)}`,
      { ...validPatient(), id: long },
      { expect: 'reject' },
    );
    await send('GET', `Patient?name=${long.slice(0, 1000)}`); // ~6 KB URL: under Node's header limit

    // ids with bad characters, and a body id that disagrees with the URL
    for (const bad of BAD_IDS) {
      await send(
        'PUT',
        `Patient/${encodeURIComponent(bad)}`,
        { ...validPatient(), id: bad },
        { expect: 'reject' },
      );
      await send('PUT', `Patient/${pid}`, { ...validPatient(), id: bad }, { expect: 'reject' });
    }
    await send('PUT', `Patient/${pid}`, validPatient(), { expect: 'reject' }); // no id in the body
    await send('PUT', `Patient/${pid}`, { ...validPatient(), id: scratchId }, { expect: 'reject' });

    // meta.versionId / lastUpdated forgery never sticks
    const forged = { versionId: '999', lastUpdated: '2000-01-01T00:00:00Z' };
    const wrongVersions: string[] = [];
    const c = await send('POST', 'Patient', { ...validPatient(), meta: forged });
    if (c.status !== 201 || (c.json?.meta as Obj | undefined)?.versionId !== '1')
      wrongVersions.push(`create: ${c.text}`);
    const before = await send('GET', `Patient/${scratchId}`);
    const u = await send('PUT', `Patient/${scratchId}`, { ...before.json!, meta: forged });
    const expected = String(Number((before.json!.meta as Obj).versionId) + 1);
    if (u.status !== 200 || (u.json?.meta as Obj | undefined)?.versionId !== expected)
      wrongVersions.push(`update: expected ${expected}: ${u.text}`);
    await send(
      'PUT',
      `Patient/${pid}`,
      { ...protectedPatient, gender: 'female' },
      { expect: 'reject', headers: { 'If-Match': 'W/"999"' } },
    );

    // references to resources that do not exist
    for (const ref of [
      'Patient/does-not-exist',
      'Patient/' + 'x'.repeat(64),
      'Nope/1',
      'Patient/',
      'Patient/a b',
      'Observation/' + oid,
      `Patient/${pid}/_history/99`,
    ]) {
      await attempt(
        'Observation',
        oid,
        { ...validObservation(pid), id: oid, subject: { reference: ref } },
        'reject',
      );
    }
    await send('POST', 'Observation', {
      ...validObservation(pid),
      subject: { reference: 'http://elsewhere.example/Patient/1' },
    });

    // deep nesting (200 levels)
    const deepExt = nest(200, { url: 'http://x.org/leaf', valueString: 'lá' }, (inner) => ({
      url: 'http://x.org/n',
      extension: [inner],
    }));
    await send('POST', 'Patient', { ...validPatient(), extension: [deepExt] });
    await attempt(
      'Patient',
      pid,
      { ...validPatient(), id: pid, nope: nest(200, 'x', (inner) => [inner]) },
      'reject',
    );
    await attempt(
      'Patient',
      pid,
      { ...validPatient(), id: pid, name: [{ text: nest(200, 'x', (inner) => ({ a: inner })) }] },
      'reject',
    );
    await send(
      'POST',
      '',
      nest(200, { resourceType: 'Bundle', type: 'batch' }, (inner) => ({
        resourceType: 'Bundle',
        type: 'batch',
        entry: [{ resource: inner, request: { method: 'POST', url: 'Bundle' } }],
      })),
      { expect: 'any' }, // a batch answers 200 with per-entry outcomes
    );

    report();
    expect(wrongVersions).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(badErrors).toEqual([]);
    expect(acceptedInvalid).toEqual([]);
  }, 60000);

  it('answers garbage searches, histories and $everything without 5xx', async () => {
    const params = [
      'name',
      'family',
      'given',
      'birthdate',
      'gender',
      'identifier',
      'subject',
      'patient',
      'code',
      'date',
      'value-quantity',
      '_id',
      '_lastUpdated',
      'nope',
      '_has',
      '_has:Observation:subject:code',
      'general-practitioner',
      '_text',
      '_content',
      '_filter',
      'Đào',
      '',
    ];
    const modifiers = [
      '',
      ':exact',
      ':contains',
      ':missing',
      ':not',
      ':text',
      ':Patient',
      ':iterate',
      ':above',
      ':below',
      ':in',
      ':of-type',
      ':identifier',
      ':nope',
      '::',
      ':',
    ];
    const values = [
      '',
      'maybe',
      'true',
      'gx2020',
      'eq2026-01-01',
      'ap2026',
      'ge',
      'lt-1',
      'sa1e309',
      "' OR 1=1 --",
      '$1',
      '\\',
      '%',
      '%zz',
      '%00',
      '%C0%AF',
      '%ED%A0%80',
      'a,b,,',
      '|',
      'http://loinc.org|',
      '|x|y',
      'Patient/',
      'nguyễn',
      '2026-02-30',
      '1990-04-12T25:61:00Z',
      '9'.repeat(400),
      'x'.repeat(5000),
      '[]',
      '{}',
      'null',
      '*',
      '_',
    ];
    const fixed = [
      'subject:Patient.nope.name=x',
      'subject:Patient.name=',
      'subject.name.nope=x',
      '_count=-1',
      '_count=abc',
      '_count=0',
      '_count=100000000000',
      '_sort=-nope',
      '_sort=',
      '_sort=,,-',
      '_include=Nope:nope',
      '_include=*',
      '_include=Observation:subject:Nope',
      '_revinclude=Observation:nope',
      '_include:iterate=Patient:x',
      '_cursor=garbage',
      '_cursor=',
      '_cursor=%FF',
      '_summary=maybe',
      '_summary=count&_summary=true',
      '_elements=nope,,',
      '_total=nope',
      '_format=xml',
      '_offset=-5',
      '_page=abc',
      'name:missing=maybe',
      'name=a&name=b&name:exact=c',
      '_id=' + encodeURIComponent("' OR 1=1 --"),
      '_lastUpdated=gx2020',
      'birthdate=eq20260101',
      'birthdate=ap',
      'value-quantity=gt5||mg',
      '_has:Observation:nope:code=x',
      '_has=x',
    ];
    const types = [
      'Patient',
      'Observation',
      'Patient',
      'Observation',
      'Encounter',
      'Nope',
      'patient',
      '_history',
      '',
    ];
    for (let i = 0; i < 160; i++) {
      const parts: string[] = [];
      for (let j = 1 + int(3); j > 0; j--) {
        if (chance(0.3)) parts.push(pick(fixed));
        else {
          const raw = pick(values);
          const v = raw.startsWith('%')
            ? raw
            : chance(0.5)
              ? encodeURIComponent(raw)
              : raw.replace(/[#&]/g, '');
          parts.push(`${encodeURIComponent(pick(params))}${pick(modifiers)}=${v}`);
        }
      }
      const lenient = chance(0.5)
        ? { Prefer: 'handling=lenient' }
        : chance(0.5)
          ? { Prefer: 'handling=strict' }
          : undefined;
      await send('GET', `${pick(types)}?${parts.join('&')}`, undefined, { headers: lenient });
      if (i % 8 === 0)
        await send('POST', `${pick(types)}/_search`, parts.join('&'), {
          raw: true,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...lenient },
        });
    }
    const ids = [
      protectedPatient.id as string,
      scratchId,
      ...BAD_IDS,
      'does-not-exist',
      randomString(),
      '0',
      '-1',
    ];
    for (let i = 0; i < 40; i++) {
      const id = encodeURIComponent(pick(ids));
      const vid = encodeURIComponent(
        pick(['1', '0', '-1', '99', 'abc', '1.5', '9'.repeat(30), "' OR 1=1", randomString()]),
      );
      await send('GET', `Patient/${id}/_history/${vid}`);
      if (i % 3 === 0)
        await send(
          'GET',
          `Patient/${id}/$everything?${pick(['', '_count=-1', '_since=yesterday', 'start=2026-02-30', '_type=Nope'])}`,
        );
      if (i % 5 === 0)
        await send(
          'GET',
          `Patient/${id}/_history?_count=${pick(['abc', '-1', '0'])}&_since=${pick(['x', '2026-02-30'])}`,
        );
    }
    report();
    expect(serverErrors).toEqual([]);
    expect(badErrors).toEqual([]);
  }, 60000);

  it('stored nothing invalid and left the pre-existing resources unchanged', async () => {
    const count = await send('GET', 'Patient?_summary=count');
    expect(count.json?.total).toBe(initialPatients + patientsCreated);
    const p = await send('GET', `Patient/${protectedPatient.id as string}`);
    expect(p.json).toEqual(protectedPatient);
    const o = await send('GET', `Observation/${protectedObservation.id as string}`);
    expect(o.json).toEqual(protectedObservation);
    const history = await send('GET', `Patient/${protectedPatient.id as string}/_history`);
    expect(history.json?.total ?? (history.json?.entry as Json[] | undefined)?.length).toBe(1);
  }, 60000);
});
