import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, blocking } from './support/a11y';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import { ADMIN, api, login, type TestApp } from './support/test-app';

/** Screenshots to look at (git-ignored). */
const SHOTS = join(__dirname, '..', 'test-output', 'econsult');
const DERMATOLOGY = '394582007';
const SNOMED = 'http://snomed.info/sct';
const QUESTION = 'Vết loét cẳng chân trái 3 tuần không lành, bờ đỏ, có mủ. Cần kháng sinh hay chuyển tuyến?';
const REPLY =
  'Chuyển lên khám trực tiếp để cắt lọc vết loét; trong khi chờ, rửa bằng nước muối sinh lý mỗi ngày.';

const TEXT = {
  vi: {
    open: 'Gửi hỏi ý kiến chuyên khoa',
    specialty: 'Chuyên khoa',
    question: 'Câu hỏi cho bác sĩ chuyên khoa',
    priority: 'Mức độ ưu tiên',
    files: /^Ảnh và tài liệu/,
    consent: /Người bệnh \(hoặc người giám hộ\) đồng ý chia sẻ/,
    submit: 'Gửi cho bác sĩ chuyên khoa',
    wrongType: 'Tệp meme.gif không phải ảnh JPEG, PNG hoặc PDF.',
    sent: 'Đã gửi ca bệnh.',
    waiting: 'Đang chờ bác sĩ chuyên khoa nhận',
    answered: 'Đã trả lời',
    nav: 'Hỏi ý kiến chuyên khoa',
    urgent: 'Khẩn',
    take: 'Nhận ca này',
    kind: 'Loại trả lời',
    text: 'Nội dung trả lời',
    send: 'Gửi trả lời',
    replied: 'Đã gửi trả lời; trạm và người bệnh đã được báo.',
    seeInPerson: 'Cần khám trực tiếp',
    temperature: 'Nhiệt độ cơ thể: 38,2 °C',
  },
  en: {
    open: 'Send to a specialist',
    specialty: 'Specialty',
    question: 'Question for the specialist',
    priority: 'Priority',
    files: /^Photos and documents/,
    consent: /The patient \(or their guardian\) agrees to share/,
    submit: 'Send to the specialist',
    wrongType: 'meme.gif is not a JPEG, PNG or PDF file.',
    sent: 'Case sent.',
    waiting: 'Waiting for a specialist to take it',
    answered: 'Answered',
    nav: 'E-consults',
    urgent: 'Urgent',
    take: 'Take this case',
    kind: 'Kind of reply',
    text: 'Your answer',
    send: 'Send the reply',
    replied: 'Reply sent; the station and the patient were told.',
    seeInPerson: 'See in person',
    temperature: 'Body temperature: 38.2 °C',
  },
} as const;

const COMBOS = [
  [360, 'vi'],
  [1366, 'en'],
  [360, 'en'],
  [1366, 'vi'],
] as const;

