import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { ERROR_CODE_MESSAGES } from './shell/error-messages';
import { COMMON_MESSAGES } from './shell/messages';
import { VISIT_MESSAGES } from './visit/visit-messages';

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];
const LANG_KEY = 'mekong.lang';

/** Keys i18next could not find (every visible string must be translated; the browser tests read this). */
export const missingKeys: string[] = [];

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    /* storage blocked: default */
  }
  return 'vi';
}

const resources: Resource = {
  vi: { common: COMMON_MESSAGES.vi, visit: VISIT_MESSAGES.vi, errorCodes: ERROR_CODE_MESSAGES.vi },
  en: { common: COMMON_MESSAGES.en, visit: VISIT_MESSAGES.en, errorCodes: ERROR_CODE_MESSAGES.en },
};

void i18next.use(initReactI18next).init({
  resources,
  lng: initialLocale(),
  fallbackLng: false,
  defaultNS: 'common',
  ns: ['common', 'visit', 'errorCodes'],
  interpolation: { escapeValue: false },
  returnNull: false,
  saveMissing: true,
  missingKeyHandler: (_lngs, ns, key) => {
    missingKeys.push(`${ns}:${key}`);
  },
});

(globalThis as { mekongMissingKeys?: string[] }).mekongMissingKeys = missingKeys;

/**
 * Adds an area's strings (lazy-loaded areas register theirs when their code loads). Every area
 * keeps Vietnamese and English side by side, `{ vi: {...}, en: {...} }`, with the same keys.
 */
export function registerMessages(ns: string, messages: { vi: object; en: object }): void {
  if (i18next.hasResourceBundle('vi', ns)) return;
  i18next.addResourceBundle('vi', ns, messages.vi);
  i18next.addResourceBundle('en', ns, messages.en);
}

export function setLocale(locale: Locale): void {
  void i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LANG_KEY, locale);
  } catch {
    /* ignore */
  }
}

export { i18next };
