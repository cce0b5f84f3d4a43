import { type ChildProcess } from 'node:child_process';
import { freshPglite, type TestDatabase } from '../test/support/test-database';
import { fhirHeaders, percentile, printRows, startServer, stopServer, systemToken } from './support';

/**
 * Fairness on the embedded engine (issue 16 part 3): while one client sends the heaviest Bundles
 * the limits allow, how much slower does another client's simple read get? Printed as ratios to
 * the same read's unloaded latency measured in this run (decision 012). Asserts nothing about time.
 * FHIR_REQUEST_BUDGET_MS / FHIR_BUNDLE_MAX_ENTRIES in the environment reach the server.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ENTRIES = Number(process.env.FHIR_BUNDLE_MAX_ENTRIES ?? 200);

const patient = (id: string): Record<string, unknown> => ({
  resourceType: 'Patient',
  id,
  name: [{ family: 'Nguyễn', given: ['Văn', id] }],
  gender: 'male',
  birthDate: '1970-01-01',
});

const observation = (i: number): Record<string, unknown> => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: 'Patient/heavy' },
  effectiveDateTime: '2026-12-06T08:00:00+07:00',
  valueQuantity: { value: 60 + (i % 60), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

describe('FHIR fairness on PGlite (ratios measured in one run)', () => {
  let url: string;
  let child: ChildProcess | undefined;
  let db: TestDatabase;
  let heavy: string;
  let light: string;

  beforeAll(async () => {
    db = freshPglite();
    const server = await startServer(db);
    url = server.url;
    child = server.child;
    heavy = await systemToken(url);
    light = await systemToken(url);
    for (const [token, id] of [
      [heavy, 'heavy'],
      [light, 'light'],
    ] as const) {
      const r = await fetch(`${url}/fhir/Patient/${id}`, {
        method: 'PUT',
        headers: fhirHeaders(token),
        body: JSON.stringify(patient(id)),
      });
      if (r.status !== 201) throw new Error(`setup: ${r.status} ${await r.text()}`);
    }
  });
  afterAll(async () => {
    await stopServer(child);
    await db?.drop();
  });

  /** One simple read by the other user: its latency (ms). */
  async function read(): Promise<number> {
    const t0 = performance.now();
    const r = await fetch(`${url}/fhir/Patient/light`, { headers: fhirHeaders(light) });
    await r.text();
    if (r.status !== 200) throw new Error(`read: ${r.status}`);
    return performance.now() - t0;
  }

  async function reads(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await read());
    return out;
  }

  /** Runs `rounds` heavy requests back to back while the other user reads; both sides' numbers. */
  async function underLoad(
    body: unknown,
    rounds = ROUNDS,
  ): Promise<{ reads: number[]; heavyMs: number[]; statuses: number[] }> {
    const text = JSON.stringify(body);
    const heavyMs: number[] = [];
    const statuses: number[] = [];
    let done = false;
    const load = (async () => {
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const r = await fetch(`${url}/fhir`, { method: 'POST', headers: fhirHeaders(heavy), body: text });
        await r.text();
        statuses.push(r.status);
        heavyMs.push(performance.now() - t0);
      }
      done = true;
    })();
    const measured: number[] = [];
    // Let the first heavy request reach the database before measuring.
    await new Promise((r) => setTimeout(r, 20));
    while (!done) measured.push(await read());
    await load;
    return { reads: measured, heavyMs, statuses };
  }

  it('measures another user’s read under the heaviest allowed Bundles', async () => {
    await reads(20); // warm-up
    const unloaded = await reads(50);
    const base = percentile(unloaded, 0.5);
    const gets = (n: number) =>
      Array.from({ length: n }, () => ({ request: { method: 'GET', url: 'Patient/heavy' } }));
    const posts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        resource: observation(i),
        request: { method: 'POST', url: 'Observation' },
      }));
    const scenarios: [string, unknown][] = [
      [
        'issue: transaction of 15,000 GETs (refused)',
        { resourceType: 'Bundle', type: 'transaction', entry: gets(15000) },
      ],
      [
        `transaction of ${ENTRIES} GETs`,
        { resourceType: 'Bundle', type: 'transaction', entry: gets(ENTRIES) },
      ],
      [`batch of ${ENTRIES} GETs`, { resourceType: 'Bundle', type: 'batch', entry: gets(ENTRIES) }],
      [
        `transaction of ${ENTRIES} POSTs`,
        { resourceType: 'Bundle', type: 'transaction', entry: posts(ENTRIES) },
      ],
      [`batch of ${ENTRIES} POSTs`, { resourceType: 'Bundle', type: 'batch', entry: posts(ENTRIES) }],
    ];
    const rows: string[][] = [
      [
        'load',
        'heavy status',
        'heavy ms (max)',
        'reads',
        'read p50 / unloaded p50',
        'p95 / unloaded p50',
        'max / unloaded p50',
      ],
      [
        'none',
        '-',
        '-',
        String(unloaded.length),
        '1.0',
        (percentile(unloaded, 0.95) / base).toFixed(1),
        (Math.max(...unloaded) / base).toFixed(1),
      ],
    ];
    for (const [name, body] of scenarios) {
      const r = await underLoad(body);
      rows.push([
        name,
        [...new Set(r.statuses)].join(','),
        Math.max(...r.heavyMs).toFixed(0),
        String(r.reads.length),
        (percentile(r.reads, 0.5) / base).toFixed(1),
        (percentile(r.reads, 0.95) / base).toFixed(1),
        (Math.max(...r.reads) / base).toFixed(1),
      ]);
    }
    printRows([[`unloaded read p50 = ${base.toFixed(1)} ms (PGlite, server in its own process)`], ...rows]);
  });
});