/** Polls an expression in the page (the portal's CSP forbids the eval behind waitForFunction). */
async function until(page: Page, expression: string, what: string, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** No horizontal scroll, no missing translation, and no serious or critical axe finding (WCAG 2.2 AA). */
async function layoutOf(page: Page): Promise<{ overflow: boolean; missing: string[]; axe: string[] }> {
  const seen = (await page.evaluate(`({
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    missing: window.mekongMissingKeys ?? [],
  })`)) as { overflow: boolean; missing: string[] };
  const axe = blocking(await axeViolations(page)).map((v) => `${v.id}: ${v.targets.join(', ')}`);
  return { ...seen, axe };
}

/** A real JPEG of noise (over 0.5 MB, so it goes in three chunks or more), drawn by Chromium's canvas. */
async function noisyJpeg(page: Page): Promise<Buffer> {
  const dataUrl = (await page.evaluate(`(() => {
    const c = document.createElement('canvas');
    c.width = 1024; c.height = 768;
    const g = c.getContext('2d');
    const img = g.createImageData(1024, 768);
        for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
    g.putImageData(img, 0, 0);
    g.fillStyle = '#c0392b'; g.beginPath(); g.arc(512, 384, 180, 0, 7); g.fill();
    return c.toDataURL('image/jpeg', 0.92);
  })()`)) as string;
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

/**
 * Issue 20 part 3's screens (docs/econsult.md) in Debian's Chromium: a station nurse sends a case
 * from a patient's page — a dermatology question, urgent, the latest vitals, a photo whose upload is
 * cut mid-way (a PATCH aborted) and resumes at the server's offset, consent given; the dermatologist
 * on duty sees it in the "E-consults" worklist, opens it (question, vitals, the photo), takes it and
 * replies "see in person"; the nurse sees the reply on the patient's page. At 360 and 1366 px, in
 * Vietnamese and English, without horizontal scroll or a missing translation; screenshots in
 * test-output/econsult/.
 */
describe('e-consult screens: the station sends, the specialist on duty answers (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
    // The station's referral hospital; the world's doctor is a dermatologist there, on call now.
    const station = await w.sys.get(`Organization/${w.ids.station}`);
    const put = await w.sys.put(`Organization/${w.ids.station}`, {
      ...station.body,
      partOf: { reference: `Organization/${w.ids.hospital}` },
    });
    if (put.status !== 200) throw new Error(`station partOf: ${put.status}`);
    const role = await w.sys.post('PractitionerRole', {
      resourceType: 'PractitionerRole',
      active: true,
      practitioner: { reference: `Practitioner/${w.ids.doctor}` },
      organization: { reference: `Organization/${w.ids.hospital}` },
      specialty: [{ coding: [{ system: SNOMED, code: DERMATOLOGY }] }],
    });
    if (role.status !== 201) throw new Error(`PractitionerRole: ${role.status}`);
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const shift = await api(t.url, 'POST', '/care/duty-roster', admin, {
      practitioner: `Practitioner/${w.ids.doctor}`,
      facility: `Organization/${w.ids.hospital}`,
      covers: [`Organization/${w.ids.hospital}`],
      start: new Date(Date.now() - 3600_000).toISOString(),
      end: new Date(Date.now() + 12 * 3600_000).toISOString(),
    });
    if (shift.status !== 201) throw new Error(`roster: ${shift.status} ${await shift.text()}`);
    // Patient B's latest vitals (measured 10 minutes ago at the station).
    const at = new Date(Date.now() - 10 * 60_000).toISOString();
    for (const [code, display, value] of [
      [
        '8867-4',
        'Heart rate',
        { valueQuantity: { value: 96, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } },
      ],
      [
        '8310-5',
        'Body temperature',
        { valueQuantity: { value: 38.2, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' } },
      ],
    ] as const) {
      const r = await w.sys.post('Observation', {
        resourceType: 'Observation',
        status: 'final',
        category: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
            ],
          },
        ],
        code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
        subject: { reference: `Patient/${w.ids.B}` },
        effectiveDateTime: at,
        ...value,
      });
      if (r.status !== 201) throw new Error(`Observation: ${r.status}`);
    }
  }, 120_000);
  afterAll(() => closeBrowserWorld(browser, t));

  it('the nurse sends a case with a photo (cut and resumed), the specialist takes and answers it, the nurse reads the reply (vi/en, 360/1366 px)', async () => {
    const patientPage = `${t.url}/station/patient/${w.ids.B}`;
    // 1. The nurse, on a phone, in Vietnamese.
    const nurse = await signedInPage(browser, t.url, {
      width: 360,
      lang: 'vi',
      username: 'nurse',
      landing: /\/station$/,
    });
    await nurse.goto(patientPage);
    const vi = TEXT.vi;
    await nurse.getByRole('button', { name: vi.open }).click();
    await nurse.getByTestId('econsult-vitals').waitFor();
    expect(await nurse.getByTestId('econsult-vitals').innerText()).toContain('Nhịp tim: 96 /min');
    // A wrong file is refused before it leaves the device, in the nurse's language.
    await nurse
      .getByLabel(vi.files)
      .setInputFiles({ name: 'meme.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') });
    expect(await nurse.getByTestId('econsult-refused').innerText()).toContain(vi.wrongType);
    await nurse.getByLabel(vi.specialty, { exact: true }).selectOption(DERMATOLOGY);
    await nurse.getByLabel(vi.question, { exact: true }).fill(QUESTION);
    await nurse.getByLabel(vi.priority, { exact: true }).selectOption('urgent');
    const photo = await noisyJpeg(nurse);
    expect(photo.length).toBeGreaterThan(2 * 256 * 1024);
    await nurse
      .getByLabel(vi.files)
      .setInputFiles({ name: 'cang-chan-trai.jpg', mimeType: 'image/jpeg', buffer: photo });
    await nurse.getByLabel(vi.consent).check();
    expect(await layoutOf(nurse)).toEqual({ overflow: false, missing: [], axe: [] });
    await nurse.screenshot({ path: join(SHOTS, 'nurse-form-vi-360.png'), fullPage: true });
    await nurse.getByTestId('econsult-form').screenshot({ path: join(SHOTS, 'nurse-form-vi-360-form.png') });

    // The link drops during the second chunk: that PATCH is aborted once; tus asks the server's
    // offset (HEAD) and carries on from there.
    const seen: string[] = [];
    let cut = false;
    await nurse.route('**/econsult/cases/*/uploads**', async (route) => {
      const req = route.request();
      seen.push(`${req.method()} ${req.headers()['upload-offset'] ?? ''}`);
      if (req.method() === 'PATCH' && Number(req.headers()['upload-offset']) > 0 && !cut) {
        cut = true;
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await nurse.getByRole('button', { name: vi.submit }).click();
    await nurse.getByText(vi.sent).waitFor({ timeout: 60_000 });
    expect(cut).toBe(true);
    const methods = seen.map((s) => s.split(' ')[0]);
    expect(methods[0]).toBe('POST');
    expect(methods).toContain('HEAD');
    const afterCut = seen.slice(seen.findIndex((s) => s.startsWith('HEAD')) + 1);
    // Resumed at the offset the server held, not from byte 0.
    expect(Number(afterCut.find((s) => s.startsWith('PATCH'))?.split(' ')[1])).toBeGreaterThan(0);
    expect(await nurse.getByTestId('econsult-status').first().innerText()).toBe(vi.waiting);
    expect(await layoutOf(nurse)).toEqual({ overflow: false, missing: [], axe: [] });
    await nurse.screenshot({ path: join(SHOTS, 'nurse-sent-vi-360.png'), fullPage: true });
    await nurse
      .getByTestId('econsult-panel')
      .screenshot({ path: join(SHOTS, 'nurse-sent-vi-360-panel.png') });
    await nurse.context().close();

    let last: { doctor: Page; lang: 'vi' | 'en'; width: number } | undefined;
    // 2. The dermatologist on duty: the worklist and the case, at each width and language; takes
    // and answers it in the last one.
    for (const [i, [width, lang]] of COMBOS.entries()) {
      const x = TEXT[lang];
      const doctor = await signedInPage(browser, t.url, {
        width,
        lang,
        username: 'doctor',
        landing: /\/doctor$/,
      });
      await doctor.getByRole('navigation').getByRole('link', { name: x.nav, exact: true }).click();
      const list = doctor.getByTestId('econsult-worklist');
      await list.waitFor();
      const row = list.getByRole('row').nth(1);
      expect(await row.innerText()).toContain(x.urgent);
      expect(await layoutOf(doctor)).toEqual({ overflow: false, missing: [], axe: [] });
      await doctor.screenshot({ path: join(SHOTS, `doctor-worklist-${lang}-${width}.png`), fullPage: true });
      await row.getByRole('link').click();
      await doctor.getByTestId('econsult-case-screen').waitFor();
      await doctor.getByText(QUESTION).waitFor();
      expect(await doctor.getByTestId('econsult-case-vitals').innerText()).toContain(x.temperature);
      // The photo is shown, decoded (a real image, fetched with the token).
      await doctor.getByTestId('econsult-photo').waitFor();
      await until(
        doctor,
        `document.querySelector('[data-testid="econsult-photo"]').naturalWidth === 1024`,
        'the photo to decode',
      );
      expect(await layoutOf(doctor)).toEqual({ overflow: false, missing: [], axe: [] });
      await doctor.screenshot({ path: join(SHOTS, `doctor-case-${lang}-${width}.png`), fullPage: true });
      // The last one takes the case and answers it.
      if (i < COMBOS.length - 1) await doctor.context().close();
      else last = { doctor, lang, width };
    }
    {
      const { doctor, lang, width } = last!;
      const x = TEXT[lang];
      await doctor.getByRole('button', { name: x.take }).click();
      await doctor.getByRole('button', { name: x.take }).waitFor({ state: 'detached' });
      await doctor.getByLabel(x.kind, { exact: true }).selectOption('see-in-person');
      await doctor.getByLabel(x.text, { exact: true }).fill(REPLY);
      await doctor.getByRole('button', { name: x.send }).click();
      await doctor.getByText(x.replied).waitFor();
      expect(await doctor.getByTestId('econsult-reply').innerText()).toContain(x.seeInPerson);
      expect(await layoutOf(doctor)).toEqual({ overflow: false, missing: [], axe: [] });
      await doctor.screenshot({ path: join(SHOTS, `doctor-replied-${lang}-${width}.png`), fullPage: true });
      await doctor.context().close();
    }

    // 3. The nurse reads the reply on the patient's page.
    for (const [width, lang] of COMBOS) {
      const x = TEXT[lang];
      const page = await signedInPage(browser, t.url, {
        width,
        lang,
        username: 'nurse',
        landing: /\/station$/,
      });
      await page.goto(patientPage);
      const reply = page.getByTestId('econsult-reply').first();
      await reply.waitFor();
      expect(await reply.innerText()).toContain(REPLY);
      expect(await reply.innerText()).toContain(x.seeInPerson);
      expect(await page.getByTestId('econsult-status').first().innerText()).toBe(x.answered);
      await page.getByTestId('econsult-panel').scrollIntoViewIfNeeded();
      expect(await layoutOf(page)).toEqual({ overflow: false, missing: [], axe: [] });
      await page.screenshot({ path: join(SHOTS, `nurse-reply-${lang}-${width}.png`), fullPage: true });
      await page
        .getByTestId('econsult-panel')
        .screenshot({ path: join(SHOTS, `nurse-reply-${lang}-${width}-panel.png`) });
      await page.context().close();
    }
  }, 300_000);
});
