import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { freshDatabase, type TestDatabase } from '../test/support/test-database';
import { LISTED_REASON, seenInPerson } from '../test/support/scheduling-world';
import { ADMIN } from '../test/support/test-app';
import {
  fhirHeaders,
  percentile,
  printRows,
  startServer,
  stopServer,
  systemToken,
  type BenchServer,
} from './support';

/**
 * Join-to-first-remote-frame of a two-party video visit on loopback (issue 6 target: p95 < 1 s),
 * measured in real Chromium through the real mediasoup worker: from the doctor's "admit" click
 * until each side has decoded a frame of the other's video. VISITS visits one after another.
 * Prints numbers; asserts nothing about time.
 */
const VISITS = Number(process.env.BENCH_VISITS ?? 48);
const PASSWORD = 'Mat-khau-an-toan-2026';

interface Stats {
  framesDecoded: number;
  videoPacketsReceived?: number;
  keyFramesDecoded?: number;
  pliCount?: number;
}

interface Hooks {
  mekongVisit?: { stats(): Promise<Stats>; phase(): string };
  admittedAt?: number;
}

async function post(
  url: string,
  path: string,
  token: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: fhirHeaders(token),
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username, password }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The window after the first frame in which a stall counts (issue 19: "no direction frozen > 1 s"). */
const WATCH_MS = 3000;

/**
 * From `since`: when the page decoded its first remote frame (ms after `since`), then the longest
 * stretch without a newly decoded frame in the WATCH_MS after it (getStats polled every 20 ms).
 */
async function firstFrameAndStill(
  page: Page,
  since: number,
): Promise<{ first: number; still: number; trace: string[] }> {
  const trace: string[] = [];
  let seen = '';
  const frames = (): Promise<number> =>
    page
      .evaluate(
        () => (globalThis as unknown as Hooks).mekongVisit?.stats() ?? Promise.resolve({ framesDecoded: 0 }),
      )
      .then((s: Stats) => {
        const now = `f${s.framesDecoded} p${s.videoPacketsReceived ?? '?'} k${s.keyFramesDecoded ?? '?'} pli${s.pliCount ?? '?'}`;
        if (now !== seen) trace.push(`${Date.now() - since}:${now}`);
        seen = now;
        return s.framesDecoded;
      });
  let first = Number.POSITIVE_INFINITY;
  for (;;) {
    if ((await frames()) > 0) {
      first = Date.now() - since;
      break;
    }
    if (Date.now() - since > 30000) return { first, still: Number.POSITIVE_INFINITY, trace };
    await new Promise((r) => setTimeout(r, 20));
  }
  const start = Date.now();
  let last = await frames();
  let changedAt = start;
  let still = 0;
  while (Date.now() - start < WATCH_MS) {
    await new Promise((r) => setTimeout(r, 20));
    const n = await frames();
    const now = Date.now();
    if (n !== last) {
      still = Math.max(still, now - changedAt);
      last = n;
      changedAt = now;
    }
  }
  return { first, still: Math.max(still, Date.now() - changedAt), trace };
}

/**
 * BENCH_LAYER=0: both viewers ask for the lowest simulcast layer, as on a 2G link or with
 * save-data (layer-policy.ts reads navigator.connection).
 */
const LOW_LAYER_SCRIPT = `Object.defineProperty(navigator, 'connection', { configurable: true, value: Object.assign(new EventTarget(), { saveData: true, effectiveType: '2g' }) });`;

