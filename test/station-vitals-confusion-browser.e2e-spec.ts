import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 17, item 9); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-epi';

const TEXT = {
  vi: {
    save: 'Lưu sinh hiệu',
    label: 'Mức độ tỉnh táo (ACVPU)',
    option: 'C – Lú lẫn mới xuất hiện',
    score: 'NEWS2: 3 điểm',
    response: 'CẦN BÁC SĨ ĐÁNH GIÁ KHẨN',
  },
  en: {
    save: 'Save vital signs',
    label: 'Level of consciousness (ACVPU)',
    option: 'C – New confusion',
    score: 'NEWS2: 3 points',
    response: 'URGENT REVIEW BY A DOCTOR',
  },
} as const;

/**
 * Issue 17 item 9: a station nurse records new confusion (the C of ACVPU) with otherwise normal
 * vitals, in Debian's Chromium at 360 px and 1280 px, in Vietnamese and English; the server scores
 * it 3 (RCP NEWS2: "C, V, P or U" = 3), a single-parameter 3, and the form shows the urgent review.
 */
describe('station vitals: new confusion (ACVPU "C") scores 3 (Chromium)', () => {
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

  /** RR 16, SpO₂ 98 %, air (0 L/min), BP 125/80, pulse 72, 36.8 °C (all 0) and "C – new confusion" (3). */
  const enterAndSave = async (page: Page, lang: 'vi' | 'en', width: number): Promise<void> => {
    const values: [string, string][] = [
      ['heartRate', '72'],
      ['spo2', '98'],
      ['systolic', '125'],
      ['diastolic', '80'],
      ['temperature', lang === 'vi' ? '36,8' : '36.8'],
      ['respiratoryRate', '16'],
      ['oxygenFlow', '0'],
    ];
    for (const [field, value] of values) await page.locator(`#vit-${field}`).fill(value);
    const select = page.getByLabel(TEXT[lang].label);
    await select.selectOption({ label: TEXT[lang].option });
    expect(await select.inputValue()).toBe('C');
    await select.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `vitals-confusion-form-${lang}-${width}.png`) });
    await page.getByRole('button', { name: TEXT[lang].save }).click();
  };

  const check = async (page: Page, lang: 'vi' | 'en', width: number): Promise<void> => {
    const panel = page.getByRole('alert').filter({ hasText: TEXT[lang].score });
    await panel.waitFor({ timeout: 20000 });
    expect(await panel.innerText()).toContain(TEXT[lang].response);
    expect(await panel.getAttribute('class')).toContain('news2-urgent-review');
    const layout = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
    })`)) as { scrollWidth: number; innerWidth: number; missing: string[] };
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
    await page.screenshot({ path: join(SHOTS, `vitals-confusion-news2-${lang}-${width}.png`) });
  };

  it('the nurse records new confusion and sees NEWS2 3, urgent review (vi and en, 360 and 1280 px)', async () => {
    const page = await signedIn(360, 'vi');
    await page.getByRole('link', { name: 'Đăng ký bệnh nhân' }).first().click();
    await page.getByLabel('Họ (bắt buộc)').fill('Lâm');
    await page.getByLabel('Tên (bắt buộc)').fill('Thị Hoa');
    await page.getByLabel('Ngày sinh (bắt buộc)').fill('21/07/1941');
    await page.getByLabel('Giới tính (bắt buộc)').selectOption('female');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForURL(/\/station\/patient\/[A-Za-z0-9-]+(\?.*)?$/);
    const patientId = /\/station\/patient\/([A-Za-z0-9-]+)/.exec(page.url())![1]!;
    await enterAndSave(page, 'vi', 360);
    await check(page, 'vi', 360);
    await page.context().close();

    for (const [width, lang] of [
      [1280, 'vi'],
      [360, 'en'],
      [1280, 'en'],
    ] as const) {
      const p = await signedIn(width, lang);
      await p.goto(`${t.url}/station/patient/${patientId}`);
      await enterAndSave(p, lang, width);
      await check(p, lang, width);
      await p.context().close();
    }

    // What the server recorded: four ACVPU Observations coded 130987000, each set scored 3.
    const acvpu = await w.sys.get(`Observation?subject=Patient/${patientId}&code=http://loinc.org|67775-7`);
    const levels = (
      (acvpu.body.entry ?? []) as { resource: { valueCodeableConcept: { coding: { code: string }[] } } }[]
    ).map((e) => e.resource.valueCodeableConcept.coding[0]!.code);
    expect(levels).toEqual(['130987000', '130987000', '130987000', '130987000']);
    const news2 = await w.sys.get(
      `Observation?subject=Patient/${patientId}&code=http://snomed.info/sct|1104051000000101`,
    );
    expect(
      ((news2.body.entry ?? []) as { resource: { valueInteger: number } }[]).map(
        (e) => e.resource.valueInteger,
      ),
    ).toEqual([3, 3, 3, 3]);
  }, 300_000);
});
