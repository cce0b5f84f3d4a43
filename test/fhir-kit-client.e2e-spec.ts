import { join } from 'node:path';
import type * as FhirKit from 'fhir-kit-client';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { startApp, systemToken, type TestApp } from './support/test-app';
import { CCCD_SYSTEM, type FhirJson, nodeRequire, vnCorpus } from './support/vn-corpus';

/**
 * fhir-kit-client 2 is ESM-only (`exports` has only an `import` condition) with a NAMED export
 * `Client` (no default): Jest's CommonJS runtime can neither `require` it nor `import()` it
 * without --experimental-vm-modules, so its entry file is loaded with Node's own require (Node ≥ 20.19
 * can require an ES module).
 */
const { Client } = nodeRequire<typeof FhirKit>(
  // A `require('fhir-kit-client')` is refused: its `exports` offers no `require`/`default` condition.
  join(__dirname, '..', 'node_modules', 'fhir-kit-client', 'dist', 'index.js'),
);

type Resource = FhirJson & { id?: string; meta?: { versionId?: string } };
interface Bundle extends Record<string, unknown> {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: {
    resource?: Resource;
    response?: { status: string; location?: string };
    search?: { mode: string };
  }[];
}

/** The HTTP status of a fhir-kit-client error (it throws an Error with `response.status`). */
async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as { response?: { status?: number } }).response?.status ?? -1;
  }
}

function matches(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include').map((e) => e.resource!);
}

