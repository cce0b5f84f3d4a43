import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { heartRate } from './support/fhir-fixtures';
import { ADMIN, login, startApp, systemToken, type TestApp } from './support/test-app';

/**
 * Issue 18 item 18 (weak links): API answers are compressed by Accept-Encoding (br, gzip), never
 * on the sign-in routes; patient data carries `Cache-Control: no-store`; a client revalidates its
 * own copy with the ETag (304, no body). Raw HTTP here: fetch would decode the body silently.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function raw(
  base: string,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
  body?: string,
): Promise<Raw> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('weak links: compressed answers, no-store, ETag revalidation (issue 18 item 18)', () => {
  let t: TestApp;
  let sys: Fhir;
  let token: string;
  let patient: string;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    token = await systemToken(t.url);
    sys = new Fhir(t.url, token);
    const p = await sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Lê', given: ['Thị', 'Hồng'] }],
      birthDate: '1960-05-01',
    });
    patient = p.body.id as string;
    // A lifelong record grows: 60 vitals make $everything a few tens of kB.
    for (let i = 0; i < 60; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const r = await sys.post(
        'Observation',
        heartRate(patient, 60 + (i % 30), `2026-11-${day}T08:00:00+07:00`),
      );
      if (r.status !== 201) throw new Error(`seed ${r.status}`);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const auth = (): Record<string, string> => ({ Authorization: `Bearer ${token}` });

  it('compresses $everything with br or gzip as the client asks; the decoded body is the same JSON', async () => {
    const path = `/fhir/Patient/${patient}/$everything`;
    const plain = await raw(t.url, path, { ...auth(), 'Accept-Encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const identity = JSON.parse(plain.body.toString('utf8')) as { entry: unknown[] };
    expect(identity.entry.length).toBeGreaterThanOrEqual(61);

    const br = await raw(t.url, path, { ...auth(), 'Accept-Encoding': 'br, gzip' });
    expect([br.status, br.headers['content-encoding']]).toEqual([200, 'br']);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    const decodedBr = JSON.parse(brotliDecompressSync(br.body).toString('utf8')) as { entry: unknown[] };
    expect(decodedBr.entry).toHaveLength(identity.entry.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);

    const gz = await raw(t.url, path, { ...auth(), 'Accept-Encoding': 'gzip' });
    expect([gz.status, gz.headers['content-encoding']]).toEqual([200, 'gzip']);
    const decodedGz = JSON.parse(gunzipSync(gz.body).toString('utf8')) as { entry: unknown[] };
    expect(decodedGz.entry).toHaveLength(identity.entry.length);
  });

  it('an error answer is compressed too when large, and is still a clear OperationOutcome', async () => {
    const r = await raw(t.url, `/fhir/Patient?${'birthdate=notadate&'.repeat(80)}`, {
      ...auth(),
      'Accept-Encoding': 'gzip',
    });
    expect(r.status).toBe(400);
    const body = r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
    expect((JSON.parse(body.toString('utf8')) as { resourceType: string }).resourceType).toBe(
      'OperationOutcome',
    );
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('never compresses the sign-in routes, whatever the client accepts', async () => {
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    // Enough sign-in events that the admin's event list is well over the compression threshold.
    for (let i = 0; i < 12; i++) {
      const r = await raw(
        t.url,
        '/auth/accounts',
        { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        'POST',
        JSON.stringify({
          username: `nhan.vien.${i}`,
          password: 'Mat-khau-an-toan-2026',
          role: 'admin',
        }),
      );
      expect(r.status).toBe(201);
    }
    const list = await raw(t.url, '/auth/events', {
      Authorization: `Bearer ${admin}`,
      'Accept-Encoding': 'br, gzip',
    });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(1024);
    expect(list.headers['content-encoding']).toBeUndefined();
    const form =
      'grant_type=password&username=' +
      encodeURIComponent(ADMIN.username) +
      '&password=' +
      encodeURIComponent(ADMIN.password);
    const tokenAnswer = await raw(
      t.url,
      '/auth/token',
      { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Encoding': 'br, gzip' },
      'POST',
      form,
    );
    expect(tokenAnswer.status).toBe(200);
    expect(tokenAnswer.headers['content-encoding']).toBeUndefined();
    expect(tokenAnswer.headers['cache-control']).toBe('no-store');
  });

  it('patient data is no-store; the ETag revalidates a kept copy (304, no body) until the record changes', async () => {
    const path = `/fhir/Patient/${patient}`;
    const first = await raw(t.url, path, { ...auth(), 'Accept-Encoding': 'gzip' });
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await raw(t.url, path, { ...auth(), 'If-None-Match': etag });
    expect([again.status, again.body.length]).toEqual([304, 0]);
    // Another caller's token does not matter to the ETag, but a change does.
    const current = await sys.get(`Patient/${patient}`);
    expect((await sys.put(`Patient/${patient}`, { ...current.body, gender: 'female' })).status).toBe(200);
    const changed = await raw(t.url, path, { ...auth(), 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect(String(changed.headers.etag)).not.toBe(etag);
    // Without a token: 401, never a 304 that would confirm the record exists.
    const anonymous = await raw(t.url, path, { 'If-None-Match': String(changed.headers.etag) });
    expect(anonymous.status).toBe(401);
    // A search answer too.
    const search = await raw(t.url, `/fhir/Observation?subject=Patient/${patient}&_count=5`, auth());
    expect([search.status, search.headers['cache-control']]).toEqual([200, 'no-store']);
  });

  it('the portal shell keeps its own caching (not no-store)', async () => {
    const shell = await raw(t.url, '/', {});
    expect(shell.headers['cache-control']).not.toBe('no-store');
  });
});
