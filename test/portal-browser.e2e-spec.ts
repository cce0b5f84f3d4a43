import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { linkGuardian } from './support/guardian';
import { PASSWORD, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');

/**
 * The portal's main screens for each kind of user, in Debian's Chromium at a 360 px phone and a
 * 1280 px laptop: each renders (no error), has no horizontal scroll, and shows no untranslated
 * key. Screenshots are written to test-output/screenshots/.
 */
describe('portal screens at 360 px and 1280 px (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const open = async (
    token: string | undefined,
    path: string,
    width: number,
    locale = 'vi',
  ): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width, height: width < 600 ? 740 : 800 },
      locale: locale === 'vi' ? 'vi-VN' : 'en-GB',
      timezoneId: 'Europe/Paris', // the portal must show Vietnamese time whatever the device's zone
    });
    await context.addInitScript({
      content: `localStorage.setItem('mekong.lang', ${JSON.stringify(locale)});${
        token ? `sessionStorage.setItem('mekong.accessToken', ${JSON.stringify(token)});` : ''
      }`,
    });
    const page = await context.newPage();
    await page.goto(`${t.url}${path}`);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    // Lazily loaded areas and their data: wait until nothing says "loading".
    await page
      .getByText(locale === 'vi' ? 'Đang tải…' : 'Loading…')
      .first()
      .waitFor({ state: 'detached', timeout: 15000 })
      .catch(() => undefined);
    return page;
  };

  const check = async (page: Page, name: string): Promise<void> => {
    // Runs in the page (the test's own TypeScript has no DOM types).
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
      text: document.body.innerText,
    })`)) as { scrollWidth: number; innerWidth: number; missing: string[]; text: string };
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    expect({ name, missing: layout.missing }).toEqual({ name, missing: [] });
    expect({ name, overflow: layout.scrollWidth > layout.innerWidth }).toEqual({ name, overflow: false });
    // A raw i18n key on screen (e.g. "nav.record", "errors.server") means a string is not translated.
    expect({ name, keys: layout.text.match(/\b(nav|errors|roles)\.[a-z][A-Za-z]+\b/g) ?? [] }).toEqual({
      name,
      keys: [],
    });
    await page.context().close();
  };

  const screens = (): [string, string | undefined, string][] => [
    ['signin', undefined, '/'],
    ['patient-record', w.as['patient.a']!.token, '/record'],
    ['patient-appointments', w.as['patient.a']!.token, '/appointments'],
    ['patient-book', w.as['patient.a']!.token, '/appointments/book'],
    ['patient-audit', w.as['patient.a']!.token, '/record/audit'],
    ['patient-sharing', w.as['patient.a']!.token, '/record/sharing'],
    ['doctor-today', w.as.doctor!.token, '/doctor'],
    ['doctor-availability', w.as.doctor!.token, '/doctor/availability'],
    ['station-search', w.as.nurse!.token, '/station'],
    ['station-register', w.as.nurse!.token, '/station/register'],
    ['station-patient', w.as.nurse!.token, `/station/patient/${w.ids.B}`],
    ['station-vaccinations', w.as.nurse!.token, '/station/vaccinations'],
  ];

  it.each([360, 1280])(
    'every main screen at %i px: renders, no horizontal scroll, no untranslated key',
    async (width) => {
      for (const [name, token, path] of screens()) {
        const page = await open(token, path, width);
        expect(await page.locator('main').count()).toBe(1);
        await check(page, `${name}-${width}`);
      }
    },
    // A dozen screens, each loading its area and data: well under a minute alone, several when
    // the machine's two cores are shared with other suites.
    300_000,
  );

  it("a parent signs in, opens their child's record, and switches to their own and back", async () => {
    const child = (
      await w.sys.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Nguyễn', given: ['Bé', 'Na'] }],
        birthDate: '2025-03-01',
      })
    ).body.id as string;
    // the guardian is identified by her CCCD, which her own Patient carries too
    await linkGuardian(w.sys, {
      child,
      guardian: w.ids.A!,
      cccd: '092180001234',
      name: { family: 'Nguyễn', given: ['An'] },
      identifyGuardian: true,
    });

    const page = await open(undefined, '/', 360);
    await page.getByLabel('Tên đăng nhập').fill('patient.a');
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: 'Bạn muốn xem hồ sơ của ai?' }).waitFor();
    await page
      .getByRole('button', { name: /Hồ sơ của con: Nguyễn Bé Na \(sinh ngày 01\/03\/2025\)/ })
      .click();
    await page.waitForURL(/\/record$/);
    await page.getByText('Đang xem hồ sơ của con').waitFor();
    await page.getByRole('main').getByText('Nguyễn Bé Na').first().waitFor({ timeout: 15000 });
    const token = (await page.evaluate("sessionStorage.getItem('mekong.accessToken')")) as string;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      patient: string;
    };
    expect(claims.patient).toBe(child);

    // Their own record and back, from the header, without signing in again.
    const patientOf = async (): Promise<string> => {
      const t = (await page.evaluate("sessionStorage.getItem('mekong.accessToken')")) as string;
      return (JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as { patient: string })
        .patient;
    };
    const switcher = page.getByRole('group', { name: 'Hồ sơ đang mở:' });
    await switcher.getByRole('button', { name: 'Hồ sơ của tôi' }).click();
    await page.getByText('Đang xem hồ sơ của con').waitFor({ state: 'detached' });
    expect(await patientOf()).toBe(w.ids.A);
    await switcher
      .getByRole('button', { name: 'Hồ sơ của con: Nguyễn Bé Na (sinh ngày 01/03/2025)' })
      .click();
    await page.getByText('Đang xem hồ sơ của con').waitFor();
    await page.getByRole('main').getByText('Nguyễn Bé Na').first().waitFor({ timeout: 15000 });
    expect(await patientOf()).toBe(child);
    await check(page, 'parent-child-record-360');
  });

  it('English is one click away and every screen has its English strings', async () => {
    const page = await open(w.as['patient.a']!.token, '/record', 1280);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Tiếng Việt' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.context().close();
    for (const [name, token, path] of screens())
      await check(await open(token, path, 1280, 'en'), `${name}-en-1280`);
  }, 300_000);
});
