import type { Browser, Page } from 'playwright-core';
import { type AxeViolation, axeViolations, blocking, until } from './support/a11y';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { appointmentBody, postSlot, type SchedulingWorld } from './support/scheduling-world';
import type { TestApp } from './support/test-app';

const BRAND = 'Mekong Health';
/** Phones at the commune stations (Vietnamese) and a clinic laptop (English). */
const RUNS = [
  { width: 360, lang: 'vi' },
  { width: 1366, lang: 'en' },
] as const;

/** What one screen showed: its h1s, its title, and what axe found. */
interface ScreenCheck {
  screen: string;
  h1s: string[];
  title: string;
  violations: AxeViolation[];
}

/**
 * Issue 18 "Accessibility" in Debian's Chromium through the built portal: every main screen of each
 * role (patient, commune station staff, doctor; and the sign-in page) at 360 px (vi) and 1366 px (en)
 * has exactly one h1, the title "<h1> — Mekong Health", and no serious or critical WCAG 2.2 A/AA
 * violation as axe-core (test/support/a11y.ts) sees it; and a keyboard-only run: the skip link comes
 * first and moves focus into main, a patient reaches and opens "Đặt lịch khám" with Tab and Enter,
 * focus then lands on the new screen's h1, and every element Tab reaches shows a focus ring.
 *
 * Moderate violations are printed (not failed): none are known at the time of writing.
 */
