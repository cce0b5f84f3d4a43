import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { axeViolations, blocking } from './support/a11y';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import {
  appointmentBody,
  LISTED_REASON,
  PASSWORD,
  type SchedulingWorld,
  slotBody,
} from './support/scheduling-world';
import { ADMIN, createAccounts, login, type TestApp } from './support/test-app';

/**
 * Issue 20 part 2: the commune station keeps working offline (docs/offline-station.md). In Debian's
 * Chromium with the browser's own offline mode: what the nurse registers and measures without a
 * link is kept in IndexedDB, survives a reload, and reaches the server exactly once when the link
 * returns — even when the answer to the first send is lost. A CCCD already on the server is a
 * conflict to resolve; an item the server refuses stays with its reason.
 */
const OUT = join(__dirname, '..', 'test-output', 'station-offline');
const CAPTURE = 'https://mekong.health/fhir/sid/device-capture';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';

const TEXT = {
  vi: {
    register: 'Đăng ký bệnh nhân',
    family: 'Họ (bắt buộc)',
    given: 'Tên (bắt buộc)',
    birthDate: 'Ngày sinh (bắt buộc)',
    gender: 'Giới tính (bắt buộc)',
    cccd: 'Số CCCD (không bắt buộc)',
    submit: 'Đăng ký',
    save: 'Lưu sinh hiệu',
    waiting: 'đang chờ gửi',
    outbox: 'Xem hàng chờ gửi',
  },
  en: {
    register: 'Register patient',
    family: 'Family name (required)',
    given: 'Given name (required)',
    birthDate: 'Date of birth (required)',
    gender: 'Sex (required)',
    cccd: 'CCCD number (optional)',
    submit: 'Register',
    save: 'Save vital signs',
    waiting: 'waiting to send',
    outbox: 'Open the outbox',
  },
} as const;

type Lang = keyof typeof TEXT;

