import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { type SchedulingWorld } from './support/scheduling-world';
import { SEEDED_CHILD, seedStationScreens } from './support/station-seed';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 18 items 12 and 17), git-ignored. */
const SHOTS = join(__dirname, '..', 'test-output', 'phone-layout');

const COMBOS = [
  [360, 'vi'],
  [360, 'en'],
  [1366, 'vi'],
  [1366, 'en'],
] as const;

interface Layout {
  scrollWidth: number;
  innerWidth: number;
  /** Visible table cells narrower than 40 px (a word broken letter by letter). */
  narrowCells: string[];
  /** Visible tables drawn as cards (the row a block, not a table row). */
  stacked: number;
  tables: number;
  missing: string[];
}

const layoutOf = (page: Page): Promise<Layout> =>
  page.evaluate(`(() => {
    const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
    const tables = [...document.querySelectorAll('table')].filter(visible);
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      // (The column headers of a stacked table are kept for screen readers in a 1 px clipped box.)
      narrowCells: [...document.querySelectorAll('td, th')]
        .filter(visible)
        .filter((c) => !c.closest('thead') || c.closest('thead').getBoundingClientRect().width > 1)
        .filter((c) => c.getBoundingClientRect().width < 40 && c.textContent.trim().length > 1)
        .map((c) => c.textContent.trim()),
      stacked: tables.filter((t) => getComputedStyle(t.querySelector('tbody tr') ?? t).display === 'block').length,
      tables: tables.length,
      missing: window.mekongMissingKeys ?? [],
    };
  })()`);

/**
 * Issue 18 items 12 and 17 in Debian's Chromium, at 360 and 1366 px in Vietnamese and English:
 * every screen with a table (who viewed my record, vaccinations due, the duty roster's sibling
 * screens, the availability day picker, the station's appointment cards) fits the phone with no
 * horizontal scroll and no cell narrower than 40 px (the tables become one card per row), and is a
 * table on a laptop; the header names the signed-in person; the station's cards name the doctor;
 * the "Bệnh viện" filter lists the hospital, not the commune station; the favicon is served.
 */
