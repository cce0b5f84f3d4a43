import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { axeViolations, blocking } from './support/a11y';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { appointmentBody, postSlot, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'diagnosis-picker');
const EXPAND = /\/fhir\/ValueSet\/\$expand\?/;
const VALIDATE = /\/fhir\/ValueSet\/\$validate-code\?/;

const TEXT = {
  vi: {
    search: 'Tìm mã ICD-10 (tên bệnh hoặc mã)',
    linkDown: 'Không kết nối được máy chủ để tra mã ICD-10',
    retry: 'Thử lại',
    refused: 'làm chẩn đoán chính được',
  },
  en: {
    search: 'Search ICD-10 (disease name or code)',
    linkDown: 'Cannot reach the server to look up ICD-10 codes',
    retry: 'Retry',
    refused: 'cannot be the main diagnosis',
  },
} as const;

interface Layout {
  innerWidth: number;
  scrollWidth: number;
  missing: string[];
}

/**
 * Issue 21 part 5: the doctor's diagnosis picker in the visit screen asks the server's terminology
 * service (the Ministry of Health's ICD-10 list, libs/terminology/data/icd10) — typed without
 * accents, by code, in Vietnamese and English, at 360 px and on a laptop — waits for a pause in
 * typing, says when the link fails and retries; a code chosen as the main diagnosis is checked by
 * the server first (an asterisk code is refused with its reason; a code listed for the other sex
 * is accepted with the server's caution shown).
 * Screenshots in test-output/diagnosis-picker/.
 */
