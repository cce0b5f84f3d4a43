import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { heartRate } from './support/fhir-fixtures';
import { closeBrowserWorld, SIGN_IN_TEXT, startBrowserWorld } from './support/browser';
import { PASSWORD, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/**
 * Issue 18 "Weak links": the portal on an emulated weak mobile link (≈ 400 kbit/s each way,
 * 400 ms round trip), as a station's patient meets it. Measured, not timed: how long the first
 * screen and the record take, and how many bytes cross the link (written to
 * test-output/slow-link/measured.json and printed). Asserted: both screens arrive and work, and the
 * bytes stay small because answers are compressed (decision 019) — a byte budget, not a time one.
 */
const OUT = join(__dirname, '..', 'test-output', 'slow-link');
const KBIT = 1000 / 8; // bytes per second per kbit/s

describe('portal on a weak link (≈ 400 kbit/s, 400 ms RTT)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld());
    // A record that has grown: 120 heart-rate readings over four months.
    for (let i = 0; i < 120; i++) {
      const day = new Date(Date.UTC(2026, 7, 1) + i * 86400_000).toISOString().slice(0, 10);
      const r = await w.sys.post('Observation', heartRate(w.ids.A!, 60 + (i % 25), `${day}T08:00:00+07:00`));
      if (r.status !== 201) throw new Error(`seed ${r.status}`);
    }
    mkdirSync(OUT, { recursive: true });
  }, 180_000);

  afterAll(() => closeBrowserWorld(browser, t));

  /** A 360 px phone page whose link is throttled, counting the bytes each response costs on the wire. */
  async function slowPhone(lang: 'vi' | 'en'): Promise<{ page: Page; cdp: CDPSession; wire: () => number }> {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addInitScript({ content: `localStorage.setItem('mekong.lang', ${JSON.stringify(lang)});` });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 400,
      downloadThroughput: 400 * KBIT,
      uploadThroughput: 400 * KBIT,
    });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
    });
    return { page, cdp, wire: () => bytes };
  }

  it('the first screen and the record arrive, compressed; timings and bytes are recorded', async () => {
    const measured: Record<string, unknown>[] = [];
    for (const lang of ['vi', 'en'] as const) {
      const { page, wire } = await slowPhone(lang);
      const text = SIGN_IN_TEXT[lang];
      const t0 = Date.now();
      await page.goto(`${t.url}/`);
      await page.getByLabel(text.username).waitFor({ timeout: 60_000 });
      const firstScreenMs = Date.now() - t0;
      const firstScreenBytes = wire();

      await page.getByLabel(text.username).fill('patient.a');
      await page.getByLabel(text.password).fill(PASSWORD);
      const t1 = Date.now();
      await page.getByRole('button', { name: text.signIn }).click();
      await page.waitForURL(/\/record$/, { timeout: 60_000 });
      // The record is there when its vitals chart or first vitals card shows.
      await page
        .getByText(lang === 'vi' ? 'Nhịp tim' : 'Heart rate')
        .first()
        .waitFor({ timeout: 90_000 });
      const recordMs = Date.now() - t1;
      const recordBytes = wire() - firstScreenBytes;
      await page.screenshot({ path: join(OUT, `record-slow-360-${lang}.png`), fullPage: false });
      measured.push({ lang, firstScreenMs, firstScreenBytes, recordMs, recordBytes });

      // Budgets in bytes (what a weak link pays for), not in time: the first screen's code and
      // the record with 120 readings, compressed.
      expect(firstScreenBytes).toBeLessThan(400_000);
      expect(recordBytes).toBeLessThan(250_000);

      // The timeline is paged (issue 18 item 18): the 100 newest entries first, the rest on request.
      const older = page.getByRole('button', {
        name: lang === 'vi' ? 'Xem các mục cũ hơn' : 'Show older entries',
      });
      await older.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(OUT, `record-slow-360-${lang}-older.png`), fullPage: false });
      await older.click();
      await page
        .getByText(lang === 'vi' ? /Đang hiển thị tất cả \d+ mục/ : /Showing all \d+ timeline entries/)
        .waitFor({ timeout: 60_000 });
      expect(await older.count()).toBe(0);
      await page.context().close();
    }
    writeFileSync(join(OUT, 'measured.json'), JSON.stringify(measured, null, 2));
    // eslint-disable-next-line no-console
    console.log('slow link (400 kbit/s, 400 ms RTT):', JSON.stringify(measured));
  }, 300_000);
});
