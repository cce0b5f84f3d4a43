import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MediaWorkerPool, RoomsService } from '@mekong/consultation';
import { FOLLOW_UP_CODE, FOLLOW_UP_LETTER_SYSTEM } from '@mekong/fhir';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { closeBrowserWorld, startBrowserWorld } from './support/browser';
import { appointmentBody, postSlot, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

interface Stats {
  framesDecoded: number;
  audioPacketsReceived: number;
  byParticipant: Record<string, { framesDecoded: number; audioPacketsReceived: number; producers: string[] }>;
}

interface VisitHooks {
  mekongVisit?: {
    stats(): Promise<Stats>;
    speaker(): string | undefined;
    phase(): string;
    mediaStarts(): number;
    remotes(): number;
    people(): Record<string, { role: string; actor: string; name?: string }>;
  };
}

const GRACE_SECONDS = 12;
const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');

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

  const open = async (
    token: string,
    appointmentId: string,
    prepare?: (context: BrowserContext) => Promise<void>,
    lang: 'vi' | 'en' = 'vi',
  ): Promise<Page> => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
    });
    await context.addInitScript({
      content: `sessionStorage.setItem('mekong.accessToken', ${JSON.stringify(token)}); localStorage.setItem('mekong.lang', ${JSON.stringify(lang)})`,
    });
    await prepare?.(context);
    const page = await context.newPage();
    await page.goto(`${t.url}/visit/${appointmentId}`);
    return page;
  };
  const stats = (page: Page): Promise<Stats> =>
    page.evaluate(
      () =>
        (globalThis as unknown as VisitHooks).mekongVisit?.stats() ??
        Promise.resolve({ framesDecoded: 0, audioPacketsReceived: 0, byParticipant: {} }),
    );
  type Hooks = NonNullable<VisitHooks['mekongVisit']>;
  type HookName = 'mediaStarts' | 'remotes' | 'people' | 'phase';
  /** Reads one of the page's read-only hooks (window.mekongVisit). */
  const hook = <K extends HookName>(page: Page, name: K): Promise<ReturnType<Hooks[K]>> =>
    page.evaluate(
      (n) => (globalThis as unknown as { mekongVisit?: Record<string, () => unknown> }).mekongVisit?.[n]?.(),
      name,
    ) as Promise<ReturnType<Hooks[K]>>;
  /** Waits until `ok(stats)` holds (up to 60 s) and answers the stats it saw last. */
  const until = async (page: Page, ok: (s: Stats) => boolean): Promise<Stats> => {
    let s = await stats(page);
    for (let i = 0; i < 240 && !ok(s); i++) {
      await sleep(250);
      s = await stats(page);
    }
    return s;
  };
  const untilDecoding = (page: Page): Promise<Stats> =>
    until(page, (s) => s.framesDecoded > 0 && s.audioPacketsReceived > 0);
  /** Decodes video and audio of every one of `participants`. */
  const decodesAll = (s: Stats, participants: string[]): boolean =>
    participants.every(
      (p) =>
        (s.byParticipant[p]?.framesDecoded ?? 0) > 0 && (s.byParticipant[p]?.audioPacketsReceived ?? 0) > 0,
    );
  /**
   * Waits until `page` decodes video and audio of each of `participants`. A failure shows what was
   * and was not received from whom, and logs the page's stats and the server's media state.
   */
  const expectDecodes = async (page: Page, participants: string[], appointmentId: string): Promise<Stats> => {
    const s = await until(page, (x) => decodesAll(x, participants));
    if (!decodesAll(s, participants)) {
      const room = t.app.get(RoomsService).get(appointmentId);
      const media = room?.media;
      process.stderr.write(
        `${JSON.stringify({
          stats: s,
          producers: media?.producerList(),
          consumers: [...(room?.participants.values() ?? [])].map((q) => ({
            participant: q.id,
            role: q.role,
            state: q.state,
            consumers: media?.consumerList(q.id),
          })),
        })}\n`,
      );
    }
    const received = (p: string): { from: string; video: boolean; audio: boolean } => ({
      from: p,
      video: (s.byParticipant[p]?.framesDecoded ?? 0) > 0,
      audio: (s.byParticipant[p]?.audioPacketsReceived ?? 0) > 0,
    });
    expect(participants.map(received)).toEqual(
      participants.map((from) => ({ from, video: true, audio: true })),
    );
    return s;
  };
  const untilHook = async <K extends HookName>(
    page: Page,
    name: K,
    ok: (v: ReturnType<Hooks[K]>) => boolean,
  ): Promise<ReturnType<Hooks[K]>> => {
    let v = await hook(page, name);
    for (let i = 0; i < 240 && !ok(v); i++) {
      await sleep(250);
      v = await hook(page, name);
    }
    return v;
  };

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({
      JOB_POLL_SECONDS: '0.5',
      MEDIA_WORKERS: '1',
      RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS),
      CONSULT_MARGIN_MINUTES: '60',
    }));
    // Who the doctor must be able to identify on screen: date of birth, sex, CCCD, an allergy.
    const a = (await w.sys.get(`Patient/${w.ids.A}`)).body;
    const put = await w.sys.put(`Patient/${w.ids.A}`, {
      ...a,
      birthDate: '1958-10-02',
      gender: 'male',
      identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/cccd', value: '079058001234' }],
    });
    if (put.status !== 200) throw new Error(`Patient: ${put.status} ${JSON.stringify(put.body)}`);
    const allergy = await w.sys.post('AllergyIntolerance', {
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${w.ids.A}` },
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
      verificationStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
            code: 'confirmed',
          },
        ],
      },
      criticality: 'high',
      code: { text: 'Penicillin' },
    });
    if (allergy.status !== 201) throw new Error(`AllergyIntolerance: ${allergy.status}`);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => closeBrowserWorld(browser, t));

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
    // The waiting room shows the patient their own camera…
    await patient.getByTestId('preview').locator('video').waitFor({ timeout: 20000 });
    const doctor = await open(w.as.doctor!.token, id);
    const admit = doctor.getByRole('button', { name: 'Mời vào' });
    await admit.waitFor({ timeout: 20000 });
    // The doctor sees who the patient is before admitting: name, age, date of birth (dd/mm/yyyy),
    // the CCCD's last 4 digits only, and the allergy in a warning.
    const banner = doctor.getByTestId('patient-banner');
    await banner.getByRole('heading', { name: 'Bệnh nhân: Nguyễn An' }).waitFor({ timeout: 20000 });
    const facts = (await banner.getByTestId('patient-facts').textContent()) ?? '';
    expect(facts).toMatch(/^\d+ tuổi · sinh ngày 02\/10\/1958 · Nam · CCCD •+1234$/);
    expect(await banner.getByTestId('patient-allergies').textContent()).toContain(
      'Penicillin (nguy hiểm cao)',
    );
    expect(await doctor.getByTestId('queue').textContent()).toContain('Nguyễn An');
    // …and sets media up ahead, held by the server: the doctor receives nothing before admitting.
    const room = t.app.get(RoomsService).get(id)!;
    const patientId = [...room.participants.values()].find((x) => x.role === 'patient')!.id;
    for (let i = 0; i < 100 && (room.media?.countOf(patientId).producers ?? 0) < 2; i++) await sleep(100);
    expect(room.media!.countOf(patientId)).toMatchObject({ transports: 2, producers: 2, consumers: 0 });
    await sleep(1000);
    expect(await hook(doctor, 'remotes')).toBe(0);
    expect(room.media!.producerList().filter((x) => x.owner === patientId)).toEqual([]);
    await admit.click({ timeout: 20000 });

    const [p, d] = await Promise.all([untilDecoding(patient), untilDecoding(doctor)]);
    expect(p.framesDecoded).toBeGreaterThan(0);
    expect(p.audioPacketsReceived).toBeGreaterThan(0);
    expect(d.framesDecoded).toBeGreaterThan(0);
    expect(d.audioPacketsReceived).toBeGreaterThan(0);
    // Each side's video started at the lowest simulcast layer (the first picture soonest) and is
    // raised to the one its tile asks for once that flows: on this 1280×800 window the patient's
    // tile is ≈ 300 px high (the top layer, 360 px), the doctor's ≈ 200 px beside the patient's
    // summary (the middle one, 180 px).
    const doctorId = [...room.participants.values()].find((x) => x.role !== 'patient')!.id;
    const wanted = new Map([
      [patientId, 2],
      [doctorId, 1],
    ]);
    const raised = (who: string): boolean =>
      room.media!.layersOf(who).every((l) => l.preferred === wanted.get(who) && (l.current ?? 0) >= 1);
    for (let i = 0; i < 200 && ![patientId, doctorId].every(raised); i++) await sleep(100);
    for (const who of [patientId, doctorId]) {
      const layers = room.media!.layersOf(who);
      expect(layers).toHaveLength(1);
      expect(layers[0]).toMatchObject({ preferred: wanted.get(who) });
      expect(layers[0]!.current).toBeGreaterThanOrEqual(1);
    }

    // The network indicator: each side sees the scores of what it receives and of what it sends.
    for (const page of [patient, doctor])
      await page
        .getByTestId('network-quality')
        .filter({ hasText: /nhận \d+\/10 · gửi \d+\/10/ })
        .waitFor({ timeout: 20000 });

    // The doctor's screen in the call: the patient's identity beside the video, on a laptop and a phone.
    const tiles = doctor.locator('video');
    for (const width of [1366, 360]) {
      await doctor.setViewportSize({ width, height: width < 600 ? 740 : 800 });
      await sleep(500);
      expect(await banner.isVisible()).toBe(true);
      expect(await tiles.count()).toBeGreaterThanOrEqual(2);
      await doctor.screenshot({ path: join(SHOTS, `visit-doctor-${width}-vi.png`), fullPage: false });
    }
    await doctor.setViewportSize({ width: 1280, height: 800 });

    // The layer follows the viewer's tile and what the browser measures of its connection.
    const preferredBy = async (who: string, layer: number): Promise<(number | undefined)[]> => {
      const preferred = (): (number | undefined)[] => room.media!.layersOf(who).map((l) => l.preferred);
      for (let i = 0; i < 100 && !preferred().every((x) => x === layer); i++) await sleep(100);
      return preferred();
    };
    await patient.setViewportSize({ width: 360, height: 740 }); // a phone: the tile is ≈ 190 px high
    expect(await preferredBy(patientId, 1)).toEqual([1]);
    await patient.setViewportSize({ width: 1280, height: 800 });
    expect(await preferredBy(patientId, 2)).toEqual([2]);
    const network = await patient.context().newCDPSession(patient);
    const emulate = (latency: number): Promise<unknown> =>
      network.send('Network.emulateNetworkConditions', {
        offline: false,
        latency,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
    await emulate(1500); // round trips of a 2G link: Chromium's effectiveType becomes '2g'
    expect(await preferredBy(patientId, 0)).toEqual([0]);
    await emulate(0);
    expect(await preferredBy(patientId, 2)).toEqual([2]);
    await network.detach();

    // Audio only, for a weak link: the server stops forwarding video to the patient and the
    // patient's camera stops sending; voice goes on. Back to video: both resume.
    const patientViews = (): boolean[] =>
      room.media!.consumerList(patientId).flatMap((c) => (c.kind === 'video' ? [c.paused] : []));
    const patientCamera = (): boolean | undefined =>
      room.media!.producerList().find((x) => x.owner === patientId && x.kind === 'video')?.paused;
    const settled = async (paused: boolean): Promise<void> => {
      for (
        let i = 0;
        i < 100 && !(patientCamera() === paused && patientViews().every((x) => x === paused));
        i++
      )
        await sleep(100);
      expect({ views: patientViews(), camera: patientCamera() }).toEqual({ views: [paused], camera: paused });
    };
    await patient.getByRole('button', { name: 'Chỉ âm thanh' }).last().click(); // the controls' (last) one
    await settled(true);
    await sleep(500); // what was in flight
    const frozen = await stats(patient);
    await sleep(1000);
    const later = await stats(patient);
    expect(later.byParticipant[doctorId]!.framesDecoded).toBe(frozen.byParticipant[doctorId]!.framesDecoded);
    expect(later.byParticipant[doctorId]!.audioPacketsReceived).toBeGreaterThan(
      frozen.byParticipant[doctorId]!.audioPacketsReceived,
    );
    await patient.getByRole('button', { name: 'Bật lại video' }).click();
    await settled(false);
    const moving = await until(
      patient,
      (x) => x.byParticipant[doctorId]!.framesDecoded > later.byParticipant[doctorId]!.framesDecoded,
    );
    expect(moving.byParticipant[doctorId]!.framesDecoded).toBeGreaterThan(
      later.byParticipant[doctorId]!.framesDecoded,
    );

    // The patient turns the camera off and mutes: the doctor's page says so under the picture
    // (not a frozen last frame); back on, it no longer does.
    await patient.getByRole('button', { name: 'Tắt camera' }).click();
    await patient.getByRole('button', { name: 'Tắt micro' }).click();
    const off = doctor.getByTestId('remote-off');
    await off.filter({ hasText: 'đã tắt camera, đã tắt micro' }).waitFor({ timeout: 10000 });
    await patient.getByRole('button', { name: 'Bật camera' }).click();
    await patient.getByRole('button', { name: 'Bật micro' }).click();
    await off.waitFor({ state: 'detached', timeout: 10000 });

    // The doctor shares their screen: the patient gets it in a tile of its own, beside the
    // doctor's camera, and it goes away when the doctor stops.
    await doctor.getByRole('button', { name: 'Chia sẻ màn hình' }).click();
    const screenTile = patient.locator('video[aria-label$="— màn hình"]');
    await screenTile.waitFor({ timeout: 20000 });
    // The page plays it (the page's CSP forbids string evaluation; the tests have no DOM types).
    type Doc = { querySelector(q: string): { videoWidth: number; currentTime: number } | null };
    await patient.waitForFunction(
      () => {
        const v = (globalThis as unknown as { document: Doc }).document.querySelector(
          'video[aria-label$="— màn hình"]',
        );
        return !!v && v.videoWidth > 0 && v.currentTime > 0;
      },
      undefined,
      { timeout: 20000 },
    );
    expect(await patient.locator('video').count()).toBe(3); // own camera, the doctor's camera and screen
    await doctor.getByRole('button', { name: 'Dừng chia sẻ màn hình' }).click();
    await screenTile.waitFor({ state: 'detached', timeout: 20000 });
    expect(await patient.locator('video').count()).toBe(2);

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
    // The drug from the national drug list (drugs-bhyt, searched without accents), quantity, unit, days.
    await doctor.getByRole('combobox', { name: 'Thuốc' }).fill('omeprazol');
    await doctor.getByRole('option', { name: /40\.677 Omeprazol/ }).click({ timeout: 10000 });
    await doctor.getByLabel('Số lượng').fill('45');
    await doctor.getByLabel('Đơn vị').fill('viên');
    // 45 days for angina (I20.9, not in Circular 26/2025 Appendix VII) and no dosage: both said,
    // not silently dropped; the visit stays open and nothing typed is lost.
    await doctor.getByLabel('Số ngày dùng').fill('45');
    await doctor.getByRole('button', { name: 'Kết thúc buổi khám' }).click();
    expect(await doctor.getByTestId('end-error').textContent({ timeout: 10000 })).toContain(
      'Chưa kết thúc buổi khám',
    );
    expect(await doctor.getByTestId('rx-days-error').textContent()).toContain('45 ngày vượt quá 30 ngày');
    expect(await doctor.getByTestId('rx-dosage-error').textContent()).toContain('liều dùng');
    expect(await patient.getByTestId('ended').count()).toBe(0);
    expect(await doctor.getByRole('combobox', { name: 'Thuốc' }).inputValue()).toBe('40.677 Omeprazol');
    expect(await doctor.getByLabel('Số lượng').inputValue()).toBe('45');
    expect(await doctor.getByLabel('Số ngày dùng').inputValue()).toBe('45');
    expect(await doctor.getByLabel('Chẩn đoán (mã ICD-10)').inputValue()).toBe('I20.9');
    // The refused form on a phone and a laptop, in Vietnamese and English (the messages follow the language).
    const endForm = doctor.locator('form.visit-end');
    const shoot = async (name: string, lang: 'vi' | 'en', target: { screenshot: Page['screenshot'] }) => {
      for (const width of [360, 1366]) {
        await doctor.setViewportSize({ width, height: width < 600 ? 740 : 800 });
        await sleep(300);
        await target.screenshot({ path: join(SHOTS, `${name}-${width}-${lang}.png`) });
      }
    };
    await shoot('visit-end-rx-refused', 'vi', endForm);
    await doctor.getByRole('button', { name: 'English', exact: true }).click();
    expect(await doctor.getByTestId('rx-days-error').textContent()).toContain('45 days is over 30');
    await shoot('visit-end-rx-refused', 'en', endForm);
    await doctor.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    await doctor.setViewportSize({ width: 1280, height: 800 });
    await doctor.getByLabel('Số ngày dùng').fill('30');
    await doctor.getByLabel('Liều dùng').fill('Uống 1 viên mỗi sáng trước ăn');
    // The re-visit appointment ("hẹn khám lại"): in 30 days at 08:00, Vietnam time.
    const revisitDay = new Date(Date.now() + 7 * 3600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
    const weekday = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'][
      new Date(`${revisitDay}T00:00:00Z`).getUTCDay()
    ];
    const revisit = doctor.getByRole('group', { name: 'Hẹn khám lại' });
    await revisit.getByLabel('Ngày hẹn khám lại').fill(revisitDay);
    await revisit.getByLabel('Giờ hẹn khám lại').fill('08:00');
    // Said in words (dd/mm/yyyy) whatever format this Chromium's date input uses.
    expect(await revisit.getByTestId('follow-up-preview').textContent()).toContain(
      `08:00, ${weekday} ${revisitDay.split('-').reverse().join('/')}`,
    );
    await shoot('visit-end-follow-up', 'vi', endForm);
    await doctor.setViewportSize({ width: 360, height: 740 });
    await revisit.scrollIntoViewIfNeeded();
    await revisit.screenshot({ path: join(SHOTS, 'visit-end-follow-up-field-360-vi.png') });
    await doctor.setViewportSize({ width: 1280, height: 800 });
    await doctor.getByRole('button', { name: 'Kết thúc buổi khám' }).click();
    await patient.getByTestId('ended').waitFor({ timeout: 10000 });
    await doctor.getByTestId('ended').waitFor({ timeout: 10000 });
    expect(await doctor.getByTestId('follow-up-summary').textContent()).toBe(
      `Hẹn khám lại: 08:00, ${weekday} ${revisitDay.split('-').reverse().join('/')}`,
    );
    // The doctor's screen then follows the national prescription (GET /eprescription/prescriptions).
    const rxStatus = doctor.getByTestId('rx-status');
    await rxStatus.waitFor({ timeout: 10000 });
    await shoot('visit-rx-status', 'vi', rxStatus);
    // How a sent and a refused prescription show (this test has no national system: the answer is
    // stubbed in the browser, for the screenshots only).
    await doctor.route('**/eprescription/prescriptions?**', (route) =>
      route.fulfill({
        json: [
          {
            code: '12345abcdefghc',
            type: 'c',
            status: 'issued',
            medicationRequests: [],
            attempts: 1,
            reasons: [],
          },
          {
            code: '12345zyxwvutsc',
            type: 'c',
            status: 'failed',
            medicationRequests: [],
            attempts: 1,
            reasons: [
              '(test stub) drug code not accepted / (giả lập kiểm thử) mã thuốc không được chấp nhận',
            ],
          },
        ],
      }),
    );
    await rxStatus.getByRole('button').click();
    await rxStatus.getByText('12345zyxwvutsc').waitFor({ timeout: 10000 });
    await shoot('visit-rx-status-stub', 'vi', rxStatus);
    await doctor.getByRole('button', { name: 'English', exact: true }).click();
    await shoot('visit-rx-status-stub', 'en', rxStatus);
    await doctor.getByRole('button', { name: 'Tiếng Việt', exact: true }).click();
    await doctor.unroute('**/eprescription/prescriptions?**');

    const found = await w.sys.until(
      `Encounter?appointment=Appointment/${id}`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );
    const encounters = (found.entry as { resource: { id: string } }[] | undefined) ?? [];
    expect(encounters).toHaveLength(1);
    // The re-visit appointment is in the record: a ServiceRequest of the Encounter (claims' XML14).
    const encounterRef = `Encounter/${encounters[0]!.resource.id}`;
    const followUps = await w.sys.get(
      `ServiceRequest?encounter=${encounterRef}&code=${encodeURIComponent(`${FOLLOW_UP_CODE.system}|${FOLLOW_UP_CODE.code}`)}`,
    );
    const followUpEntries =
      (followUps.body.entry as { resource: Record<string, unknown> }[] | undefined) ?? [];
    expect(followUpEntries).toHaveLength(1);
    expect(followUpEntries[0]!.resource).toMatchObject({
      status: 'active',
      intent: 'order',
      code: { coding: [{ ...FOLLOW_UP_CODE }] },
      occurrenceDateTime: `${revisitDay}T08:00:00+07:00`,
      requester: { reference: `Practitioner/${w.ids.doctor}` },
      identifier: [{ system: FOLLOW_UP_LETTER_SYSTEM, value: expect.stringMatching(/^HKL-[0-9A-F]{12}$/) }],
    });
    const conditions = await w.as['patient.a']!.get(`Condition?patient=Patient/${w.ids.A}&code=I20.9`);
    expect((conditions.body.entry as unknown[] | undefined)?.length).toBe(1);
    const drugs = await w.sys.until(`MedicationRequest?patient=Patient/${w.ids.A}`, (body) =>
      JSON.stringify(body).includes('Omeprazol'),
    );
    expect(JSON.stringify(drugs)).toContain('Uống 1 viên mỗi sáng trước ăn');
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
    expect(await error.textContent()).not.toContain('participant');

    // Her own appointment tomorrow: the room is not open yet — said in plain Vietnamese, with no
    // server text or UTC timestamp, and a way back to her appointments.
    const later = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 26 * 3600_000), 20);
    const tomorrow = await w.sys.post('Appointment', appointmentBody(later, w.ids.B!, w.ids.doctor!));
    expect(tomorrow.status).toBe(201);
    const early = await open(w.as['patient.b']!.token, tomorrow.body.id as string);
    const closed = early.getByTestId('visit-error');
    await closed.waitFor({ timeout: 20000 });
    const said = (await closed.textContent()) ?? '';
    expect(said).toContain('Phòng khám chưa mở');
    expect(said).not.toMatch(/opens|\d{4}-\d{2}-\d{2}T/);
    await closed.getByRole('link', { name: 'Về lịch hẹn của tôi' }).waitFor();
    await early.setViewportSize({ width: 360, height: 740 });
    await early.screenshot({ path: join(SHOTS, 'visit-too-early-360-vi.png'), fullPage: true });
    await early.context().close();

    // The doctor's screen for that appointment, in English: the date of birth is still dd/mm/yyyy.
    const doctor = await open(w.as.doctor!.token, booked.body.id as string, undefined, 'en');
    const banner = doctor.getByTestId('patient-banner');
    await banner.getByRole('heading', { name: 'Patient: Nguyễn An' }).waitFor({ timeout: 20000 });
    expect(await banner.getByTestId('patient-facts').textContent()).toMatch(
      /^\d+ years old · born 02\/10\/1958 · Male · CCCD •+1234$/,
    );
    for (const width of [360, 1366]) {
      await doctor.setViewportSize({ width, height: width < 600 ? 740 : 800 });
      await sleep(300);
      await doctor.screenshot({ path: join(SHOTS, `visit-doctor-${width}-en.png`), fullPage: true });
    }
    await doctor.context().close();
  });

  it('three-way: an invited guest joins by link; a cut connection recovers within the grace period; a killed worker is recovered; a guest who leaves is reported after the grace period', async () => {
    const start = new Date(Date.now() + 55 * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 20);
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slotId, w.ids.A!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;

    // The patient's signaling goes through a route the test can cut, like a dropped 3G link.
    let cut = false;
    const live = new Set<WebSocketRoute>();
    const patient = await open(w.as['patient.a']!.token, id, (context) =>
      context.routeWebSocket(/\/socket\.io\//, async (ws) => {
        // While the network is down, connection attempts hang (as on a lossy link) until it is back.
        while (cut) await sleep(100);
        ws.connectToServer();
        live.add(ws);
      }),
    );
    await patient.getByTestId('waiting').waitFor({ timeout: 20000 });
    const doctor = await open(w.as.doctor!.token, id);
    await doctor.getByRole('button', { name: 'Mời vào' }).click({ timeout: 20000 });
    await Promise.all([untilDecoding(patient), untilDecoding(doctor)]);

    // The doctor invites an interpreter who has no account: a link for this visit only.
    await doctor.getByLabel('Hoặc tên (người không có tài khoản)').fill('Thạch Thị Sa Rây');
    await doctor.getByLabel('Vai trò').selectOption('interpreter');
    await doctor.getByRole('button', { name: 'Mời tham gia', exact: true }).click();
    const link = (await doctor.getByTestId('invite-link').textContent({ timeout: 10000 })) ?? '';
    expect(link).toMatch(new RegExp(`/visit/${id}#join=[A-Za-z0-9_-]{16,}$`));
    const guestContext = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
    const guest = await guestContext.newPage();
    await guest.goto(link);
    await guest.getByTestId('waiting').waitFor({ timeout: 20000 });
    const queued = doctor.getByTestId('queue').getByRole('listitem');
    await queued
      .filter({ hasText: 'Khách mời' })
      .getByRole('button', { name: 'Mời vào' })
      .click({ timeout: 20000 });

    const people = await untilHook(doctor, 'people', (p) => Object.keys(p).length >= 2);
    const patientId = Object.keys(people).find((k) => people[k]!.role === 'patient')!;
    const guestId = Object.keys(people).find((k) => people[k]!.role === 'guest')!;
    expect(people[guestId]).toMatchObject({ name: 'Thạch Thị Sa Rây' });
    const guestPeople = await untilHook(guest, 'people', (p) => Object.keys(p).length >= 2);
    const doctorId = Object.keys(guestPeople).find((k) => guestPeople[k]!.role === 'host')!;
    // Everyone decodes everyone else's video and audio.
    await expectDecodes(guest, [doctorId, patientId], id);
    await expectDecodes(doctor, [patientId, guestId], id);
    await expectDecodes(patient, [doctorId, guestId], id);

    // Cut the patient's connection for 3 s (shorter than the grace period), then restore it.
    const before = (await stats(doctor)).byParticipant[patientId]!.producers;
    cut = true;
    for (const ws of live) await ws.close({ code: 4000, reason: 'network down' });
    live.clear();
    await patient.getByTestId('reconnecting').waitFor({ timeout: 10000 });
    await sleep(3000);
    cut = false;
    expect(await untilHook(patient, 'mediaStarts', (n) => n >= 2)).toBe(2);
    // Back without a new admission, decoding again; the doctor receives the patient's new media.
    expect(await untilHook(patient, 'phase', (p) => p === 'in-call')).toBe('in-call');
    await expectDecodes(patient, [doctorId, guestId], id);
    const after = await until(
      doctor,
      (s) =>
        decodesAll(s, [patientId]) && !s.byParticipant[patientId]!.producers.some((p) => before.includes(p)),
    );
    expect(after.byParticipant[patientId]!.producers.some((p) => before.includes(p))).toBe(false);
    expect(decodesAll(after, [patientId])).toBe(true);
    expect(await doctor.getByTestId('queue').getByRole('listitem').count()).toBe(0);

    // The media worker dies: a new one takes over and all three set media up again.
    const pool = t.app.get(MediaWorkerPool);
    const [pid] = pool.pids();
    const starts = await Promise.all([doctor, patient, guest].map((p) => hook(p, 'mediaStarts')));
    process.kill(pid!, 'SIGKILL');
    for (const [i, page] of [doctor, patient, guest].entries())
      expect(await untilHook(page, 'mediaStarts', (n) => n > starts[i]!)).toBe(starts[i]! + 1);
    expect(pool.pids()).not.toContain(pid);
    await expectDecodes(doctor, [patientId, guestId], id);
    await expectDecodes(guest, [doctorId, patientId], id);
    await expectDecodes(patient, [doctorId, guestId], id);

    // The guest's browser goes away: after the grace period the others no longer see them.
    await guestContext.close();
    await sleep(2000);
    expect(await hook(doctor, 'remotes')).toBe(2);
    expect(await untilHook(doctor, 'remotes', (n) => n === 1)).toBe(1);
    const left = await untilHook(patient, 'people', (p) => Object.keys(p).length === 1);
    expect(Object.keys(left)).toEqual([doctorId]);

    await doctor.getByRole('button', { name: 'Kết thúc buổi khám' }).click();
    await patient.getByTestId('ended').waitFor({ timeout: 10000 });
    const found = await w.sys.until(
      `Encounter?appointment=Appointment/${id}`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );
    expect((found.entry as unknown[] | undefined) ?? []).toHaveLength(1);
  }, 300_000); // a whole journey in three browsers: minutes when the machine is shared
});