describe('video visit benchmark (join to first remote frame)', () => {
  let db: TestDatabase;
  let server: BenchServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Every visit's window (its slot, 21 min after the previous one's) is open from the start.
    if (5 + VISITS * 21 > 1440) throw new Error('BENCH_VISITS: at most 68 (slots within the 24 h margin)');
    process.env.CONSULT_MARGIN_MINUTES = '1440';
    db = await freshDatabase();
    server = await startServer(db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopServer(server?.child);
    await db?.drop();
  });

  it('prints join-to-first-frame p50/p95 for both sides', async () => {
    const url = (server as BenchServer).url;
    const sys = await systemToken(url);
    const admin = await login(url, ADMIN.username, ADMIN.password);
    const doctorId = String(
      (
        await post(url, '/fhir/Practitioner', sys, {
          resourceType: 'Practitioner',
          name: [{ family: 'Trần' }],
        })
      ).id,
    );
    const patientId = String(
      (await post(url, '/fhir/Patient', sys, { resourceType: 'Patient', name: [{ family: 'Nguyễn' }] })).id,
    );
    // A video visit needs a listed reason and a patient seen in person (Circular 30/2023; docs/care.md).
    const station = String(
      (await post(url, '/fhir/Organization', sys, { resourceType: 'Organization', name: 'Trạm Y tế' })).id,
    );
    await post(url, '/fhir/Encounter', sys, seenInPerson(patientId, station, 30));
    const schedule = String(
      (
        await post(url, '/fhir/Schedule', sys, {
          resourceType: 'Schedule',
          actor: [{ reference: `Practitioner/${doctorId}` }],
        })
      ).id,
    );
    for (const [username, role, fhirUser] of [
      ['bench.doctor', 'practitioner', `Practitioner/${doctorId}`],
      ['bench.patient', 'patient', `Patient/${patientId}`],
    ])
      await post(url, '/auth/accounts', admin, { username, password: PASSWORD, role, fhirUser });
    const doctorToken = await login(url, 'bench.doctor', PASSWORD);
    const patientToken = await login(url, 'bench.patient', PASSWORD);
    const open = async (token: string, appointment: string): Promise<Page> => {
      const context = await (browser as Browser).newContext({ locale: 'vi-VN' });
      await context.addInitScript({
        content: `sessionStorage.setItem('mekong.accessToken', ${JSON.stringify(token)})`,
      });
      if (process.env.BENCH_LAYER === '0') await context.addInitScript({ content: LOW_LAYER_SCRIPT });
      const page = await context.newPage();
      await page.goto(`${url}/visit/${appointment}`);
      return page;
    };
    const patientSide: number[] = [];
    const doctorSide: number[] = [];
    const patientStill: number[] = [];
    const doctorStill: number[] = [];
    for (let i = 0; i < VISITS; i++) {
      const start = new Date(Date.now() + (5 + i * 21) * 60000);
      const slot = String(
        (
          await post(url, '/fhir/Slot', sys, {
            resourceType: 'Slot',
            schedule: { reference: `Schedule/${schedule}` },
            status: 'free',
            start: start.toISOString(),
            end: new Date(start.getTime() + 20 * 60000).toISOString(),
          })
        ).id,
      );
      const appointment = String(
        (
          await post(url, '/fhir/Appointment', sys, {
            resourceType: 'Appointment',
            status: 'booked',
            slot: [{ reference: `Slot/${slot}` }],
            reasonCode: [LISTED_REASON],
            participant: [
              { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
              { actor: { reference: `Practitioner/${doctorId}` }, status: 'accepted' },
            ],
          })
        ).id,
      );
      const patient = await open(patientToken, appointment);
      await patient.getByTestId('waiting').waitFor({ timeout: 20000 });
      const doctor = await open(doctorToken, appointment);
      const admit = doctor.getByRole('button', { name: 'Mời vào' });
      await admit.waitFor({ timeout: 20000 });
      // The doctor's page has loaded (own camera in the call, side panel fetched) before the
      // doctor admits; t0 is the click as the page receives it (same clock as this process), not
      // Playwright's waiting for the button to be clickable.
      await doctor.waitForFunction(() => (globalThis as unknown as Hooks).mekongVisit?.phase() === 'in-call');
      await doctor.waitForLoadState('networkidle');
      await doctor.evaluate(() =>
        (globalThis as unknown as EventTarget).addEventListener(
          'click',
          () => ((globalThis as unknown as Hooks).admittedAt = Date.now()),
          { capture: true, once: true },
        ),
      );
      await admit.click();
      const t0 = await doctor.evaluate(() => (globalThis as unknown as Hooks).admittedAt ?? 0);
      const [p, d] = await Promise.all([firstFrameAndStill(patient, t0), firstFrameAndStill(doctor, t0)]);
      patientSide.push(p.first);
      doctorSide.push(d.first);
      patientStill.push(p.still);
      doctorStill.push(d.still);
      if (process.env.BENCH_TRACE)
        process.stdout.write(
          `visit ${i} ${appointment}: patient first ${p.first} still ${p.still}; doctor first ${d.first} still ${d.still}` +
            (p.still > 1000 ? `\n  patient: ${p.trace.join(' ')}` : '') +
            (d.still > 1000 ? `\n  doctor: ${d.trace.join(' ')}` : '') +
            '\n',
        );
      await patient.context().close();
      await doctor.context().close();
    }
    const row = (who: string, xs: number[]): string[] => [
      `join → first remote frame, ${who}`,
      `p50 ${percentile(xs, 0.5).toFixed(0)} / p95 ${percentile(xs, 0.95).toFixed(0)} ms (all: ${[...xs]
        .sort((a, b) => a - b)
        .map((x) => x.toFixed(0))
        .join(' ')})`,
      `${xs.length} visits (${db.engine})`,
      'target p95 < 1000 ms',
    ];
    const stillRow = (who: string, xs: number[]): string[] => [
      `longest stall in the ${WATCH_MS} ms after the first frame, ${who}`,
      `p50 ${percentile(xs, 0.5).toFixed(0)} / max ${Math.max(...xs).toFixed(0)} ms; over 1 s: ${
        xs.filter((x) => x > 1000).length
      } (all: ${[...xs]
        .sort((a, b) => a - b)
        .map((x) => x.toFixed(0))
        .join(' ')})`,
      `${xs.length} visits (${db.engine}, layer ${process.env.BENCH_LAYER === '0' ? '0' : 'default'})`,
      'target: none over 1000 ms',
    ];
    printRows([
      row('patient (sees the doctor)', patientSide),
      row('doctor (sees the patient)', doctorSide),
      stillRow('patient (sees the doctor)', patientStill),
      stillRow('doctor (sees the patient)', doctorStill),
    ]);
    expect(patientSide.every(Number.isFinite) && doctorSide.every(Number.isFinite)).toBe(true);
  });
});
