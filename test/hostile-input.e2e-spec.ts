import { PlatformModule } from '../apps/platform/src/platform.module';
import { heartRate } from './support/fhir-fixtures';
import { ADMIN, login, startApp, systemToken, type TestApp } from './support/test-app';

/**
 * Issue 16 (part 3): hostile values an outside probe sent, each of which made PostgreSQL fail (500).
 * Every one is replayed on every FHIR route it reaches and must be a 400 OperationOutcome that
 * changes nothing. Every case here answered 500 before its fix.
 */

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
/** JSON text with a raw escape that JSON.stringify would not produce from a well-formed string. */
const patientJson = (family: string, id?: string): string =>
  `{"resourceType":"Patient",${id ? `"id":"${id}",` : ''}"name":[{"family":${family}}]}`;

interface Probe {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

describe('issue 16: hostile input answers 400 OperationOutcome and changes nothing', () => {
  let t: TestApp;
  let token: string;
  let patient: string;
  let obs: string;

  const send = async (p: Probe): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${t.url}/fhir/${p.path}`, {
      method: p.method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(p.body !== undefined ? { 'Content-Type': p.contentType ?? 'application/fhir+json' } : {}),
        ...p.headers,
      },
      body: p.body,
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: res.status, body };
  };

  /** What must not change: the resources, their versions and their contents. */
  const snapshot = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const path of [
      'Patient?_total=accurate&_count=1000',
      'Observation?_total=accurate&_count=1000',
      `Patient/${patient}/_history`,
      `Observation/${obs}/_history`,
    ]) {
      const r = await send({ label: 'snapshot', method: 'GET', path });
      parts.push(r.status, r.body.total, r.body.entry);
    }
    return JSON.stringify(parts);
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    token = await systemToken(t.url);
    const p = await send({
      label: 'seed',
      method: 'POST',
      path: 'Patient',
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Trần', given: ['Thị Mai'] }] }),
    });
    patient = String(p.body.id);
    const o = await send({
      label: 'seed',
      method: 'POST',
      path: 'Observation',
      body: JSON.stringify(heartRate(patient, 72, '2026-01-02T03:04:05Z')),
    });
    obs = String(o.body.id);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const probes = (): Probe[] => {
    const bodies: [string, string][] = [
      ['NUL in a string', patientJson('"a\\u0000b"')],
      ['lone surrogate', patientJson('"\\ud800"')],
      [
        'number overflow',
        JSON.stringify(heartRate(patient, 1, '2026-01-01')).replace('"value":1', '"value":1e999999'),
      ],
      ['5,000 nested arrays', patientJson(nested(5000))],
      ['5,000 nested objects', patientJson('{"a":'.repeat(5000) + '1' + '}'.repeat(5000))],
    ];
    const queries: [string, string][] = [
      ['NUL in a search value', 'Patient?name=a%00b'],
      ['NUL in a token value', 'Patient?identifier=x%7Ca%00b'],
      ['NUL in a parameter name', 'Patient?na%00me=x'],
      ['quantity overflow (ap)', 'Observation?value-quantity=ap1e999999'],
      ['quantity overflow', 'Observation?value-quantity=gt1e999999%7Chttp://unitsofmeasure.org%7C/min'],
      ['number overflow', 'RiskAssessment?probability=lt1e999999'],
      ['impossible date', 'Observation?date=ge2026-02-30'],
      ['impossible _lastUpdated', 'Patient?_lastUpdated=ge2026-02-30'],
      ['cursor: object for the id key', `Patient?_cursor=${b64([{ a: 1 }])}`],
      ['cursor: NUL in the id key', `Patient?_cursor=${b64(['a\u0000'])}`],
      ['cursor: text for a date key', `Observation?_sort=date&_cursor=${b64(['x', 'y'])}`],
      ['cursor: text for a number key', `Observation?_sort=value-quantity&_cursor=${b64(['x', 'y'])}`],
      ['cursor: wrong length', `Observation?_sort=date&_cursor=${b64(['2026-01-01T00:00:00Z'])}`],
      ['cursor: not JSON', 'Patient?_cursor=%FF%FE'],
      ['_count overflow', 'Patient?_count=1e999999'],
    ];
    const out: Probe[] = [];
    for (const [label, q] of queries) {
      out.push({ label: `search GET: ${label}`, method: 'GET', path: q });
      const [type, form] = q.split('?') as [string, string];
      out.push({
        label: `search POST: ${label}`,
        method: 'POST',
        path: `${type}/_search`,
        body: form,
        contentType: 'application/x-www-form-urlencoded',
      });
      // The criteria of a conditional create are filters: paging parameters play no part there.
      if (!label.startsWith('cursor') && !label.startsWith('_count'))
        out.push({
          label: `If-None-Exist: ${label}`,
          method: 'POST',
          path: type,
          body: JSON.stringify(
            type === 'Patient'
              ? { resourceType: 'Patient', name: [{ family: 'Không được tạo' }] }
              : heartRate(patient, 61, '2026-01-01'),
          ),
          headers: { 'If-None-Exist': form },
        });
    }
    for (const [label, body] of bodies) {
      out.push({ label: `create: ${label}`, method: 'POST', path: 'Patient', body });
      out.push({
        label: `update: ${label}`,
        method: 'PUT',
        path: `Patient/${patient}`,
        body: body.replace('"resourceType":"Patient",', `"resourceType":"Patient","id":"${patient}",`),
      });
      out.push({
        label: `conditional update: ${label}`,
        method: 'PUT',
        path: `Patient?_id=${patient}`,
        body,
      });
      out.push({
        label: `transaction: ${label}`,
        method: 'POST',
        path: '',
        body: `{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:6b0a4f6e-5a1b-4c1a-9d7e-1f2e3d4c5b6a","resource":${body},"request":{"method":"POST","url":"Patient"}}]}`,
      });
      out.push({ label: `search POST (JSON body): ${label}`, method: 'POST', path: 'Patient/_search', body });
    }
    out.push(
      { label: 'read: NUL in the id', method: 'GET', path: 'Patient/a%00b' },
      { label: 'vread: NUL in the version', method: 'GET', path: `Patient/${patient}/_history/1%00` },
      {
        label: 'update: NUL in the id',
        method: 'PUT',
        path: 'Patient/a%00b',
        body: patientJson('"x"', 'a\\u0000b'),
      },
      { label: 'history: _count=-5', method: 'GET', path: 'Patient/_history?_count=-5' },
      { label: 'instance history: _count=-5', method: 'GET', path: `Patient/${patient}/_history?_count=-5` },
      { label: 'history: _count=abc', method: 'GET', path: 'Patient/_history?_count=abc' },
      {
        label: 'history: impossible _since',
        method: 'GET',
        path: 'Patient/_history?_since=2026-02-30T00:00:00Z',
      },
      { label: 'history: NUL in _since', method: 'GET', path: 'Patient/_history?_since=2026%00' },
      {
        label: 'history: cursor of wrong types',
        method: 'GET',
        path: `Patient/_history?_cursor=${b64(['2026-01-01T00:00:00Z', { a: 1 }, 1])}`,
      },
      {
        label: 'history: cursor version overflow',
        method: 'GET',
        path: `Patient/_history?_cursor=${b64(['2026-01-01T00:00:00Z', 'x', 1e12])}`,
      },
      {
        label: 'history: cursor NUL',
        method: 'GET',
        path: `Patient/_history?_cursor=${b64(['2026-01-01T00:00:00Z', 'a\u0000', 1])}`,
      },
      {
        label: 'history: cursor impossible date',
        method: 'GET',
        path: `Patient/_history?_cursor=${b64(['2026-02-30T00:00:00Z', 'x', 1])}`,
      },
      { label: 'AuditEvent: impossible date', method: 'GET', path: 'AuditEvent?date=ge2026-02-30' },
      { label: 'AuditEvent: impossible time', method: 'GET', path: 'AuditEvent?date=ge2026-01-01T25:99:00Z' },
      { label: 'AuditEvent: NUL in patient', method: 'GET', path: 'AuditEvent?patient=a%00b' },
      { label: 'AuditEvent: _count=-5', method: 'GET', path: 'AuditEvent?_count=-5' },
      {
        label: 'AuditEvent: cursor of wrong types',
        method: 'GET',
        path: `AuditEvent?_cursor=${b64(['x', 'y'])}`,
      },
      {
        label: 'AuditEvent: cursor not an array',
        method: 'GET',
        path: `AuditEvent?_cursor=${b64({ a: 1 })}`,
      },
      { label: 'AuditEvent: read NUL', method: 'GET', path: 'AuditEvent/a%00b' },
      {
        label: '$everything: cursor of wrong types',
        method: 'GET',
        path: `Patient/${patient}/$everything?_cursor=${b64([{}, []])}`,
      },
      {
        label: '$everything: impossible _since',
        method: 'GET',
        path: `Patient/${patient}/$everything?_since=2026-02-30`,
      },
      {
        label: 'transaction: NUL in ifNoneExist',
        method: 'POST',
        path: '',
        body: JSON.stringify({
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              resource: { resourceType: 'Patient', name: [{ family: 'Không được tạo' }] },
              request: { method: 'POST', url: 'Patient', ifNoneExist: 'name=a%00b' },
            },
          ],
        }),
      },
      {
        label: 'transaction: search entry with overflow',
        method: 'POST',
        path: '',
        body: JSON.stringify({
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: 'Observation?value-quantity=ap1e999999' } }],
        }),
      },
    );
    return out;
  };

  it('answers every probe 400 with an OperationOutcome, and nothing changes', async () => {
    const before = await snapshot();
    const wrong: string[] = [];
    for (const p of probes()) {
      const r = await send(p).catch((err: Error) => ({
        status: 0,
        body: { error: err.message } as Record<string, unknown>,
      }));
      if (process.env.HOSTILE_TRACE) process.stdout.write(`${p.label}: ${r.status}\n`);
      const batchEntry = p.label.startsWith('transaction: search entry')
        ? ((r.body.entry as { response?: { status?: string } }[] | undefined)?.[0]?.response?.status ?? '')
        : undefined;
      const ok =
        batchEntry !== undefined
          ? r.status === 200 && batchEntry.startsWith('400')
          : r.status === 400 && r.body.resourceType === 'OperationOutcome';
      if (!ok) wrong.push(`${p.label}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('the other APIs (auth, scheduling, consultation files, immunizations due) answer the same values 400', async () => {
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const doctor = await send({
      label: 'seed',
      method: 'POST',
      path: 'Practitioner',
      body: JSON.stringify({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Hoa'] }] }),
    });
    const schedule = await send({
      label: 'seed',
      method: 'POST',
      path: 'Schedule',
      body: JSON.stringify({
        resourceType: 'Schedule',
        actor: [{ reference: `Practitioner/${String(doctor.body.id)}` }],
      }),
    });
    const rules = `/scheduling/schedules/${String(schedule.body.id)}`;
    const rule = {
      daysOfWeek: [1],
      startTime: '08:00',
      endTime: '09:00',
      slotMinutes: 20,
      serviceType: 'video',
    };
    const json = 'application/json';
    const cases: [string, string, string?, string?][] = [
      [
        'POST',
        '/auth/accounts',
        json,
        patientJson('"x"').replace('"resourceType":"Patient",', '"username":"a\\u0000b",'),
      ],
      ['POST', '/auth/accounts', json, `{"username":"\\ud800","password":"x","role":"admin"}`],
      ['POST', '/auth/accounts', json, nested(5000)],
      ['POST', '/auth/accounts/a%00b/disable', json, '{}'],
      [
        'POST',
        '/auth/token',
        'application/x-www-form-urlencoded',
        'grant_type=password&username=a%00b&password=x',
      ],
      ['POST', '/auth/clients', json, '{"name":"a\\u0000b","scope":"system/*.r"}'],
      ['GET', '/auth/events?limit=1%00'],
      ['POST', `${rules}/rules`, json, JSON.stringify({ ...rule, validFrom: '2026-02-30' })],
      ['POST', `${rules}/rules`, json, JSON.stringify({ ...rule, validTo: '2026-04-31' })],
      [
        'POST',
        `${rules}/rules`,
        json,
        JSON.stringify({ ...rule, slotMinutes: 1e308 }).replace('1e+308', '1e999999'),
      ],
      [
        'POST',
        `${rules}/exceptions`,
        json,
        JSON.stringify({
          kind: 'closed',
          start: '2026-02-30T08:00:00Z',
          end: '2026-03-02T08:00:00Z',
          reason: 'Tết',
        }),
      ],
      [
        'POST',
        `${rules}/exceptions`,
        json,
        JSON.stringify({
          kind: 'closed',
          start: '2026-03-01T08:00:00Z',
          end: '2026-03-02T08:00:00Z',
          reason: 'a\u0000b',
        }),
      ],
      ['GET', '/scheduling/schedules/a%00b/rules'],
      [
        'POST',
        '/scheduling/waitlist',
        json,
        `{"patient":"Patient/${patient}","specialty":"tim mạch","note":"\\ud800"}`,
      ],
      ['POST', '/scheduling/waitlist', json, `{"patient":"Patient/${patient}","specialty":${nested(5000)}}`],
      ['GET', '/scheduling/waitlist?patient=Patient/a%00b'],
      // Found by test/property-fuzz: a repeated parameter arrives as an array (was a 500).
      ['GET', `/scheduling/waitlist?patient=Patient/${patient}&patient=Patient/${patient}`],
      ['DELETE', '/scheduling/waitlist/a%00b'],
      ['GET', '/scheduling/calendar/a%00b.ics'],
      ['POST', '/scheduling/calendar-feeds', json, nested(5000)],
      ['POST', '/consultation/visits/a%00b/files', 'application/pdf', '%PDF-1.4'],
      ['GET', '/care/immunizations/due?month=2026-02%00'],
    ];
    const wrong: string[] = [];
    for (const [method, path, contentType, body] of cases) {
      const res = await fetch(`${t.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${path.startsWith('/auth') || path.startsWith('/scheduling/schedules') ? admin : token}`,
          ...(body !== undefined ? { 'Content-Type': contentType } : {}),
        },
        body,
        signal: AbortSignal.timeout(30000),
      });
      const text = await res.text();
      if (res.status !== 400 || !/"(statusCode|error)"/.test(text))
        wrong.push(`${method} ${path} ${body?.slice(0, 60) ?? ''}: ${res.status} ${text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });
});
