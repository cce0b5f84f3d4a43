import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { linkGuardian } from './support/guardian';
import { appointmentBody, slotBody, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'record-summary');

const TEXT = {
  vi: {
    summary: 'Cần biết trước tiên',
    high: 'Mức độ nghiêm trọng: cao',
    schedule: 'Lịch tiêm chủng',
    timeline: 'Dòng thời gian',
    loading: 'Đang tải…',
  },
  en: {
    summary: 'Know this first',
    high: 'Criticality: high',
    schedule: 'Vaccination schedule',
    timeline: 'Timeline',
    loading: 'Loading…',
  },
} as const;

/**
 * Issue 18 items 4–6 in Chromium: the record opens with what matters first — a high-criticality
 * penicillin allergy on the first phone screen, without scrolling — one card per vitals set with
 * readable units, and a parent sees the child's vaccination schedule. vi and en, 360 and 1366 px;
 * screenshots in test-output/record-summary/.
 */
describe('the record summary (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let child: string;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
    const A = `Patient/${w.ids.A}`;
    const post = async (body: Record<string, unknown>): Promise<void> => {
      const r = await w.sys.post(String(body.resourceType), body);
      if (r.status !== 201)
        throw new Error(`${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    // A long record: many older entries, so the allergy would sit far down the timeline.
    for (let i = 0; i < 12; i++)
      await post({
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: { reference: A },
        period: {
          start: `20${10 + i}-05-0${1 + (i % 9)}T02:00:00Z`,
          end: `20${10 + i}-05-0${1 + (i % 9)}T02:30:00Z`,
        },
        reasonCode: [{ text: 'Khám định kỳ' }],
      });
    await post({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }],
        text: 'Penicillin',
      },
      criticality: 'high',
      patient: { reference: A },
      recordedDate: '2012-05-20',
      reaction: [{ manifestation: [{ text: 'Sốc phản vệ' }] }],
    });
    await post({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: {
        coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I10', display: 'Tăng huyết áp vô căn' }],
      },
      subject: { reference: A },
      recordedDate: '2024-03-10',
    });
    await post({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: 'Amlodipin 5 mg' },
      subject: { reference: A },
      authoredOn: '2024-03-10',
      dosageInstruction: [{ text: 'Uống 1 viên mỗi sáng' }],
    });
    // One vitals set as the station's form writes it: one time, UCUM units, ACVPU in SNOMED CT.
    const when = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const vital = (code: string, display: string, extra: Record<string, unknown>) => ({
      resource: {
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
        subject: { reference: A },
        effectiveDateTime: when,
        ...extra,
      },
      request: { method: 'POST', url: 'Observation' },
    });
    const q = (value: number, unit: string) => ({
      value,
      unit,
      system: 'http://unitsofmeasure.org',
      code: unit,
    });
    const set = await w.sys.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        vital('8867-4', 'Heart rate', { valueQuantity: q(88, '/min') }),
        vital('85354-9', 'Blood pressure panel with all children optional', {
          component: [
            {
              code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
              valueQuantity: q(150, 'mm[Hg]'),
            },
            {
              code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
              valueQuantity: q(95, 'mm[Hg]'),
            },
          ],
        }),
        vital('59408-5', 'Oxygen saturation', { valueQuantity: q(97, '%') }),
        vital('9279-1', 'Respiratory rate', { valueQuantity: q(16, '/min') }),
        vital('8310-5', 'Body temperature', { valueQuantity: q(36.8, 'Cel') }),
        vital('3151-8', 'Inhaled oxygen flow rate', { valueQuantity: q(0, 'L/min') }),
        vital('67775-7', 'Level of responsiveness', {
          valueCodeableConcept: {
            coding: [{ system: 'http://snomed.info/sct', code: '248234008', display: 'Mentally alert' }],
            text: 'A',
          },
        }),
      ],
    });
    if (set.status !== 200) throw new Error(`vitals: ${set.status} ${JSON.stringify(set.body)}`);
    // Last week's video visit: a prescription the national system issued (its code on the
    // MedicationRequest) and a re-visit appointment in two weeks.
    const visitStart = new Date(Date.now() - 5 * 86_400_000);
    const visitRes = await w.sys.post('Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: A },
      period: {
        start: visitStart.toISOString(),
        end: new Date(visitStart.getTime() + 20 * 60_000).toISOString(),
      },
      reasonCode: [{ text: 'Đau thượng vị' }],
    });
    if (visitRes.status !== 201) throw new Error(`visit: ${visitRes.status}`);
    const lastVisit = `Encounter/${String(visitRes.body.id)}`;
    await post({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'https://fhir.mekong.health/sid/e-prescription-code', value: '79001K7QX2MPC' }],
      medicationCodeableConcept: { text: 'Omeprazol 20 mg' },
      subject: { reference: A },
      encounter: { reference: lastVisit },
      authoredOn: visitStart.toISOString(),
      dosageInstruction: [{ text: 'Uống 1 viên trước ăn sáng, 14 ngày' }],
    });
    await post({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'https://fhir.mekong.health/sid/follow-up-letter', value: 'HKL-3F2A9C1B7D4E' }],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '390906007' }], text: 'Hẹn khám lại' },
      subject: { reference: A },
      encounter: { reference: lastVisit },
      occurrenceDateTime: new Date(visitStart.getTime() + 14 * 86_400_000).toISOString(),
      note: [{ text: 'Nếu còn đau, mang theo kết quả nội soi.' }],
    });
    // An upcoming visit in three days.
    const slot = await w.as.doctor!.post('Slot', slotBody(w.ids.schedule!, 3 * 24 * 60, 20));
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slot.body.id as string, w.ids.A!, w.ids.doctor!),
    );
    if (booked.status !== 201)
      throw new Error(`appointment: ${booked.status} ${JSON.stringify(booked.body)}`);

    // A child of patient A (guardianship as docs/access-control.md § Guardians), born 3 months ago.
    const birth = new Date(Date.now() - 95 * 86_400_000).toISOString().slice(0, 10);
    child = (
      await w.sys.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: 'Nguyễn', given: ['Bé', 'Na'] }],
        birthDate: birth,
      })
    ).body.id as string;
    await linkGuardian(w.sys, {
      child,
      guardian: w.ids.A!,
      cccd: '092180001234',
      name: { family: 'Nguyễn', given: ['An'] },
      identifyGuardian: true,
    });
  }, 240_000);
  afterAll(() => closeBrowserWorld(browser, t));

  /** Patient A signs in; being a parent now, they choose whose record to open. */
  const signIn = async (width: number, lang: 'vi' | 'en', whose: 'mine' | 'child'): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'patient.a',
      landing: (u) => !u.pathname.startsWith('/signin'),
    });
    const name =
      whose === 'mine'
        ? lang === 'vi'
          ? 'Hồ sơ của tôi'
          : 'My record'
        : lang === 'vi'
          ? /Hồ sơ của con: Nguyễn Bé Na/
          : /My child's record: Nguyễn Bé Na/;
    const choose = page.getByRole('button', { name });
    await choose.first().waitFor({ timeout: 20_000 });
    await choose.first().click();
    await page.waitForURL(/\/record$/);
    return page;
  };

  const settle = async (page: Page, lang: 'vi' | 'en'): Promise<void> => {
    await page.getByRole('heading', { level: 2, name: TEXT[lang].summary }).waitFor({ timeout: 20_000 });
    await page
      .getByText(TEXT[lang].loading)
      .first()
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch(() => undefined);
  };
  const layout = async (page: Page) =>
    (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      scrollY: window.scrollY,
      missing: window.mekongMissingKeys ?? [],
      text: document.body.innerText,
    })`)) as {
      scrollWidth: number;
      innerWidth: number;
      innerHeight: number;
      scrollY: number;
      missing: string[];
      text: string;
    };

  it.each([
    [360, 'vi'],
    [360, 'en'],
    [1366, 'vi'],
    [1366, 'en'],
  ] as const)(
    'at %i px (%s) the high-criticality penicillin allergy is on the first screen',
    async (width, lang) => {
      const page = await signIn(width, lang, 'mine');
      await settle(page, lang);
      const summary = page.locator('section.record-summary');
      const allergy = summary.getByRole('listitem').first();
      expect(await allergy.innerText()).toContain('Penicillin');
      expect(await allergy.innerText()).toContain(TEXT[lang].high);
      const box = await allergy.boundingBox();
      const l = await layout(page);
      expect(l.scrollY).toBe(0);
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(l.innerHeight);
      // The rest of the summary, one card for the vitals set, readable units.
      expect(await summary.innerText()).toMatch(/Tăng huyết áp vô căn \(I10\)/);
      expect(await summary.innerText()).toMatch(/Amlodipin 5 mg/);
      expect(await summary.innerText()).toMatch(/Trần Minh/);
      expect(await page.locator('.record-timeline .entry-vital').count()).toBe(1);
      const vitals = await page.locator('.record-timeline .entry-vital').innerText();
      expect(vitals).toContain('150/95 mmHg');
      expect(vitals).toContain(lang === 'vi' ? 'Tỉnh táo (A)' : 'Alert (A)');
      expect(l.text).not.toMatch(/mm\[Hg\]|Level of responsiveness/);
      expect(l.missing).toEqual([]);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
      await page.screenshot({ path: join(SHOTS, `patient-record-${width}-${lang}.png`) });
      await page.screenshot({
        path: join(SHOTS, `patient-record-${width}-${lang}-full.png`),
        fullPage: true,
      });
      await page.context().close();
    },
    120_000,
  );

  it.each([
    [360, 'vi'],
    [1366, 'en'],
  ] as const)(
    'at %i px (%s) the patient opens last week’s visit: the prescription code for the pharmacy and the re-visit appointment',
    async (width, lang) => {
      const page = await signIn(width, lang, 'mine');
      await settle(page, lang);
      // the newest visit is first in the timeline
      await page
        .getByRole('link', {
          name: lang === 'vi' ? 'Xem và tải bản tóm tắt PDF' : 'View and download the PDF summary',
        })
        .first()
        .click();
      await page.waitForURL(/\/record\/visit\//);
      const code = page.getByText('79001K7QX2MPC');
      await code.waitFor({ timeout: 20_000 });
      expect(
        await page
          .getByRole('heading', { name: lang === 'vi' ? 'Hẹn khám lại' : 'Re-visit appointment' })
          .count(),
      ).toBe(1);
      const l = await layout(page);
      expect(l.text).toContain(
        lang === 'vi' ? 'Số giấy hẹn: HKL-3F2A9C1B7D4E' : 'Letter number: HKL-3F2A9C1B7D4E',
      );
      expect(l.text).toContain('Nếu còn đau, mang theo kết quả nội soi.');
      expect(l.text).toContain(lang === 'vi' ? 'Đưa mã này cho nhà thuốc' : 'Give this code to the pharmacy');
      expect(l.missing).toEqual([]);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
      await page.screenshot({ path: join(SHOTS, `visit-summary-${width}-${lang}.png`), fullPage: true });
      await page.context().close();
    },
    120_000,
  );

  it.each([
    [360, 'vi'],
    [1366, 'en'],
  ] as const)(
    "at %i px (%s) a parent opens the child's record and sees the vaccination schedule",
    async (width, lang) => {
      const page = await signIn(width, lang, 'child');
      await settle(page, lang);
      const schedule = page.locator('section.record-schedule');
      await schedule.getByRole('heading', { name: TEXT[lang].schedule }).waitFor();
      const rows = await schedule.getByRole('listitem').allInnerTexts();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.join('\n')).toMatch(
        lang === 'vi' ? /(Quá hạn|Đến hạn|Sắp đến hạn)/ : /(Overdue|Due|Coming up)/,
      );
      const l = await layout(page);
      expect(l.text).not.toContain(
        lang === 'vi' ? 'Chưa có thông tin nào trong hồ sơ.' : 'There is nothing in the record yet.',
      );
      expect(l.missing).toEqual([]);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.innerWidth);
      await page.screenshot({ path: join(SHOTS, `child-record-${width}-${lang}.png`), fullPage: true });
      await page.context().close();
    },
    120_000,
  );
});
