import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { ERROR_CODE_SYSTEM, errorCodeKey, errorCodeOf, localHalf } from './error-codes';
import { ERROR_CODE_MESSAGES } from './error-messages';

/** Every `AREA.CODE` string the server's sources can answer with. */
function serverCodes(): Set<string> {
  const root = join(__dirname, '../../../../libs');
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.spec.ts'))
        for (const m of readFileSync(path, 'utf8').matchAll(
          /'((?:AUTH|CARE|SCHEDULING|BREAK_GLASS|TERMINOLOGY|CLAIMS)\.[A-Z_]+)'/g,
        ))
          codes.add(m[1]!);
    }
  };
  walk(root);
  return codes;
}

describe('server error codes → the portal’s own sentence (issue 18 item 13)', () => {
  it('finds the code in a non-FHIR body, an OperationOutcome coding, or a leading AREA.CODE', () => {
    expect(errorCodeOf(new ApiError(409, 'x', { code: 'SCHEDULING.OVERLAP', message: 'x' }))).toBe(
      'SCHEDULING.OVERLAP',
    );
    expect(
      errorCodeOf(
        new ApiError(409, 'x', {
          resourceType: 'OperationOutcome',
          issue: [{ details: { coding: [{ system: ERROR_CODE_SYSTEM, code: 'SCHEDULING.SLOT_TAKEN' }] } }],
        }),
      ),
    ).toBe('SCHEDULING.SLOT_TAKEN');
    expect(
      errorCodeOf(
        new ApiError(422, 'x', {
          resourceType: 'OperationOutcome',
          issue: [{ diagnostics: 'CARE.REASON_OTHER_NEEDS_CLINICIAN: a reason … / Lý do …' }],
        }),
      ),
    ).toBe('CARE.REASON_OTHER_NEEDS_CLINICIAN');
    // Generic status codes are not the project's codes.
    expect(errorCodeOf(new ApiError(400, 'x', { code: 'BAD_REQUEST' }))).toBeUndefined();
    expect(errorCodeOf(new Error('x'))).toBeUndefined();
  });

  it('a bilingual text is shown in one language only', () => {
    const text =
      'These hours overlap slots this practitioner already has / Giờ làm việc trùng với khung giờ đã có';
    expect(localHalf(text, 'vi')).toBe('Giờ làm việc trùng với khung giờ đã có');
    expect(localHalf(text, 'en')).toBe('These hours overlap slots this practitioner already has');
    const three =
      'Call 115 / go to the nearest emergency department now / Gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay';
    expect(localHalf(three, 'en')).toBe('Call 115 / go to the nearest emergency department now');
    expect(localHalf(three, 'vi')).toBe('Gọi 115 hoặc đến cơ sở cấp cứu gần nhất ngay');
    expect(localHalf('Only English here', 'vi')).toBe('Only English here');
  });

  it('the catalogue has the same codes in Vietnamese and English, each a sentence in that language', () => {
    expect(Object.keys(ERROR_CODE_MESSAGES.en).sort()).toEqual(Object.keys(ERROR_CODE_MESSAGES.vi).sort());
    for (const [key, vi] of Object.entries(ERROR_CODE_MESSAGES.vi)) {
      const en = ERROR_CODE_MESSAGES.en[key as keyof typeof ERROR_CODE_MESSAGES.en];
      expect(vi).not.toBe(en);
      expect(vi).not.toContain(' / ');
      expect(en).not.toContain(' / ');
    }
  });

  it('every scheduling, care, break-glass, terminology and claims code the server can send has a sentence', () => {
    const missing = [...serverCodes()]
      .filter((c) => !c.startsWith('AUTH.'))
      .filter((c) => !(errorCodeKey(c) in ERROR_CODE_MESSAGES.vi));
    expect(missing).toEqual([]);
  });
});
