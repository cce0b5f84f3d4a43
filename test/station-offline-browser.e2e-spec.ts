import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/**
 * Issue 20 part 2: the commune station keeps working offline (docs/offline-station.md). In Debian's
 * Chromium with the browser's own offline mode: what the nurse registers and measures without a
 * link is kept in IndexedDB, survives a reload, and reaches the server exactly once when the link
 * returns — even when the answer to the first send is lost. A CCCD already on the server is a
 * conflict to resolve; an item the server refuses stays with its reason.
 */
const OUT = join(__dirname, '..', 'test-output', 'station-offline');
const CAPTURE = 'https://mekong.health/fhir/sid/device-capture';

const TEXT = {
  vi: {
    register: 'Đăng ký bệnh nhân',
    family: 'Họ (bắt buộc)',
    given: 'Tên (bắt buộc)',
    birthDate: 'Ngày sinh (bắt buộc)',
    gender: 'Giới tính (bắt buộc)',
    cccd: 'Số CCCD (không bắt buộc)',
    submit: 'Đăng ký',
    save: 'Lưu sinh hiệu',
    waiting: 'đang chờ gửi',
    outbox: 'Xem hàng chờ gửi',
  },
  en: {
    register: 'Register patient',
    family: 'Family name (required)',
    given: 'Given name (required)',
    birthDate: 'Date of birth (required)',
    gender: 'Sex (required)',
    cccd: 'CCCD number (optional)',
    submit: 'Register',
    save: 'Save vital signs',
    waiting: 'waiting to send',
    outbox: 'Open the outbox',
  },
} as const;

type Lang = keyof typeof TEXT;

describe('station offline: outbox in IndexedDB, synced once as conditional transactions (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  /** A signed-in nurse whose page is controlled by the service worker (the shell is cached). */
  async function nurse(width: number, lang: Lang): Promise<{ page: Page; context: BrowserContext }> {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'nurse',
      landing: /\/station$/,
    });
    await poll(page, 'Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)');
    return { page, context: page.context() };
  }

  /** The page's CSP forbids string functions (waitForFunction): poll page.evaluate instead. */
  async function poll(page: Page, expression: string, timeout = 20_000): Promise<void> {
    const end = Date.now() + timeout;
    while (!(await page.evaluate<boolean>(expression).catch(() => false))) {
      if (Date.now() > end) throw new Error(`timed out: ${expression}`);
      await page.waitForTimeout(200);
    }
  }

  async function register(
    page: Page,
    lang: Lang,
    p: { family: string; given: string; born: string; cccd?: string },
  ) {
    const x = TEXT[lang];
    await page.getByRole('link', { name: x.register }).first().click();
    await page.getByLabel(x.family).fill(p.family);
    await page.getByLabel(x.given).fill(p.given);
    await page.getByLabel(x.birthDate).fill(p.born);
    await page.getByLabel(x.gender).selectOption('male');
    if (p.cccd) await page.getByLabel(x.cccd).fill(p.cccd);
    await page.getByRole('button', { name: x.submit, exact: true }).click();
    await page.waitForURL(/\/station\/queued\/[0-9a-f-]+$/);
    return /\/station\/queued\/([0-9a-f-]+)/.exec(page.url())![1]!;
  }

  async function vitals(page: Page, lang: Lang, hr: string, spo2: string): Promise<void> {
    await page.locator('#vit-heartRate').fill(hr);
    await page.locator('#vit-spo2').fill(spo2);
    await page.getByRole('button', { name: TEXT[lang].save }).click();
    await page.getByTestId('vitals-queued').waitFor();
  }

  const shot = async (page: Page, name: string) => {
    const layout = (await page.evaluate(`({
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
    })`)) as { overflow: boolean; missing: string[] };
    expect({ name, ...layout }).toEqual({ name, overflow: false, missing: [] });
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  };

  const entries = (body: Record<string, unknown>) =>
    (body.entry ?? []) as { resource: Record<string, unknown> }[];

  it('offline: register and record vitals, reload, back online → exactly one Patient and one vitals set (answer of the first send lost)', async () => {
    const { page, context } = await nurse(360, 'vi');
    await context.setOffline(true);
    const localId = await register(page, 'vi', { family: 'Lâm', given: 'Văn Ngoại', born: '03/04/1961' });
    await page.getByTestId('queued-state').filter({ hasText: TEXT.vi.waiting }).waitFor();
    await vitals(page, 'vi', '88', '97');

    // A reload without a link: the service worker serves the shell, the outbox is still there.
    await page.reload();
    await page.getByTestId('queued-state').filter({ hasText: TEXT.vi.waiting }).waitFor();
    await page.getByTestId('outbox-banner').filter({ hasText: '2 mục đang chờ gửi' }).waitFor();
    await shot(page, 'queued-vi-360');

    // Back online; the answer to the first transaction is lost on the way back (the server did
    // the work): the outbox sends it again, and If-None-Exist on the capture identifier finds it.
    let lost = 0;
    await context.route('**/fhir', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await context.setOffline(false);
    await page.waitForURL(/\/station\/patient\/[A-Za-z0-9-]+/, { timeout: 60_000 });
    const patientId = /\/station\/patient\/([A-Za-z0-9-]+)/.exec(page.url())![1]!;
    expect(lost).toBe(1);

    const byCapture = await w.sys.get(`Patient?identifier=${encodeURIComponent(`${CAPTURE}|${localId}`)}`);
    expect(entries(byCapture.body).map((e) => e.resource.id)).toEqual([patientId]);
    const byName = await w.sys.get(`Patient?family=${encodeURIComponent('Lâm')}&birthdate=1961-04-03`);
    expect(entries(byName.body)).toHaveLength(1);
    // Wait until the vitals went too (they waited for the registration).
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached', timeout: 30_000 });
    const obs = await w.sys.get(`Observation?subject=Patient/${patientId}&category=vital-signs`);
    const list = entries(obs.body).map((e) => e.resource);
    expect(list.map((o) => (o.code as { coding: { code: string }[] }).coding[0]!.code).sort()).toEqual([
      '59408-5',
      '8867-4',
    ]);
    // Capture time (effective) and sync time (issued) are both kept.
    for (const o of list) {
      expect(typeof o.effectiveDateTime).toBe('string');
      expect(typeof o.issued).toBe('string');
      expect(Date.parse(o.issued as string)).toBeGreaterThanOrEqual(
        Date.parse(o.effectiveDateTime as string),
      );
    }
    await context.close();
  }, 180_000);
});
