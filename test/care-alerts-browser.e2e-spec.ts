import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { PASSWORD, type SchedulingWorld } from './support/scheduling-world';
import { ADMIN, api, createAccounts, login, type TestApp } from './support/test-app';

/** Screenshots for review (issue 17 item 10); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-alerts';

const TEXT = {
  vi: {
    roster: 'Lịch trực',
    add: 'Thêm ca trực',
    added: 'Đã thêm ca trực.',
    practitioner: 'Tìm bác sĩ trực theo tên',
    start: 'Bắt đầu',
    end: 'Kết thúc',
    alerts: 'Cảnh báo NEWS2',
    onCall: 'Bác sĩ trực đã được báo',
    waiting: 'Đang chờ bác sĩ xác nhận.',
    acknowledge: 'Xác nhận đã nhận cảnh báo',
    acknowledged: 'Đã xác nhận bởi',
    emergency: 'Cấp cứu: gọi 115',
    all: 'Tất cả',
    save: 'Lưu sinh hiệu',
  },
  en: {
    roster: 'Duty roster',
    add: 'Add shift',
    added: 'Shift added.',
    practitioner: 'Find the on-call doctor by name',
    start: 'Start',
    end: 'End',
    alerts: 'NEWS2 alerts',
    onCall: 'On-call doctor alerted',
    waiting: 'Waiting for a doctor to acknowledge.',
    acknowledge: 'Acknowledge alert',
    acknowledged: 'Acknowledged by',
    emergency: 'Emergency: call 115',
    all: 'All',
    save: 'Save vital signs',
  },
} as const;
type Lang = keyof typeof TEXT;

/** Vietnam wall-clock time `hours` from now, as the roster's fields take it: dd/mm/yyyy and HH:mm (24 h). */
const vnLocal = (hours: number): { date: string; time: string } => {
  const iso = new Date(Date.now() + hours * 3600_000 + 7 * 3600_000).toISOString();
  return { date: iso.slice(0, 10).split('-').reverse().join('/'), time: iso.slice(11, 16) };
};
/** Fills a date-and-time field pair (shell/DateTimeField): the date has the label, the time "<label>: giờ|time". */
const fillWhen = async (page: Page, lang: Lang, label: string, when: { date: string; time: string }) => {
  await page.getByLabel(label, { exact: true }).fill(when.date);
  await page.getByLabel(`${label}: ${lang === 'vi' ? 'giờ' : 'time'}`, { exact: true }).fill(when.time);
};

/**
 * Issue 17 item 10 in Chromium at 360 and 1280 px, Vietnamese and English: the hospital's staff put
 * the doctor on call in the roster screen; vitals scoring NEWS2 13 are saved at the station; the
 * station's inbox shows the open alert, who was called and that a doctor must acknowledge it; the
 * on-call doctor's inbox has an Acknowledge button that closes it.
 */
