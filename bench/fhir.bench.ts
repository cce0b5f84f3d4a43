import { type ChildProcess } from 'node:child_process';
import { Pool } from 'pg';
import { freshPostgres, type TestDatabase } from '../test/support/test-database';
import { fhirHeaders, p95, printRows, run as runWith, startServer, stopServer, systemToken } from './support';

/**
 * FHIR server throughput against raw PostgreSQL, measured in one run on the same machine with
 * CONCURRENCY clients (issue: create and read ≥ 0.35 of raw, bundle import ≥ 1,000 resources/s,
 * search p95 ≤ 50 ms). BENCH_PATIENTS scales the search data set (the target is 100k patients /
 * 1M observations; the default is small enough for a laptop run).
 */
const CONCURRENCY = 16;
const N = Number(process.env.BENCH_OPS ?? 2000);
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 2000);
const OBS_PER_PATIENT = 10;
const BUNDLE_PATIENTS = Number(process.env.BENCH_BUNDLE_PATIENTS ?? 10);
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const run = (n: number, op: (i: number) => Promise<void>) => runWith(CONCURRENCY, n, op);

function patient(i: number): Record<string, unknown> {
  const families = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Võ', 'Đặng', 'Bùi'];
  return {
    resourceType: 'Patient',
    name: [{ family: families[i % families.length], given: ['Văn', `An${i}`] }],
    gender: i % 2 ? 'female' : 'male',
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`,
    identifier: [{ system: 'http://benhvien.example.vn/mrn', value: `MRN-${i}` }],
  };
}

function observation(patientRef: string, i: number): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: patientRef },
    effectiveDateTime: `2026-0${1 + (i % 9)}-1${i % 9}T08:00:00Z`,
    valueQuantity: { value: 60 + (i % 60), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

describe('FHIR benchmark (ratios measured in one run)', () => {
  let t: { url: string };
  let child: ChildProcess | undefined;
  let db: TestDatabase;
  let token: string;
  let raw: Pool;

  beforeAll(async () => {
    db = await freshPostgres(SERVER);
    const server = await startServer(db);
    t = server;
    child = server.child;
    token = await systemToken(t.url);
    raw = new Pool({ connectionString: db.env.DATABASE_URL, max: CONCURRENCY });
    await raw.query(
      'CREATE TABLE bench_raw (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), content jsonb NOT NULL)',
    );
  });
  afterAll(async () => {
    await raw?.end();
    await stopServer(child);
    await db?.drop();
  });

  it('prints create/read ratios, bundle import rate and search p95', async () => {
    const headers = fhirHeaders(token);
    const body = (i: number): string => JSON.stringify(patient(i));
    const rawIds: string[] = [];
    const rawInsert = await run(N, async (i) => {
      const r = await raw.query<{ id: string }>('INSERT INTO bench_raw (content) VALUES ($1) RETURNING id', [
        body(i),
      ]);
      rawIds.push(r.rows[0]!.id);
    });
    const fhirIds: string[] = [];
    const fhirCreate = await run(N, async (i) => {
      const res = await fetch(`${t.url}/fhir/Patient`, { method: 'POST', headers, body: body(i) });
      fhirIds.push(((await res.json()) as { id: string }).id);
    });
    const rawRead = await run(N, async (i) => {
      await raw.query('SELECT content FROM bench_raw WHERE id = $1', [rawIds[i % rawIds.length]]);
    });
    const fhirRead = await run(N, async (i) => {
      await (await fetch(`${t.url}/fhir/Patient/${fhirIds[i % fhirIds.length]}`, { headers })).text();
    });

    // Bundle import: BUNDLE_PATIENTS patients with their observations per transaction.
    const bundles = Math.ceil(PATIENTS / BUNDLE_PATIENTS);
    const imported = await run(bundles, async (b) => {
      const entry = Array.from({ length: BUNDLE_PATIENTS }, (_, j) => {
        const i = b * BUNDLE_PATIENTS + j;
        const urn = `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        return [
          { fullUrl: urn, resource: patient(N + i), request: { method: 'POST', url: 'Patient' } },
          ...Array.from({ length: OBS_PER_PATIENT }, (_, k) => ({
            resource: observation(urn, k),
            request: { method: 'POST', url: 'Observation' },
          })),
        ];
      }).flat();
      const res = await fetch(`${t.url}/fhir`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }),
      });
      if (res.status !== 200) throw new Error(`bundle ${b}: ${res.status} ${await res.text()}`);
    });
    // A bulk load is followed by ANALYZE, as after any import: without fresh statistics the planner
    // may drive a selective search from the wrong table (seen: 4 s p95 right after 1.1M inserts).
    await raw.query('ANALYZE');
    const importRate = (imported.perSecond * BUNDLE_PATIENTS * (1 + OBS_PER_PATIENT)).toFixed(0);

    const searches: Record<string, (i: number) => string> = {
      'Patient?name=': (i) => `Patient?name=nguyen%20van%20an${i % 500}`,
      'Patient?identifier=': (i) => `Patient?identifier=http://benhvien.example.vn/mrn|MRN-${i % PATIENTS}`,
      'Observation?subject=&code=&date=': (i) =>
        `Observation?subject=Patient/${fhirIds[i % fhirIds.length]}&code=http://loinc.org|8867-4&date=ge2026-01-01`,
    };
    const rows: string[][] = [
      [
        'FHIR create / raw JSONB INSERT',
        (fhirCreate.perSecond / rawInsert.perSecond).toFixed(2),
        `${fhirCreate.perSecond.toFixed(0)} vs ${rawInsert.perSecond.toFixed(0)} /s`,
        '≥ 0.35',
      ],
      [
        'FHIR read / raw PK SELECT',
        (fhirRead.perSecond / rawRead.perSecond).toFixed(2),
        `${fhirRead.perSecond.toFixed(0)} vs ${rawRead.perSecond.toFixed(0)} /s`,
        '≥ 0.35',
      ],
      ['transaction bundle import', importRate, 'resources/s', '≥ 1000'],
    ];
    for (const [name, url] of Object.entries(searches)) {
      const r = await run(500, async (i) => {
        await (await fetch(`${t.url}/fhir/${url(i)}`, { headers })).text();
      });
      rows.push([
        `search p95 ${name}`,
        p95(r.latencies).toFixed(1),
        `ms at ${PATIENTS + N} patients / ${PATIENTS * OBS_PER_PATIENT} observations`,
        '≤ 50 ms',
      ]);
    }
    printRows(rows);
    expect(rows).toHaveLength(6);
  });
});
