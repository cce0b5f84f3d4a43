import { StandInSmsc } from './support/smsc';
import {
  buildPlatform,
  createPatients,
  mobileOf,
  startBatchPlatform,
  until,
  type BatchPlatform,
} from './support/notify-batch';
import { freshDatabase, type TestDatabase } from './support/test-database';

const SENDER = 'MekongHlth';
const N = 120;

/**
 * Exactly once across a kill (issue 20): a batch of reminders goes out through a stand-in SMSC; while
 * some submit_sm are in flight (the SMSC holds its answers) the platform is killed with SIGKILL and
 * started again on the same database. Every recipient's reminder is then accepted by the SMSC once:
 * the ones answered before the kill are not sent again (their submit_sm_resp was recorded), the
 * ones in flight are sent again after restart (they were never accepted), none is lost.
 */
describe('notify: SMS exactly once across SIGKILL', () => {
  let smsc: StandInSmsc;
  let db: TestDatabase;
  let platform: BatchPlatform | undefined;

  beforeAll(() => buildPlatform(), 300_000);
  afterAll(async () => {
    await platform?.kill();
    await db?.drop();
    await smsc?.close();
  });

  it('a batch killed mid-delivery is accepted once per recipient after restart, nothing lost', async () => {
    smsc = await StandInSmsc.start('mekong', 'smsc-secret');
    db = await freshDatabase();
    const env = {
      SMPP_URL: smsc.url(),
      SMS_SENDER: SENDER,
      JOB_POLL_SECONDS: '0.5',
      SMPP_RECONNECT_MAX_SECONDS: '0.4',
      SMPP_WINDOW: '8',
      NOTIFY_DELIVERY_EXPIRE_SECONDS: '5',
    };
    platform = await startBatchPlatform(db, env);
    const patients = await createPatients(platform.url, N);
    await platform.enqueue(patients.map((recipient, i) => ({ key: `kill-batch:${i}`, recipient })));

    // Let a third be answered, then hold the answers: submits pile up in flight. Kill then.
    await until('a third accepted', () => (smsc.accepted.length >= N / 3 ? true : undefined), 60_000);
    smsc.hold = true;
    await until('submits in flight', () => (smsc.submits.some((s) => s.held) ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1000)); // the answered ones are recorded by now
    await platform.kill();
    const acceptedBeforeKill = smsc.accepted.length;
    const heldAtKill = smsc.submits.filter((s) => s.held).length;
    expect(acceptedBeforeKill).toBeGreaterThanOrEqual(N / 3);
    expect(acceptedBeforeKill).toBeLessThan(N);
    expect(heldAtKill).toBeGreaterThan(0);

    smsc.hold = false;
    platform = await startBatchPlatform(db, env);
    await until('every reminder accepted', () => (smsc.accepted.length >= N ? true : undefined), 120_000);
    // A little longer: a duplicate would show up now.
    await new Promise((r) => setTimeout(r, 3000));

    const perNumber = new Map<string, number>();
    for (const s of smsc.accepted)
      perNumber.set(s.destinationAddr, (perNumber.get(s.destinationAddr) ?? 0) + 1);
    const dups = [...perNumber.entries()].filter(([, n]) => n > 1);
    if (dups.length > 0)
      process.stderr.write(
        `duplicates: ${JSON.stringify(dups)} acceptedBeforeKill=${acceptedBeforeKill} held=${heldAtKill} order=${JSON.stringify(
          smsc.submits.map((s) => `${s.destinationAddr.slice(-3)}${s.held ? 'H' : s.messageId ? 'A' : 'R'}`),
        )}\n`,
      );
    const expected = patients.map((_, i) => `84${mobileOf(i).slice(1)}`);
    expect([...perNumber.keys()].sort()).toEqual([...expected].sort());
    expect([...perNumber.values()].every((n) => n === 1)).toBe(true);
    expect(smsc.accepted).toHaveLength(N);
    // The held ones were sent again (to numbers not accepted before the kill), not lost.
    const held = new Set(smsc.submits.filter((s) => s.held).map((s) => s.destinationAddr));
    for (const number of held) expect(perNumber.get(number)).toBe(1);
  }, 300_000);
});
