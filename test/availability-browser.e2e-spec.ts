import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { PASSWORD, type SchedulingWorld } from './support/scheduling-world';
import { api, type TestApp } from './support/test-app';

/** Screenshots for review (issue 15, item 9); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-vitals';

/**
 * The doctor's working-hours screen names a rule's validity days as created (issue 15, item 9: it
 * said "Áp dụng từ ngày 06/12/2001", the API having sent a JS Date string "Sun Dec 06").
 */
describe('availability screen: a rule’s "from" and "until" dates (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  it('shows the validity days the doctor chose, in Vietnamese and English', async () => {
    const today = DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('day');
    const from = today.plus({ days: 3 });
    const until = today.plus({ days: 5 });
    const res = await api(
      t.url,
      'POST',
      `/scheduling/schedules/${w.ids.schedule}/rules`,
      w.as.doctor!.token,
      {
        daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
        startTime: '06:00',
        endTime: '07:00',
        slotMinutes: 30,
        serviceType: 'video',
        validFrom: from.toISODate(),
        validTo: until.toISODate(),
      },
    );
    expect(res.status).toBe(201);

    for (const [lang, fromText, untilText, link] of [
      ['vi', 'Áp dụng từ ngày', 'Đến ngày', 'Giờ làm việc'],
      ['en', 'From', 'Until', 'Working hours'],
    ] as const) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
        timezoneId: 'America/Los_Angeles', // a device far west of Vietnam must not shift the day
      });
      await context.addInitScript({
        content: `localStorage.setItem('mekong.lang', ${JSON.stringify(lang)});`,
      });
      const page = await context.newPage();
      await page.goto(`${t.url}/`);
      await page.getByLabel(lang === 'vi' ? 'Tên đăng nhập' : 'Username').fill('doctor');
      await page.getByLabel(lang === 'vi' ? 'Mật khẩu' : 'Password').fill(PASSWORD);
      await page.getByRole('button', { name: lang === 'vi' ? 'Đăng nhập' : 'Sign in' }).click();
      await page.waitForURL(/\/doctor$/);
      await page.getByRole('link', { name: link }).first().click();
      const expected = `${fromText} ${from.toFormat('dd/MM/yyyy')}, ${untilText} ${until.toFormat('dd/MM/yyyy')}`;
      await page.getByText(expected).first().waitFor({ timeout: 20000 });
      await page.screenshot({ path: join(SHOTS, `availability-${lang}-1280.png`), fullPage: true });
      await context.close();
    }
  }, 120_000);
});
