import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import type { SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

/** Screenshots for review (issue 17, item 6); SHOTS_DIR overrides. */
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots-epi';

const TEXT = {
  vi: {
    heading: 'Mũi tiêm chưa được tính vào lịch',
    dose3: 'Mũi 3',
    rota: 'Tiêu chảy do vi rút Rota (uống)',
    item: (date: string) =>
      `Vũ Anh Thư: mũi tiêm ngày ${date}, mã vắc xin urn:x-vn-vaccine-product|QUINVAXEM`,
  },
  en: {
    heading: 'Doses not counted in the schedule',
    dose3: 'Dose 3',
    rota: 'Rotavirus (oral)',
    item: (date: string) => `Vũ Anh Thư: dose of ${date}, vaccine code urn:x-vn-vaccine-product|QUINVAXEM`,
  },
} as const;

/**
 * Issue 17 items 6 and 4 on the station's list (`/station/vaccinations`), in Debian's Chromium at 360 px
 * and 1280 px, Vietnamese and English: a child with two CVX 198 (5-in-1) doses is due for dose 3
 * (the 198 doses counted), and a dose coded in an unknown product system is shown as not counted.
 */
describe('station vaccination list: 5-in-1 doses coded CVX 198 count; an unknown code is shown (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  const today = DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('day');
  const born = today.minus({ months: 4 });

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ JOB_POLL_SECONDS: '0.5', MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
    const kid = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Vũ', given: ['Anh', 'Thư'] }],
      birthDate: born.toISODate(),
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    if (kid.status !== 201) throw new Error(`child not registered: ${kid.status}`);
    const give = async (coding: Record<string, string>, on: DateTime): Promise<void> => {
      const r = await w.as.nurse!.post('Immunization', {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [coding] },
        patient: { reference: `Patient/${String(kid.body.id)}` },
        occurrenceDateTime: on.toISODate(),
      });
      if (r.status !== 201) throw new Error(`dose not recorded: ${r.status}`);
    };
    await give({ system: 'http://hl7.org/fhir/sid/cvx', code: '198' }, born.plus({ months: 2 }));
    await give({ system: 'http://hl7.org/fhir/sid/cvx', code: '198' }, born.plus({ months: 3 }));
    await give({ system: 'urn:x-vn-vaccine-product', code: 'QUINVAXEM' }, born.plus({ months: 3 }));
  });
  afterAll(() => closeBrowserWorld(browser, t));

  const signedIn = async (width: number, lang: 'vi' | 'en'): Promise<Page> => {
    const page = await signedInPage(browser, t.url, {
      width,
      lang,
      username: 'nurse',
      landing: /\/station$/,
    });
    return page;
  };

  it('the nurse sees dose 3 of the 5-in-1 due and the not-counted dose (vi and en, 360 and 1280 px)', async () => {
    for (const [width, lang] of [
      [360, 'vi'],
      [1280, 'vi'],
      [360, 'en'],
      [1280, 'en'],
    ] as const) {
      const page = await signedIn(width, lang);
      await page.goto(`${t.url}/station/vaccinations`);
      const row = page.getByRole('row').filter({ hasText: 'Vũ Anh Thư' }).filter({ hasText: '5' });
      await row.first().waitFor({ timeout: 20000 });
      expect(await row.filter({ hasText: TEXT[lang].dose3 }).count()).toBe(1);
      // Rotavirus (issue 17 item 4): dose 1 missed at 4 months, still before the 6-month limit.
      expect(
        await page
          .getByRole('row')
          .filter({ hasText: 'Vũ Anh Thư' })
          .filter({ hasText: TEXT[lang].rota })
          .count(),
      ).toBe(1);
      const section = page.getByRole('region', { name: TEXT[lang].heading });
      const items = section.getByRole('listitem');
      expect(await items.allInnerTexts()).toEqual([
        TEXT[lang].item(born.plus({ months: 3 }).toFormat('dd/MM/yyyy')),
      ]);
      const layout = (await page.evaluate(`({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        missing: window.mekongMissingKeys ?? [],
      })`)) as { scrollWidth: number; innerWidth: number; missing: string[] };
      expect({
        lang,
        width,
        overflow: layout.scrollWidth > layout.innerWidth,
        missing: layout.missing,
      }).toEqual({
        lang,
        width,
        overflow: false,
        missing: [],
      });
      await section.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, `vaccinations-not-counted-${lang}-${width}.png`) });
      await page.screenshot({
        path: join(SHOTS, `vaccinations-not-counted-${lang}-${width}-full.png`),
        fullPage: true,
      });
      await page.context().close();
    }
  }, 300_000);
});