describe('phone layout: tables as cards at 360 px, names and filters (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  const child = SEEDED_CHILD;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    // Patient A's record knows the date of birth: the symptom check does not ask the age.
    const a = await w.sys.get(`Patient/${w.ids.A!}`);
    const put = await w.sys.put(`Patient/${w.ids.A!}`, { ...a.body, birthDate: '1980-05-12' });
    if (put.status !== 200) throw new Error(`birthDate: ${put.status}`);
    mkdirSync(SHOTS, { recursive: true });
    // A child due for vaccines, patient B's visit tomorrow (the station's card names the doctor),
    // patient A's heart rate three times (the record's chart has a dated axis).
    await seedStationScreens(w, {
      heartRates: [
        [60, 88],
        [30, 76],
        [2, 72],
      ],
    });
  }, 60_000);
  afterAll(() => closeBrowserWorld(browser, t));

  const open = (username: string, width: number, lang: 'vi' | 'en'): Promise<Page> =>
    signedInPage(browser, t.url, { width, lang, username });

  /** The screen fits; at 360 px its tables are cards with no cell under 40 px, at 1366 px tables. */
  const check = async (page: Page, name: string, width: number, lang: string, tables: boolean) => {
    const l = await layoutOf(page);
    expect({
      name,
      width,
      lang,
      overflow: l.scrollWidth > l.innerWidth,
      narrow: l.narrowCells,
      missing: l.missing,
    }).toEqual({ name, width, lang, overflow: false, narrow: [], missing: [] });
    if (tables) {
      expect(l.tables).toBeGreaterThan(0);
      expect({ name, width, stacked: l.stacked }).toEqual({
        name,
        width,
        stacked: width < 600 ? l.tables : 0,
      });
    }
    await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${width}.png`), fullPage: true });
  };

  it('patient: who viewed my record, the vitals chart, the hospital filter and the header name', async () => {
    for (const [width, lang] of COMBOS) {
      const page = await open('patient.a', width, lang);
      await page
        .getByText(lang === 'vi' ? 'Đang đăng nhập: Nguyễn An (Bệnh nhân)' : 'Signed in: Nguyễn An (Patient)')
        .waitFor();
      const icon = (await page.evaluate(`document.querySelector('link[rel=icon]')?.href ?? ''`)) as string;
      const served = icon.startsWith('data:')
        ? [200, icon.slice(5, icon.indexOf(/[;,]/.exec(icon)?.[0] ?? ','))]
        : await page.request.get(icon).then((r) => [r.status(), r.headers()['content-type']]);
      expect(served).toEqual([200, 'image/svg+xml']);
      await page.locator('figure.vital svg text').first().waitFor({ timeout: 20000 });
      const axis = await page.locator('figure.vital svg text').allTextContents();
      expect(axis.some((x) => /^\d{2}\/\d{2}\/\d{4}$/.test(x))).toBe(true);
      const fontPx = (await page.evaluate(`(() => {
        const t = document.querySelector('figure.vital svg text');
        return t.getBoundingClientRect().height;
      })()`)) as number;
      expect(fontPx).toBeGreaterThanOrEqual(11.5);
      await check(page, 'record', width, lang, false);

      await page.goto(`${t.url}/record/audit`);
      await page.getByRole('row').nth(1).waitFor({ timeout: 20000 });
      await check(page, 'audit', width, lang, true);

      await page.goto(`${t.url}/appointments/book`);
      // The symptom check comes first (a follow-up: only the danger signs, all "no").
      const tr =
        lang === 'vi'
          ? ['Tái khám, không có triệu chứng mới', 'Không', 'Gửi khai báo']
          : ['Follow-up, no new symptom', 'No', 'Send answers'];
      await page.getByRole('radio', { name: tr[0] }).check({ timeout: 20000 });
      for (const no of await page.getByRole('radio', { name: tr[1], exact: true }).all()) await no.check();
      await page.getByRole('button', { name: tr[2] }).click();
      const hospital = page.getByLabel(lang === 'vi' ? 'Bệnh viện' : 'Hospital', { exact: true });
      await hospital.locator('option', { hasText: 'Bệnh viện Chợ Rẫy' }).waitFor({ state: 'attached' });
      const options = await hospital.locator('option').allTextContents();
      expect(options).toContain('Bệnh viện Chợ Rẫy');
      expect(options).not.toContain('Trạm Y tế xã An Bình');
      await check(page, 'book', width, lang, false);
      await page.context().close();
    }
  }, 120_000);

  it('nurse: vaccinations due, the station card names the doctor', async () => {
    for (const [width, lang] of COMBOS) {
      const page = await open('nurse', width, lang);
      await page
        .getByText(/Phan Thảo/)
        .first()
        .waitFor();
      await page.goto(`${t.url}/station/vaccinations`);
      await page.getByRole('row').filter({ hasText: child }).first().waitFor({ timeout: 20000 });
      await check(page, 'vaccinations', width, lang, true);

      await page.goto(`${t.url}/station/patient/${w.ids.B!}`);
      const withDoctor = page.getByText(lang === 'vi' ? 'Với Trần Minh' : 'With Trần Minh');
      await withDoctor.waitFor({ timeout: 20000 });
      expect(await withDoctor.count()).toBe(1);
      await check(page, 'station-patient', width, lang, false);
      await page.context().close();
    }
  }, 120_000);

  it('doctor: the availability day picker keeps each date whole; the header names him', async () => {
    for (const [width, lang] of COMBOS) {
      const page = await open('doctor', width, lang);
      await page
        .getByText(/Trần Minh/)
        .first()
        .waitFor();
      await page.goto(`${t.url}/doctor/availability`);
      await page.getByTestId('doctor-week').waitFor({ timeout: 20000 });
      const sizes =
        (await page.evaluate(`[...document.querySelectorAll('.doctor-daypicker button')].map((b) => ({
        w: b.getBoundingClientRect().width, h: b.getBoundingClientRect().height,
        fits: b.scrollWidth <= b.clientWidth }))`)) as { w: number; h: number; fits: boolean }[];
      // On a phone 7 day buttons, each ≥ 44 px, one line tall, the date not cut; hidden on a laptop.
      const shown = sizes.filter((x) => x.w > 0);
      expect(shown.length).toBe(width < 600 ? 7 : 0);
      expect(shown.filter((x) => !(x.w >= 44 && x.h >= 44 && x.h < 70 && x.fits))).toEqual([]);
      await check(page, 'availability', width, lang, false);
      await page.context().close();
    }
  }, 120_000);
});
