/**
 * The docker/ files agree with the code's configuration (libs/common/src/config/deployables.ts):
 * image targets, ports and entry points, compose services, and the nginx ingress routes.
 * Parses the files; needs no Docker engine and no nginx.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEPLOYABLES } from '../libs/common/src/config/deployables';
import type { DeployableName } from '../libs/common/src/config/deployables';
import { lastInstruction, parseStages, stageEnv, stageInstructions } from './support/dockerfile';
import type { DockerStage } from './support/dockerfile';
import {
  children,
  effectiveDirectives,
  httpBlock,
  isDenied,
  matchLocation,
  parseNginxConf,
  proxiedUpstream,
  serversListeningOn,
  upstreams,
} from './support/nginx-conf';
import type { NginxDirective } from './support/nginx-conf';

const ROOT = resolve(__dirname, '..');
const DOCKER_DIR = join(ROOT, 'docker');
const read = (file: string): string => readFileSync(join(DOCKER_DIR, file), 'utf8');

/** The deployables that run as separate services behind the ingress. */
const SPLIT_SERVICES = ['health-record', 'scheduling', 'consultation'] as const;
type SplitService = (typeof SPLIT_SERVICES)[number];
const ALL_DEPLOYABLES = Object.keys(DEPLOYABLES) as DeployableName[];
const WORKER_BIN = '/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${what}: expected a mapping`);
  return value;
}

