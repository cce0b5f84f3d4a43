import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { axeViolations, blocking } from './support/a11y';
import { BhxhGatewayStandIn } from './support/bhxh-gateway-standin';
import { launchChromium, signedInPage } from './support/browser';
import {
  bhytCoverage,
  claimsConfigEnv,
  claimsDoctor,
  claimsFacilityOrg,
  claimsPatient,
} from './support/claims-fixtures';
import { Fhir } from './support/fhir-client';
import { ADMIN, createAccounts, login, startApp, systemToken, type TestApp } from './support/test-app';
import { until } from './support/wait';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const PASSWORD = 'Mat-khau-that-dai-2026!';
const GATEWAY = { username: '92001_BV', password: 'mat-khau-cong-bhxh', facility: '92001' };
const ICD = 'http://hl7.org/fhir/sid/icd-10';
const DRUGS = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
const REASONS = ['MA_BENH_CHINH không phù hợp với dịch vụ', 'Thẻ BHYT hết hạn'];

type Lang = 'vi' | 'en';
const TEXT = {
  vi: {
    nav: 'Hồ sơ BHYT',
    heading: 'Hồ sơ BHYT',
    rejected: 'Bị từ chối',
    accepted: 'Đã được chấp nhận',
    resend: 'Gửi lại',
    queued: 'Đã xếp hồ sơ vào hàng chờ gửi lại',
    back: 'Về danh sách hồ sơ BHYT',
    attention: /^Cần xử lý/,
    all: /^Tất cả/,
    network: 'Không có kết nối mạng',
    retry: 'Thử lại',
    open: (name: string) => `Xem hồ sơ BHYT của ${name}`,
  },
  en: {
    nav: 'Claims',
    heading: 'Insurance claims',
    rejected: 'Rejected',
    accepted: 'Accepted',
    resend: 'Resend',
    queued: 'The claim is queued to be sent again',
    back: 'Back to the insurance claims',
    attention: /^Needs attention/,
    all: /^All/,
    network: 'No network connection',
    retry: 'Retry',
    open: (name: string) => `Open the insurance claim of ${name}`,
  },
} as const;

/**
 * The clinic staff's insurance claims in the portal (`/station/claims`, docs/claims-submission.md
 * "API"), in Debian's Chromium against the BHXH gateway stand-in: signed in through the login
 * page, the list (reached from the menu) shows a rejected claim with the gateway's reasons and an
 * accepted one; the rejected claim, resent once the gateway stops refusing it, ends accepted — in
 * Vietnamese at 360 px and in English at 1366 px; a cut link shows the error and a retry that
 * works. Every screen at 360 and 1366 px in vi and en: no horizontal scroll, no missing text, no
 * serious axe violation; screenshots test-output/screenshots/claims-*.png.
 */
