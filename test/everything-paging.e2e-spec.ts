import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { heartRate } from './support/fhir-fixtures';
import { startApp, systemToken, type TestApp } from './support/test-app';

type Entry = { resource: { resourceType: string; id: string; meta: { lastUpdated: string } } };

/**
 * Patient/$everything?_sort=-_lastUpdated (issue 18 item 18): the portal pages a lifelong record
 * newest first, so the keyset cursor is (last_updated DESC, type, id).
 */
describe('$everything paged newest first (_sort=-_lastUpdated)', () => {
  let t: TestApp;
  let fhir: Fhir;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    fhir = new Fhir(t.url, await systemToken(t.url));
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const condition = (pid: string, text: string) => ({
    resourceType: 'Condition',
    subject: { reference: `Patient/${pid}` },
    code: { text },
  });

  /** Follows the next links from `first`; `between` runs after the first page. */
  async function pages(first: string, between?: () => Promise<void>): Promise<Entry[][]> {
    const out: Entry[][] = [];
    let path: string | undefined = first;
    while (path) {
      const r = await fhir.get(path);
      expect(r.status).toBe(200);
      out.push(
        ((r.body.entry ?? []) as Entry[]).filter((e) => e.resource.resourceType !== 'OperationOutcome'),
      );
      const next = (r.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
      if (next)
        expect(new URL(next.url).searchParams.get('_sort')).toBe(
          first.includes('_sort=') ? '-_lastUpdated' : null,
        );
      path = next ? next.url.slice(next.url.indexOf('/fhir/') + '/fhir/'.length) : undefined;
      if (out.length === 1 && between) await between();
    }
    return out;
  }

  it('returns every resource exactly once, newest first, across pages; a write between pages repeats or skips nothing', async () => {
    const pid = (
      await fhir.post('Patient', { resourceType: 'Patient', name: [{ family: 'Lâm', given: ['Thời Gian'] }] })
    ).body.id as string;
    const ids = [`Patient/${pid}`];
    // 16 written one by one (distinct times, types mixed) …
    for (let i = 0; i < 16; i++) {
      const r =
        i % 2 === 0
          ? await fhir.post('Observation', heartRate(pid, 60 + i, `2026-06-0${1 + (i % 9)}T07:00:00Z`))
          : await fhir.post('Condition', condition(pid, `bệnh ${i}`));
      expect(r.status).toBe(201);
      ids.push(`${r.body.resourceType as string}/${r.body.id as string}`);
      await new Promise((res) => setTimeout(res, 3));
    }
    // … and 8 in one transaction (they may share a time: type and id break the tie).
    const tx = await fhir.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: 8 }, (_, i) => ({
        resource: i % 2 ? condition(pid, `giao dịch ${i}`) : heartRate(pid, 80 + i, '2026-07-01T07:00:00Z'),
        request: { method: 'POST', url: i % 2 ? 'Condition' : 'Observation' },
      })),
    });
    expect(tx.status).toBe(200);
    for (const e of tx.body.entry as { response: { location: string } }[])
      ids.push(e.response.location.split('/_history/')[0]!.replace(/^.*\/fhir\//, ''));
    expect(ids).toHaveLength(25);

    let late = '';
    const got = await pages(`Patient/${pid}/$everything?_count=7&_sort=-_lastUpdated`, async () => {
      // A write between pages (newer than everything) must not shift the older entries still to come.
      const r = await fhir.post('Observation', heartRate(pid, 99, '2026-08-01T07:00:00Z'));
      late = `Observation/${r.body.id as string}`;
    });
    expect(got.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    const flat = got.flat();
    const keys = flat.map((e) => `${e.resource.resourceType}/${e.resource.id}`);
    expect(new Set(keys).size).toBe(keys.length); // exactly once
    expect([...keys].sort()).toEqual([...ids].sort()); // every one, and not the later write
    expect(keys).not.toContain(late);
    // Newest first; equal times by (type, id).
    for (let i = 1; i < flat.length; i++) {
      const a = flat[i - 1]!.resource;
      const b = flat[i]!.resource;
      const ta = Date.parse(a.meta.lastUpdated);
      const tb = Date.parse(b.meta.lastUpdated);
      expect(ta).toBeGreaterThanOrEqual(tb);
      expect(ta > tb || `${a.resourceType}\u0000${a.id}` < `${b.resourceType}\u0000${b.id}`).toBe(true);
    }
    expect(keys[keys.length - 1]).toBe(`Patient/${pid}`); // written first, so last

    // A fresh first page has the later write on top.
    const again = await fhir.get(`Patient/${pid}/$everything?_count=7&_sort=-_lastUpdated`);
    expect((again.body.entry as Entry[])[0]!.resource.id).toBe(late.split('/')[1]);

    // Without _sort: the old order (type, id), unchanged, and no _sort in its links.
    const plain = await pages(`Patient/${pid}/$everything?_count=7`);
    const plainKeys = plain.flat().map((e) => [e.resource.resourceType, e.resource.id] as const);
    expect(plainKeys).toHaveLength(26);
    expect(
      [...plainKeys].sort((x, y) => (x[0] === y[0] ? (x[1] < y[1] ? -1 : 1) : x[0] < y[0] ? -1 : 1)),
    ).toEqual(plainKeys);
  });

  it('pins a snapshot: an entry of a later page edited between pages keeps its place (nothing skipped or repeated)', async () => {
    const pid = (
      await fhir.post('Patient', { resourceType: 'Patient', name: [{ family: 'Lâm', given: ['Ảnh Chụp'] }] })
    ).body.id as string;
    const ids = [`Patient/${pid}`];
    for (let i = 0; i < 11; i++) {
      const r = await fhir.post('Condition', condition(pid, `bệnh ${i}`));
      expect(r.status).toBe(201);
      ids.push(`Condition/${r.body.id as string}`);
      await new Promise((res) => setTimeout(res, 3));
    }
    const first = `Patient/${pid}/$everything?_count=4&_sort=-_lastUpdated`;
    const key = (e: Entry) => `${e.resource.resourceType}/${e.resource.id}`;
    const page1 = await fhir.get(first);
    expect(page1.status).toBe(200);
    const seen = (page1.body.entry as Entry[]).map(key);
    expect(seen).toHaveLength(4);
    // The page-2 entries as they stood; then the first of them is edited (now the newest of all).
    const next = (page1.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')!;
    const nextPath = next.url.slice(next.url.indexOf('/fhir/') + '/fhir/'.length);
    const before = ((await fhir.get(nextPath)).body.entry as Entry[]).map(key);
    expect(before).toHaveLength(4);
    const edited = before[0]!;
    const old = await fhir.get(edited);
    const put = await fhir.put(edited, { ...old.body, code: { text: 'đã sửa' } });
    expect(put.status).toBe(200);
    // … and a new entry written too.
    const late = await fhir.post('Condition', condition(pid, 'mới'));
    expect(late.status).toBe(201);

    // Page 2 (and on) from the first page's link: the same entries in the same places, the edit's
    // current content, nothing skipped, nothing repeated, the later write not among them.
    let path: string | undefined = nextPath;
    const rest: Entry[] = [];
    while (path) {
      const r = await fhir.get(path);
      expect(r.status).toBe(200);
      rest.push(
        ...((r.body.entry ?? []) as Entry[]).filter((e) => e.resource.resourceType !== 'OperationOutcome'),
      );
      const n = (r.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
      path = n ? n.url.slice(n.url.indexOf('/fhir/') + '/fhir/'.length) : undefined;
    }
    expect(rest.slice(0, 4).map(key)).toEqual(before);
    const all = [...seen, ...rest.map(key)];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...ids].sort());
    const again = rest.find((e) => key(e) === edited)!.resource as unknown as { code: { text: string } };
    expect(again.code.text).toBe('đã sửa');

    // A fresh first page shows the later write and the edit on top.
    const fresh = ((await fhir.get(first)).body.entry as Entry[]).map(key);
    expect(fresh.slice(0, 2)).toEqual([`Condition/${late.body.id as string}`, edited]);
  });

  it('refuses any other _sort (400 OperationOutcome) and a cursor of the other order', async () => {
    const pid = (await fhir.post('Patient', { resourceType: 'Patient', name: [{ family: 'Sai' }] })).body
      .id as string;
    for (const s of ['_lastUpdated', 'date', '-date', '_id', '']) {
      const r = await fhir.get(`Patient/${pid}/$everything?_sort=${encodeURIComponent(s)}`);
      expect(r.status).toBe(400);
      expect(r.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(r.body)).toContain('-_lastUpdated');
    }
    // A (type, id) cursor is not a (time, type, id) one.
    const typeIdCursor = Buffer.from(JSON.stringify(['Observation', 'x'])).toString('base64url');
    const wrong = await fhir.get(`Patient/${pid}/$everything?_sort=-_lastUpdated&_cursor=${typeIdCursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.resourceType).toBe('OperationOutcome');
  });
});
