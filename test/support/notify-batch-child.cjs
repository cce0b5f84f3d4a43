'use strict';
/**
 * The built platform (dist, as `npm start` runs it) in its own process, for the exactly-once test
 * and benchmark of notification delivery (test/support/notify-batch.ts). Besides serving, it
 * enqueues a batch of notifications through the notification service when its parent asks
 * ({ type: 'enqueue', items }), so that the parent can kill it (SIGKILL) mid-delivery and start it
 * again on the same database.
 */
const { join } = require('node:path');

const dist = join(__dirname, '../../dist');
const { loadConfig, createApp, DEPLOYABLES } = require(join(dist, 'libs/common/src/index.js'));
const { PlatformModule } = require(join(dist, 'apps/platform/src/platform.module.js'));
const { NotificationService } = require(join(dist, 'libs/notify/src/index.js'));
const { dataSourceToken } = require(join(dist, 'libs/database/src/index.js'));

const CHUNK = 250;

async function main() {
  const config = loadConfig(process.env, { port: DEPLOYABLES.platform.defaultPort });
  const { app } = await createApp(PlatformModule.register(config), config);
  const notifications = app.get(NotificationService);
  const db = app.get(dataSourceToken('notify'));
  process.on('message', (m) => {
    if (!m || m.type !== 'enqueue') return;
    const items = m.items;
    (async () => {
      for (let i = 0; i < items.length; i += CHUNK) {
        await db.transaction(async (em) => {
          for (const it of items.slice(i, i + CHUNK))
            await notifications.notify(em, {
              dedupKey: it.key,
              topic: 'immunization-reminder',
              recipient: it.recipient,
              subject: it.recipient,
              title: 'Nhắc lịch tiêm / Vaccination reminder',
              text: { vi: 'Đến lịch tiêm của bé.', en: 'A vaccination is due.' },
              category: 'reminder',
            });
        });
      }
      process.send({ type: 'enqueued', count: items.length });
    })().catch((err) => process.send({ type: 'error', message: String(err && err.stack ? err.stack : err) }));
  });
  process.send({ type: 'ready' });
}

main().catch((err) => {
  process.stderr.write(`notify-batch-child: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