function stringList(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected a list`);
  return value.map((v) => String(v));
}

/** Compose `environment` in either form (mapping or `KEY=value` list); null = taken from the host. */
function environment(service: Record<string, unknown>): Map<string, string | null> {
  const env = new Map<string, string | null>();
  const raw = service.environment;
  if (raw === undefined) return env;
  if (Array.isArray(raw)) {
    for (const entry of raw.map(String)) {
      const eq = entry.indexOf('=');
      if (eq < 0) env.set(entry, null);
      else env.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
    return env;
  }
  for (const [key, value] of Object.entries(record(raw, 'environment'))) {
    env.set(key, value === null ? null : String(value));
  }
  return env;
}

/** `${VAR:-default}` -> default, as Compose interpolates it when VAR is unset. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z_][A-Z0-9_]*:?-([^}]*)\}/g, '$1');
}

/** The deployable an ingress should send `requestTarget` to according to DEPLOYABLES' routes. */
function expectedDeployable(requestTarget: string): SplitService {
  const path = requestTarget.split('?')[0];
  const matches = (prefix: string): boolean =>
    path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  let best: { name: SplitService; length: number } | undefined;
  for (const name of SPLIT_SERVICES) {
    for (const prefix of DEPLOYABLES[name].routes) {
      if (matches(prefix) && (!best || prefix.length > best.length)) best = { name, length: prefix.length };
    }
  }
  // "The rest to health-record" (docs/ARCHITECTURE.md, Scale-out), the portal included.
  return best?.name ?? 'health-record';
}

describe('docker/Dockerfile', () => {
  const stages = parseStages(read('Dockerfile'));
  const stage = (name: string): DockerStage => {
    const found = stages.find((s) => s.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };

  it('starts from node:20-bookworm-slim', () => {
    expect(stages[0].from).toBe('node:20-bookworm-slim');
    const external = stages.map((s) => s.from).filter((from) => !stages.some((s) => s.name === from));
    expect(new Set(external)).toEqual(new Set(['node:20-bookworm-slim']));
  });

  it('builds with npm ci under .npmrc (ignore-scripts) and prunes dev dependencies', () => {
    const copies = stageInstructions(stages, 'build', 'COPY').map((i) => i.args);
    const runs = stageInstructions(stages, 'build', 'RUN').map((i) => i.args);
    expect(copies[0].split(' ')).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', '.npmrc']),
    );
    expect(runs[0]).toBe('npm ci');
    expect(runs.join(' && ')).toMatch(/npm run build.*npm prune --omit=dev/);
    expect(readFileSync(join(ROOT, '.npmrc'), 'utf8')).toMatch(/^ignore-scripts=true$/m);
  });

  it.each(ALL_DEPLOYABLES)('has a runtime target %s on its default port', (name) => {
    const port = DEPLOYABLES[name].defaultPort;
    stage(name);
    const env = stageEnv(stages, name);
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('PORT')).toBe(String(port));
    expect(stageInstructions(stages, name, 'EXPOSE').map((i) => i.args)).toEqual([String(port)]);

    const cmd = lastInstruction(stages, name, 'CMD');
    expect(cmd && JSON.parse(cmd.args)).toEqual(['node', `dist/apps/${name}/src/main.js`]);

    const user = lastInstruction(stages, name, 'USER')?.args;
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user?.split(':')[0]);

    const healthcheck = lastInstruction(stages, name, 'HEALTHCHECK')?.args ?? '';
    expect(healthcheck).toMatch(/CMD \["node", "-e", /);
    expect(healthcheck).toContain('/health');
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it.each(['consultation', 'platform'])('%s carries the Debian mediasoup worker', (name) => {
    expect(stageEnv(stages, name).get('MEDIASOUP_WORKER_BIN')).toBe(WORKER_BIN);
    const runs = stageInstructions(stages, name, 'RUN').map((i) => i.args);
    expect(
      runs.some((r) => /bash \S*scripts\/install-system-deps\.sh|bash \S*install-system-deps\.sh/.test(r)),
    ).toBe(true);
    expect(readFileSync(join(ROOT, 'scripts/install-system-deps.sh'), 'utf8')).toContain(WORKER_BIN);
  });

  it.each(['health-record', 'scheduling'])('%s stays free of the media plane', (name) => {
    expect(stageEnv(stages, name).has('MEDIASOUP_WORKER_BIN')).toBe(false);
  });

  it('platform ships the portal and a data volume', () => {
    const copies = stageInstructions(stages, 'platform', 'COPY').map((i) => i.args);
    expect(copies.some((c) => c.includes('/app/apps/portal/dist'))).toBe(true);
    expect(stageEnv(stages, 'platform').get('DATA_DIR')).toBe('/data');
  });
});

describe('docker/docker-compose.yml', () => {
  const compose = record(parse(read('docker-compose.yml')), 'compose file');
  const services = record(compose.services, 'services');
  const service = (name: string): Record<string, unknown> => record(services[name], `service ${name}`);
  const databaseUrl = 'postgres://mekong:${POSTGRES_PASSWORD:-mekong}@postgres:5432/mekong';
  const jwksUrl = `http://health-record:${DEPLOYABLES['health-record'].defaultPort}/.well-known/jwks.json`;

  it('defines the whole topology', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'coturn', 'nginx', ...SPLIT_SERVICES]),
    );
    expect(service('postgres').image).toBe('postgres:15');
    expect(
      stringList(record(service('postgres').healthcheck, 'healthcheck').test, 'test').join(' '),
    ).toContain('pg_isready');
    expect(
      stringList(service('postgres').volumes, 'volumes').some((v) => v.endsWith(':/var/lib/postgresql/data')),
    ).toBe(true);
    expect(service('redis').image).toBe('redis:7');
    expect(service('nginx').image).toBe('nginx:1.27');
    expect(String(service('coturn').image)).toMatch(/^coturn\/coturn(:|$)/);
  });

  it.each(SPLIT_SERVICES)('%s is built from its own target on its default port', (name) => {
    const svc = service(name);
    const build = record(svc.build, 'build');
    expect(build.target).toBe(name);
    expect(build.context).toBe('..');
    expect(existsSync(resolve(DOCKER_DIR, String(build.context), String(build.dockerfile)))).toBe(true);

    const env = environment(svc);
    expect(env.get('PORT')).toBe(String(DEPLOYABLES[name].defaultPort));
    expect(env.get('DATABASE_URL')).toBe(databaseUrl);
    expect(env.get('REDIS_URL')).toBe('redis://redis:6379');
    expect(env.has('PUBLIC_URL')).toBe(true);
    expect(env.get('AUTH_JWKS_URL')).toBe(name === 'health-record' ? undefined : jwksUrl);
    expect(record(record(svc.depends_on, 'depends_on').postgres, 'postgres').condition).toBe(
      'service_healthy',
    );
    // Only the ingress is reachable from outside for HTTP.
    const published = svc.ports === undefined ? [] : stringList(svc.ports, 'ports');
    expect(published.some((p) => p.includes(`:${DEPLOYABLES[name].defaultPort}`))).toBe(false);
  });

  it('consultation publishes exactly its RTC port range', () => {
    const env = environment(service('consultation'));
    const min = Number(env.get('RTC_MIN_PORT'));
    const max = Number(env.get('RTC_MAX_PORT'));
    expect(max).toBeGreaterThan(min);
    expect(env.get('MEDIASOUP_ANNOUNCED_IP')).toBeTruthy();
    const ports = stringList(service('consultation').ports, 'ports');
    expect(ports).toEqual(
      expect.arrayContaining([`${min}-${max}:${min}-${max}/udp`, `${min}-${max}:${min}-${max}/tcp`]),
    );
  });

  it('nginx mounts docker/nginx.conf and publishes 80 and 443', () => {
    const nginx = service('nginx');
    expect(stringList(nginx.volumes, 'volumes')).toContain('./nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(stringList(nginx.ports, 'ports')).toEqual(expect.arrayContaining(['80:80', '443:443']));
  });

  it('coturn mounts turnserver.conf and publishes its listening port and relay range', () => {
    const coturn = service('coturn');
    const conf = read('turnserver.conf');
    const setting = (key: string): string | undefined =>
      new RegExp(`^${key}=(.*)$`, 'm').exec(conf)?.[1]?.trim();
    expect(stringList(coturn.volumes, 'volumes').some((v) => v.startsWith('./turnserver.conf:'))).toBe(true);
    expect(conf).toMatch(/^use-auth-secret$/m);
    expect(setting('static-auth-secret')).toBeTruthy();
    expect(setting('realm')).toBeTruthy();
    const ports = stringList(coturn.ports, 'ports');
    const listening = setting('listening-port');
    expect(ports).toEqual(
      expect.arrayContaining([`${listening}:${listening}/udp`, `${listening}:${listening}/tcp`]),
    );
    const range = `${setting('min-port')}-${setting('max-port')}`;
    expect(ports).toContain(`${range}:${range}/udp`);
    // Out of the box the consultation service signs TURN credentials with coturn's secret.
    expect(withDefaults(environment(service('consultation')).get('TURN_SECRET') ?? '')).toBe(
      setting('static-auth-secret'),
    );
  });

  it('platform is the all-in-one profile with the embedded database', () => {
    const platform = service('platform');
    expect(stringList(platform.profiles, 'profiles')).toEqual(['all-in-one']);
    expect(record(platform.build, 'build').target).toBe('platform');
    const env = environment(platform);
    expect(env.get('PORT')).toBe(String(DEPLOYABLES.platform.defaultPort));
    expect(env.get('DATA_DIR')).toBe('/data');
    expect(env.has('DATABASE_URL')).toBe(false);
    expect(stringList(platform.volumes, 'volumes').some((v) => v.endsWith(':/data'))).toBe(true);
    expect(stringList(platform.ports, 'ports')).toContain(
      `${DEPLOYABLES.platform.defaultPort}:${DEPLOYABLES.platform.defaultPort}`,
    );
  });
});