describe('insurance claims in the portal (Chromium, BHXH stand-in)', () => {
  let t: TestApp;
  let gw: BhxhGatewayStandIn;
  let sys: Fhir;
  let browser: Browser;
  const org = randomUUID();
  const ids: Record<string, string> = {};
  const now = DateTime.now().setZone('Asia/Ho_Chi_Minh');

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  /**
   * A visit of `patient` at the facility that ended `ago` minutes ago (a diagnosis, a drug),
   * finished once `before(encounterId)` has run (the stand-in told to refuse it, say).
   */
  const visit = async (patient: string, ago: number, before?: (enc: string) => void): Promise<string> => {
    const end = now.minus({ minutes: ago }).startOf('minute');
    const at = (m: number) => end.minus({ minutes: m }).toISO({ suppressMilliseconds: true })!;
    const cond = await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${patient}` },
      code: { coding: [{ system: ICD, code: 'K29.7' }] },
    });
    const enc = await mk({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${patient}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: at(20), end: at(0) },
      serviceProvider: { reference: `Organization/${org}` },
      reasonCode: [{ text: 'Đau thượng vị 3 ngày' }],
      diagnosis: [{ condition: { reference: `Condition/${cond}` }, rank: 1 }],
    });
    const c = (await sys.get(`Condition/${cond}`)).body;
    await sys.put(`Condition/${cond}`, { ...c, encounter: { reference: `Encounter/${enc}` } });
    await mk({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patient}` },
      encounter: { reference: `Encounter/${enc}` },
      authoredOn: at(5),
      medicationCodeableConcept: {
        coding: [{ system: DRUGS, code: '40.677', display: 'Omeprazol' }],
        text: 'Omeprazol 20mg',
      },
      dispenseRequest: { quantity: { value: 14, unit: 'viên' } },
      dosageInstruction: [{ text: '1 viên trước ăn sáng' }],
    });
    before?.(enc);
    const cur = (await sys.get(`Encounter/${enc}`)).body;
    const fin = await sys.put(`Encounter/${enc}`, { ...cur, status: 'finished' });
    if (fin.status !== 200) throw new Error(`finish: ${fin.status} ${JSON.stringify(fin.body)}`);
    return enc;
  };

  const settled = (enc: string, status: string): Promise<unknown> =>
    until(`claim ${enc} ${status}`, async () => {
      const r = await fetch(`${t.url}/claims/${enc}`, { headers: { Authorization: `Bearer ${sys.token}` } });
      const c = (await r.json()) as { status?: string };
      return c.status === status ? c : undefined;
    });

  beforeAll(async () => {
    gw = await BhxhGatewayStandIn.start(GATEWAY);
    t = await startApp(PlatformModule.register, {
      CLAIMS_CONFIG: claimsConfigEnv(org),
      BHXH_GATEWAY_URL: gw.url,
      BHXH_USERNAME: GATEWAY.username,
      BHXH_PASSWORD: GATEWAY.password,
      BHXH_RETRY_DELAY_SECONDS: '1',
      BHXH_TIMEOUT_MS: '5000',
      JOB_POLL_SECONDS: '0.5',
      MEDIA_WORKERS: '0',
    });
    sys = new Fhir(t.url, await systemToken(t.url));
    // The facility under the id its claims settings name (update as create).
    const o = await sys.put(`Organization/${org}`, { ...claimsFacilityOrg(), id: org });
    if (o.status !== 201) throw new Error(`facility: ${o.status} ${JSON.stringify(o.body)}`);
    ids.doctor = await mk(claimsDoctor());
    ids.clerk = await mk({ resourceType: 'Practitioner', name: [{ family: 'Võ', given: ['Thu', 'Ngân'] }] });
    const year = { start: `${now.year}-01-01`, end: `${now.year}-12-31` };
    ids.hoa = await mk(claimsPatient(org, 'Nguyễn'));
    await mk({ ...bhytCoverage(ids.hoa), period: year });
    ids.lan = await mk(claimsPatient(org, 'Trần', { name: [{ family: 'Trần', given: ['Thị', 'Lan'] }] }));
    await mk({
      ...bhytCoverage(ids.lan),
      period: year,
      identifier: [{ system: 'http://fhir.hl7.org.vn/core/sid/bhyt', value: 'GD4929212345679' }],
    });
    // Accepted (Hoà, 3 h ago); rejected (Lan, 2 h ago; Hoà, 1 h ago): each resent in one language.
    ids.accepted = await visit(ids.hoa, 180);
    ids.rejectedVi = await visit(ids.lan, 120, (enc) => gw.reject.set(enc, REASONS));
    ids.rejectedEn = await visit(ids.hoa, 60, (enc) => gw.reject.set(enc, REASONS));
    await settled(ids.accepted, 'accepted');
    await settled(ids.rejectedVi, 'rejected');
    await settled(ids.rejectedEn, 'rejected');
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    await createAccounts(
      t.url,
      admin,
      [['thu.ngan', 'clinic-staff', `Practitioner/${ids.clerk}`, `Organization/${org}`]],
      PASSWORD,
    );
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await t?.db.drop();
    await gw?.close();
  });

  /** The page's layout and accessibility at its size and language (asserted), and its screenshot. */
  const look = async (page: Page, name: string, lang: Lang, width: number): Promise<void> => {
    const layout = (await page.evaluate(`({
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
      lang: document.documentElement.lang,
      raw: [/\\bundefined\\b/, /\\bNaN\\b/, /\\d{4}-\\d{2}-\\d{2}T\\d{2}:/, /(Encounter|Patient)\\/[0-9a-f-]{8,}/]
        .map((re) => (document.body.innerText.match(re) ?? [])[0]).filter(Boolean),
    })`)) as { overflow: boolean; missing: string[]; lang: string; raw: string[] };
    const axe = blocking(await axeViolations(page)).map((v) => `${v.id}: ${v.targets.join(', ')}`);
    expect({ name, width, ...layout, axe }).toEqual({
      name,
      width,
      lang,
      overflow: false,
      missing: [],
      raw: [],
      axe: [],
    });
    await page.screenshot({ path: join(SHOTS, `claims-${name}-${lang}-${width}.png`), fullPage: true });
  };

  /** The header's language button, as a user switches. */
  const switchTo = async (page: Page, lang: Lang): Promise<void> => {
    if ((await page.locator('html').getAttribute('lang')) === lang) return;
    // The button is written in the language it switches to.
    await page.locator(`header button[lang="${lang}"]`).click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
  };
  const resize = (page: Page, width: number) =>
    page.setViewportSize({ width, height: width < 600 ? 740 : 800 });

  /** `ready` in each language at 360 and 1366 px, then back to `lang` at `width`. */
  const everyWay = async (
    page: Page,
    name: string,
    back: { lang: Lang; width: number },
    ready: (lang: Lang) => Promise<unknown>,
  ): Promise<void> => {
    for (const lang of ['vi', 'en'] as const) {
      await switchTo(page, lang);
      for (const width of [360, 1366]) {
        await resize(page, width);
        await ready(lang);
        await look(page, name, lang, width);
      }
    }
    await switchTo(page, back.lang);
    await resize(page, back.width);
  };

  const row = (page: Page, name: string, status: string) =>
    page
      .getByTestId('insurance-claims')
      .getByRole('row')
      .filter({ hasText: name })
      .filter({ hasText: status });

  let context: BrowserContext;
  let page: Page;

  it('the list from the menu: the rejected claim with its reasons and the accepted one (360/1366, vi/en)', async () => {
    page = await signedInPage(browser, t.url, {
      width: 360,
      lang: 'vi',
      username: 'thu.ngan',
      password: PASSWORD,
      landing: /\/station$/,
    });
    context = page.context();
    await page.getByRole('navigation').getByRole('link', { name: TEXT.vi.nav, exact: true }).click();
    await page.waitForURL(/\/station\/claims$/);
    await page.getByRole('heading', { level: 1, name: TEXT.vi.heading }).waitFor();
    const rejected = row(page, 'Trần Thị Lan', TEXT.vi.rejected);
    await rejected.waitFor();
    // The gateway's reasons, each a line; the accepted visit of Nguyễn Thị Hoà; newest first.
    expect(await rejected.getByRole('listitem').allInnerTexts()).toEqual(REASONS);
    expect(await row(page, 'Nguyễn Thị Hoà', TEXT.vi.accepted).count()).toBe(1);
    expect(await row(page, 'Nguyễn Thị Hoà', TEXT.vi.rejected).count()).toBe(1);
    const names = await page
      .getByTestId('insurance-claims')
      .locator('tbody tr td:first-child a')
      .allInnerTexts();
    expect(names).toEqual(['Nguyễn Thị Hoà', 'Trần Thị Lan', 'Nguyễn Thị Hoà']);
    await everyWay(page, 'list', { lang: 'vi', width: 360 }, (lang) =>
      row(page, 'Trần Thị Lan', TEXT[lang].rejected).waitFor(),
    );
    // Needs attention: the two rejected claims only.
    await page.getByRole('radio', { name: TEXT.vi.attention }).check();
    await page.waitForURL(/\?show=attention$/);
    await until('two claims needing attention', async () =>
      (await page.getByTestId('insurance-claims').locator('tbody tr').count()) === 2 ? true : undefined,
    );
    await look(page, 'list-attention', 'vi', 360);
  }, 60_000);

  it('vi, 360 px: the rejected claim, resent once the gateway stops refusing it, ends accepted', async () => {
    await page.getByRole('link', { name: new RegExp(`^${TEXT.vi.open('Trần Thị Lan')}`) }).click();
    await page.waitForURL(new RegExp(`/station/claims/${ids.rejectedVi}$`));
    const resend = page.getByRole('button', { name: TEXT.vi.resend, exact: true });
    await resend.waitFor();
    await everyWay(page, 'detail-rejected', { lang: 'vi', width: 360 }, (lang) =>
      page.getByRole('button', { name: TEXT[lang].resend, exact: true }).waitFor(),
    );
    gw.reject.delete(ids.rejectedVi!);
    await resend.click();
    await page.getByRole('status').filter({ hasText: TEXT.vi.queued }).waitFor();
    // Read again by the page until the gateway has answered: accepted, the second submission listed.
    await page.locator('dd').filter({ hasText: TEXT.vi.accepted }).first().waitFor({ timeout: 20_000 });
    await until('two submissions shown', async () =>
      (await page.getByTestId('claim-submissions').locator('tbody tr').count()) === 2 ? true : undefined,
    );
    expect(await page.getByRole('status').filter({ hasText: TEXT.vi.queued }).count()).toBe(0);
    await look(page, 'detail-resent', 'vi', 360);
  }, 60_000);

  it('en, 1366 px: the other rejected claim resent and accepted; a cut link shows the error and a retry that works', async () => {
    await switchTo(page, 'en');
    await resize(page, 1366);
    await page.getByRole('link', { name: TEXT.en.back }).click();
    await page.waitForURL(/\/station\/claims$/);
    await row(page, 'Trần Thị Lan', TEXT.en.accepted).waitFor();
    await page
      .getByTestId('insurance-claims')
      .getByRole('link', { name: new RegExp(`^${TEXT.en.open('Nguyễn Thị Hoà')}`) })
      .first()
      .click();
    await page.waitForURL(new RegExp(`/station/claims/${ids.rejectedEn}$`));
    gw.reject.delete(ids.rejectedEn!);
    await page.getByRole('button', { name: TEXT.en.resend, exact: true }).click();
    await page.getByRole('status').filter({ hasText: TEXT.en.queued }).waitFor();
    await page.locator('dd').filter({ hasText: TEXT.en.accepted }).first().waitFor({ timeout: 20_000 });
    await look(page, 'detail-resent', 'en', 1366);

    // The link cut: the list cannot be read — said plainly, with a retry; back online, it works.
    await context.setOffline(true);
    await page.getByRole('navigation').getByRole('link', { name: TEXT.en.nav, exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: TEXT.en.network });
    await alert.waitFor();
    await look(page, 'offline', 'en', 1366);
    await switchTo(page, 'vi');
    await resize(page, 360);
    await page.getByRole('alert').filter({ hasText: TEXT.vi.network }).waitFor();
    await look(page, 'offline', 'vi', 360);
    await context.setOffline(false);
    await page.getByRole('button', { name: TEXT.vi.retry }).click();
    await row(page, 'Nguyễn Thị Hoà', TEXT.vi.accepted).nth(1).waitFor();
    expect(await page.getByTestId('insurance-claims').locator('tbody tr').count()).toBe(3);
    expect(await page.locator('.claim-status').filter({ hasText: TEXT.vi.rejected }).count()).toBe(0);
    await look(page, 'list-after-retry', 'vi', 360);
    await context.close();
  }, 60_000);
});