describe('the diagnosis picker on the terminology service (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let appointmentId: string;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({
      JOB_POLL_SECONDS: '0.5',
      MEDIA_WORKERS: '1',
      CONSULT_MARGIN_MINUTES: '60',
    }));
    mkdirSync(SHOTS, { recursive: true });
    // The patient's sex is what the one-sex rule is checked against.
    const a = (await w.sys.get(`Patient/${w.ids.A}`)).body;
    const put = await w.sys.put(`Patient/${w.ids.A}`, { ...a, gender: 'female' });
    if (put.status !== 200) throw new Error(`Patient: ${put.status} ${JSON.stringify(put.body)}`);
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 2 * 60000), 20);
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slot, w.ids.A!, w.ids.doctor!),
    );
    if (booked.status !== 201)
      throw new Error(`Appointment: ${booked.status} ${JSON.stringify(booked.body)}`);
    appointmentId = booked.body.id as string;
  });
  afterAll(() => closeBrowserWorld(browser, t));

  /** The doctor signed in at `width` px in `lang`, on the visit screen with the picker shown. */
  const openVisit = async (width: number, lang: 'vi' | 'en'): Promise<Page> => {
    const page = await signedInPage(browser, t.url, { width, lang, username: 'doctor' });
    await page.goto(`${t.url}/visit/${appointmentId}`);
    await page.getByRole('combobox', { name: TEXT[lang].search }).waitFor({ timeout: 30000 });
    return page;
  };
  // Page expressions as strings: the tests' TypeScript has no DOM library.
  const layout = async (page: Page): Promise<Layout> =>
    (await page.evaluate(`({
      innerWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      missing: window.mekongMissingKeys ?? [],
    })`)) as Layout;
  /** The picker's options (the visit screen has other listboxes). */
  const optionTexts = async (page: Page): Promise<string[]> =>
    (await page.locator('.icd10-combobox [role=option]').allTextContents()).map((s) => s.trim());
  /** Types like a person (one key every 60 ms), so the picker's pause detection is what is tested. */
  const typeSlowly = async (page: Page, lang: 'vi' | 'en', text: string): Promise<void> => {
    const box = page.getByRole('combobox', { name: TEXT[lang].search });
    await box.fill('');
    await box.pressSequentially(text, { delay: 60 });
  };
  const shot = async (page: Page, name: string): Promise<void> => {
    // The picker at the top of the screen, its heading included.
    await page.evaluate(
      `document.querySelector('.icd10-combobox').scrollIntoView({ block: 'start' }); window.scrollBy(0, -80)`,
    );
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  /** axe on the side panel only (the video part of the screen has its own suite). */
  const sidePanelViolations = async (page: Page): Promise<unknown[]> => {
    await axeViolations(page); // injects axe-core
    const all = (await page.evaluate(`(async () => {
      const r = await window.axe.run(document.querySelector('.doctor-side'), {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help,
        targets: v.nodes.map((n) => [].concat(n.target).map(String).join(' >>> ')) }));
    })()`)) as Parameters<typeof blocking>[0];
    return blocking(all);
  };

  it('360 px, Vietnamese: "sot xuat huyet" finds dengue by its Vietnamese name, "J18" the J18 codes; one request per pause', async () => {
    const page = await openVisit(360, 'vi');
    const expands: Request[] = [];
    page.on('request', (r) => {
      if (EXPAND.test(r.url())) expands.push(r);
    });
    await typeSlowly(page, 'vi', 'sot xuat huyet');
    const dengue = page.getByRole('option', { name: /sốt xuất huyết Dengue/i }).first();
    await dengue.waitFor({ timeout: 15000 });
    // 14 keys typed: far fewer requests (a pause of 250 ms is needed before one is sent).
    expect(expands.length).toBeGreaterThanOrEqual(1);
    expect(expands.length).toBeLessThan(5);
    const last = new URL(expands[expands.length - 1]!.url());
    expect(Object.fromEntries(last.searchParams)).toEqual({
      url: 'http://hl7.org/fhir/ValueSet/icd-10',
      filter: 'sot xuat huyet',
      count: '20',
      displayLanguage: 'vi',
    });
    const dengueTexts = await optionTexts(page);
    // Every word matches, accents ignored ("Sốt ban xuất huyết Brasil" too). The Ministry's list
    // (TT 06/2026) codes dengue A97.x: A90/A91 were removed by it.
    expect(dengueTexts.filter((x) => !(/sốt/i.test(x) && /xuất/i.test(x) && /huyết/i.test(x)))).toEqual([]);
    expect(dengueTexts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^A97\.0 Bệnh sốt xuất huyết Dengue không có dấu hiệu cảnh báo/),
      ]),
    );
    expect(dengueTexts.some((x) => /^A9[01] /.test(x))).toBe(false);
    // The English name is the second line, marked as English.
    expect(await dengue.locator('[lang=en]').textContent()).toMatch(/Dengue/);
    const l = await layout(page);
    expect(l.missing).toEqual([]);
    expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
    expect(await sidePanelViolations(page)).toEqual([]);
    await shot(page, 'search-360-vi');

    await typeSlowly(page, 'vi', 'J18');
    await page.getByRole('option', { name: /^J18\.9 / }).waitFor({ timeout: 15000 });
    const j18 = await optionTexts(page);
    expect(j18.length).toBeGreaterThanOrEqual(5);
    expect(j18.every((s) => s.startsWith('J18'))).toBe(true);
    expect(j18.map((s) => s.split(' ')[0])).toEqual(expect.arrayContaining(['J18.0', 'J18.1', 'J18.9']));
    await shot(page, 'codes-360-vi');

    // Keyboard: ↓ to J18.9, Enter: checked by the server as the main diagnosis, then chosen.
    const box = page.getByRole('combobox', { name: TEXT.vi.search });
    const index = j18.findIndex((s) => s.startsWith('J18.9 '));
    for (let i = 0; i <= index; i++) await box.press('ArrowDown');
    const activeId = await box.getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${activeId}"]`).textContent()).toMatch(/^J18\.9 /);
    const validated = page.waitForRequest(VALIDATE);
    await box.press('Enter');
    const check = new URL((await validated).url());
    expect(Object.fromEntries(check.searchParams)).toEqual({
      url: 'http://hl7.org/fhir/ValueSet/icd-10',
      code: 'J18.9',
      usage: 'primary-diagnosis',
      sex: 'female',
    });
    // Chosen: filled in the end-of-visit form (on screen for the doctor in the call).
    await page.getByText(/Đã điền J18\.9 — Viêm phổi, không xác định/).waitFor({ timeout: 15000 });
    expect(await page.locator('input[name=diagnosis]').inputValue()).toBe('J18.9');
    expect(await page.locator('input[name=diagnosisName]').inputValue()).toBe('Viêm phổi, không xác định');
    expect(await box.inputValue()).toMatch(/^J18\.9 Viêm phổi/);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'chosen-360-vi');
    await page.context().close();
  });

  it('as the main diagnosis the server refuses an asterisk code with its reason, and cautions on a code of the other sex', async () => {
    const page = await openVisit(360, 'vi');
    await typeSlowly(page, 'vi', 'G01');
    const g01 = page.getByRole('option', { name: /^G01 / });
    await g01.waitFor({ timeout: 15000 });
    await g01.click();
    const refused = page.getByTestId('icd10-refused');
    await refused.waitFor({ timeout: 15000 });
    expect(await refused.textContent()).toContain(TEXT.vi.refused);
    expect(await refused.textContent()).toMatch(/asterisk/);
    expect(await page.getByText(/Đã (chọn|điền) G01/).count()).toBe(0);
    expect(await page.locator('input[name=diagnosis]').inputValue()).toBe('');
    await shot(page, 'refused-asterisk-360-vi');

    // Hyperplasia of prostate for a female patient: the list says "males only or mainly", so the
    // server accepts it with a caution, which is shown beside the choice.
    await typeSlowly(page, 'vi', 'N40');
    await page.getByRole('option', { name: /^N40 / }).click();
    const warned = page.getByTestId('icd10-warned');
    await warned.waitFor({ timeout: 15000 });
    expect(await warned.textContent()).toMatch(
      /Đã nhận mã N40, kèm lưu ý.*males only or mainly; the patient is female/,
    );
    await page.getByText(/Đã điền N40/).waitFor();
    expect(await page.locator('input[name=diagnosis]').inputValue()).toBe('N40');
    expect(await page.getByTestId('icd10-refused').count()).toBe(0);
    await shot(page, 'caution-sex-360-vi');
    await page.context().close();
  });

  it('English at 360 px and on a laptop: English name first, Vietnamese as the second line', async () => {
    for (const width of [360, 1366]) {
      const page = await openVisit(width, 'vi');
      await page.getByRole('button', { name: 'English' }).click();
      const box = page.getByRole('combobox', { name: TEXT.en.search });
      await box.waitFor();
      await typeSlowly(page, 'en', 'pneumonia');
      const option = page.getByRole('option', { name: /^J18\.9 / });
      await option.waitFor({ timeout: 15000 });
      expect((await option.textContent())?.trim()).toMatch(/^J18\.9 Pneumonia, unspecified/);
      expect(await option.locator('[lang=vi]').textContent()).toMatch(/Viêm phổi/);
      const l = await layout(page);
      expect(l.missing).toEqual([]);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
      expect(await sidePanelViolations(page)).toEqual([]);
      await shot(page, `search-${width}-en`);
      await page.context().close();
    }
    const laptop = await openVisit(1366, 'vi');
    await typeSlowly(laptop, 'vi', 'tang huyet ap');
    await laptop.getByRole('option', { name: /^I10 / }).waitFor({ timeout: 15000 });
    await shot(laptop, 'search-1366-vi');
    await laptop.context().close();
  });

  it('a failing link: the picker says so, keeps the text, and Retry finds the codes once the link is back', async () => {
    for (const lang of ['vi', 'en'] as const) {
      const page = await openVisit(360, lang);
      if (lang === 'vi') {
        // A slow link first: the picker says it is searching while the answer is on its way.
        await page.route(EXPAND, async (route) => {
          await new Promise((r) => setTimeout(r, 2000));
          await route.continue();
        });
        await typeSlowly(page, lang, 'tang huyet ap');
        await page.getByTestId('icd10-status').getByText('Đang tìm…').waitFor({ timeout: 5000 });
        await shot(page, 'busy-360-vi');
        await page.getByRole('option', { name: /^I10 / }).waitFor({ timeout: 15000 });
        await page.unroute(EXPAND);
      }
      await page.route(EXPAND, (route) => route.abort('internetdisconnected'));
      await typeSlowly(page, lang, 'viem phoi');
      const alert = page.getByTestId('icd10-error');
      await alert.waitFor({ timeout: 15000 });
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain(TEXT[lang].linkDown);
      expect(await page.getByRole('combobox', { name: TEXT[lang].search }).inputValue()).toBe('viem phoi');
      const l = await layout(page);
      expect(l.missing).toEqual([]);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
      await shot(page, `link-down-360-${lang}`);
      await page.unroute(EXPAND);
      await alert.getByRole('button', { name: TEXT[lang].retry }).click();
      await page.locator('.icd10-combobox [role=option]').first().waitFor({ timeout: 15000 });
      expect(await alert.count()).toBe(0);
      const found = await optionTexts(page);
      expect(found.length).toBeGreaterThan(0);
      expect(found.filter((x) => !(/viêm/i.test(x) && /phổi/i.test(x)))).toEqual([]);
      await shot(page, `link-back-360-${lang}`);
      await page.context().close();
    }
  });
});
