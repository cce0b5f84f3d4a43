import { type Browser, chromium, type Page } from 'playwright-core';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { PASSWORD, schedulingWorld, type SchedulingWorld } from './scheduling-world';
import { startApp, type TestApp } from './test-app';

/** Debian's Chromium with fake camera and microphone (DEVELOPERS.md "Browser tests"). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** The portal's sign-in labels, as a user reads them in each language. */
export const SIGN_IN_TEXT = {
  vi: { username: 'Tên đăng nhập', password: 'Mật khẩu', signIn: 'Đăng nhập' },
  en: { username: 'Username', password: 'Password', signIn: 'Sign in' },
} as const;

/**
 * A new browser context at `width` px (a phone below 600 px) in `lang`, Vietnam's time zone, signed
 * in through the portal's own form as `username`; waits until the portal has left the sign-in page
 * (`landing`: the address it must reach, default any page but sign-in). `password` defaults to the
 * scheduling world's.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  o: {
    width: number;
    lang: 'vi' | 'en';
    username: string;
    password?: string;
    landing?: RegExp | ((url: URL) => boolean);
  },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: o.width, height: o.width < 600 ? 740 : 800 },
    locale: o.lang === 'vi' ? 'vi-VN' : 'en-GB',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  await context.addInitScript({ content: `localStorage.setItem('mekong.lang', ${JSON.stringify(o.lang)});` });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  const text = SIGN_IN_TEXT[o.lang];
  await page.getByLabel(text.username).fill(o.username);
  await page.getByLabel(text.password).fill(o.password ?? PASSWORD);
  await page.getByRole('button', { name: text.signIn }).click();
  await page.waitForURL(o.landing ?? ((u) => !u.pathname.startsWith('/signin') && u.pathname !== '/'));
  return page;
}

/** What a browser suite runs against: the platform app on a fresh database, its world, Chromium. */
export interface BrowserWorld {
  t: TestApp;
  w: SchedulingWorld;
  browser: Browser;
}

/**
 * Starts the platform app with `env` (on a fresh database), makes the scheduling world in it and
 * launches Chromium; if a step fails, what was started is stopped again before the error is thrown.
 */
export async function startBrowserWorld(env: Record<string, string> = {}): Promise<BrowserWorld> {
  const t = await startApp(PlatformModule.register, env);
  try {
    const w = await schedulingWorld(t);
    const browser = await launchChromium();
    return { t, w, browser };
  } catch (e) {
    await closeBrowserWorld(undefined, t);
    throw e;
  }
}

/** Closes Chromium and the app and drops its database (each if it was started). */
export async function closeBrowserWorld(browser: Browser | undefined, t: TestApp | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
  await t?.db.drop();
}
