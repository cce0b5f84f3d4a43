import type { Browser, Page } from 'playwright-core';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { launchChromium } from './support/browser';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';

interface VisitHooks {
  mekongVisit?: {
    stats(): Promise<{ framesDecoded: number; audioPacketsReceived: number }>;
    speaker(): string | undefined;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The video visit in real Chromium (fake camera and microphone) through the real mediasoup
 * worker: the patient waits, the doctor admits, each decodes the other's video and audio, they
 * chat, the doctor ends with a diagnosis and a prescription, and the Encounter is in the record.
 */
describe('video visit in the browser (Chromium + mediasoup)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  const open = async (token: string, appointmentId: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
    await context.addInitScript({
      content: `sessionStorage.setItem('mekong.accessToken', ${JSON.stringify(token)})`,
    });
    const page = await context.newPage();
    await page.goto(`${t.url}/visit/${appointmentId}`);
    return page;
  };
  const stats = (page: Page) =>
    page.evaluate(
      () =>
        (globalThis as unknown as VisitHooks).mekongVisit?.stats() ??
        Promise.resolve({ framesDecoded: 0, audioPacketsReceived: 0 }),
    );
  const untilDecoding = async (
    page: Page,
  ): Promise<{ framesDecoded: number; audioPacketsReceived: number }> => {
    for (let i = 0; i < 240; i++) {
      const s = await stats(page);
      if (s.framesDecoded > 0 && s.audioPacketsReceived > 0) return s;
      await sleep(250);
    }
    return stats(page);
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '1' });
    w = await schedulingWorld(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await t?.db.drop();
  });

  it('book → join → wait → admit → both decode video and audio → chat → end → Encounter in the record', async () => {
    const start = new Date(Date.now() + 2 * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 20);
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slotId, w.ids.A!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;

    const patient = await open(w.as['patient.a']!.token, id);
    await patient.getByTestId('waiting').waitFor({ timeout: 20000 });
    const doctor = await open(w.as.doctor!.token, id);
    await doctor.getByRole('button', { name: 'Mời vào' }).click({ timeout: 20000 });

    const [p, d] = await Promise.all([untilDecoding(patient), untilDecoding(doctor)]);
    expect(p.framesDecoded).toBeGreaterThan(0);
    expect(p.audioPacketsReceived).toBeGreaterThan(0);
    expect(d.framesDecoded).toBeGreaterThan(0);
    expect(d.audioPacketsReceived).toBeGreaterThan(0);

    // Active speaker: the fake microphones beep, so someone is detected as speaking.
    let speaker: string | undefined;
    for (let i = 0; i < 40 && !speaker; i++) {
      speaker = await doctor.evaluate(() => (globalThis as unknown as VisitHooks).mekongVisit?.speaker());
      if (!speaker) await sleep(250);
    }
    expect(speaker).toEqual(expect.any(String));

    await patient.getByLabel('Tin nhắn').fill('Em chào bác sĩ ạ');
    await patient.getByRole('button', { name: 'Gửi' }).click();
    await doctor.getByTestId('chat').getByText('Em chào bác sĩ ạ').waitFor({ timeout: 10000 });

    await doctor.getByLabel('Ghi chú của bác sĩ').fill('Đau thắt ngực ổn định. Làm điện tâm đồ gắng sức.');
    await doctor.getByLabel('Chẩn đoán (mã ICD-10)').fill('I20.9');
    await doctor.getByLabel('Thuốc').fill('Nitroglycerin 0,5 mg');
    await doctor.getByLabel('Liều dùng').fill('1 viên ngậm dưới lưỡi khi đau ngực');
    await doctor.getByRole('button', { name: 'Kết thúc buổi khám' }).click();
    await patient.getByTestId('ended').waitFor({ timeout: 10000 });
    await doctor.getByTestId('ended').waitFor({ timeout: 10000 });

    const found = await w.sys.until(
      `Encounter?appointment=Appointment/${id}`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );
    const encounters = (found.entry as unknown[] | undefined) ?? [];
    expect(encounters).toHaveLength(1);
    const conditions = await w.as['patient.a']!.get(`Condition?patient=Patient/${w.ids.A}&code=I20.9`);
    expect((conditions.body.entry as unknown[] | undefined)?.length).toBe(1);
    expect((await w.sys.get(`Appointment/${id}`)).body.status).toBe('fulfilled');
  });

  it('an outsider with a valid token for another appointment is refused in the page', async () => {
    const start = new Date(Date.now() + 30 * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 20);
    const booked = await w.sys.post('Appointment', appointmentBody(slotId, w.ids.A!, w.ids.doctor!));
    expect(booked.status).toBe(201);
    const outsider = await open(w.as['patient.b']!.token, booked.body.id as string);
    const error = outsider.getByTestId('visit-error');
    await error.waitFor({ timeout: 20000 });
    expect(await error.textContent()).toContain('không tham gia');
  });
});
