import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { appointmentBody, PASSWORD, postSlot, type SchedulingWorld } from './support/scheduling-world';
import { Fhir } from './support/fhir-client';
import { login, type TestApp } from './support/test-app';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Access tokens live 60 s here (the shortest allowed) instead of 15 minutes. */
const TOKEN_SECONDS = 60;

/**
 * A visit outlasts the access token it started with: the page signs in (access and refresh
 * token), the token expires, the connection drops and comes back — the page reconnects with a
 * refreshed token and the patient is back where they were, without signing in again.
 */
describe('a video visit outlasts its access token (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({
      JOB_POLL_SECONDS: '0.5',
      MEDIA_WORKERS: '1',
      ACCESS_TOKEN_TTL: String(TOKEN_SECONDS),
      CONSULT_MARGIN_MINUTES: '60',
      RECONNECT_GRACE_SECONDS: '60',
    }));
  });
  afterAll(() => closeBrowserWorld(browser, t));

  it('after the token expired, a dropped connection comes back with a refreshed one: the patient is in the waiting room again, not asked to sign in, no error', async () => {
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 20 * 60000), 20);
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slotId, w.ids.A!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    // The signaling goes through a route the test can cut, like a dropped 3G link.
    let cut = false;
    const live = new Set<WebSocketRoute>();
    await context.routeWebSocket(/\/socket\.io\//, async (ws) => {
      while (cut) await sleep(100);
      ws.connectToServer();
      live.add(ws);
    });
    const page = await context.newPage();
    await page.goto(`${t.url}/visit/${String(booked.body.id)}`);
    await page.getByLabel('Tên đăng nhập').fill('patient.a');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('waiting').waitFor({ timeout: 20000 });
    const tokenNow = (): Promise<string | null> =>
      page.evaluate(() =>
        (
          globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }
        ).sessionStorage.getItem('mekong.accessToken'),
      );
    const first = await tokenNow();
    expect(first).toEqual(expect.any(String));

    await sleep((TOKEN_SECONDS + 2) * 1000); // the token the page signed in with has expired
    cut = true;
    for (const ws of live) await ws.close({ code: 4000, reason: 'network down' });
    live.clear();
    await page.getByTestId('reconnecting').waitFor({ timeout: 10000 });
    cut = false;
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 30000 });
    await page.getByTestId('waiting').waitFor({ timeout: 10000 });
    expect(await page.getByTestId('visit-error').count()).toBe(0);
    expect(await page.getByLabel('Mật khẩu').count()).toBe(0);
    const second = await tokenNow();
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    await context.close();
  }, 180_000);

  it('a 3-minute visit on 60-second tokens: each page re-authenticates its socket in band and the media never stops', async () => {
    // the world's tokens are older than their 60 s by now: sign in afresh
    const doctorApi = new Fhir(t.url, (await login(t.url, 'doctor', PASSWORD)).access_token);
    const patientApi = new Fhir(t.url, (await login(t.url, 'patient.a', PASSWORD)).access_token);
    // clear of the first test's slot (now + 20 min for 20 min), within the 60-minute join margin
    const slotId = await postSlot(doctorApi, w.ids.schedule!, new Date(Date.now() + 45 * 60000), 10);
    const booked = await patientApi.post('Appointment', appointmentBody(slotId, w.ids.A!, w.ids.doctor!));
    expect(booked.status).toBe(201);
    const signIn = async (username: string): Promise<{ page: Page; closed: string[] }> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
      const page = await context.newPage();
      const closed: string[] = [];
      // every socket.io frame the server sends: an AUTH.TOKEN_EXPIRED or a disconnect would show here
      page.on('websocket', (ws) => {
        ws.on('framereceived', (f) => {
          const text = String(f.payload);
          if (/TOKEN_EXPIRED|ACCOUNT_DISABLED|^42\/consultation,\["error"/.test(text))
            closed.push(text.slice(0, 200));
        });
        ws.on('close', () => closed.push('socket closed'));
      });
      await page.goto(`${t.url}/visit/${String(booked.body.id)}`);
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      return { page, closed };
    };
    const frames = (page: Page): Promise<number> =>
      page.evaluate(async () => {
        const hooks = (
          globalThis as unknown as { mekongVisit?: { stats(): Promise<{ framesDecoded: number }> } }
        ).mekongVisit;
        return (await hooks?.stats())?.framesDecoded ?? 0;
      });
    const patient = await signIn('patient.a');
    await patient.page.getByTestId('waiting').waitFor({ timeout: 20000 });
    const doctor = await signIn('doctor');
    await doctor.page.getByRole('button', { name: 'Mời vào' }).click({ timeout: 30000 });
    const seen = { patient: [] as number[], doctor: [] as number[] };
    for (let i = 0; i < 60 && (await frames(patient.page)) === 0; i++) await sleep(500);
    // three token lifetimes, sampled every 10 s: both pages decode more video every time
    for (let elapsed = 0; elapsed < 3 * TOKEN_SECONDS * 1000; elapsed += 10_000) {
      await sleep(10_000);
      seen.patient.push(await frames(patient.page));
      seen.doctor.push(await frames(doctor.page));
    }
    const growing = (xs: number[]): boolean => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number));
    expect({ patient: growing(seen.patient), doctor: growing(seen.doctor) }).toEqual({
      patient: true,
      doctor: true,
    });
    expect({ patient: patient.closed, doctor: doctor.closed }).toEqual({ patient: [], doctor: [] });
    expect(await patient.page.getByTestId('visit-error').count()).toBe(0);
    expect(await doctor.page.getByTestId('visit-error').count()).toBe(0);
    await patient.page.context().close();
    await doctor.page.context().close();
  }, 300_000);
});
