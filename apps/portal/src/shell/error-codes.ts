/**
 * Server errors carry a code (the non-FHIR body's `code`, an OperationOutcome issue's
 * `details.coding` in the error-code system, or a leading `AREA.CODE` in its text); the portal shows
 * its own sentence for it in the user's language (namespace `errorCodes`, key = the code with
 * `_` for `.`). A message without a known code is never shown in two languages at once: only the
 * half of a "English / Tiếng Việt" text in the user's language (issue 18 item 13).
 */
import { ApiError } from '../api';

export const ERROR_CODE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/error-code';

const CODE = /^[A-Z][A-Z0-9_]*\.[A-Z0-9_]+$/;
const LEADING_CODE = /^([A-Z][A-Z0-9_]*\.[A-Z0-9_]+)[: ]/;

/** The project's error code an API error carries, if any. */
export function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || !error.body || typeof error.body !== 'object') return undefined;
  const body = error.body as {
    code?: unknown;
    issue?: {
      diagnostics?: string;
      details?: { text?: string; coding?: { system?: string; code?: string }[] };
    }[];
  };
  if (typeof body.code === 'string' && CODE.test(body.code)) return body.code;
  for (const issue of body.issue ?? []) {
    const coded = issue.details?.coding?.find((c) => c.system === ERROR_CODE_SYSTEM && c.code)?.code;
    if (coded) return coded;
    for (const text of [issue.details?.text, issue.diagnostics]) {
      const m = text ? (LEADING_CODE.exec(text) ?? (CODE.test(text) ? [text, text] : null)) : null;
      if (m) return m[1];
    }
  }
  return undefined;
}

/** The i18next key of a code (`CARE.NEWS2_ALERT_ACTIVE` → `CARE_NEWS2_ALERT_ACTIVE`). */
export const errorCodeKey = (code: string): string => code.replace(/\./g, '_');

const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ]/i;

/**
 * The part of a bilingual server text ("English / Tiếng Việt", or several such parts) in `lang`;
 * the whole text when it has no part in that language.
 */
export function localHalf(message: string, lang: string): string {
  const parts = message.split(' / ');
  if (parts.length < 2) return message;
  const vi = parts.filter((p) => VIETNAMESE.test(p));
  const en = parts.filter((p) => !VIETNAMESE.test(p));
  const mine = lang.startsWith('en') ? en : vi;
  return mine.length > 0 ? mine.join(' / ').trim() : message;
}
