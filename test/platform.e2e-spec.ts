import { Module, type DynamicModule } from '@nestjs/common';
import { type AppConfig, createApp, loadConfig, StartupTasks } from '@mekong/common';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenVerifier } from '@mekong/auth';
import { FhirStore } from '@mekong/health-record';
import { ConsultationAppModule } from '../apps/consultation/src/consultation-app.module';
import { HealthRecordAppModule } from '../apps/health-record/src/health-record-app.module';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { SchedulingAppModule } from '../apps/scheduling/src/scheduling-app.module';
import { ADMIN, api, BASE_ENV, login, startApp, type TestApp } from './support/test-app';
import { freshDatabase, freshPglite } from './support/test-database';

interface HealthBody {
  status: string;
  components: Record<string, { status: string; fix?: string; engine?: string; workers?: number }>;
}

describe('platform: /health, /metrics, request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { METRICS_TOKEN: 'scrape-token-0123456789' });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('reports every component up once migrated', async () => {
    const res = await fetch(`${t.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthBody;
    expect(body.status).toBe('ok');
    expect(body.components.database).toMatchObject({ status: 'up', engine: t.db.engine });
    expect(body.components.migrations).toMatchObject({ status: 'up' });
    expect(body.components.mediaWorkers).toMatchObject({ status: 'up', workers: 1 });
  });

  it('closes /metrics without the scrape token and serves Prometheus text with it', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${t.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } }))
        .status,
    ).toBe(401);
    await fetch(`${t.url}/health`);
    const res = await fetch(`${t.url}/metrics`, {
      headers: { Authorization: 'Bearer scrape-token-0123456789' },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} \d+/,
    );
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('serves the portal: the first screen under 300 kB compressed, Brotli/gzip copies, hashed assets cached', async () => {
    const index = await fetch(`${t.url}/`, { headers: { Accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    // What the first screen loads: the entry script, its CSS and the modules it preloads.
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] as string,
    );
    expect(assets.length).toBeGreaterThan(0);
    let total = 0;
    for (const asset of assets) {
      const br = await fetch(`${t.url}${asset}`, { headers: { 'Accept-Encoding': 'br' } });
      expect(br.status).toBe(200);
      expect(br.headers.get('cache-control')).toContain('immutable');
      expect(br.headers.get('content-type')).toMatch(asset.endsWith('.js') ? /javascript/ : /css/);
      const gz = await fetch(`${t.url}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
      expect(gz.status).toBe(200);
      const raw = await fetch(`${t.url}${asset}`, { headers: { 'Accept-Encoding': 'identity' } });
      expect(raw.headers.get('content-encoding')).toBeNull();
      const size = (await raw.clone().arrayBuffer()).byteLength;
      // fetch decodes transparently; the header says what went over the wire. The build keeps no
      // compressed copy of assets under 1 kB (e.g. the bundler's runtime stub).
      expect(br.headers.get('content-encoding')).toBe(size >= 1024 ? 'br' : null);
      expect(gz.headers.get('content-encoding')).toBe(size >= 1024 ? 'gzip' : null);
      const { gzipSync } = await import('node:zlib');
      total += gzipSync(Buffer.from(await raw.arrayBuffer())).length;
    }
    expect(total).toBeLessThan(300 * 1024);
  });

  it('echoes a well-formed X-Request-Id and mints one otherwise', async () => {
    const given = await fetch(`${t.url}/health`, { headers: { 'X-Request-Id': 'trace-abc-12345' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-12345');
    const minted = await fetch(`${t.url}/health`, { headers: { 'X-Request-Id': 'bad id <script>' } });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 and a JSON error body', async () => {
    const res = await api(t.url, 'GET', '/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, correlationId: expect.any(String) });
  });
});

describe('platform: startup and degraded states', () => {
  it('answers /health 503 "starting" until the startup tasks are done, then 200', async () => {
    const db = await freshDatabase();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const config = loadConfig({ ...BASE_ENV, ...db.env, PORT: '0', HOST: '127.0.0.1' }, { port: 0 });
    @Module({})
    class GatedRoot {
      static register(c: AppConfig): DynamicModule {
        return {
          module: GatedRoot,
          imports: [PlatformModule.register(c)],
          providers: [
            {
              provide: 'test:gate',
              inject: [StartupTasks],
              useFactory: (tasks: StartupTasks) =>
                tasks.register({ name: 'test:gate', order: 1, run: () => gate }),
            },
          ],
        };
      }
    }
    const starting = createApp(GatedRoot.register(config), config);
    // The server listens before the startup tasks finish; find its port through the process' handles.
    let seen: HealthBody | undefined;
    let url = '';
    // Up to a minute: on the embedded engine of a loaded machine the app takes a while to listen.
    for (const deadline = Date.now() + 60_000; !seen && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
      const servers = (process as unknown as { _getActiveHandles(): unknown[] })
        ._getActiveHandles()
        .filter(
          (h): h is { address(): { port: number } | null; listening: boolean } =>
            typeof (h as { listening?: unknown }).listening === 'boolean',
        );
      for (const s of servers) {
        const port = s.address()?.port;
        if (!port) continue;
        const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (res?.status === 503) {
          seen = (await res.json()) as HealthBody;
          url = `http://127.0.0.1:${port}`;
        }
      }
    }
    expect(seen?.status).toBe('starting');
    release();
    const { app } = await starting;
    const ready = await fetch(`${url}/health`);
    expect(ready.status).toBe(200);
    await app.close();
    await db.drop();
  });

  it('still starts without a mediasoup worker binary, reporting "degraded" and how to fix it', async () => {
    const t = await startApp(PlatformModule.register, {
      MEDIASOUP_WORKER_BIN: '/nonexistent/mediasoup-worker',
    });
    try {
      const res = await fetch(`${t.url}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as HealthBody;
      expect(body.status).toBe('degraded');
      expect(body.components.mediaWorkers?.status).toBe('down');
      expect(body.components.mediaWorkers?.fix).toMatch(/install-system-deps\.sh|mediasoup-worker/);
      // the rest of the platform works
      expect((await login(t.url, ADMIN.username, ADMIN.password)).access_token).toBeTruthy();
    } finally {
      await t.close();
      await t.db.drop();
    }
  });

  it('refuses to start with a weak ADMIN_PASSWORD, naming the variable', async () => {
    await expect(startApp(PlatformModule.register, { ADMIN_PASSWORD: 'password1' })).rejects.toThrow(
      /ADMIN_PASSWORD/,
    );
  });
});

describe('platform: restart on the same DATA_DIR (embedded engine)', () => {
  it('keeps accounts, signing keys and issued tokens', async () => {
    const db = freshPglite();
    const first = await startApp(PlatformModule.register, {}, db);
    const admin = (await login(first.url, ADMIN.username, ADMIN.password)).access_token;
    const created = await api(first.url, 'POST', '/auth/accounts', admin, {
      username: 'bs.tran',
      password: 'Bac-si-Cho-Ray-2026',
      role: 'practitioner',
      fhirUser: 'Practitioner/dr-tran',
    });
    expect(created.status).toBe(201);
    await first.close();

    const second = await startApp(PlatformModule.register, {}, db);
    try {
      // the access token issued before the restart is still valid
      const client = await api(second.url, 'POST', '/auth/clients', admin, {
        name: 'HIS',
        scope: 'system/*.rs',
      });
      expect(client.status).toBe(201);
      const tokens = await login(second.url, 'bs.tran', 'Bac-si-Cho-Ray-2026');
      expect(tokens.scope).toContain('user/*.cruds');
    } finally {
      await second.close();
      await db.drop();
    }
  });
});

describe('deployables boot on their own', () => {
  it('health-record issues tokens; scheduling and consultation start and verify them via its JWKS', async () => {
    const hr = await startApp(HealthRecordAppModule.register);
    const jwks = { AUTH_JWKS_URL: `${hr.url}/.well-known/jwks.json` };
    const sched = await startApp(SchedulingAppModule.register, jwks);
    const consult = await startApp(ConsultationAppModule.register, jwks);
    try {
      for (const app of [hr, sched, consult]) {
        const res = await fetch(`${app.url}/health`);
        expect(res.status).toBe(200);
      }
      const consultHealth = (await (await fetch(`${consult.url}/health`)).json()) as HealthBody;
      expect(consultHealth.components.mediaWorkers?.status).toBe('up');
      // only the issuer serves the token endpoint
      expect((await fetch(`${sched.url}/auth/token`, { method: 'POST' })).status).toBe(404);

      const token = (await login(hr.url, ADMIN.username, ADMIN.password)).access_token;
      const verifier = TokenVerifier.remote(
        jwks.AUTH_JWKS_URL,
        'http://mekong.test',
        'http://mekong.test/fhir',
      );
      expect(await verifier.verify(token)).toMatchObject({ role: 'admin' });
      // Proactive care lives where the record is written: the health-record deployable serves it
      // (an admin is refused the station's list; the route exists), consultation does not.
      const due = '/care/immunizations/due?month=2026-12';
      const auth = { headers: { Authorization: `Bearer ${token}` } };
      expect((await fetch(`${hr.url}${due}`, auth)).status).toBe(403);
      expect((await fetch(`${consult.url}${due}`, auth)).status).toBe(404);
      // …but the reactions to record writes run in the writer's transaction: whatever the other
      // deployables react to among the types consultation writes (its write-back, consent, files;
      // the appointment's status; signatures) must react in consultation too — else a visit ended
      // there would queue no claim, and a pregnancy diagnosed there would not reach the forecast.
      const dir = join(__dirname, '../libs/consultation/src');
      const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
        .map((f) => readFileSync(join(dir, f), 'utf8'));
      const written = new Set(['Appointment', 'Provenance']);
      for (const src of sources)
        for (const m of src.matchAll(/resourceType: '([A-Za-z]+)'/g)) written.add(m[1]!);
      expect([...written]).toEqual(expect.arrayContaining(['Encounter', 'Condition', 'MedicationRequest']));
      const observers = (a: TestApp) => a.app.get(FhirStore).observerList();
      const needed = [
        ...new Set(
          [...observers(hr), ...observers(sched)]
            .filter((o) => o.types.some((t) => written.has(t)))
            .map((o) => o.name),
        ),
      ];
      expect(needed).toEqual(
        expect.arrayContaining(['claims.submission', 'care.immunization-forecast', 'eprescription.outbox']),
      );
      const present = observers(consult).map((o) => o.name);
      expect(needed.filter((n) => !present.includes(n))).toEqual([]);
    } finally {
      for (const app of [consult, sched, hr]) {
        await app.close();
        await app.db.drop();
      }
    }
  });
});

describe('platform: security headers, CORS allow-list and API rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      CORS_ORIGINS: 'https://portal.mekong.example.vn',
      RATE_LIMIT_PER_ACCOUNT: '5',
      RATE_LIMIT_PER_ADDRESS: '8',
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('sends helmet security headers', async () => {
    const res = await fetch(`${t.url}/.well-known/smart-configuration`);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await fetch(`${t.url}/.well-known/smart-configuration`, {
      headers: { Origin: 'https://portal.mekong.example.vn' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.mekong.example.vn');
    const other = await fetch(`${t.url}/.well-known/smart-configuration`, {
      headers: { Origin: 'https://evil.example.com' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits requests per account and per address, answering 429 with an OperationOutcome under /fhir', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await fetch(`${t.url}/fhir/metadata`, { headers: { Authorization: 'Bearer same-token' } })).status,
      );
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await fetch(`${t.url}/fhir/metadata`, {
      headers: { Authorization: 'Bearer same-token' },
    });
    expect(((await limited.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    // another token from the same address hits the per-address limit soon after
    const other: number[] = [];
    for (let i = 0; i < 6; i++)
      other.push(
        (await fetch(`${t.url}/fhir/metadata`, { headers: { Authorization: `Bearer other-${i}` } })).status,
      );
    expect(other).toContain(429);
    // health stays reachable for load balancers
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
