import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataSourceToken } from '@mekong/database';
import { AppointmentActionLinks, SCHEDULING_CONTEXT } from '@mekong/scheduling';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { axeViolations, blocking } from './support/a11y';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { appointmentBody, postSlot, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review; SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? join(__dirname, '..', 'test-output', 'action-links');

const TEXT = {
  vi: {
    title: 'Lịch hẹn khám',
    confirm: 'Xác nhận sẽ đến',
    cancel: 'Hủy lịch hẹn',
    cancelYes: 'Có, hủy lịch',
    confirmed: 'Lịch hẹn đã được xác nhận',
    cancelled: 'Lịch hẹn đã được hủy',
    used: 'Liên kết này đã được sử dụng',
    unknown: 'Liên kết không hợp lệ',
  },
  en: {
    title: 'Your appointment',
    confirm: 'Confirm I will come',
    cancel: 'Cancel the appointment',
    cancelYes: 'Yes, cancel it',
    confirmed: 'Your appointment is confirmed',
    cancelled: 'Your appointment has been cancelled',
    used: 'This link has already been used',
    unknown: 'This link is not valid',
  },
} as const;

/**
 * Issue 20: a patient opens an appointment action link from a message on a 360 px phone, without
 * signing in, in Vietnamese and English: sees the time (no reason), confirms or cancels once;
 * reopening the link says it was already used.
 */
describe('appointment action links (Chromium, 360 px)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let minutes = 24 * 60;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld());
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const appointment = async (): Promise<string> => {
    minutes += 60;
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + minutes * 60000), 20);
    const a = await w.sys.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    if (a.status !== 201) throw new Error(`appointment ${a.status}`);
    return a.body.id as string;
  };
  const link = async (id: string, action: 'confirm' | 'cancel' = 'confirm'): Promise<string> => {
    const ds = t.app.get<DataSource>(dataSourceToken(SCHEDULING_CONTEXT));
    const { url } = await t.app.get(AppointmentActionLinks).issue(ds.manager, id, action);
    return url.replace('http://mekong.test', t.url);
  };
  const phone = async (lang: 'vi' | 'en'): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addInitScript({ content: `localStorage.setItem('mekong.lang', ${JSON.stringify(lang)});` });
    return context.newPage();
  };
  const statusOf = async (id: string): Promise<unknown> => (await w.sys.get(`Appointment/${id}`)).body.status;

  for (const lang of ['vi', 'en'] as const) {
    it(`${lang}: open twice (nothing spent), confirm, reopen → already used`, async () => {
      const text = TEXT[lang];
      const id = await appointment();
      const url = await link(id);
      const page = await phone(lang);
      const posts: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/scheduling/action-links/')) posts.push(`${r.method()} ${r.url()}`);
        expect(r.url()).not.toContain(url.split('#')[1]!); // the token never goes into a URL
      });
      for (let i = 0; i < 2; i++) {
        await (i === 0 ? page.goto(url) : page.reload()); // opened twice: e.g. a preview, then the patient
        await page.getByRole('heading', { name: text.title }).waitFor();
        await page.getByRole('button', { name: text.confirm }).waitFor();
      }
      expect(await statusOf(id)).toBe('booked');
      expect(posts.filter((p) => p.endsWith('/preview'))).toHaveLength(2);
      const body = await page.locator('main').innerText();
      expect(body).not.toMatch(/Sổ mũi|J00|Nguyễn|Trần/); // time only: no reason, no names
      expect(blocking(await axeViolations(page))).toEqual([]);
      const noScroll = await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
      expect(noScroll).toBe(true);
      await page.screenshot({ path: join(SHOTS, `${lang}-1-opened.png`), fullPage: true });

      await page.getByRole('button', { name: text.confirm }).click();
      await page.getByText(text.confirmed).waitFor();
      await page.screenshot({ path: join(SHOTS, `${lang}-2-confirmed.png`), fullPage: true });

      await page.goto(url);
      await page.reload();
      await page.getByText(text.used).waitFor();
      await page.screenshot({ path: join(SHOTS, `${lang}-3-already-used.png`), fullPage: true });
      expect(posts.every((p) => p.startsWith('POST '))).toBe(true);
      const missing = await page.evaluate('window.mekongMissingKeys ?? []');
      expect(missing).toEqual([]);
      await page.context().close();
    });
  }

  it('vi: cancel asks first, then frees the time; a made-up link says it is not valid', async () => {
    const text = TEXT.vi;
    const id = await appointment();
    const page = await phone('vi');
    await page.goto(await link(id, 'confirm'));
    await page.getByRole('button', { name: text.cancel }).click();
    await page.screenshot({ path: join(SHOTS, 'vi-4-cancel-asks.png'), fullPage: true });
    await page.getByRole('button', { name: text.cancelYes }).click();
    await page.getByText(text.cancelled).waitFor();
    expect(await statusOf(id)).toBe('cancelled');
    await page.goto(`${t.url}/a#${'Z'.repeat(32)}`);
    await page.reload();
    await page.getByText(text.unknown).waitFor();
    await page.screenshot({ path: join(SHOTS, 'vi-5-unknown.png'), fullPage: true });
    await page.context().close();
  });
});
