import { parseSearchRequest, SearchService, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { heartRate } from './support/fhir-fixtures';
import { startApp, systemToken, type TestApp } from './support/test-app';

/**
 * Issue 16 part 3: one request may not stall the embedded engine for everyone. Caps are refused
 * before any work (Bundle entries 413; _count, include fan-out and :iterate depth 400), and the
 * time budget stops a request between units of work: a transaction rolls back whole (503).
 * Fairness under the worst allowed Bundle is measured in bench/fhir-fairness.bench.ts.
 */

const PROBE = 'urn:mekong:test:limits';

interface Outcome {
  resourceType: string;
  issue: { code: string; diagnostics: string }[];
}

function patient(n: number): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    identifier: [{ system: PROBE, value: `p-${n}` }],
    name: [{ family: 'Trần', given: ['Thị', `Số ${n}`] }],
    gender: 'female',
    birthDate: '1985-03-02',
  };
}

/** A station registering a patient: the Patient and 49 resources pointing at it by urn:uuid. */
function registration(): Record<string, unknown> {
  const pid = 'urn:uuid:0b8f7a52-2f6c-4a0e-9d55-6d7a3c1f0a01';
  const entry: Record<string, unknown>[] = [
    { fullUrl: pid, resource: patient(0), request: { method: 'POST', url: 'Patient' } },
  ];
  for (let i = 0; i < 49; i++) {
    const obs = {
      ...heartRate('x', 60 + i, `2026-12-06T0${i % 10}:00:00+07:00`),
      subject: { reference: pid },
    };
    entry.push({ resource: obs, request: { method: 'POST', url: 'Observation' } });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** Patient/p1: a short id keeps a 15,000-entry Bundle of reads under the 1 MB body limit. */
async function putPatientP1(fhir: Fhir): Promise<void> {
  const r = await fhir.put('Patient/p1', { ...patient(1), id: 'p1' });
  if (r.status !== 201) throw new Error(`Patient/p1: ${r.status}`);
}

function getEntries(n: number, url: string): Record<string, unknown>[] {
  return Array.from({ length: n }, () => ({ request: { method: 'GET', url } }));
}

describe('FHIR request limits: caps refused before any work', () => {
  let t: TestApp;
  let fhir: Fhir;

  beforeAll(async () => {
    // Small include caps so a handful of resources reaches them; Bundle and _count caps at their defaults.
    t = await startApp(PlatformModule.register, { FHIR_INCLUDE_MAX: '5', FHIR_INCLUDE_MAX_DEPTH: '2' });
    fhir = new Fhir(t.url, await systemToken(t.url));
    await putPatientP1(fhir);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('refuses the 15,000-entry Bundle of GETs with 413 naming the limit (default 200), transaction and batch', async () => {
    for (const type of ['transaction', 'batch']) {
      const body = JSON.stringify({ resourceType: 'Bundle', type, entry: getEntries(15000, 'Patient/p1') });
      expect(body.length).toBeLessThan(1024 * 1024); // under BODY_LIMIT: the limit is the FHIR layer's
      const r = await fhir.post('', body);
      expect(r.status).toBe(413);
      const outcome = r.body as unknown as Outcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0]!.code).toBe('too-costly');
      expect(outcome.issue[0]!.diagnostics).toMatch(/15000 entries.*at most 200 \(FHIR_BUNDLE_MAX_ENTRIES\)/);
    }
    // One past the cap is refused; the cap itself is served.
    const over = await fhir.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: getEntries(201, 'Patient/p1'),
    });
    expect(over.status).toBe(413);
    const atCap = await fhir.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: getEntries(200, 'Patient/p1'),
    });
    expect(atCap.status).toBe(200);
    expect(atCap.body.entry as unknown[]).toHaveLength(200);
  });

  it('still accepts a 50-entry registration transaction', async () => {
    const r = await fhir.post('', registration());
    expect(r.status).toBe(200);
    const entries = r.body.entry as { response: { status: string } }[];
    expect(entries).toHaveLength(50);
    expect(entries.every((e) => e.response.status === '201 Created')).toBe(true);
  });

  it('refuses _count above FHIR_COUNT_MAX with 400 instead of silently cutting it', async () => {
    const r = await fhir.get('Patient?_count=1001');
    expect(r.status).toBe(400);
    const outcome = r.body as unknown as Outcome;
    expect(outcome.issue[0]!.code).toBe('too-costly');
    expect(outcome.issue[0]!.diagnostics).toMatch(/maximum page size 1000 \(FHIR_COUNT_MAX\)/);
    expect((await fhir.post('Patient/_search', { _count: '5000' })).status).toBe(400);
    expect((await fhir.get('Patient/_history?_count=1001')).status).toBe(400);
    expect((await fhir.get('Patient/p1/$everything?_count=1001')).status).toBe(400);
    expect((await fhir.get('Patient?_count=1000')).status).toBe(200);
  });

  it('refuses an _include/_revinclude fan-out above FHIR_INCLUDE_MAX (5 here)', async () => {
    const pid = (await fhir.post('Patient', patient(2))).body.id as string;
    for (let i = 0; i < 5; i++)
      expect(
        (await fhir.post('Observation', heartRate(pid, 70 + i, '2026-12-06T08:00:00+07:00'))).status,
      ).toBe(201);
    const five = await fhir.get(`Patient?_id=${pid}&_revinclude=Observation:subject`);
    expect(five.status).toBe(200);
    expect(five.body.entry as unknown[]).toHaveLength(6);

    await fhir.post('Observation', heartRate(pid, 99, '2026-12-06T09:00:00+07:00'));
    const six = await fhir.get(`Patient?_id=${pid}&_revinclude=Observation:subject`);
    expect(six.status).toBe(400);
    const outcome = six.body as unknown as Outcome;
    expect(outcome.issue[0]!.code).toBe('too-costly');
    expect(outcome.issue[0]!.diagnostics).toMatch(/more than 5 resources.*FHIR_INCLUDE_MAX\)/);
  });

  it('refuses :iterate deeper than FHIR_INCLUDE_MAX_DEPTH (2 here)', async () => {
    const top = (await fhir.post('Organization', { resourceType: 'Organization', name: 'Sở Y tế Cần Thơ' }))
      .body.id as string;
    const org = (
      await fhir.post('Organization', {
        resourceType: 'Organization',
        name: 'Trạm Y tế Phường 1',
        partOf: { reference: `Organization/${top}` },
      })
    ).body.id as string;
    const pid = (
      await fhir.post('Patient', {
        ...patient(3),
        managingOrganization: { reference: `Organization/${org}` },
      })
    ).body.id as string;
    const oid = (await fhir.post('Observation', heartRate(pid, 80, '2026-12-06T08:00:00+07:00'))).body
      .id as string;
    const base = `Observation?_id=${oid}&_include=Observation:subject&_include:iterate=Patient:organization`;
    // Two levels (Patient, then its Organization): served.
    const two = await fhir.get(base);
    expect(two.status).toBe(200);
    expect(two.body.entry as unknown[]).toHaveLength(3);
    // A third level (the Organization it is part of): refused, not silently cut.
    const three = await fhir.get(`${base}&_include:iterate=Organization:partof`);
    expect(three.status).toBe(400);
    expect((three.body as unknown as Outcome).issue[0]!.diagnostics).toMatch(
      /deeper than 2 levels \(FHIR_INCLUDE_MAX_DEPTH\)/,
    );
  });
});

