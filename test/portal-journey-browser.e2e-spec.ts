import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { appointmentBody, PASSWORD, slotBody, type SchedulingWorld } from './support/scheduling-world';
import { login, type TestApp } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const OTHER_REASON = { system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Hooks {
  mekongVisit?: { stats(): Promise<{ framesDecoded: number; audioPacketsReceived: number }> };
}

/**
 * The whole journey through the portal in Debian's Chromium, against the running platform (real
 * PostgreSQL or PGlite, real mediasoup): a commune-station nurse signs in, registers a patient and
 * books a video consultation on their behalf (with the patient's consent); the patient and the
 * doctor join, see each other, and the doctor writes a diagnosis and a prescription; the patient
 * then sees them in their timeline and the doctor's access in "who viewed my record".
 */
describe('portal journey: station registers and books → visit → the patient reads the result', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '1' }));
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const page = async (width = 1280): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width, height: 800 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    return context.newPage();
  };
  const signIn = async (p: Page, username: string): Promise<void> => {
    await p.goto(`${t.url}/`);
    await p.getByLabel('Tên đăng nhập').fill(username);
    await p.getByLabel('Mật khẩu').fill(PASSWORD);
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
  };
  const decoding = async (p: Page): Promise<boolean> => {
    for (let i = 0; i < 240; i++) {
      const s = await p.evaluate(
        () =>
          (globalThis as unknown as Hooks).mekongVisit?.stats() ??
          Promise.resolve({ framesDecoded: 0, audioPacketsReceived: 0 }),
      );
      if (s.framesDecoded > 0 && s.audioPacketsReceived > 0) return true;
      await sleep(250);
    }
    return false;
  };

  it('nurse registers and books on behalf; patient and doctor meet; the diagnosis and the view are in the patient’s record', async () => {
    // The doctor has a free video slot starting in a few minutes.
    const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, 3, 20));
    expect(slot.status).toBe(201);
    // The days ahead: patient A booked a listed follow-up in three days and asked for an "other"
    // visit in two (it waits for the doctor too).
    const later = async (days: number, extra: Record<string, unknown> = {}): Promise<void> => {
      const s = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, days * 24 * 60, 20));
      expect(s.status).toBe(201);
      const a = await w.as['patient.a']!.post(
        'Appointment',
        appointmentBody(s.body.id as string, w.ids.A!, w.ids.doctor!, extra),
      );
      expect(a.status).toBe(201);
    };
    await later(3);
    await later(2, { status: 'pending', reasonCode: [{ coding: [OTHER_REASON], text: 'Đau lưng kéo dài' }] });

    // 1. The station nurse signs in and registers a new patient (CCCD checked as typed).
    const nurse = await page(360);
    await signIn(nurse, 'nurse');
    await nurse.waitForURL(/\/station$/);
    await nurse.getByRole('link', { name: 'Đăng ký bệnh nhân' }).click();
    await nurse.getByLabel('Họ (bắt buộc)').fill('Lý');
    await nurse.getByLabel('Tên đệm (không bắt buộc)').fill('Thị');
    await nurse.getByLabel('Tên (bắt buộc)').fill('Mai');
    await nurse.getByLabel('Ngày sinh (bắt buộc)').fill('12/04/1990');
    await nurse.getByLabel('Giới tính (bắt buộc)').selectOption('female');
    await nurse.getByLabel('Số CCCD (không bắt buộc)').fill('09219001234');
    await nurse.getByLabel('Số CCCD (không bắt buộc)').blur();
    expect(await nurse.getByLabel('Số CCCD (không bắt buộc)').getAttribute('aria-invalid')).toBe('true');
    await nurse.getByLabel('Số CCCD (không bắt buộc)').fill('092190012345');
    expect(await nurse.getByLabel('Số CCCD (không bắt buộc)').getAttribute('aria-invalid')).not.toBe('true');
    await nurse.getByLabel('Số điện thoại (không bắt buộc)').fill('0912345678');
    await nurse.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await nurse.waitForURL(/\/station\/patient\/[A-Za-z0-9-]+(\?.*)?$/);
    const patientId = /\/station\/patient\/([A-Za-z0-9-]+)/.exec(nurse.url())![1]!;

    // 2. The patient agrees; the nurse records it and books the doctor's video slot for her.
    await nurse.getByLabel('Bệnh nhân đồng ý để trạm y tế đặt lịch khám thay').check();
    await nurse.getByRole('button', { name: 'Ghi nhận sự đồng ý' }).click();
    // The pre-visit symptom check comes first: an adult with a cough, no danger sign (not an emergency).
    // Her age comes from the date of birth the nurse just recorded (not asked again).
    await nurse.getByText('(theo ngày sinh trong hồ sơ: 12/04/1990)').waitFor({ timeout: 20000 });
    await nurse.getByRole('checkbox', { name: 'Ho', exact: true }).check();
    await nurse.getByRole('radio', { name: '1–2 ngày' }).check();
    for (const no of await nurse.getByRole('radio', { name: 'Không', exact: true }).all()) await no.check();
    await nurse.getByRole('button', { name: 'Gửi khai báo' }).click();
    await nurse.getByText(/Kết quả phân loại: (Thông thường|Khẩn)/).waitFor({ timeout: 20000 });
    await nurse.getByRole('button', { name: 'Tìm giờ trống' }).click({ timeout: 20000 });
    await nurse
      .getByRole('button', { name: /Trần Minh/ })
      .first()
      .click({ timeout: 20000 });
    // A new patient, never seen by the hospital: her reason is not a listed follow-up, so the
    // nurse picks "other" and the request waits for the doctor (issue 17 item 8).
    await nurse.getByLabel('Lý do khám').fill('Ho kéo dài, đau ngực khi gắng sức');
    await nurse.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    await nurse.getByText('Chọn bệnh trong danh sách, hoặc "Lý do khác" nếu không có.').waitFor();
    await nurse
      .getByLabel('Bệnh trong danh mục khám từ xa')
      .selectOption({ label: 'Lý do khác (bác sĩ xem và xác nhận trước)' });
    await nurse.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    await nurse.getByText(/Đã gửi yêu cầu khám lúc .*Đang chờ bác sĩ xác nhận/).waitFor({ timeout: 20000 });
    const requested = await w.sys.get(`Appointment?patient=Patient/${patientId}&status=pending`);
    const appointments = (requested.body.entry as { resource: Record<string, unknown> }[] | undefined) ?? [];
    expect(appointments).toHaveLength(1);
    const appointmentId = appointments[0]!.resource.id as string;
    // The doctor sees the request on /doctor and confirms it there (docs/care.md "other"), before
    // the slot starts (the hold lasts until then).
    const doctor = await page(1280);
    await signIn(doctor, 'doctor');
    await doctor.waitForURL(/\/doctor$/);
    const requests = doctor.getByTestId('doctor-requests');
    await requests.getByText(/Lý Thị Mai/).waitFor({ timeout: 20000 });
    await requests.getByText('Ho kéo dài, đau ngực khi gắng sức', { exact: false }).waitFor();
    await requests.getByRole('button', { name: /^Xác nhận khám từ xa cho Lý Thị Mai/ }).click();
    await doctor.getByText(/^Đã xác nhận khám từ xa với Lý Thị Mai/).waitFor({ timeout: 20000 });
    const confirmed = await w.sys.get(`Appointment/${appointmentId}`);
    expect(confirmed.body.status).toBe('booked');
    // A's request stays; the days ahead list A's two visits. Phone and desktop, vi and en.
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['vi', 'en'] as const)
      for (const width of [360, 1366]) {
        const shot = await signedInPage(browser, t.url, {
          width,
          lang,
          username: 'doctor',
          landing: /\/doctor$/,
        });
        await shot.getByTestId('doctor-requests').getByText('Đau lưng kéo dài').waitFor({ timeout: 20000 });
        await shot.getByTestId('doctor-upcoming').getByText('Nguyễn An').first().waitFor({ timeout: 20000 });
        await shot.screenshot({ path: join(SHOTS, `doctor-today-${width}-${lang}.png`), fullPage: true });
        expect(await shot.evaluate('window.mekongMissingKeys ?? []')).toEqual([]);
        // Nothing wider than the screen.
        expect(await shot.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
        await shot.context().close();
      }

    // The station gives her an account (clinic staff may, for patients of their facility).
    const account = await fetch(`${t.url}/auth/accounts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${w.as.nurse!.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        username: 'ly.thi.mai',
        password: PASSWORD,
        role: 'patient',
        fhirUser: `Patient/${patientId}`,
      }),
    });
    expect(account.status).toBe(201);
    expect((await login(t.url, 'ly.thi.mai', PASSWORD)).access_token).toEqual(expect.any(String));

    // 3. Patient and doctor join the visit from the portal; the doctor admits; both see and hear.
    const patient = await page(360);
    await signIn(patient, 'ly.thi.mai');
    await patient.waitForURL(/\/record$/);
    await patient.goto(`${t.url}/visit/${appointmentId}`);
    await patient.getByTestId('waiting').waitFor({ timeout: 20000 });
    await doctor.goto(`${t.url}/visit/${appointmentId}`);
    await doctor.getByRole('button', { name: 'Mời vào' }).click({ timeout: 20000 });
    expect(await decoding(patient)).toBe(true);
    expect(await decoding(doctor)).toBe(true);

    // 4. The doctor writes the diagnosis and the prescription and ends the visit.
    await doctor.getByLabel('Ghi chú của bác sĩ').fill('Đau thắt ngực ổn định.');
    await doctor.getByLabel('Chẩn đoán (mã ICD-10)').fill('I20.9');
    await doctor.getByLabel('Tên chẩn đoán').fill('Đau thắt ngực');
    await doctor.getByRole('combobox', { name: 'Thuốc' }).fill('Omeprazol');
    await doctor.getByRole('option', { name: /40\.677 Omeprazol/ }).click({ timeout: 10000 });
    await doctor.getByLabel('Số lượng').fill('14');
    await doctor.getByLabel('Đơn vị').fill('viên');
    await doctor.getByLabel('Số ngày dùng').fill('14');
    await doctor.getByLabel('Liều dùng').fill('Uống 1 viên mỗi sáng trước ăn');
    await doctor.getByRole('button', { name: 'Kết thúc buổi khám' }).click();
    await patient.getByTestId('ended').waitFor({ timeout: 10000 });
    await doctor.getByTestId('rx-status').waitFor({ timeout: 10000 });
    await w.sys.until(
      `Condition?patient=Patient/${patientId}&code=I20.9`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );

    // 5. The patient sees it in her timeline, and the doctor's access in who viewed her record.
    await patient.goto(`${t.url}/record`);
    await patient.getByText('Đau thắt ngực', { exact: false }).first().waitFor({ timeout: 20000 });
    await patient.getByText('Omeprazol', { exact: false }).first().waitFor({ timeout: 20000 });
    await patient.getByRole('link', { name: 'Ai đã xem hồ sơ' }).click();
    await patient.getByText('Trần Minh', { exact: false }).first().waitFor({ timeout: 20000 });
    const missing = (await patient.evaluate('window.mekongMissingKeys ?? []')) as string[];
    expect(missing).toEqual([]);
  }, 300_000); // a whole journey in three browsers: minutes when the machine is shared
});