describe('station offline: outbox in IndexedDB, synced once as conditional transactions (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

  /** A signed-in nurse whose page is controlled by the service worker (the shell is cached). */
  async function nurse(width: number, lang: Lang): Promise<{ page: Page; context: BrowserContext }> {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'nurse',
      landing: /\/station$/,
    });
    await poll(page, 'Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)');
    return { page, context: page.context() };
  }

  /** The page's CSP forbids string functions (waitForFunction): poll page.evaluate instead. */
  async function poll(page: Page, expression: string, timeout = 20_000): Promise<void> {
    const end = Date.now() + timeout;
    while (!(await page.evaluate<boolean>(expression).catch(() => false))) {
      if (Date.now() > end) throw new Error(`timed out: ${expression}`);
      await page.waitForTimeout(200);
    }
  }

  async function register(
    page: Page,
    lang: Lang,
    p: { family: string; given: string; born: string; cccd?: string },
  ) {
    const x = TEXT[lang];
    await page.getByRole('link', { name: x.register }).first().click();
    await page.getByLabel(x.family).fill(p.family);
    await page.getByLabel(x.given).fill(p.given);
    await page.getByLabel(x.birthDate).fill(p.born);
    await page.getByLabel(x.gender).selectOption('male');
    if (p.cccd) await page.getByLabel(x.cccd).fill(p.cccd);
    await page.getByRole('button', { name: x.submit, exact: true }).click();
    await page.waitForURL(/\/station\/queued\/[0-9a-f-]+$/);
    return /\/station\/queued\/([0-9a-f-]+)/.exec(page.url())![1]!;
  }

  async function vitals(page: Page, lang: Lang, hr: string, spo2: string): Promise<void> {
    await page.locator('#vit-heartRate').fill(hr);
    await page.locator('#vit-spo2').fill(spo2);
    await page.getByRole('button', { name: TEXT[lang].save }).click();
    await page.getByTestId('vitals-queued').waitFor();
  }

  /**
   * Screenshots of the screen as it is, at 360 and 1366 px in Vietnamese and English (the header's
   * language button), with no horizontal scroll and no missing translation; `ready` is what must
   * show before each shot. Starts and ends in Vietnamese at 360 px.
   */
  const shots = async (page: Page, name: string, ready: (lang: Lang) => Promise<void>) => {
    for (const lang of ['vi', 'en'] as const) {
      if (lang === 'en') await page.locator('header button[lang="en"]').click();
      for (const width of [360, 1366]) {
        await page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
        await ready(lang);
        const layout = (await page.evaluate(`({
          overflow: document.documentElement.scrollWidth > window.innerWidth,
          missing: window.mekongMissingKeys ?? [],
          lang: document.documentElement.lang,
        })`)) as { overflow: boolean; missing: string[]; lang: string };
        const axe = blocking(await axeViolations(page)).map((v) => `${v.id}: ${v.targets.join(', ')}`);
        expect({ name, width, ...layout, axe }).toEqual({
          name,
          lang,
          width,
          overflow: false,
          missing: [],
          axe: [],
        });
        await page.screenshot({ path: join(OUT, `${name}-${lang}-${width}.png`), fullPage: true });
      }
    }
    await page.locator('header button[lang="vi"]').click();
    await page.setViewportSize({ width: 360, height: 740 });
  };

  const entries = (body: Record<string, unknown>) =>
    (body.entry ?? []) as { resource: Record<string, unknown> }[];

  it('offline: register and record vitals, reload, back online → exactly one Patient and one vitals set (answer of the first send lost)', async () => {
    const { page, context } = await nurse(360, 'vi');
    await context.setOffline(true);
    const localId = await register(page, 'vi', { family: 'Lâm', given: 'Văn Ngoại', born: '03/04/1961' });
    await page.getByTestId('queued-state').filter({ hasText: TEXT.vi.waiting }).waitFor();
    await vitals(page, 'vi', '88', '97');

    // A reload without a link: the service worker serves the shell, the outbox is still there.
    await page.reload();
    await page.getByTestId('queued-state').filter({ hasText: TEXT.vi.waiting }).waitFor();
    await page.getByTestId('outbox-banner').filter({ hasText: '2 mục đang chờ gửi' }).waitFor();
    await page.getByTestId('pending-vitals').filter({ hasText: '1 lần đo sinh hiệu' }).waitFor();
    await shots(page, 'queued', (lang) =>
      page.getByTestId('queued-state').filter({ hasText: TEXT[lang].waiting }).waitFor(),
    );
    await page.getByRole('link', { name: TEXT.vi.outbox }).first().click();
    await page.getByTestId('outbox-item').nth(1).waitFor();
    await shots(page, 'outbox-waiting', () => page.getByTestId('outbox-item').nth(1).waitFor());
    await page.goto(`${t.url}/station/queued/${localId}`);
    await page.getByTestId('queued-state').waitFor();

    // Back online; the answer to the first transaction is lost on the way back (the server did
    // the work): the outbox sends it again, and If-None-Exist on the capture identifier finds it.
    let lost = 0;
    await context.route('**/fhir', async (route) => {
      if (route.request().method() === 'POST' && lost === 0) {
        lost += 1;
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await context.setOffline(false);
    await page.waitForURL(/\/station\/patient\/[A-Za-z0-9-]+/, { timeout: 60_000 });
    const patientId = /\/station\/patient\/([A-Za-z0-9-]+)/.exec(page.url())![1]!;
    expect(lost).toBe(1);

    const byCapture = await w.sys.get(`Patient?identifier=${encodeURIComponent(`${CAPTURE}|${localId}`)}`);
    expect(entries(byCapture.body).map((e) => e.resource.id)).toEqual([patientId]);
    const byName = await w.sys.get(`Patient?family=${encodeURIComponent('Lâm')}&birthdate=1961-04-03`);
    expect(entries(byName.body)).toHaveLength(1);
    // Wait until the vitals went too (they waited for the registration).
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached', timeout: 30_000 });
    const obs = await w.sys.get(`Observation?subject=Patient/${patientId}&category=vital-signs`);
    const list = entries(obs.body).map((e) => e.resource);
    expect(list.map((o) => (o.code as { coding: { code: string }[] }).coding[0]!.code).sort()).toEqual([
      '59408-5',
      '8867-4',
    ]);
    // Capture time and sync time are both kept: on each Observation (effective, issued) and, for
    // every resource of an item (the Patient too), in one Provenance per item (occurred, recorded).
    const prov = await w.sys.get(`Provenance?target=Patient/${patientId}`);
    const provenances = entries(prov.body).map((e) => e.resource);
    expect(provenances).toHaveLength(1);
    expect(provenances[0]).toMatchObject({
      id: localId,
      agent: [{ who: { reference: `Practitioner/${w.ids.nurse}` } }],
    });
    expect(Date.parse(provenances[0]!.recorded as string)).toBeGreaterThan(
      Date.parse(provenances[0]!.occurredDateTime as string),
    );
    const obsProv = await w.sys.get(`Provenance?target=Observation/${String(list[0]!.id)}`);
    expect(entries(obsProv.body)).toHaveLength(1);
    for (const o of list) {
      expect(typeof o.effectiveDateTime).toBe('string');
      expect(typeof o.issued).toBe('string');
      expect(Date.parse(o.issued as string)).toBeGreaterThanOrEqual(
        Date.parse(o.effectiveDateTime as string),
      );
    }
    await context.close();
  }, 180_000);

  it('a CCCD registered on the server meanwhile is a conflict to resolve, never a silent match; the vitals wait for it', async () => {
    const existing = await w.sys.post('Patient', {
      resourceType: 'Patient',
      identifier: [{ system: CCCD, value: '079058004321' }],
      name: [{ family: 'Trần', given: ['Văn', 'Trung'], text: 'Trần Văn Trung' }],
      gender: 'male',
      birthDate: '1958-07-09',
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(existing.status).toBe(201);
    const existingId = String(existing.body.id);

    const { page, context } = await nurse(360, 'vi');
    await context.setOffline(true);
    await register(page, 'vi', {
      family: 'Trần',
      given: 'Văn Trung',
      born: '09/07/1958',
      cccd: '079058004321',
    });
    await vitals(page, 'vi', '72', '98');
    await context.setOffline(false);

    await page.getByRole('link', { name: TEXT.vi.outbox }).first().click();
    const conflict = page.getByTestId('outbox-item').filter({ has: page.getByTestId('outbox-conflict') });
    await conflict.waitFor({ timeout: 30_000 });
    // The vitals wait for the registration; nothing was sent for them.
    await page.getByText('Chờ gửi xong đăng ký của bệnh nhân này.').waitFor();
    await shots(page, 'outbox-conflict', () => conflict.waitFor({ timeout: 30_000 }));
    const cccd = await w.sys.get(`Patient?identifier=${encodeURIComponent(`${CCCD}|079058004321`)}`);
    expect(entries(cccd.body).map((e) => e.resource.id)).toEqual([existingId]);

    // The nurse looks at the existing patient and chooses that record: the vitals go to it.
    await conflict.getByRole('button', { name: 'Tìm bệnh nhân đã có' }).click();
    await page.getByText('Trên máy chủ: Trần Văn Trung, sinh ngày 09/07/1958').waitFor();
    await conflict.getByRole('button', { name: 'Dùng hồ sơ đã có' }).click();
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached', timeout: 30_000 });
    const obs = await w.sys.get(`Observation?subject=Patient/${existingId}&category=vital-signs`);
    expect(entries(obs.body)).toHaveLength(2);
    const again = await w.sys.get(`Patient?identifier=${encodeURIComponent(`${CCCD}|079058004321`)}`);
    expect(entries(again.body)).toHaveLength(1);
    await context.close();
  }, 240_000);

  it('an item the server refuses stays on the device with the reason', async () => {
    const seeded = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Võ', given: ['Thị', 'Lan'], text: 'Võ Thị Lan' }],
      gender: 'female',
      birthDate: '1970-01-02',
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    const id = String(seeded.body.id);
    const { page, context } = await nurse(360, 'vi');
    await page.goto(`${t.url}/station/patient/${id}`);
    await page.locator('#vit-heartRate').waitFor();
    await context.setOffline(true);
    await vitals(page, 'vi', '90', '96');
    // Meanwhile the record is removed on the server: the set cannot be recorded any more.
    expect((await w.sys.delete(`Patient/${id}`)).status).toBeLessThan(300);
    await context.setOffline(false);
    await page.getByRole('link', { name: TEXT.vi.outbox }).first().click();
    const refused = page.locator('[data-testid="outbox-item"][data-state="refused"]');
    await refused.waitFor({ timeout: 30_000 });
    const reason = await refused.getByTestId('outbox-reason').innerText();
    expect(reason).toMatch(/^Lý do: ./);
    await shots(page, 'outbox-refused', () => refused.waitFor({ timeout: 30_000 }));
    await context.close();
  }, 240_000);

  it('a patient opened here reads offline "as of"; sign-out with unsent items warns, then nothing patient-related is left', async () => {
    const seeded = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Đặng', given: ['Văn', 'Bảy'], text: 'Đặng Văn Bảy' }],
      gender: 'male',
      birthDate: '1949-05-06',
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    const id = String(seeded.body.id);
    const { page, context } = await nurse(360, 'vi');
    await page.goto(`${t.url}/station/patient/${id}`);
    await page.locator('#vit-heartRate').waitFor();

    // No link, a reload: the kept copy, with its time; the search screen lists it.
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('as-of').waitFor();
    await page.getByRole('heading', { name: /Đặng Văn Bảy/ }).waitFor();
    await shots(page, 'patient-as-of', () => page.getByTestId('as-of').waitFor());
    await page.getByRole('link', { name: 'Quay lại tìm kiếm' }).click();
    await page.getByTestId('kept-patients').getByRole('link', { name: 'Đặng Văn Bảy' }).waitFor();
    await vitalsFor(page);

    // Sign out with an unsent item: a choice, no default; staying keeps everything.
    const dialog = page.getByRole('alertdialog');
    const SIGN_OUT = {
      vi: { button: 'Đăng xuất', stay: 'Ở lại và gửi sau', text: 'Còn 1 mục chưa gửi' },
      en: { button: 'Sign out', stay: 'Stay and send later', text: '1 item has not been sent' },
    } as const;
    for (const lang of ['vi', 'en'] as const) {
      if (lang === 'en') await page.locator('header button[lang="en"]').click();
      await page.getByRole('button', { name: SIGN_OUT[lang].button }).click();
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(SIGN_OUT[lang].text);
      for (const width of [360, 1366]) {
        await page.setViewportSize({ width, height: width < 600 ? 740 : 800 });
        expect(blocking(await axeViolations(page))).toEqual([]);
        await page.screenshot({ path: join(OUT, `sign-out-warning-${lang}-${width}.png`) });
      }
      await dialog.getByRole('button', { name: SIGN_OUT[lang].stay }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    await page.locator('header button[lang="vi"]').click();
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await stored(page)).toEqual({ outbox: 1, patients: 1 });
    // The service worker's caches hold the shell only: no API answer, no patient.
    const cached = (await page.evaluate(`(async () => {
      const urls = [];
      for (const name of await caches.keys())
        for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    })()`)) as string[];
    expect(cached.length).toBeGreaterThan(5);
    expect(
      cached.filter((u) => !/^\/($|assets\/|manifest\.webmanifest$|icon(-\d+)?\.(svg|png)$)/.test(u)),
    ).toEqual([]);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await dialog.getByRole('button', { name: 'Xóa và đăng xuất' }).click();
    await page.getByLabel('Tên đăng nhập').waitFor();
    expect(await stored(page)).toEqual({ outbox: 0, patients: 0 });
    await context.close();

    async function vitalsFor(p: Page): Promise<void> {
      await p.getByTestId('kept-patients').getByRole('link', { name: 'Đặng Văn Bảy' }).click();
      await p.getByTestId('as-of').waitFor();
      await vitals(p, 'vi', '64', '99');
    }
  }, 240_000);

  it('an edit made offline meets a change made meanwhile on the server: a conflict shown, never overwritten', async () => {
    const seeded = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Huỳnh', given: ['Thị', 'Mai'], text: 'Huỳnh Thị Mai' }],
      gender: 'female',
      birthDate: '1980-02-03',
      telecom: [{ system: 'phone', value: '0912345678', use: 'mobile' }],
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    const id = String(seeded.body.id);
    const { page, context } = await nurse(360, 'vi');
    await page.goto(`${t.url}/station/patient/${id}`);
    await page.getByRole('button', { name: 'Sửa điện thoại, địa chỉ' }).click();
    await context.setOffline(true);
    await page.locator('#contact-phone').fill('0987 654 321');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByTestId('contact-state').filter({ hasText: 'đang chờ gửi' }).waitFor();

    // Meanwhile, on the server: someone records the patient's new address.
    const current = await w.sys.get(`Patient/${id}`);
    const changed = await w.sys.put(`Patient/${id}`, {
      ...current.body,
      address: [{ use: 'home', line: ['Ấp Phú Hòa'], city: 'An Bình', text: 'Ấp Phú Hòa, An Bình' }],
    });
    expect(changed.status).toBe(200);

    await context.setOffline(false);
    await page.getByTestId('contact-state').filter({ hasText: 'xung đột' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: TEXT.vi.outbox }).first().click();
    const conflict = page.locator('[data-testid="outbox-item"][data-state="conflict"]');
    await conflict.getByTestId('outbox-changed').waitFor();
    // Nothing was overwritten: the server still has its version, with the old phone.
    const untouched = await w.sys.get(`Patient/${id}`);
    expect(untouched.body.telecom).toEqual([{ system: 'phone', value: '0912345678', use: 'mobile' }]);
    await conflict.getByRole('button', { name: 'Xem bản trên máy chủ' }).click();
    await conflict.getByTestId('outbox-server-now').filter({ hasText: 'Ấp Phú Hòa' }).waitFor();
    await shots(page, 'outbox-changed-conflict', () => conflict.getByTestId('outbox-server-now').waitFor());

    // The nurse writes her change onto the server's new version: both changes are kept.
    await conflict.getByRole('button', { name: 'Ghi thay đổi của tôi lên bản mới' }).click();
    await page.locator('[data-testid="outbox-item"][data-state="sent"]').waitFor({ timeout: 30_000 });
    const merged = await w.sys.get(`Patient/${id}`);
    expect(merged.body.telecom).toEqual([{ system: 'phone', value: '0987654321', use: 'mobile' }]);
    expect((merged.body.address as { line: string[] }[])[0]?.line).toEqual(['Ấp Phú Hòa']);
    await context.close();
  }, 240_000);

  /** How many outbox items and kept patients this browser's IndexedDB holds. */
  const stored = (page: Page) =>
    page.evaluate(`new Promise((resolve, reject) => {
      const open = indexedDB.open('mekong-station');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction(['outbox', 'patients']);
        const a = tx.objectStore('outbox').count();
        const b = tx.objectStore('patients').count();
        tx.oncomplete = () => { open.result.close(); resolve({ outbox: a.result, patients: b.result }); };
      };
    })`);

  it('the outbox survives a browser restart; another user on the device cannot send it; the same user signing in again does', async () => {
    // A second member of the station's staff, with their own account.
    const nurse2 = await w.sys.post('Practitioner', {
      resourceType: 'Practitioner',
      name: [{ family: 'Lý', given: ['Hoa'] }],
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(
      t.url,
      admin,
      [
        [
          'nurse.two',
          'clinic-staff',
          `Practitioner/${String(nurse2.body.id)}`,
          `Organization/${w.ids.station}`,
        ],
      ],
      PASSWORD,
    );
    const dir = mkdtempSync(join(tmpdir(), 'mekong-restart-'));
    const launch = () =>
      chromium.launchPersistentContext(dir, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
        viewport: { width: 360, height: 740 },
        timezoneId: 'Asia/Ho_Chi_Minh',
      });
    const signIn = async (page: Page, username: string) => {
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/station$/);
    };
    const onServer = async (localId: string) =>
      entries((await w.sys.get(`Patient?identifier=${encodeURIComponent(`${CAPTURE}|${localId}`)}`)).body)
        .length;
    try {
      let context = await launch();
      let page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${t.url}/`);
      await signIn(page, 'nurse');
      await poll(page, 'Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)');
      await context.setOffline(true);
      const localId = await register(page, 'vi', { family: 'Phạm', given: 'Văn Khởi', born: '01/01/1955' });
      await context.close();

      // The browser starts again (the session, kept for the tab, is gone; IndexedDB stays).
      context = await launch();
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${t.url}/`);
      await signIn(page, 'nurse.two');
      const others = page
        .getByTestId('outbox-banner')
        .filter({ hasText: 'Máy này còn 1 mục chưa gửi của người dùng khác' });
      await others.waitFor();
      await page.screenshot({ path: join(OUT, 'others-unsent-vi-360.png'), fullPage: true });
      await page.waitForTimeout(1500); // a sync ran at sign-in: it must not have sent the item
      expect(await onServer(localId)).toBe(0);

      // nurse.two has nothing of theirs: signing out asks nothing; then the nurse signs in and it goes.
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByLabel('Tên đăng nhập').waitFor();
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      await signIn(page, 'nurse');
      for (let i = 0; i < 50 && (await onServer(localId)) === 0; i++) await page.waitForTimeout(200);
      expect(await onServer(localId)).toBe(1);
      await context.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('the station is an installable PWA (manifest, icons, a worker controlling the page; a real profile)', async () => {
    // Chromium never offers installation in an off-the-record profile (every Playwright context):
    // a persistent profile here, signed in through the portal's form.
    const dir = mkdtempSync(join(tmpdir(), 'mekong-pwa-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 360, height: 740 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${t.url}/`);
      await page.getByLabel('Tên đăng nhập').fill('nurse');
      await page.getByLabel('Mật khẩu').fill(PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.waitForURL(/\/station$/);
      await poll(page, 'Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)');
      const cdp = await context.newCDPSession(page);
      let errors: string[] = ['not checked'];
      for (let i = 0; i < 20 && errors.length > 0; i++) {
        const r = (await cdp.send('Page.getInstallabilityErrors')) as {
          installabilityErrors: { errorId: string }[];
        };
        errors = r.installabilityErrors.map((e) => e.errorId);
        if (errors.length > 0) await page.waitForTimeout(250);
      }
      expect(errors).toEqual([]);
      const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
      expect({ url: manifest.url.endsWith('/manifest.webmanifest'), errors: manifest.errors }).toEqual({
        url: true,
        errors: [],
      });
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('offline: a symptom check and booking requests, reload, online → one QuestionnaireResponse and one Appointment; a slot taken meanwhile is refused with its reason', async () => {
    const patientId = w.ids.B!;
    const b = await w.sys.get(`Patient/${patientId}`);
    expect((await w.sys.put(`Patient/${patientId}`, { ...b.body, birthDate: '1972-03-04' })).status).toBe(
      200,
    );
    const slots: string[] = [];
    for (const minutes of [180, 240]) {
      const s = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, minutes, 20));
      expect(s.status).toBe(201);
      slots.push(String(s.body.id));
    }
    const { page, context } = await nurse(1366, 'vi');
    await page.goto(`${t.url}/station/patient/${patientId}`);
    await page.getByLabel('Bệnh nhân đồng ý để trạm y tế đặt lịch khám thay').check();
    await page.getByRole('button', { name: 'Ghi nhận sự đồng ý' }).click();
    await page
      .getByRole('radio', { name: 'Tái khám, không có triệu chứng mới' })
      .waitFor({ timeout: 20_000 });

    // The link goes down: the answers are kept, to be assessed by the server later.
    await context.setOffline(true);
    await page.getByRole('radio', { name: 'Tái khám, không có triệu chứng mới' }).check();
    for (const no of await page.getByRole('radio', { name: 'Không', exact: true }).all()) await no.check();
    await page.getByRole('button', { name: 'Gửi khai báo' }).click();
    await page.getByTestId('triage-queued').waitFor();
    expect(await page.getByTestId('triage-queued').innerText()).toContain('sẽ được máy chủ đánh giá');
    await shots(page, 'triage-queued', () => page.getByTestId('triage-queued').waitFor());

    // The link flickers back long enough to find times (the outbox's own sends still fail).
    await context.route('**/fhir', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue(),
    );
    await context.route('**/fhir/Appointment', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionreset') : route.continue(),
    );
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Tìm giờ trống' }).click();
    await page
      .getByRole('button', { name: /Trần Minh/ })
      .nth(1)
      .waitFor({ timeout: 20_000 });
    await context.setOffline(true);
    for (const n of [0, 1]) {
      await page
        .getByRole('button', { name: /Trần Minh/ })
        .nth(n)
        .click();
      await page
        .getByLabel('Bệnh trong danh mục khám từ xa')
        .selectOption({ label: 'Viêm mũi họng cấp (sổ mũi, đau họng)' });
      await page.getByLabel('Lý do khám').fill(`Đau họng ${n + 1}`);
      await page.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
      await page.getByTestId('booking-queued').waitFor();
    }
    await page.reload();
    await page.getByTestId('outbox-banner').filter({ hasText: '3 mục đang chờ gửi' }).waitFor();
    await page.getByRole('link', { name: TEXT.vi.outbox }).first().click();
    await page.getByTestId('outbox-item').nth(2).waitFor();

    // Meanwhile someone else books the second time.
    const taken = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slots[1]!, w.ids.A!, w.ids.doctor!, { reasonCode: [LISTED_REASON] }),
    );
    expect(taken.status).toBe(201);
    await context.unrouteAll();
    await context.setOffline(false);
    const refused = page.locator('[data-testid="outbox-item"][data-state="refused"]');
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.getByTestId('outbox-reason').innerText()).toContain('đã có người đặt');
    await page
      .locator('[data-testid="outbox-item"][data-state="waiting"]')
      .first()
      .waitFor({ state: 'detached', timeout: 30_000 });
    expect(await page.getByTestId('outbox-result').allInnerTexts()).toEqual([
      'Kết quả đánh giá của máy chủ: Thông thường',
      expect.stringMatching(/^Đã đặt lịch lúc \d\d:\d\d \d\d\/\d\d\/\d{4}\.$/),
    ]);

    const qrs = await w.sys.get(`QuestionnaireResponse?subject=Patient/${patientId}`);
    expect(entries(qrs.body)).toHaveLength(1);
    const appts = await w.sys.get(`Appointment?patient=Patient/${patientId}`);
    const booked = entries(appts.body).map((e) => e.resource);
    expect(booked).toHaveLength(1);
    expect(booked[0]!.slot).toEqual([{ reference: `Slot/${slots[0]}` }]);
    expect(JSON.stringify(booked[0]!.supportingInformation)).toContain('QuestionnaireResponse/');
    await shots(page, 'outbox-booking', (lang) =>
      refused
        .getByTestId('outbox-reason')
        .filter({ hasText: lang === 'vi' ? 'đã có người đặt' : 'booked by someone else' })
        .waitFor(),
    );
    await context.close();
  }, 300_000);
});
