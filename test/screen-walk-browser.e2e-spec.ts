import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { COMMON_MESSAGES } from '../apps/portal/src/shell/messages';
import { closeBrowserWorld, signedInPage, startBrowserWorld } from './support/browser';
import { PASSWORD, type SchedulingWorld } from './support/scheduling-world';
import { seedStationScreens } from './support/station-seed';
import type { TestApp } from './support/test-app';

/** Screenshots of every screen for review (issue 18: "look at every screen again"), git-ignored. */
const SHOTS = join(__dirname, '..', 'test-output', 'screen-walk');

const COMBOS = [
  [360, 'vi'],
  [360, 'en'],
  [1366, 'vi'],
  [1366, 'en'],
] as const;

/** Each role's menu, as the portal's header lists it (apps/portal/src/App.tsx NAV), in its own words. */
const label = (key: keyof typeof COMMON_MESSAGES.vi.nav) => ({
  vi: COMMON_MESSAGES.vi.nav[key],
  en: COMMON_MESSAGES.en.nav[key],
});
const MENUS: Record<string, { user: string; items: Record<'vi' | 'en', string>[] }> = {
  patient: {
    user: 'patient.a',
    items: (['record', 'appointments', 'book', 'audit', 'sharing'] as const).map(label),
  },
  doctor: { user: 'doctor', items: (['today', 'availability', 'alerts', 'econsult'] as const).map(label) },
  nurse: {
    user: 'nurse',
    items: (['patients', 'register', 'alerts', 'roster', 'claims'] as const).map(label),
  },
};

/** Polls an expression in the page (the portal's CSP forbids the eval behind waitForFunction). */
async function until(page: Page, expression: string, what: string, timeoutMs = 20000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} on ${page.url()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Look {
  path: string;
  title: string;
  h1: string[];
  overflow: boolean;
  missing: string[];
  /** Server or programmer text that must never reach a user. */
  raw: string[];
  busy: boolean;
}

const lookOf = (page: Page): Promise<Look> =>
  page.evaluate(`(() => {
    const text = document.body.innerText;
    return {
      path: location.pathname,
      title: document.title,
      h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
      overflow: document.documentElement.scrollWidth > window.innerWidth,
      missing: window.mekongMissingKeys ?? [],
      raw: [/Internal server error/i, /\\bundefined\\b/, /\\bNaN\\b/, /\\[object Object\\]/, /\\d{4}-\\d{2}-\\d{2}T\\d{2}:/, /[A-Z][a-z]+\\/[0-9a-f-]{8,}/]
        .map((re) => (text.match(re) ?? [])[0]).filter(Boolean),
      busy: !!document.querySelector('[aria-busy="true"]'),
    };
  })()`);

/**
 * Issue 18's closing walk: every screen of each role's menu, reached through the menu as a user
 * would (a click, not an address), at 360 and 1366 px, in Vietnamese and English. Each screen has
 * one top-level heading that names it and the page title, fits the width, uses no missing
 * translation, and shows no raw server text (ISO timestamps, resource references, "undefined");
 * a screenshot of each goes to test-output/screen-walk/ to be looked at.
 */
describe('screen walk: every menu screen of each role at 360 and 1366 px, vi and en (Chromium)', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let browser: Browser;

  beforeAll(async () => {
    ({ t, w, browser } = await startBrowserWorld({ MEDIA_WORKERS: '0' }));
    mkdirSync(SHOTS, { recursive: true });
    // Something on each screen: a child due for vaccines, A's visit tomorrow, a reading in A's record.
    await seedStationScreens(w, { visitor: w.ids.A! });
  }, 60_000);
  afterAll(() => closeBrowserWorld(browser, t));

  for (const [role, menu] of Object.entries(MENUS)) {
    it(`${role}: every screen of the menu`, async () => {
      const seen: Look[] = [];
      for (const [width, lang] of COMBOS) {
        const page = await signedInPage(browser, t.url, {
          width,
          lang,
          username: menu.user,
          password: PASSWORD,
        });
        for (const [i, item] of menu.items.entries()) {
          const nav = page.getByRole('navigation').getByRole('link', { name: item[lang], exact: true });
          await nav.click();
          await until(
            page,
            `document.querySelector('a[aria-current="page"]')?.textContent === ${JSON.stringify(item[lang])}`,
            `the menu to mark ${item[lang]}`,
          );
          await page.locator('main h1').first().waitFor({ timeout: 20000 });
          // Loaded: nothing busy and no "loading" status left.
          await until(
            page,
            `!document.querySelector('[aria-busy="true"]') && ![...document.querySelectorAll('[role=status]')].some((s) => /^(Đang tải|Loading)/.test(s.textContent.trim()))`,
            'the screen to load',
          );
          await page.waitForLoadState('networkidle');
          const look = await lookOf(page);
          seen.push(look);
          expect({ role, width, lang, item: item[lang], ...look, path: undefined, title: undefined }).toEqual(
            {
              role,
              width,
              lang,
              item: item[lang],
              h1: [expect.any(String)],
              overflow: false,
              missing: [],
              raw: [],
              busy: false,
            },
          );
          // The title names the screen.
          expect(look.title).toContain(look.h1[0]!);
          await page.screenshot({
            path: join(SHOTS, `${role}-${i + 1}-${lang}-${width}.png`),
            fullPage: true,
          });
        }
        await page.context().close();
      }
      // Each menu item leads to its own screen, the same in both languages and widths.
      const paths = [...new Set(seen.map((s) => s.path))];
      expect(paths).toHaveLength(menu.items.length);
    }, 240_000);
  }
});
