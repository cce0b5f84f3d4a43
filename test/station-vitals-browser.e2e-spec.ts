import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 15, item 10); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-vitals';

const TEXT = {
  vi: {
    save: 'Lưu sinh hiệu',
    score: 'NEWS2: 13 điểm',
    response: 'CẤP CỨU – gọi 115',
    todo: 'Gọi 115 ngay',
    sent: 'Cảnh báo đã được gửi tới nhân viên trạm.',
  },
  en: {
    save: 'Save vital signs',
    score: 'NEWS2: 13 points',
    response: 'EMERGENCY – call 115',
    todo: 'Call 115 now',
    sent: "The alert has been sent to the station's staff.",
  },
} as const;

/**
 * A station nurse saves vitals scoring NEWS2 13 for a patient registered a minute ago, in Debian's
 * Chromium at 360 px and 1280 px, in Vietnamese and English: right after saving, the screen shows
 * the server's score and the RCP Chart 4 response (call 115), as an alert, without horizontal
 * scroll; the station's inbox holds the alert.
 */
describe('station vitals: NEWS2 score and response right after saving (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const signedIn = async (width: number, lang: 'vi' | 'en'): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'nurse',
      landing: /\/station$/,
    });
    return page;
  };

  /** Types the set (RR 26, SpO2 90 %, O2 2 L/min, BP 105/70, pulse 115, Alert, 39.5 °C = NEWS2 13) and saves. */
  const saveVitals = async (page: Page, lang: 'vi' | 'en'): Promise<void> => {
    const values: [string, string][] = [
      ['heartRate', '115'],
      ['spo2', '90'],
      ['systolic', '105'],
      ['diastolic', '70'],
      ['temperature', lang === 'vi' ? '39,5' : '39.5'],
      ['respiratoryRate', '26'],
      ['oxygenFlow', '2'],
    ];
    for (const [field, value] of values) await page.locator(`#vit-${field}`).fill(value);
    await page.locator('#vit-avpu').selectOption('A');
    await page.getByRole('button', { name: TEXT[lang].save }).click();
  };

  const check = async (page: Page, lang: 'vi' | 'en', width: number): Promise<void> => {
    const panel = page.getByRole('alert').filter({ hasText: TEXT[lang].score });
    await panel.waitFor({ timeout: 20000 });
    const text = await panel.innerText();
    expect(text).toContain(TEXT[lang].response);
    expect(text).toContain(TEXT[lang].todo);
    expect(text).toContain(TEXT[lang].sent);
    expect(await panel.getAttribute('class')).toContain('news2-emergency');
    // Where the nurse is looking: the panel is in view right after the click, above the button.
    expect(await panel.isVisible()).toBe(true);
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
      inView: (() => {
        const r = document.querySelector('[data-testid="news2"]').getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight + 1; // scrollIntoView: sub-pixel edges
      })(),
    })`)) as { scrollWidth: number; innerWidth: number; missing: string[]; inView: boolean };
    expect({
      lang,
      width,
      overflow: layout.scrollWidth > layout.innerWidth,
      missing: layout.missing,
    }).toEqual({
      lang,
      width,
      overflow: false,
      missing: [],
    });
    expect({ lang, width, inView: layout.inView }).toEqual({ lang, width, inView: true });
    // Measured first: a full-page screenshot resizes the viewport and loses the scroll position.
    await page.screenshot({ path: join(SHOTS, `vitals-news2-${lang}-${width}.png`) });
    await page.screenshot({ path: join(SHOTS, `vitals-news2-${lang}-${width}-full.png`), fullPage: true });
  };

  it('the nurse registers a patient, saves vitals scoring 13 and sees "emergency – call 115" (vi and en, 360 and 1280 px)', async () => {
    // Through the screens: sign in, register, the new patient's page, the vitals form.
    const page = await signedIn(360, 'vi');
    await page.getByRole('link', { name: 'Đăng ký bệnh nhân' }).first().click();
    await page.getByLabel('Họ (bắt buộc)').fill('Huỳnh');
    await page.getByLabel('Tên (bắt buộc)').fill('Văn Tư');
    await page.getByLabel('Ngày sinh (bắt buộc)').fill('11/02/1948');
    await page.getByLabel('Giới tính (bắt buộc)').selectOption('male');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForURL(/\/station\/patient\/[A-Za-z0-9-]+(\?.*)?$/);
    const patientId = /\/station\/patient\/([A-Za-z0-9-]+)/.exec(page.url())![1]!;
    await saveVitals(page, 'vi');
    await check(page, 'vi', 360);
    await page.context().close();

    for (const [width, lang] of [
      [1280, 'vi'],
      [360, 'en'],
      [1280, 'en'],
    ] as const) {
      const p = await signedIn(width, lang);
      await p.goto(`${t.url}/station/patient/${patientId}`);
      await saveVitals(p, lang);
      await check(p, lang, width);
      await p.context().close();
    }

    // The station's inbox holds the alert (no doctor or appointment exists for this patient).
    const inbox = await w.sys.get(`Communication?recipient=Organization/${w.ids.station}&category=alert`);
    expect(((inbox.body.entry ?? []) as unknown[]).length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