describe('FHIR server driven by fhir-kit-client', () => {
  let t: TestApp;
  let client: FhirKit.Client;
  /** Links point at PUBLIC_URL (http://mekong.test in tests): aim them at the real listener. */
  const rebase = (bundle: Bundle): Bundle & { link: { relation: string; url: string }[] } => ({
    ...bundle,
    link: (bundle.link ?? []).map((l) => ({ ...l, url: l.url.replace(t.config.publicUrl, t.url) })),
  });
  const family = `Trương-${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    const access_token = await systemToken(t.url);
    client = new Client({
      baseUrl: `${t.url}/fhir`,
      customHeaders: { Authorization: `Bearer ${access_token}` },
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('reads the CapabilityStatement', async () => {
    const cs = (await client.capabilityStatement()) as Resource & { fhirVersion: string; rest: unknown[] };
    expect(cs.resourceType).toBe('CapabilityStatement');
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.rest.length).toBeGreaterThan(0);
  });

  it('creates, reads, updates, reads history, deletes (then 410 Gone)', async () => {
    const created = (await client.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        name: [{ family: 'Lê', given: ['Thị', 'Hồng', 'Nhung'] }],
        gender: 'female',
        birthDate: '1988-09-02',
        identifier: [{ system: CCCD_SYSTEM, value: '092188123456' }],
      },
    })) as Resource;
    expect(created.id).toEqual(expect.any(String));
    expect(created.meta?.versionId).toBe('1');
    const id = created.id!;

    const read = (await client.read({ resourceType: 'Patient', id })) as Resource;
    expect(read).toEqual(created);

    const updated = (await client.update({
      resourceType: 'Patient',
      id,
      body: { ...read, telecom: [{ system: 'phone', value: '0913456789' }] },
    })) as Resource;
    expect(updated.meta?.versionId).toBe('2');
    expect(updated.telecom).toEqual([{ system: 'phone', value: '0913456789' }]);

    const history = (await client.history({ resourceType: 'Patient', id })) as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2', '1']);

    const found = (await client.search({
      resourceType: 'Patient',
      searchParams: { name: 'le thi hong', birthdate: '1988-09-02' },
    })) as Bundle;
    expect(matches(found).map((r) => r.id)).toContain(id);

    await client.delete({ resourceType: 'Patient', id });
    expect(await statusOf(client.read({ resourceType: 'Patient', id }))).toBe(410);
    expect(await statusOf(client.read({ resourceType: 'Patient', id: 'khong-ton-tai' }))).toBe(404);
  });

  it('searches with searchParams, accents dropped (Nguyễn → nguyen, Đ → d)', async () => {
    const ids: string[] = [];
    for (const given of ['Văn Đức', 'Thị Ánh']) {
      const p = (await client.create({
        resourceType: 'Patient',
        body: { resourceType: 'Patient', name: [{ family: 'Nguyễn', given: given.split(' ') }] },
      })) as Resource;
      ids.push(p.id!);
    }
    const bundle = (await client.search({
      resourceType: 'Patient',
      searchParams: { family: 'nguyen', given: 'duc', _count: 50 },
    })) as Bundle;
    const found = matches(bundle).map((r) => r.id);
    expect(found).toContain(ids[0]);
    expect(found).not.toContain(ids[1]);
  });

  it('pages through every result with nextPage (_count=2)', async () => {
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      const p = (await client.create({
        resourceType: 'Patient',
        body: { resourceType: 'Patient', name: [{ family, given: [`Con ${i + 1}`] }] },
      })) as Resource;
      created.push(p.id!);
    }
    const seen: string[] = [];
    let page = (await client.search({
      resourceType: 'Patient',
      searchParams: { family, _count: 2 },
    })) as Bundle | undefined;
    let pages = 0;
    while (page !== undefined && pages < 20) {
      pages++;
      seen.push(...matches(page).map((r) => r.id!));
      page = (await client.nextPage({ bundle: rebase(page) })) as Bundle | undefined;
    }
    expect(pages).toBe(4);
    expect([...seen].sort()).toEqual([...created].sort());
  });

  it('posts a transaction with urn:uuid references', async () => {
    const [first] = vnCorpus(1, 7);
    const response = (await client.transaction({ body: first!.bundle })) as Bundle;
    expect(response.type).toBe('transaction-response');
    expect(response.entry).toHaveLength(first!.bundle.entry.length);
    expect(response.entry!.every((e) => e.response?.status.startsWith('201'))).toBe(true);
    const patientId = /Patient\/([^/]+)/.exec(response.entry![0]!.response!.location!)![1]!;

    const byCccd = (await client.search({
      resourceType: 'Patient',
      searchParams: { identifier: `${CCCD_SYSTEM}|${first!.cccd}` },
    })) as Bundle;
    expect(matches(byCccd).map((r) => r.id)).toEqual([patientId]);

    const vitals = (await client.search({
      resourceType: 'Observation',
      searchParams: { subject: `Patient/${patientId}`, category: 'vital-signs', _count: 100 },
    })) as Bundle;
    expect(matches(vitals).length).toBeGreaterThanOrEqual(4);
    expect(
      matches(vitals).every((o) => (o.subject as { reference: string }).reference === `Patient/${patientId}`),
    ).toBe(true);
  });

  it('runs Patient/$everything (GET and, as the client defaults to, POST)', async () => {
    const [p] = vnCorpus(1, 11);
    const response = (await client.transaction({ body: p!.bundle })) as Bundle;
    const id = /Patient\/([^/]+)/.exec(response.entry![0]!.response!.location!)![1]!;

    const viaGet = (await client.operation({
      name: 'everything',
      resourceType: 'Patient',
      id,
      method: 'GET',
    })) as Bundle;
    expect(viaGet.resourceType).toBe('Bundle');
    let all = [...(viaGet.entry ?? [])];
    let next: Bundle | undefined = viaGet;
    while ((next = (await client.nextPage({ bundle: rebase(next) })) as Bundle | undefined) !== undefined) {
      all = all.concat(next.entry ?? []);
    }
    // Besides what was posted, the record derives the child's vaccination forecast (an
    // ImmunizationRecommendation, docs/care.md) — part of the record, so part of $everything.
    const derived = all.filter((e) => e.resource?.resourceType === 'ImmunizationRecommendation');
    const posted = all.filter((e) => e.resource?.resourceType !== 'ImmunizationRecommendation');
    expect(derived.length).toBeLessThanOrEqual(1);
    const types = new Set(posted.map((e) => e.resource?.resourceType));
    expect(posted).toHaveLength(p!.bundle.entry.length);
    expect(types).toEqual(new Set(p!.bundle.entry.map((e) => e.resource.resourceType)));

    // $everything has no side effects: FHIR allows it by POST too (what client.operation does by default).
    const viaPost = await statusOf(client.operation({ name: 'everything', resourceType: 'Patient', id }));
    expect(viaPost).toBe('ok');
  });
});