describe('NEWS2 alerts inbox and duty roster screens (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let hospital: string;
  let station: string;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    hospital = `Organization/${w.ids.hospital}`;
    station = `Organization/${w.ids.station}`;
    const put = await w.sys.put(`Organization/${w.ids.station}`, {
      resourceType: 'Organization',
      id: w.ids.station,
      name: 'Trạm Y tế xã An Bình',
      partOf: { reference: hospital },
    });
    if (put.status !== 200) throw new Error(`partOf ${put.status}`);
    const hn = (await w.sys.post('Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Hồ' }] }))
      .body.id as string;
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(
      t.url,
      admin,
      [['staff.h', 'clinic-staff', `Practitioner/${hn}`, hospital]],
      PASSWORD,
    );
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const signedIn = async (user: string, width: number, lang: Lang): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: user,
      landing: /\/(station|doctor)$/,
    });
    return page;
  };
  /** No horizontal scroll and no missing translation on the page. */
  const layoutOk = async (page: Page): Promise<void> => {
    const layout = (await page.evaluate(`({
      fits: document.documentElement.scrollWidth <= window.innerWidth + 1,
      missing: window.mekongMissingKeys ?? [],
    })`)) as { fits: boolean; missing: string[] };
    expect(layout).toEqual({ fits: true, missing: [] });
  };

  it('roster, station inbox and doctor acknowledgement (vi and en, 360 and 1280 px)', async () => {
    const runs = [
      [360, 'vi'],
      [1280, 'vi'],
      [360, 'en'],
      [1280, 'en'],
    ] as const;
    for (const [i, [width, lang]] of runs.entries()) {
      // 1. The hospital's staff add tonight's on-call shift for the doctor, covering the station.
      const staff = await signedIn('staff.h', width, lang);
      await staff.goto(`${t.url}/station/roster`);
      await staff.getByRole('heading', { name: TEXT[lang].roster }).waitFor();
      // The doctor found by name (no ids typed); the hospital is ticked, the station added.
      await staff.getByLabel(TEXT[lang].practitioner).fill('Trần');
      await staff.getByRole('button', { name: /^Trần Minh — Bệnh viện Chợ Rẫy/ }).click();
      await staff.getByRole('checkbox', { name: 'Trạm Y tế xã An Bình' }).check();
      await fillWhen(staff, lang, TEXT[lang].start, vnLocal(-1 - i));
      await fillWhen(staff, lang, TEXT[lang].end, vnLocal(12));
      await staff.getByRole('button', { name: TEXT[lang].add }).last().click();
      await staff.getByText(TEXT[lang].added).waitFor();
      await staff.getByRole('cell', { name: 'Trần Minh' }).first().waitFor();
      await layoutOk(staff);
      await staff.screenshot({ path: join(SHOTS, `roster-${lang}-${width}.png`), fullPage: true });
      await staff.context().close();

      // 2. A newly registered patient scores 13 at the station.
      const reg = await w.as.nurse!.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Trần', given: [`Văn ${i + 1}`] }],
        birthDate: '1950-07-07',
        managingOrganization: { reference: station },
      });

      // 3. The station's inbox: open, who was called, waiting for a doctor (no button for the nurse).
      // The nurse saves the vitals on the patient's page (NEWS2 13): the panel names the on-call doctor.
      const nurse = await signedIn('nurse', width, lang);
      await nurse.goto(`${t.url}/station/patient/${reg.body.id as string}`);
      for (const [field, value] of [
        ['heartRate', '115'],
        ['spo2', '90'],
        ['systolic', '105'],
        ['diastolic', '70'],
        ['temperature', lang === 'vi' ? '39,5' : '39.5'],
        ['respiratoryRate', '26'],
        ['oxygenFlow', '2'],
      ] as const)
        await nurse.locator(`#vit-${field}`).fill(value);
      await nurse.locator('#vit-avpu').selectOption('A');
      await nurse.getByRole('button', { name: TEXT[lang].save }).click();
      const routing = nurse.getByTestId('news2-routing');
      await routing.waitFor();
      expect(await routing.textContent()).toBe(`${TEXT[lang].onCall}: Trần Minh`);
      await layoutOk(nurse);
      await nurse.screenshot({ path: join(SHOTS, `vitals-routing-${lang}-${width}.png`) });
      await nurse.getByRole('link', { name: TEXT[lang].alerts }).first().click();
      const card = nurse.getByTestId('news2-alert').filter({ hasText: `Trần Văn ${i + 1}` });
      await card.waitFor();
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('NEWS2 = 13');
      expect(text).toContain(TEXT[lang].emergency);
      expect(text).toContain(`${TEXT[lang].onCall}: Trần Minh`);
      expect(text).toContain(TEXT[lang].waiting);
      expect(await card.getByRole('button', { name: TEXT[lang].acknowledge }).count()).toBe(0);
      await layoutOk(nurse);
      await nurse.screenshot({ path: join(SHOTS, `station-inbox-${lang}-${width}.png`), fullPage: true });
      await nurse.context().close();

      // 4. The on-call doctor acknowledges it.
      const doctor = await signedIn('doctor', width, lang);
      await doctor.getByRole('link', { name: TEXT[lang].alerts }).first().click();
      const mine = doctor.getByTestId('news2-alert').filter({ hasText: `Trần Văn ${i + 1}` });
      await mine.waitFor();
      await doctor.screenshot({ path: join(SHOTS, `doctor-inbox-${lang}-${width}.png`), fullPage: true });
      await mine.getByRole('button', { name: TEXT[lang].acknowledge }).click();
      await doctor.getByRole('button', { name: TEXT[lang].all, exact: true }).click(); // the acknowledged one stays listed
      await doctor
        .getByTestId('news2-alert')
        .filter({ hasText: `Trần Văn ${i + 1}` })
        .getByText(TEXT[lang].acknowledged)
        .waitFor();
      await layoutOk(doctor);
      await doctor.screenshot({
        path: join(SHOTS, `doctor-acknowledged-${lang}-${width}.png`),
        fullPage: true,
      });
      await doctor.context().close();
    }
    // The server recorded it: nothing open for the station any more.
    const open = await api(t.url, 'GET', '/care/alerts', w.as.nurse!.token);
    expect(((await open.json()) as unknown[]).length).toBe(0);
  }, 300_000);
});