describe('docker/nginx.conf', () => {
  const conf = parseNginxConf(read('nginx.conf'));
  const http = httpBlock(conf);
  const upstreamServers = upstreams(conf);
  const [tls] = serversListeningOn(conf, 443);
  const [plain] = serversListeningOn(conf, 80);
  const upstreamFor: Record<SplitService, string> = {
    'health-record': 'health_record',
    scheduling: 'scheduling',
    consultation: 'consultation',
  };
  const tlsBlock = (): readonly NginxDirective[] => tls.block ?? [];
  const route = (target: string): string | undefined => {
    const location = matchLocation(tls, target);
    return location && proxiedUpstream(location);
  };

  it('has an events block, one TLS server and one plain server', () => {
    expect(children(conf, 'events')).toHaveLength(1);
    expect(serversListeningOn(conf, 443)).toHaveLength(1);
    expect(serversListeningOn(conf, 80)).toHaveLength(1);
    expect(children(http, 'client_max_body_size').map((d) => d.args[0])).toEqual(['10m']);
  });

  it.each(SPLIT_SERVICES)('upstream for %s points at its service and default port', (name) => {
    expect(upstreamServers.get(upstreamFor[name])).toEqual([`${name}:${DEPLOYABLES[name].defaultPort}`]);
  });

  it.each([
    '/fhir/Patient/1',
    '/fhir/Patient?name=nguyen',
    '/fhir',
    '/fhir/Slot?status=free',
    '/fhir/Slot',
    '/fhir/Appointment/$find',
    '/fhir/Appointment',
    '/fhir/Schedule/abc',
    '/fhir/AppointmentResponse/1',
    '/scheduling/schedules/abc/rules',
    '/scheduling/calendar/abc.ics',
    '/socket.io/?EIO=4&transport=websocket',
    '/socket.io/?EIO=4',
    '/consultation',
    '/consultation/rooms/abc',
    '/auth/token',
    '/.well-known/smart-configuration',
    '/.well-known/jwks.json',
    '/',
    '/assets/index.js',
  ])('routes %s to the deployable that owns it', (target) => {
    expect(route(target)).toBe(upstreamFor[expectedDeployable(target)]);
  });

  it('sanity: the expectation itself keeps AppointmentResponse with the health record', () => {
    expect(expectedDeployable('/fhir/AppointmentResponse/1')).toBe('health-record');
    expect(expectedDeployable('/fhir/Appointment/$find')).toBe('scheduling');
    expect(expectedDeployable('/socket.io/?EIO=4')).toBe('consultation');
  });

  it.each(['/metrics', '/metrics/', '/metrics?x=1'])('denies %s from outside', (target) => {
    for (const server of [tls, plain]) {
      const location = matchLocation(server, target);
      expect(location && isDenied(location)).toBe(true);
      expect(location && proxiedUpstream(location)).toBeUndefined();
    }
  });

  it('redirects plain HTTP to HTTPS', () => {
    const location = matchLocation(plain, '/fhir/Patient/1');
    const ret = children(location?.directive.block ?? [], 'return')[0];
    expect(ret?.args[0]).toBe('301');
    expect(ret?.args[1]).toMatch(/^https:\/\//);
  });

  it('terminates TLS with the mounted certificates', () => {
    expect(children(tlsBlock(), 'listen').every((l) => l.args.includes('ssl'))).toBe(true);
    for (const name of ['ssl_certificate', 'ssl_certificate_key']) {
      expect(children(tlsBlock(), name)[0]?.args[0]).toMatch(/^\/etc\/nginx\/certs\//);
    }
  });

  it('sends Strict-Transport-Security on every HTTPS location', () => {
    for (const location of children(tlsBlock(), 'location')) {
      const headers = effectiveDirectives([http, tlsBlock(), location.block ?? []], 'add_header');
      const hsts = headers.find((h) => h.args[0].toLowerCase() === 'strict-transport-security');
      expect(hsts?.args[1]).toMatch(/max-age=\d{7,}/);
    }
  });

  it('forwards the request id and the client address to every upstream', () => {
    const proxied = children(tlsBlock(), 'location').filter(
      (l) => children(l.block ?? [], 'proxy_pass').length,
    );
    expect(proxied.length).toBeGreaterThan(0);
    for (const location of proxied) {
      const headers = effectiveDirectives([http, tlsBlock(), location.block ?? []], 'proxy_set_header').map(
        (h) => h.args[0].toLowerCase(),
      );
      expect(headers).toEqual(
        expect.arrayContaining(['x-request-id', 'x-forwarded-for', 'x-forwarded-proto']),
      );
    }
  });

  describe('access log', () => {
    const all = (block: readonly NginxDirective[]): NginxDirective[] =>
      block.flatMap((d) => [d, ...all(d.block ?? [])]);
    const logPath = children(http, 'map').find((m) => m.args.join(' ') === '$request_uri $log_path');
    /** What nginx's map gives `$log_path` for a request target (regexes in order, then default). */
    const logged = (target: string): string | undefined => {
      for (const entry of logPath?.block ?? []) {
        const m = /^(~\*?)(.*)$/.exec(entry.name);
        if (!m) continue;
        const match = new RegExp(m[2] as string, m[1] === '~*' ? 'i' : '').exec(target);
        if (match)
          return (entry.args[0] ?? '').replace(/\$\{?(\w+)\}?/g, (_s, g: string) => match.groups?.[g] ?? '');
      }
      return (logPath?.block ?? []).find((e) => e.name === 'default')?.args[0];
    };

    it('every access log uses the format that logs the path without query or credentials', () => {
      const logs = all(conf).filter((d) => d.name === 'access_log');
      expect(logs.length).toBeGreaterThan(0);
      for (const d of logs) expect(d.args[0] === 'off' || d.args[1] === 'main').toBe(true);
      const format = children(http, 'log_format').find((d) => d.args[0] === 'main');
      const text = (format?.args ?? []).slice(1).join('');
      expect(text).toContain('$log_path');
      expect(text).not.toMatch(
        /\$(request(?!_method|_time|_id)|request_uri|uri\b|args\b|query_string|arg_|is_args|http_authorization|http_cookie)/,
      );
    });

    it.each([
      ['/scheduling/calendar/Q2FsZW5kYXItdG9rZW4tMDAxMjM0NTY.ics', '/scheduling/calendar/[redacted].ics'],
      [
        '/scheduling/calendar/Q2FsZW5kYXItdG9rZW4tMDAxMjM0NTY.ics/?x=1',
        '/scheduling/calendar/[redacted].ics',
      ],
      ['/Scheduling/CALENDAR/Q2FsZW5kYXItdG9rZW4tMDAxMjM0NTY', '/Scheduling/CALENDAR/[redacted]'],
      ['/scheduling/calendar-feeds', '/scheduling/calendar-feeds'],
      ['/fhir/Patient?identifier=079201001234', '/fhir/Patient'],
      ['/socket.io/?EIO=4&transport=polling&token=abc', '/socket.io/'],
      ['/auth/token', '/auth/token'],
      ['/a', '/a'],
      ['/a%23Q2FsZW5kYXItdG9rZW4tMDAxMjM0NTY', '/a%23[redacted]'],
      ['/a/Q2FsZW5kYXItdG9rZW4tMDAxMjM0NTY', '/a/[redacted]'],
      ['/visit/abc%23join=Q2FsZW5kYXItdG9rZW4', '/visit/abc%23[redacted]'],
      ['/appointments/abc', '/appointments/abc'],
    ])('logs %s as %s', (target, path) => {
      expect(logged(target)).toBe(path);
    });
  });

  it.each(['/socket.io/?EIO=4&transport=websocket', '/consultation'])(
    '%s can upgrade to WebSocket and stay open',
    (target) => {
      const location = matchLocation(tls, target);
      const levels = [http, tlsBlock(), location?.directive.block ?? []];
      const headers = new Map(
        effectiveDirectives(levels, 'proxy_set_header').map((h) => [h.args[0].toLowerCase(), h.args[1]]),
      );
      expect(headers.get('upgrade')).toBe('$http_upgrade');
      expect(headers.get('connection')).toMatch(/^(upgrade|\$connection_upgrade)$/);
      expect(effectiveDirectives(levels, 'proxy_http_version')[0]?.args[0]).toBe('1.1');
      const readTimeout = effectiveDirectives(levels, 'proxy_read_timeout')[0]?.args[0] ?? '60s';
      expect(Number(/^(\d+)s?$/.exec(readTimeout)?.[1])).toBeGreaterThanOrEqual(600);
    },
  );
});
