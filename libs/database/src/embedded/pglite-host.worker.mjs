// Hosts PGlite (PostgreSQL in WASM) and its socket server in a worker thread, so nothing the
// application thread does (a long synchronous call, a busy loop) can stall the database and
// deadlock its own connections. Plain JavaScript: it runs outside the TypeScript build and jest.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, socketPath, maxConnections } = workerData;

try {
  const db = await PGlite.create({ dataDir, extensions: { unaccent, pg_trgm, btree_gist } });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message?.type !== 'stop') return;
    try {
      await server.stop();
      await db.close();
      parentPort.postMessage({ type: 'stopped' });
    } catch (err) {
      parentPort.postMessage({ type: 'stopped', error: String(err?.message ?? err) });
    }
  });
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'failed', error: String(err?.stack ?? err) });
}
