import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 17 item 1); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-scale2';

type Lang = 'vi' | 'en';
const TEXT = {
  vi: {
    reason: 'Lý do (ví dụ: suy hô hấp tăng CO2 trên khí máu)',
    endReason: 'Lý do kết thúc',
    set: 'Lưu quyết định thang 2',
    end: 'Kết thúc thang 2',
    active: 'Đang dùng THANG 2',
    none: 'Thang 1 (chưa có quyết định dùng thang 2 của bác sĩ).',
    readOnly: 'Chỉ bác sĩ mới đặt hoặc kết thúc quyết định này.',
    save: 'Lưu sinh hiệu',
    scale2: 'SpO₂ tính theo thang 2',
    scale1: 'SpO₂ tính theo thang 1',
    score0: 'NEWS2: 0 điểm',
    score3: 'NEWS2: 3 điểm',
  },
  en: {
    reason: 'Reason (e.g. hypercapnic respiratory failure on blood gas)',
    endReason: 'Reason for ending',
    set: 'Save Scale 2 decision',
    end: 'End Scale 2',
    active: 'Using SCALE 2',
    none: 'Scale 1 (no Scale 2 decision by a doctor).',
    readOnly: 'Only a doctor can set or end this decision.',
    save: 'Save vital signs',
    scale2: 'SpO₂ scored on Scale 2',
    scale1: 'SpO₂ scored on Scale 1',
    score0: 'NEWS2: 0 points',
    score3: 'NEWS2: 3 points',
  },
} as const;

/**
 * NEWS2 SpO₂ Scale 2 in the portal, in Debian's Chromium at 360 and 1280 px, Vietnamese and
 * English: the doctor sets the decision on the patient's record (name, date, reason), the station
 * nurse sees it read-only next to the vitals form, saves 88 % on air and the result says Scale 2
 * (score 0, no alert); the doctor ends it and the next result says Scale 1 (score 3).
 */
