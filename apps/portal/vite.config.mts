import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Plugin, defineConfig } from 'vite';

/**
 * Emits /sw.js (from sw/service-worker.js) with the build's shell: index.html and every emitted
 * asset, precached at install so the station's screens open offline. The version is a hash of the
 * list (asset names are content-hashed): a new build installs a new worker and drops the old cache.
 */
function stationServiceWorker(): Plugin {
  return {
    name: 'mekong-station-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && /\.(js|css|svg|woff2?)$/.test(f))
        .sort();
      const shell = [
        '/',
        ...assets.map((f) => `/${f}`),
        '/manifest.webmanifest',
        '/icon.svg',
        '/icon-192.png',
        '/icon-512.png',
      ];
      const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 16);
      const template = readFileSync(new URL('./sw/service-worker.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('__VERSION__', version).replace('self.__SHELL__', JSON.stringify(shell)),
      });
    },
  };
}

// The portal is served by the platform at `/`; the API lives on the same origin.
export default defineConfig({
  plugins: [react(), stationServiceWorker()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/auth': 'http://localhost:3000', '/fhir': 'http://localhost:3000' } },
});
