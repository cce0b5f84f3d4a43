import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import '../booking/messages';
import { i18next, missingKeys } from '../i18n';
import { ALLERGY, bundle, CONDITION, json, MEDICATION, PATIENT, summarySearch } from './fixtures';
import RecordArea from './RecordArea';

const claims = { sub: 'u1', role: 'patient' as const, patient: 'p1', exp: 9_999_999_999 };

beforeEach(async () => {
  missingKeys.length = 0;
  await act(() => i18next.changeLanguage('vi'));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The status line of the timeline card whose title is `title`. */
const statusOf = (title: string): string =>
  screen.getByText(title).closest('li')?.querySelector('.entry-meta')?.textContent ?? '';

describe('word choice (issue 18 item 7)', () => {
  it('says "Đang mắc", "Đang dùng", "Còn hiệu lực" and "Mức độ nghiêm trọng", not one "Đang có"', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((input: string) => {
        const url = new URL(input, 'http://localhost');
        if (url.pathname === '/fhir/Patient/p1') return Promise.resolve(json(PATIENT));
        if (url.pathname === '/fhir/Patient/p1/$everything')
          return Promise.resolve(json(bundle([PATIENT, CONDITION, MEDICATION, ALLERGY])));
        const summary = summarySearch(url, [CONDITION, MEDICATION, ALLERGY]);
        if (summary) return Promise.resolve(summary);
        return Promise.resolve(json(bundle([])));
      }),
    );
    render(<RecordArea path="/record" claims={claims} />);
    await screen.findByRole('heading', { level: 2, name: 'Dòng thời gian' });
    expect(statusOf('Chẩn đoán: Tăng huyết áp vô căn')).toMatch(/· Đang mắc$/);
    expect(statusOf('Amlodipin 5 mg')).toMatch(/· Đang dùng$/);
    expect(statusOf('Dị ứng: Penicillin')).toMatch(/· Còn hiệu lực$/);
    expect(screen.getAllByText(/Mức độ nghiêm trọng: cao/).length).toBeGreaterThan(0);
    expect(document.body.textContent).not.toMatch(/Đang có|nguy hiểm/);
    expect(screen.getByRole('heading', { level: 3, name: 'Bệnh đang mắc' })).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('calls a patient in the waiting room "Đang chờ khám", not "Đã vào khám"', () => {
    expect(i18next.t('status.arrived', { ns: 'booking', lng: 'vi' })).toBe('Đang chờ khám');
    expect(i18next.t('status.arrived', { ns: 'booking', lng: 'en' })).toBe('In the waiting room');
    expect(i18next.t('sharing.state.active', { ns: 'record', lng: 'vi' })).toBe('Còn hiệu lực');
  });
});
