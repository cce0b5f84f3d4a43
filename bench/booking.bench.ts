import { type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { freshDatabase, type TestDatabase } from '../test/support/test-database';
import {
  BENCH_POOL_SIZE,
  fhirHeaders,
  percentile,
  printRows,
  run,
  startServer,
  stopServer,
  systemToken,
} from './support';

/**
 * Booking under load, measured in one run on the same machine: CLIENTS concurrent clients booking
 * CLIENTS distinct free slots per round (ROUNDS rounds after one warm-up round), then CLIENTS
 * clients racing for one slot (ROUNDS slots): exactly one 201 per slot and the rest 409 is
 * checked (a correctness check — nothing about time is asserted). PostgreSQL when DATABASE_URL is
 * set, else the embedded engine.
 */
const ROUNDS = Number(process.env.BENCH_BOOKING_ROUNDS ?? 10);
const CLIENTS = Number(process.env.BENCH_BOOKING_CLIENTS ?? 50);
const WARMUP_ROUNDS = 1;
/** Slots are SLOT_MINUTES long, one every STEP_MINUTES, from two days ahead (no reminder fires during the run). */
const SLOT_MINUTES = 10;
const STEP_MINUTES = 15;
/** A request unanswered this long counts as hung (status 0), so a stuck server cannot stall the run. */
const TIMEOUT_SECONDS = 60;

interface Outcome {
  readonly status: number;
  readonly ms: number;
  readonly body: { resourceType?: string; id?: string; timeout?: string };
}

const ms = (x: number): string => x.toFixed(1);

/** Deadlocks PostgreSQL has detected in the database so far (undefined on the embedded engine). */
async function deadlocks(db: TestDatabase): Promise<number | undefined> {
  const url = db.env.DATABASE_URL;
  if (!url) return undefined;
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    // The counters are flushed by each backend about once a second.
    await new Promise((r) => setTimeout(r, 1500));
    const r = await c.query<{ deadlocks: string }>(
      'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(r.rows[0]?.deadlocks ?? 0);
  } finally {
    await c.end();
  }
}

describe('booking benchmark (throughput and one-slot contention)', () => {
  let url: string;
  let child: ChildProcess | undefined;
  let db: TestDatabase;
  let headers: Record<string, string>;
  const ids: { practitioner?: string; schedule?: string; patients: string[] } = { patients: [] };

  /** One request; status 0 when no answer came within TIMEOUT_SECONDS (the tallies show it as such). */
  const post = async (type: string, body: Record<string, unknown>): Promise<Outcome> => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/fhir/${type}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      });
      const text = await res.text();
      const elapsed = performance.now() - t0;
      return { status: res.status, ms: elapsed, body: text ? (JSON.parse(text) as Outcome['body']) : {} };
    } catch (err) {
      if ((err as Error).name !== 'TimeoutError') throw err;
      return {
        status: 0,
        ms: performance.now() - t0,
        body: { timeout: `no answer in ${TIMEOUT_SECONDS} s` },
      };
    }
  };
  const create = async (body: Record<string, unknown>): Promise<string> => {
    const r = await post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const book = (slot: string, patient: string): Promise<Outcome> =>
    post('Appointment', {
      resourceType: 'Appointment',
      status: 'booked',
      slot: [{ reference: `Slot/${slot}` }],
      participant: [
        { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
        { actor: { reference: `Practitioner/${ids.practitioner}` }, status: 'accepted' },
      ],
    });
  const tally = (outcomes: readonly Outcome[]): string => {
    const counts = new Map<number, number>();
    for (const o of outcomes) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${c} × ${s === 0 ? 'timeout' : s}`)
      .join(', ');
  };

  beforeAll(async () => {
    db = await freshDatabase();
    const server = await startServer(db);
    url = server.url;
    child = server.child;
    headers = fhirHeaders(await systemToken(url));
    const organization = await create({ resourceType: 'Organization', name: 'Bệnh viện Chợ Rẫy' });
    ids.practitioner = await create({
      resourceType: 'Practitioner',
      name: [{ family: 'Trần', given: ['Minh'] }],
    });
    ids.schedule = await create({
      resourceType: 'Schedule',
      active: true,
      actor: [{ reference: `Practitioner/${ids.practitioner}` }],
    });
    for (let i = 0; i < CLIENTS; i++)
      ids.patients.push(
        await create({
          resourceType: 'Patient',
          name: [{ family: 'Nguyễn', given: ['Văn', `An${i}`] }],
          managingOrganization: { reference: `Organization/${organization}` },
        }),
      );
  });
  afterAll(async () => {
    await stopServer(child);
    await db?.drop();
  });

  it('prints bookings/s on distinct slots and latencies of one-slot races', async () => {
    // Slots: (WARMUP_ROUNDS + ROUNDS) × CLIENTS distinct ones, then ROUNDS contended ones.
    const distinct = (WARMUP_ROUNDS + ROUNDS) * CLIENTS;
    const first = Math.ceil((Date.now() + 2 * 86400000) / 3600000) * 3600000;
    const slots: string[] = [];
    // Setup, not measured: the embedded engine gets its slots one at a time (16 concurrent Slot
    // creations left it answering nothing for minutes).
    const seedClients = db.engine === 'postgresql' ? 16 : 1;
    const seeded = await run(seedClients, distinct + ROUNDS, async (i) => {
      const start = first + i * STEP_MINUTES * 60000;
      slots[i] = await create({
        resourceType: 'Slot',
        schedule: { reference: `Schedule/${ids.schedule}` },
        status: 'free',
        start: new Date(start).toISOString(),
        end: new Date(start + SLOT_MINUTES * 60000).toISOString(),
      });
    });

    // 1. Throughput: each round, CLIENTS clients at once, each on its own free slot.
    const roundRates: number[] = [];
    const latencies: number[] = [];
    let bookings = 0;
    let seconds = 0;
    for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
      const outcomes: Outcome[] = [];
      const round = await run(CLIENTS, CLIENTS, async (i) => {
        outcomes.push(await book(slots[r * CLIENTS + i]!, ids.patients[i]!));
      });
      const failed = outcomes.filter((o) => o.status !== 201);
      if (failed.length > 0)
        throw new Error(
          `round ${r}: ${tally(outcomes)} on distinct free slots; first: ${JSON.stringify(failed[0]!.body)}`,
        );
      if (r < WARMUP_ROUNDS) continue;
      roundRates.push(round.perSecond);
      latencies.push(...round.latencies);
      bookings += CLIENTS;
      seconds += round.seconds;
    }

    const deadlocksBefore = await deadlocks(db);

    // 2. Contention: CLIENTS clients at once on one slot, ROUNDS times.
    const roundSeconds: number[] = [];
    const winners: number[] = [];
    const losers: number[] = [];
    const problems: string[] = [];
    const all: Outcome[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const slot = slots[distinct + r]!;
      const outcomes: Outcome[] = [];
      const round = await run(CLIENTS, CLIENTS, async (i) => {
        outcomes.push(await book(slot, ids.patients[i]!));
      });
      roundSeconds.push(round.seconds);
      all.push(...outcomes);
      const won = outcomes.filter((o) => o.status === 201);
      const lost = outcomes.filter((o) => o.status === 409);
      winners.push(...won.map((o) => o.ms));
      losers.push(...lost.map((o) => o.ms));
      if (won.length !== 1 || lost.length !== CLIENTS - 1) problems.push(`Slot/${slot}: ${tally(outcomes)}`);
      const notOutcome = lost.find((o) => o.body.resourceType !== 'OperationOutcome');
      if (notOutcome)
        problems.push(`Slot/${slot}: a 409 without an OperationOutcome: ${JSON.stringify(notOutcome.body)}`);
      const other = outcomes.find((o) => o.status !== 201 && o.status !== 409);
      if (other) problems.push(`Slot/${slot}: ${other.status} ${JSON.stringify(other.body)}`);
      const found = await fetch(`${url}/fhir/Appointment?slot=Slot/${slot}`, {
        headers,
        signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      });
      const bundle = (await found.json()) as { entry?: unknown[] };
      if ((bundle.entry ?? []).length !== 1)
        problems.push(`Slot/${slot}: ${(bundle.entry ?? []).length} appointments stored`);
    }

    const deadlocksAfter = await deadlocks(db);
    const detected =
      deadlocksBefore === undefined || deadlocksAfter === undefined
        ? 'n/a (embedded engine)'
        : String(deadlocksAfter - deadlocksBefore);

    const q = (xs: number[]): string => `p50 ${ms(percentile(xs, 0.5))} / p95 ${ms(percentile(xs, 0.95))} ms`;
    const sorted = [...roundRates].sort((a, b) => a - b);
    printRows([
      [
        `engine`,
        db.engine,
        db.engine === 'postgresql' ? `DB_POOL_SIZE ${BENCH_POOL_SIZE}` : 'DB_POOL_SIZE default',
        `${CLIENTS} clients`,
      ],
      [
        `slot creation (${seedClients} clients)`,
        seeded.perSecond.toFixed(0),
        'slots/s',
        `${distinct + ROUNDS} slots`,
      ],
      [
        `booking, ${CLIENTS} clients on ${CLIENTS} distinct free slots`,
        (bookings / seconds).toFixed(0),
        `bookings/s over ${ROUNDS} rounds (${bookings} bookings, after ${WARMUP_ROUNDS} warm-up round)`,
        `per round min ${sorted[0]!.toFixed(0)} / median ${percentile(sorted, 0.5).toFixed(0)} / max ${sorted[sorted.length - 1]!.toFixed(0)} /s`,
      ],
      [`booking latency`, q(latencies), `${latencies.length} bookings`, ''],
      [
        `contention, ${CLIENTS} clients on 1 slot × ${ROUNDS}`,
        tally(all),
        `winners: ${winners.length} of ${ROUNDS} slots`,
        problems.length === 0 ? 'exactly one 201 per slot' : `${problems.length} PROBLEMS`,
      ],
      [`contention latency, losers (409)`, q(losers), `${losers.length} requests`, ''],
      [`contention latency, winners (201)`, q(winners), `${winners.length} requests`, ''],
      [
        `contention, time to settle one slot`,
        `median ${ms(percentile(roundSeconds, 0.5) * 1000)} / max ${ms(Math.max(...roundSeconds) * 1000)} ms`,
        `PostgreSQL deadlocks detected: ${detected}`,
        '',
      ],
    ]);
    if (problems.length > 0) throw new Error(`one-slot contention:\n  ${problems.join('\n  ')}`);
    expect(winners).toHaveLength(ROUNDS);
  });
});