describe('FHIR request limits: the time budget', () => {
  let t: TestApp;
  let fhir: Fhir;

  beforeAll(async () => {
    // A budget a 1,000-entry Bundle cannot meet on any engine (each entry is several statements).
    t = await startApp(PlatformModule.register, {
      FHIR_REQUEST_BUDGET_MS: '50',
      FHIR_BUNDLE_MAX_ENTRIES: '1000',
    });
    fhir = new Fhir(t.url, await systemToken(t.url));
    await putPatientP1(fhir);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  /** Patients carrying the probe identifier, counted in the database (no request budget). */
  async function probePatients(): Promise<number> {
    const result = await t.app.get(SearchService).search(
      'Patient',
      parseSearchRequest([
        ['identifier', `${PROBE}|`],
        ['_summary', 'count'],
      ]),
      { lenient: false, caller: SystemReason.of(SYSTEM_REASONS.queryReview) },
    );
    return result.total ?? -1;
  }

  it('stops an over-budget transaction with 503 and writes nothing of it', async () => {
    const before = await probePatients();
    const entry = Array.from({ length: 1000 }, (_, i) => ({
      resource: patient(100 + i),
      request: { method: 'POST', url: 'Patient' },
    }));
    const r = await fhir.post('', { resourceType: 'Bundle', type: 'transaction', entry });
    expect(r.status).toBe(503);
    const outcome = r.body as unknown as Outcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]!.code).toBe('too-costly');
    expect(outcome.issue[0]!.diagnostics).toMatch(/budget of 50 ms \(FHIR_REQUEST_BUDGET_MS\).*Nothing/);
    // All-or-nothing: not one of the entries that ran before the deadline was committed.
    expect(await probePatients()).toBe(before);
  });

  it('answers 503 for the batch entries it did not reach; those it ran keep their result', async () => {
    const r = await fhir.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: getEntries(1000, 'Patient/p1'),
    });
    expect(r.status).toBe(200);
    const statuses = (r.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
    expect(statuses).toHaveLength(1000);
    const firstStopped = statuses.indexOf('503');
    expect(firstStopped).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(0, firstStopped).every((s) => s === '200 OK')).toBe(true);
    expect(statuses.slice(firstStopped).every((s) => s === '503')).toBe(true);
  });
});
