import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { type SchedulingWorld, slotBody } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 17, item 8); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-elig';

const TEXT = {
  vi: {
    adult: 'Từ 16 tuổi trở lên',
    cough: 'Ho',
    days: '1–2 ngày',
    no: 'Không',
    send: 'Gửi khai báo',
    result: /Kết quả phân loại: (Thông thường|Khẩn)/,
    find: 'Tìm giờ trống',
    picker: 'Bệnh trong danh mục khám từ xa',
    obesity: 'Béo phì',
    other: 'Lý do khác (bác sĩ xem và xác nhận trước)',
    reason: 'Lý do khám',
    book: 'Đặt lịch',
    pending: /Đang chờ bác sĩ xác nhận: lý do khám không thuộc danh mục khám từ xa/,
    waitingFlash: 'Đã gửi yêu cầu đặt lịch: đang chờ bác sĩ xác nhận.',
    bookedFlash: 'Đã đặt lịch thành công.',
  },
  en: {
    adult: '16 years or older',
    cough: 'Cough',
    days: '1–2 days',
    no: 'No',
    send: 'Send answers',
    result: /Triage result: (Routine|Urgent)/,
    find: 'Find free times',
    picker: 'Condition on the remote-care list',
    obesity: 'Obesity',
    other: 'Other reason (a doctor reviews and confirms it first)',
    reason: 'Reason for the visit',
    book: 'Book',
    pending: /Waiting for a doctor to confirm: the reason is not on the remote-care list/,
    waitingFlash: 'Your request is sent: it waits for a doctor to confirm it.',
    bookedFlash: 'Your appointment is booked.',
  },
} as const;

/**
 * Issue 17 item 8: a patient books a video visit in Debian's Chromium at 360 px and 1280 px, in
 * Vietnamese and English; the reason is picked from the Circular 30/2023 rows or "other"; "other"
 * books a pending appointment, and the patient is told it waits for a doctor (booking page and
 * "my appointments"), with no self-confirmation; the doctor then confirms it.
 */
describe('booking reason: listed conditions or "other" (pending until a doctor confirms) (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let minutes = 30;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const signedIn = async (width: number, lang: 'vi' | 'en'): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'patient.b',
      landing: /\/record$/,
    });
    return page;
  };

  for (const [width, lang] of [
    [360, 'vi'],
    [1280, 'vi'],
    [360, 'en'],
    [1280, 'en'],
  ] as const) {
    it(`${width} px, ${lang}: the listed labels are offered; "other" books pending and says it waits for a doctor`, async () => {
      minutes += 25;
      const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, minutes, 20));
      expect(slot.status).toBe(201);
      const x = TEXT[lang];
      const page = await signedIn(width, lang);
      await page.goto(`${t.url}/appointments/book`);
      await page.getByRole('radio', { name: x.adult }).check({ timeout: 20000 });
      await page.getByRole('checkbox', { name: x.cough, exact: true }).check();
      await page.getByRole('radio', { name: x.days }).check();
      for (const no of await page.getByRole('radio', { name: x.no, exact: true }).all()) await no.check();
      await page.getByRole('button', { name: x.send }).click();
      await page.getByText(x.result).waitFor({ timeout: 20000 });
      await page.getByRole('button', { name: x.find }).click({ timeout: 20000 });
      await page
        .getByRole('button', { name: /Trần Minh/ })
        .first()
        .click({ timeout: 20000 });
      const picker = page.getByLabel(x.picker);
      const options = await picker.locator('option').allTextContents();
      expect(options).toHaveLength(9);
      expect(options).toContain(x.obesity);
      expect(options.at(-1)).toBe(x.other);
      await picker.selectOption({ label: x.other });
      await page.getByLabel(x.reason).fill(lang === 'vi' ? 'Mất ngủ kéo dài' : 'Trouble sleeping for weeks');
      await page.screenshot({
        path: join(SHOTS, `booking-reason-other-${width}-${lang}.png`),
        fullPage: true,
      });
      await page.getByRole('button', { name: x.book, exact: true }).click();
      await page.getByText(x.pending).first().waitFor({ timeout: 20000 });
      await page.getByText(x.waitingFlash).waitFor({ timeout: 20000 });
      expect(await page.getByText(x.bookedFlash).count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, `booking-pending-${width}-${lang}.png`), fullPage: true });

      const held = await w.sys.get(`Appointment?slot=Slot/${String(slot.body.id)}`);
      const appt = (held.body.entry as { resource: Record<string, unknown> }[])[0]!.resource;
      expect(appt.status).toBe('pending');
      expect(JSON.stringify(appt.reasonCode)).toContain('telehealth-reason');

      await page.goto(`${t.url}/appointments`);
      const note = page.getByText(x.pending).first();
      await note.waitFor({ timeout: 20000 });
      await page.screenshot({
        path: join(SHOTS, `my-appointments-pending-${width}-${lang}.png`),
        fullPage: true,
      });
      // Nothing runs off the side at 360 px.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);

      // The doctor confirms it (the existing Appointment update path).
      const confirmed = await w.as.doctor!.put(`Appointment/${String(appt.id)}`, {
        ...appt,
        status: 'booked',
      });
      expect([confirmed.status, confirmed.body.status]).toEqual([200, 'booked']);
      await page.context().close();
    });
  }
});
