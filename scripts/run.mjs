#!/usr/bin/env node
// The two commands of README.md, and what they need, with no dependency but Node itself:
//   node scripts/run.mjs start   install what is missing, build if sources changed, start the platform
//   node scripts/run.mjs test    install what is missing, build, typecheck, lint, run the whole suite
//                                (the portal's Vitest component tests, then Jest)
//   node scripts/run.mjs build   build if sources changed
//   node scripts/run.mjs ensure  install npm dependencies and system packages if missing
// Every step is skipped when its inputs have not changed since it last ran (stamp files), so a
// second `npm start` or `npm test` neither reinstalls nor rebuilds.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER_BIN = '/usr/lib/x86_64-linux-gnu/mediasoup/mediasoup-worker';
const bin = (name) => join(root, 'node_modules', '.bin', name);
const PRETTIER_GLOB = '**/*.{ts,tsx,mts,mjs,json,yml,yaml}';
const log = (msg) => process.stderr.write(`[mekong] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    log(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function hashFiles(paths) {
  const h = createHash('sha256');
  for (const p of paths) {
    h.update(p);
    h.update(existsSync(join(root, p)) ? readFileSync(join(root, p)) : 'missing');
  }
  return h.digest('hex');
}

/** Source files whose content decides the build (sorted, relative to the repo root). */
function sourceFiles() {
  const out = [];
  const skip = new Set(['node_modules', 'dist', '.git']);
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) walk(rel);
      } else if (/\.(ts|tsx|mjs|json|html|css|svg)$/.test(entry.name)) out.push(rel);
    }
  };
  walk('apps');
  walk('libs');
  return [...out.sort(), 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
}

function ensureNpm() {
  const stampFile = join(root, 'node_modules', '.mekong-install');
  const want =
    hashFiles(['package.json', 'package-lock.json', '.npmrc']) + process.versions.node.split('.')[0];
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return;
  // `npm install`, not `npm ci`: the registry this machine reaches lacks some other platforms'
  // optional binaries (e.g. @swc/core-darwin-arm64 at the locked version), which makes `npm ci`
  // refuse the lock file; install resolves the same locked tree. Install scripts are off (.npmrc).
  log('installing npm dependencies');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
  writeFileSync(stampFile, want);
}

function ensureSystem({ browser }) {
  const workerMissing = !process.env.MEDIASOUP_WORKER_BIN && !existsSync(WORKER_BIN);
  const browserMissing =
    browser &&
    spawnSync('sh', ['-c', 'command -v chromium && command -v pdftotext'], { stdio: 'ignore' }).status !== 0;
  if (!workerMissing && !browserMissing) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    if (workerMissing) {
      log(
        'mediasoup worker missing and not root: video visits stay unavailable; /health says how to install it',
      );
    }
    if (browserMissing) log('chromium missing and not root: browser tests cannot run');
    return;
  }
  log(
    'installing system packages (mediasoup-worker from Debian experimental' +
      (browser ? ', chromium' : '') +
      ')',
  );
  const r = spawnSync(
    'bash',
    [join(root, 'scripts/install-system-deps.sh'), ...(browser ? ['--browser'] : [])],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) log('system package install failed; continuing (see /health for what is missing)');
}

function build() {
  const stampFile = join(root, 'dist', '.mekong-build');
  const want = hashFiles(sourceFiles());
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return;
  log('building (tsc, portal)');
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  run(bin('tsc-alias'), ['-p', 'tsconfig.build.json']);
  // Plain-JS worker-thread entry points are not compiled by tsc: copy them beside their callers.
  for (const file of sourceFiles().filter((f) => f.startsWith('libs/') && f.endsWith('.mjs'))) {
    mkdirSync(dirname(join(root, 'dist', file)), { recursive: true });
    cpSync(join(root, file), join(root, 'dist', file));
  }
  // Fonts the server ships (the visit PDF): not compiled, copied beside the code that loads them.
  const fonts = 'libs/health-record/src/summary/fonts';
  if (existsSync(join(root, fonts)))
    cpSync(join(root, fonts), join(root, 'dist', fonts), { recursive: true });
  // Always a production bundle: under jest (NODE_ENV=test, e.g. a benchmark that builds first)
  // Vite would otherwise bundle React's development build, twice the size.
  run(bin('vite'), ['build', '--logLevel', 'warn'], {
    cwd: join(root, 'apps/portal'),
    env: { ...process.env, NODE_ENV: 'production' },
  });
  precompress(join(root, 'apps/portal/dist'));
  writeFileSync(stampFile, want);
}

/** Brotli and gzip copies of the portal's text assets, served as they are (3G: every kB counts). */
function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) precompress(file);
    else if (/\.(js|css|html|svg|json)$/.test(entry.name)) {
      const data = readFileSync(file);
      if (data.length < 1024) continue;
      writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
      writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
    }
  }
}

function typecheckAndLint() {
  run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  run(bin('tsc'), ['--noEmit', '-p', 'apps/portal/tsconfig.json']);
  run(bin('eslint'), [
    '.',
    '--max-warnings',
    '0',
    '--cache',
    '--cache-location',
    'node_modules/.cache/eslint/',
  ]);
  run(bin('prettier'), ['--check', '--log-level', 'warn', PRETTIER_GLOB]);
}

function startPlatform() {
  const child = spawn(process.execPath, [join(root, 'dist/apps/platform/src/main.js')], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const [command = 'start', ...rest] = process.argv.slice(2);
switch (command) {
  case 'ensure':
    ensureNpm();
    ensureSystem({ browser: rest.includes('--browser') });
    break;
  case 'build':
    ensureNpm();
    build();
    break;
  case 'start':
    ensureNpm();
    ensureSystem({ browser: false });
    build();
    startPlatform();
    break;
  case 'test': {
    ensureNpm();
    ensureSystem({ browser: true });
    build();
    typecheckAndLint();
    // The portal's component tests (Vitest, happy-dom), then everything else (Jest).
    run(bin('vitest'), ['run', '--root', 'apps/portal']);
    run(bin('jest'), ['--ci', ...rest]);
    break;
  }
  default:
    log(`unknown command ${command}; use start, test, build or ensure`);
    process.exit(2);
}
