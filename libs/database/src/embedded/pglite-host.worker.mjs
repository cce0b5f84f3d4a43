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

// Extended-protocol messages that continue a unit ending with Sync: Parse, Bind, Describe,
// Execute, Close, Flush. A simple Query, Sync, Terminate or the startup message ends a unit.
const CONTINUES_UNIT = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

/**
 * pglite-socket 0.2.17 queues each protocol message separately and lets another connection's
 * messages run between them outside transactions, so one client's Bind can meet another's unnamed
 * Parse ("prepared statement does not exist", 26000) under concurrency; and a failed message
 * leaves its queue stopped for good. This keeps the queue with one connection from its first
 * extended-protocol message through its Sync (as it already does inside a transaction) and always
 * releases the queue. (Reported upstream behaviour; remove when fixed there.)
 */
function patchQueue(queue) {
  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let query;
        if ((this.db.isInTransaction() || this.midUnit) && this.lastHandlerId) {
          const i = this.queue.findIndex((q) => q.handlerId === this.lastHandlerId);
          if (i === -1) break; // wait for the owning connection's next message
          query = this.queue.splice(i, 1)[0];
        } else {
          query = this.queue.shift();
        }
        if (!query) break;
        this.lastHandlerId = query.handlerId;
        this.midUnit = CONTINUES_UNIT.has(query.message[0]);
        let result = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(query.message, {
              onRawData: (data) => {
                result += data.length;
                query.onData(data);
              },
            }),
          );
        } catch (error) {
          this.midUnit = false;
          query.reject(error);
          continue;
        }
        query.resolve(result);
      }
    } finally {
      this.processing = false;
    }
  };
  const clear = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async function clearTransactionIfNeeded(handlerId) {
    if (this.midUnit && this.lastHandlerId === handlerId) {
      // The connection went away mid-unit: release the queue for the others.
      this.midUnit = false;
      if (!this.db.isInTransaction()) {
        this.lastHandlerId = null;
        await this.processQueue();
        return;
      }
    }
    await clear(handlerId);
  };
}

try {
  const db = await PGlite.create({ dataDir, extensions: { unaccent, pg_trgm, btree_gist } });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections });
  patchQueue(server.queryQueue);
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