describe('accessibility of the main screens (Chromium, axe-core, keyboard)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;
  let encounter: string;
  let appointment: string;
  const moderate: string[] = [];
  let screens = 0;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({
      JOB_POLL_SECONDS: '0.5',
      MEDIA_WORKERS: '0',
      CONSULT_MARGIN_MINUTES: '60',
    }));
    // An upcoming appointment (cards with Đổi lịch / Hủy lịch, the doctor's day) and a past visit.
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 10 * 60_000), 20);
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slot, w.ids.A!, w.ids.doctor!),
    );
    if (booked.status !== 201) throw new Error(`Appointment ${booked.status} ${JSON.stringify(booked.body)}`);
    appointment = booked.body.id as string;
    const found = await w.sys.get(`Encounter?subject=Patient/${w.ids.A!}`);
    const entry = (found.body.entry as { resource: { id: string } }[] | undefined)?.[0];
    if (!entry) throw new Error('no Encounter for patient A');
    encounter = entry.resource.id;
  });
  afterAll(async () => {
    process.stdout.write(
      `axe: ${screens} screens checked; moderate/minor findings: ${moderate.length}\n${moderate.join('\n')}\n`,
    );
    await closeBrowserWorld(browser, t);
  });

  /** Opens `path` (a full load), waits for the screen and its data, and checks it. */
  const check = async (page: Page, path: string, label: string): Promise<ScreenCheck> => {
    await page.goto(`${t.url}${path}`);
    await page.locator('main h1').first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
    await until(page, `!document.querySelector('main [aria-busy="true"]')`);
    const seen = (await page.evaluate(`({
      h1s: [...document.querySelectorAll('h1')].map((h) => h.textContent.replace(/\\s+/g, ' ').trim()),
      title: document.title,
    })`)) as { h1s: string[]; title: string };
    const violations = await axeViolations(page);
    screens++;
    for (const v of violations.filter((x) => !blocking([x]).length))
      moderate.push(`${label}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`);
    return { screen: label, ...seen, violations: blocking(violations) };
  };
  /** Every screen: one h1, titled after it, nothing serious or critical. */
  const expectAccessible = (checks: ScreenCheck[]): void => {
    const problems = checks.flatMap((c) => [
      ...(c.h1s.length === 1 ? [] : [`${c.screen}: ${c.h1s.length} h1 (${c.h1s.join(' | ')})`]),
      ...(c.h1s.length === 1 && c.title !== `${c.h1s[0]} — ${BRAND}`
        ? [`${c.screen}: title "${c.title}"`]
        : []),
      ...c.violations.map((v) => `${c.screen}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(', ')}`),
    ]);
    expect(problems).toEqual([]);
  };
  const signIn = (username: string, width: number, lang: 'vi' | 'en'): Promise<Page> =>
    signedInPage(browser, t.url, { width, lang, username });

  it('the sign-in page and the patient’s screens (360 px vi, 1366 px en)', async () => {
    const checks: ScreenCheck[] = [];
    for (const { width, lang } of RUNS) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      await context.addInitScript({ content: `localStorage.setItem('mekong.lang', '${lang}');` });
      const signInPage = await context.newPage();
      checks.push(await check(signInPage, '/', `sign-in ${width} ${lang}`));
      // The checker itself sees a fault when there is one (an image without a text alternative).
      await signInPage.evaluate(`document.querySelector('main').append(document.createElement('img'))`);
      expect((await axeViolations(signInPage)).map((v) => v.id)).toContain('image-alt');
      await context.close();

      const page = await signIn('patient.a', width, lang);
      for (const path of [
        '/record',
        '/appointments',
        '/appointments/book',
        '/record/audit',
        '/record/sharing',
        `/record/visit/${encounter}`,
      ])
        checks.push(await check(page, path, `patient ${path} ${width} ${lang}`));
      // The appointment's buttons say which appointment they act on.
      await page.goto(`${t.url}/appointments`);
      const cancel = page.getByRole('button', {
        name: lang === 'vi' ? /^Hủy lịch khám lúc/ : /^Cancel appointment at/,
      });
      await cancel.first().waitFor({ timeout: 15_000 });
      expect(await cancel.first().getAttribute('aria-label')).toMatch(/Trần|Minh/);
      await page.context().close();
    }
    expectAccessible(checks);
  }, 120_000);

  it('the commune station staff’s and the doctor’s screens (360 px vi, 1366 px en)', async () => {
    const checks: ScreenCheck[] = [];
    for (const { width, lang } of RUNS) {
      const nurse = await signIn('nurse', width, lang);
      for (const path of [
        '/station',
        '/station/register',
        `/station/patient/${w.ids.B}`,
        '/station/alerts',
        '/station/roster',
      ])
        checks.push(await check(nurse, path, `nurse ${path} ${width} ${lang}`));
      await nurse.context().close();

      const doctor = await signIn('doctor', width, lang);
      for (const path of [
        '/doctor',
        '/doctor/availability',
        '/doctor/alerts',
        '/doctor/econsult',
        `/visit/${appointment}`,
      ])
        checks.push(await check(doctor, path, `doctor ${path} ${width} ${lang}`));
      await doctor.context().close();
    }
    expectAccessible(checks);
  }, 120_000);

  it('keyboard only: skip link first, into main; a patient reaches and opens "Đặt lịch khám"; focus always visible', async () => {
    const page = await signIn('patient.a', 1366, 'vi');
    await page.goto(`${t.url}/record`);
    await page.locator('main h1').first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);

    /** The focused element: what it is and whether a focus ring shows (outline or box-shadow). */
    const focused = async () =>
      (await page.evaluate(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { tag: 'body', text: '', ring: false };
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        return {
          tag: el.tagName.toLowerCase(),
          id: el.id,
          className: String(el.className),
          text: (el.getAttribute('aria-label') || el.textContent || '').replace(/\\s+/g, ' ').trim(),
          inMain: !!el.closest('main'),
          ring: outline || (s.boxShadow !== 'none' && s.boxShadow !== ''),
        };
      })()`)) as {
        tag: string;
        id?: string;
        className?: string;
        text: string;
        inMain?: boolean;
        ring: boolean;
      };

    // 1. The first Tab reaches the skip link, which shows its ring; Enter moves focus into main.
    await page.keyboard.press('Tab');
    const skip = await focused();
    expect(skip).toMatchObject({
      tag: 'a',
      className: 'skip',
      text: 'Bỏ qua, đến nội dung chính',
      ring: true,
    });
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ id: 'main' });
    await page.keyboard.press('Tab');
    const firstInMain = await focused();
    expect(firstInMain).toMatchObject({ inMain: true, ring: true });

    // 2. From the top again: Tab until "Đặt lịch khám" (the navigation), every stop visibly focused.
    await page.goto(`${t.url}/record`);
    await page.locator('main h1').first().waitFor({ timeout: 20_000 });
    const stops: { tag: string; text: string; ring: boolean }[] = [];
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      stops.push({ tag: f.tag, text: f.text, ring: f.ring });
      if (f.tag === 'a' && f.text === 'Đặt lịch khám') break;
    }
    expect(stops.at(-1)).toEqual({ tag: 'a', text: 'Đặt lịch khám', ring: true });
    expect(stops.filter((s) => !s.ring)).toEqual([]);

    // 3. Enter opens the booking screen: its h1 takes the focus and names the page.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/appointments\/book$/);
    await until(page, 'document.activeElement && document.activeElement.tagName === "H1"', 15_000);
    expect(await focused()).toMatchObject({ tag: 'h1', text: 'Đặt lịch khám' });
    expect(await page.title()).toBe(`Đặt lịch khám — ${BRAND}`);

    // 4. Onwards through the symptom check with Tab: every stop (radios included) shows its ring.
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
    const formStops: { tag: string; text: string; ring: boolean }[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      formStops.push({ tag: f.tag, text: f.text.slice(0, 60), ring: f.ring });
    }
    expect(formStops.filter((s) => !s.ring)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
