import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { PASSWORD, slotBody, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

const SHOTS = process.env.SCREENSHOTS_DIR ?? join(__dirname, '..', 'test-output', 'screenshots');
const CCCD = '092190012345';
const BHYT = 'DN4920123456789';
const PHONE = '0912 345 678';
// The lazily loaded record area's code, as Vite names it (RecordArea-<hash>.js).
const RECORD_CHUNK = /\/assets\/RecordArea-[\w-]+\.js$/;

/**
 * Real navigation in Debian's Chromium through the built portal: addresses with a query string
 * open the right screen, a patient search leaves no identifier in the address bar, the history or
 * a request URL (a shared station computer), and a screen whose code fails to download keeps the
 * shell and offers a retry that works.
 */
describe('portal navigation (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const open = async (width: number, locale: 'vi' | 'en' = 'vi'): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width, height: width < 600 ? 740 : 800 },
      locale: locale === 'vi' ? 'vi-VN' : 'en-GB',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addInitScript({ content: `localStorage.setItem('mekong.lang', '${locale}');` });
    return context.newPage();
  };
  const signIn = async (page: Page, username: string): Promise<void> => {
    await page.goto(`${t.url}/`);
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
  };
  const shot = async (page: Page, name: string): Promise<void> => {
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
    })`)) as { scrollWidth: number; innerWidth: number; missing: string[] };
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    expect({ name, missing: layout.missing, overflow: layout.scrollWidth > layout.innerWidth }).toEqual({
      name,
      missing: [],
      overflow: false,
    });
  };

  it('station staff find a patient by name, CCCD, BHYT and phone; no identifier reaches an address, the history or a request URL', async () => {
    const created = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Lý', given: ['Thị', 'Mai'], text: 'Lý Thị Mai' }],
      birthDate: '1990-04-12',
      gender: 'female',
      identifier: [
        { system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: CCCD },
        { system: 'http://fhir.hl7.org.vn/core/sid/bhyt', value: BHYT },
      ],
      telecom: [{ system: 'phone', value: '0912345678' }],
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(created.status).toBe(201);

    const page = await open(360);
    const addresses: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) addresses.push(frame.url());
    });
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await signIn(page, 'nurse');
    await page.waitForURL(/\/station$/);

    const box = page.getByLabel('Họ tên, số CCCD, số thẻ BHYT hoặc số điện thoại');
    for (const [q, sent] of [
      ['ly thi mai', 'name=ly+thi+mai'],
      [CCCD, `identifier=${encodeURIComponent(`http://fhir.hl7.org.vn/core/sid/cccd|${CCCD}`)}`],
      [BHYT, `identifier=${encodeURIComponent(`http://fhir.hl7.org.vn/core/sid/bhyt|${BHYT}`)}`],
      [PHONE, 'phone=0912345678'],
    ] as const) {
      await box.fill(q);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/fhir/Patient/_search')),
        page.getByRole('button', { name: 'Tìm', exact: true }).click(),
      ]);
      expect({ q, status: answer.status(), method: answer.request().method() }).toEqual({
        q,
        status: 200,
        method: 'POST',
      });
      expect(answer.request().postData()).toContain(sent);
      await page.getByRole('link', { name: 'Lý Thị Mai' }).waitFor({ timeout: 15000 });
      expect(page.url()).toBe(`${t.url}/station`);
      expect(await page.getByText('Không tìm thấy trang này.').count()).toBe(0);
      if (q === CCCD) await shot(page, 'station-search-cccd-vi-360');
    }

    // Open the patient, then Back: the results are still there (kept in memory, not in the address).
    await page.getByRole('link', { name: 'Lý Thị Mai' }).click();
    await page.waitForURL(/\/station\/patient\/[\w-]+$/);
    await page.getByRole('heading', { level: 1, name: /Lý Thị Mai/ }).waitFor({ timeout: 15000 });
    await page.goBack();
    await page.waitForURL(/\/station$/);
    await page.getByRole('link', { name: 'Lý Thị Mai' }).waitFor({ timeout: 15000 });
    expect(await box.inputValue()).toBe(PHONE);

    // Laptop width, in English.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Find a patient' }).waitFor();
    await shot(page, 'station-search-phone-en-1280');

    const secrets = [
      CCCD,
      BHYT,
      '912345678',
      '912+345+678',
      '912%20345%20678',
      'ly+thi+mai',
      'ly%20thi%20mai',
    ];
    const leaks = [...addresses, ...requested].filter((url) => secrets.some((s) => url.includes(s)));
    expect(leaks).toEqual([]);
    expect(addresses.length).toBeGreaterThan(2);
    await page.context().close();
  }, 120_000);

  it('a patient who books lands on their appointments (/appointments?booked=…), not on "page not found"', async () => {
    const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, 30, 20));
    expect(slot.status).toBe(201);
    const page = await open(360);
    await signIn(page, 'patient.a');
    await page.waitForURL(/\/record$/);
    await page.getByRole('link', { name: 'Đặt lịch khám' }).click();
    await page.getByRole('radio', { name: 'Từ 16 tuổi trở lên' }).check({ timeout: 20000 });
    await page.getByRole('checkbox', { name: 'Ho', exact: true }).check();
    await page.getByRole('radio', { name: '1–2 ngày' }).check();
    for (const no of await page.getByRole('radio', { name: 'Không', exact: true }).all()) await no.check();
    await page.getByRole('button', { name: 'Gửi khai báo' }).click();
    await page.getByRole('button', { name: 'Tìm giờ trống' }).click({ timeout: 20000 });
    await page
      .getByRole('button', { name: /Trần Minh/ })
      .first()
      .click({ timeout: 20000 });
    // A listed acute condition, for a patient seen in person last month (the world): booked at once.
    await page
      .getByLabel('Bệnh trong danh mục khám từ xa')
      .selectOption({ label: 'Viêm mũi họng cấp (sổ mũi, đau họng)' });
    await page.getByLabel('Lý do khám').fill('Ho, sổ mũi');
    await page.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    await page.waitForURL(/\/appointments\?booked=[\w-]+$/, { timeout: 20000 });
    await page.getByRole('heading', { name: 'Lịch hẹn của tôi' }).waitFor({ timeout: 15000 });
    await page.getByText('Đã đặt lịch thành công.').waitFor();
    expect(await page.getByText('Không tìm thấy trang này.').count()).toBe(0);
    await shot(page, 'patient-booked-vi-360');
    await page.context().close();
  }, 120_000);

  it('a screen whose code fails to download keeps the shell, says so (vi, en) and retries', async () => {
    const page = await open(360);
    let attempts = 0;
    await page.route(RECORD_CHUNK, (route) => {
      attempts++;
      return route.abort('internetdisconnected');
    });
    await signIn(page, 'patient.a');
    await page.waitForURL(/\/record$/);
    await page.getByRole('heading', { name: 'Không tải được trang này' }).waitFor({ timeout: 15000 });
    await page.getByText('Mạng có thể đang chậm hoặc bị ngắt').waitFor();
    // The shell is still there: navigation, language, sign-out.
    await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    await page.getByRole('link', { name: 'Lịch hẹn', exact: true }).waitFor();
    await shot(page, 'load-error-vi-360');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'load-error-vi-1280');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'This page could not be loaded' }).waitFor();
    await shot(page, 'load-error-en-1280');
    await page.setViewportSize({ width: 360, height: 740 });
    await shot(page, 'load-error-en-360');

    // Retry while still offline: the same message, and the code was asked for again.
    const before = attempts;
    await page.getByRole('button', { name: 'Retry' }).click();
    for (let i = 0; i < 100 && attempts === before; i++) await page.waitForTimeout(100);
    expect(attempts).toBeGreaterThan(before);
    await page.getByRole('heading', { name: 'This page could not be loaded' }).waitFor();

    // The network is back: Retry opens the record.
    await page.unroute(RECORD_CHUNK);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { level: 1, name: /Health record/ }).waitFor({ timeout: 15000 });
    expect(await page.getByRole('alert').filter({ hasText: 'could not be loaded' }).count()).toBe(0);
    await shot(page, 'load-retried-en-360');
    await page.context().close();
  }, 120_000);
});
