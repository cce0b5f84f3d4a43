import { StandInSmsc } from '../test/support/smsc';
import {
  buildPlatform,
  createPatients,
  startBatchPlatform,
  until,
  type BatchPlatform,
} from '../test/support/notify-batch';
import { freshDatabase, type TestDatabase } from '../test/support/test-database';
import { printRows } from './support';

/**
 * A morning batch of reminders through SMPP, killed halfway (issue 20): N reminders (one per
 * patient, each its own number) go out through the stand-in SMSC on loopback; once half are
 * accepted the SMSC holds its answers, the platform is killed with SIGKILL while submits are in
 * flight, and started again on the same database. Reports the throughput before the kill and after
 * the restart, and checks (a correctness check, nothing about time) that every number was accepted
 * exactly once. PostgreSQL when DATABASE_URL is set, else the embedded engine.
 */
const N = Number(process.env.BENCH_SMS_REMINDERS ?? 10_000);
const WINDOW = process.env.BENCH_SMPP_WINDOW ?? '10';

describe('notify benchmark: 10,000 SMS reminders across a SIGKILL', () => {
  let smsc: StandInSmsc;
  let db: TestDatabase;
  let platform: BatchPlatform | undefined;

  beforeAll(() => buildPlatform(), 300_000);
  afterAll(async () => {
    await platform?.kill();
    await db?.drop();
    await smsc?.close();
  });

  it('sends each reminder once, reports reminders per second', async () => {
    smsc = await StandInSmsc.start('mekong', 'smsc-secret');
    db = await freshDatabase();
    const env = {
      SMPP_URL: smsc.url(),
      SMS_SENDER: 'MekongHlth',
      SMPP_WINDOW: WINDOW,
      SMPP_RECONNECT_MAX_SECONDS: '0.4',
      JOB_POLL_SECONDS: '0.5',
      NOTIFY_DELIVERY_EXPIRE_SECONDS: '10',
    };
    platform = await startBatchPlatform(db, env);
    let t = performance.now();
    const patients = await createPatients(platform.url, N);
    const seedSeconds = (performance.now() - t) / 1000;

    t = performance.now();
    const enqueued = platform.enqueue(patients.map((recipient, i) => ({ key: `morning:${i}`, recipient })));
    await until('half accepted', () => (smsc.accepted.length >= N / 2 ? true : undefined), 3_600_000);
    const firstHalfSeconds = (performance.now() - t) / 1000;
    const acceptedAtHold = smsc.accepted.length;
    smsc.hold = true;
    await enqueued; // every notification recorded before the kill
    await until('submits in flight', () => (smsc.submits.some((s) => s.held) ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    await platform.kill();
    const beforeKill = smsc.accepted.length;
    const inFlight = smsc.submits.filter((s) => s.held).length;

    smsc.hold = false;
    t = performance.now();
    platform = await startBatchPlatform(db, env);
    const restartSeconds = (performance.now() - t) / 1000;
    await until('all accepted', () => (smsc.accepted.length >= N ? true : undefined), 3_600_000);
    const secondHalfSeconds = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 5000)); // a duplicate would show now

    const perNumber = new Map<string, number>();
    for (const s of smsc.accepted)
      perNumber.set(s.destinationAddr, (perNumber.get(s.destinationAddr) ?? 0) + 1);
    const duplicates = [...perNumber.values()].filter((n) => n > 1).length;
    const lost = N - perNumber.size;

    printRows([
      [`SMS reminders across a SIGKILL (${db.engine}, SMPP window ${WINDOW}, ${N} reminders)`, ''],
      ['patients seeded', `${seedSeconds.toFixed(1)} s`],
      [
        'first half (enqueue + send)',
        `${acceptedAtHold} in ${firstHalfSeconds.toFixed(1)} s = ${(acceptedAtHold / firstHalfSeconds).toFixed(0)}/s`,
      ],
      ['accepted before the kill', String(beforeKill)],
      ['in flight at the kill (held, unanswered)', String(inFlight)],
      ['restart to healthy', `${restartSeconds.toFixed(1)} s`],
      [
        'after restart (incl. expiry of the killed jobs)',
        `${N - beforeKill} in ${secondHalfSeconds.toFixed(1)} s = ${((N - beforeKill) / secondHalfSeconds).toFixed(0)}/s`,
      ],
      ['duplicates (numbers accepted twice)', String(duplicates)],
      ['lost (numbers never accepted)', String(lost)],
    ]);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(smsc.accepted).toHaveLength(N);
  }, 3_600_000);
});