describe('NEWS2 SpO2 Scale 2: doctor sets and ends it, the station sees it (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    // A: 70 years old, the doctor's patient, managed by the station.
    const current = (await w.sys.get(`Patient/${w.ids.A}`)).body;
    const r = await w.sys.put(`Patient/${w.ids.A}`, {
      ...current,
      birthDate: '1956-01-01',
      generalPractitioner: [{ reference: `Practitioner/${w.ids.doctor}` }],
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    if (r.status !== 200) throw new Error(`seed ${r.status}`);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const signedIn = async (user: string, width: number, lang: Lang, path: string): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: user,
      landing: (u) => !u.pathname.startsWith('/signin') && u.pathname !== '/',
    });
    await page.goto(`${t.url}${path}`);
    await page.getByTestId('scale2').waitFor({ timeout: 20000 });
    return page;
  };

  /** No horizontal scroll, no missing translation; then the screenshots. */
  const shoot = async (page: Page, name: string, lang: Lang, width: number): Promise<void> => {
    const layout = (await page.evaluate(`({
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
    })`)) as { overflow: boolean; missing: string[] };
    expect({ name, lang, width, ...layout }).toEqual({ name, lang, width, overflow: false, missing: [] });
    await page.getByTestId('scale2').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${width}.png`) });
    await page.screenshot({ path: join(SHOTS, `${name}-${lang}-${width}-full.png`), fullPage: true });
  };

  /** RR 16, SpO2 88 % on air (O2 0 L/min), BP 125/80, pulse 72, Alert, 36.8 °C. */
  const saveVitals = async (page: Page, lang: Lang): Promise<void> => {
    const values: [string, string][] = [
      ['heartRate', '72'],
      ['spo2', '88'],
      ['systolic', '125'],
      ['diastolic', '80'],
      ['temperature', lang === 'vi' ? '36,8' : '36.8'],
      ['respiratoryRate', '16'],
      ['oxygenFlow', '0'],
    ];
    for (const [field, value] of values) await page.locator(`#vit-${field}`).fill(value);
    await page.locator('#vit-avpu').selectOption('A');
    await page.getByRole('button', { name: TEXT[lang].save }).click();
  };

  it('the doctor sets Scale 2 on the record; the nurse sees it and 88 % on air scores 0 on Scale 2; ended, 3 on Scale 1', async () => {
    const record = `/record/${w.ids.A}`;
    const station = `/station/patient/${w.ids.A}`;

    // The doctor, on the patient's record (360 px, Vietnamese): name prefilled, date today, a reason.
    const doc = await signedIn('doctor', 360, 'vi', record);
    const box = doc.getByTestId('scale2');
    await box.getByText(TEXT.vi.none).waitFor();
    await doc.getByLabel(TEXT.vi.reason).fill('Suy hô hấp tăng CO2 (khí máu 06/12: PaCO2 58 mmHg)');
    await shoot(doc, 'doctor-set-form', 'vi', 360);
    await doc.getByRole('button', { name: TEXT.vi.set }).click();
    await box.getByText(TEXT.vi.active).waitFor({ timeout: 20000 });
    expect(await box.innerText()).toContain('Trần Minh');
    await shoot(doc, 'doctor-active', 'vi', 360);
    await doc.context().close();
    for (const [width, lang] of [
      [1280, 'en'],
      [1280, 'vi'],
      [360, 'en'],
    ] as const) {
      const p = await signedIn('doctor', width, lang, record);
      await p.getByTestId('scale2').getByText(TEXT[lang].active).waitFor({ timeout: 20000 });
      await shoot(p, 'doctor-active', lang, width);
      await p.context().close();
    }

    // The station nurse: the decision, read-only, next to the vitals form; the result names the scale.
    for (const [width, lang] of [
      [360, 'vi'],
      [1280, 'en'],
      [360, 'en'],
      [1280, 'vi'],
    ] as const) {
      const p = await signedIn('nurse', width, lang, station);
      const decision = p.getByTestId('scale2');
      await decision.getByText(TEXT[lang].active).waitFor({ timeout: 20000 });
      await decision.getByText(TEXT[lang].readOnly).waitFor();
      expect(await decision.getByRole('button').count()).toBe(0);
      await saveVitals(p, lang);
      const panel = p.getByTestId('news2');
      await panel.getByText(TEXT[lang].scale2).waitFor({ timeout: 20000 });
      expect(await panel.innerText()).toContain(TEXT[lang].score0);
      expect(await panel.getAttribute('role')).toBe('status'); // no alert
      await shoot(p, 'nurse-scale2', lang, width);
      await panel.scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(SHOTS, `nurse-scale2-result-${lang}-${width}.png`) });
      await p.context().close();
    }

    // The doctor ends it (1280 px, English): reason; the station's next result is Scale 1.
    const end = await signedIn('doctor', 1280, 'en', record);
    await end.getByLabel(TEXT.en.endReason).fill('Normocapnic on repeat blood gas');
    await end.getByRole('button', { name: TEXT.en.end }).click();
    await end.getByTestId('scale2').getByText(TEXT.en.none).waitFor({ timeout: 20000 });
    expect(await end.getByTestId('scale2').innerText()).toContain('Normocapnic on repeat blood gas');
    await shoot(end, 'doctor-ended', 'en', 1280);
    await end.context().close();

    for (const [width, lang] of [
      [360, 'vi'],
      [1280, 'en'],
    ] as const) {
      const p = await signedIn('nurse', width, lang, station);
      await p.getByTestId('scale2').getByText(TEXT[lang].none).waitFor({ timeout: 20000 });
      await saveVitals(p, lang);
      const panel = p.getByTestId('news2');
      await panel.getByText(TEXT[lang].scale1).waitFor({ timeout: 20000 });
      expect(await panel.innerText()).toContain(TEXT[lang].score3);
      await panel.scrollIntoViewIfNeeded();
      await p.screenshot({ path: join(SHOTS, `nurse-scale1-result-${lang}-${width}.png`) });
      await p.context().close();
    }
  });
});
