import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FhirResource } from '../api';
import { i18next, missingKeys } from '../i18n';
import {
  ALLERGY,
  bundle,
  CONDITION,
  json,
  MEDICATION,
  PATIENT,
  PRACTITIONER,
  summarySearch,
} from './fixtures';
import RecordArea from './RecordArea';
import { recordSummary } from './summary';

const SHRIMP: FhirResource = {
  resourceType: 'AllergyIntolerance',
  id: 'a0',
  clinicalStatus: { coding: [{ code: 'active' }] },
  code: { text: 'Tôm' },
  criticality: 'low',
  patient: { reference: 'Patient/p1' },
  recordedDate: '2024-01-01',
};
const OLD_ALLERGY: FhirResource = {
  ...SHRIMP,
  id: 'a9',
  code: { text: 'Aspirin' },
  clinicalStatus: { coding: [{ code: 'resolved' }] },
};
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
const APPOINTMENT: FhirResource = {
  resourceType: 'Appointment',
  id: 'ap1',
  status: 'booked',
  start: inDays(3),
  end: inDays(3.01),
  serviceType: [
    { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'video' }] },
  ],
  participant: [
    { actor: { reference: 'Patient/p1' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/d1' }, status: 'accepted' },
  ],
};
const PAST_APPOINTMENT: FhirResource = { ...APPOINTMENT, id: 'ap0', start: inDays(-3), end: inDays(-2.99) };
export const RECOMMENDATION: FhirResource = {
  resourceType: 'ImmunizationRecommendation',
  id: 'ir1',
  patient: { reference: 'Patient/p1' },
  date: '2025-05-01T00:00:00Z',
  recommendation: [
    {
      series: 'BCG',
      vaccineCode: [{ text: 'Vắc xin BCG' }],
      forecastStatus: { coding: [{ code: 'complete' }], text: 'complete' },
      seriesDosesPositiveInt: 1,
    },
    {
      series: 'OPV',
      vaccineCode: [{ text: 'Bại liệt uống' }],
      forecastStatus: { coding: [{ code: 'upcoming' }], text: 'upcoming' },
      doseNumberPositiveInt: 1,
      dateCriterion: [
        { code: { coding: [{ system: 'http://loinc.org', code: '30980-7' }] }, value: '2025-07-01' },
      ],
      seriesDosesPositiveInt: 3,
    },
    {
      series: 'DTP-HEPB-HIB',
      vaccineCode: [{ text: '5 trong 1' }],
      forecastStatus: { coding: [{ code: 'overdue' }], text: 'overdue' },
      doseNumberPositiveInt: 1,
      dateCriterion: [
        { code: { coding: [{ system: 'http://loinc.org', code: '30980-7' }] }, value: '2025-05-01' },
      ],
      seriesDosesPositiveInt: 3,
    },
  ],
};

function serve(everything: FhirResource[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/fhir/Patient/p1') return Promise.resolve(json(PATIENT));
      if (url.pathname === '/fhir/Patient/p1/$everything')
        return Promise.resolve(json(bundle([PATIENT, ...everything])));
      const summary = summarySearch(url, everything);
      if (summary) return Promise.resolve(summary);
      if (url.pathname === '/fhir/Practitioner') return Promise.resolve(json(bundle([PRACTITIONER])));
      return Promise.resolve(json({ resourceType: 'OperationOutcome', issue: [] }, 404));
    }),
  );
}
const claims = { sub: 'u1', role: 'patient' as const, patient: 'p1', exp: 9_999_999_999 };

beforeEach(async () => {
  missingKeys.length = 0;
  await act(() => i18next.changeLanguage('vi'));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('recordSummary', () => {
  it('puts high-criticality allergies first, leaves resolved ones out, picks the next appointment', () => {
    const s = recordSummary([
      SHRIMP,
      OLD_ALLERGY,
      ALLERGY,
      CONDITION,
      MEDICATION,
      PAST_APPOINTMENT,
      APPOINTMENT,
      RECOMMENDATION,
    ]);
    expect(s.allergies.map((a) => [a.text, a.high])).toEqual([
      ['Penicillin', true],
      ['Tôm', false],
    ]);
    expect(s.problems.map((p) => p.code)).toEqual(['I10']);
    expect(s.medicines.map((m) => m.text)).toEqual(['Amlodipin 5 mg']);
    expect(s.nextAppointment?.id).toBe('ap1');
    expect(s.vaccines.map((v) => [v.series, v.status])).toEqual([
      ['DTP-HEPB-HIB', 'overdue'],
      ['OPV', 'upcoming'],
    ]);
  });
});

describe('the summary at the top of the record', () => {
  it.each(['vi', 'en'] as const)(
    'comes right after the heading, high-criticality allergy first (%s)',
    async (lang) => {
      await act(() => i18next.changeLanguage(lang));
      serve([SHRIMP, ALLERGY, CONDITION, MEDICATION, APPOINTMENT, RECOMMENDATION]);
      render(<RecordArea path="/record" claims={claims} />);
      const heading = await screen.findByRole('heading', {
        level: 2,
        name: lang === 'vi' ? 'Cần biết trước tiên' : 'Know this first',
      });
      const section = heading.closest('section') as HTMLElement;
      // Nothing but the title and the date of birth comes before it.
      const h1 = screen.getByRole('heading', { level: 1 });
      const before = [...document.querySelectorAll('h2, h3, li')].filter(
        (e) => section.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING,
      );
      expect(before.filter((e) => e !== h1)).toEqual([]);
      const items = within(section)
        .getAllByRole('listitem')
        .map((li) => li.textContent);
      expect(items[0]).toMatch(/^⚠ Penicillin — /);
      expect(items[0]).toContain(lang === 'vi' ? 'Mức độ nghiêm trọng: cao' : 'Criticality: high');
      expect(items[1]).toMatch(/^Tôm/);
      expect(within(section).getByText(/Tăng huyết áp vô căn \(I10\)/)).toBeTruthy();
      expect(within(section).getByText(/Amlodipin 5 mg — Uống 1 viên mỗi sáng/)).toBeTruthy();
      expect(
        within(section).getByText(
          lang === 'vi'
            ? /Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib \(5 trong 1\) — Mũi thứ 1: Quá hạn \(hạn tiêm 01\/05\/2025\)/
            : /Diphtheria - pertussis - tetanus - hepatitis B - Hib \(5-in-1\) — Dose 1: Overdue \(due 01\/05\/2025\)/,
        ),
      ).toBeTruthy();
      expect(await within(section).findByText(/Trần Văn Minh/)).toBeTruthy();
      expect(missingKeys).toEqual([]);
    },
  );
});

describe("a parent on the child's record", () => {
  const child = { sub: 'u1', role: 'patient' as const, patient: 'p1', exp: 9_999_999_999 };
  it.each(['vi', 'en'] as const)('sees the vaccination schedule, not "no information" (%s)', async (lang) => {
    await act(() => i18next.changeLanguage(lang));
    serve([RECOMMENDATION]);
    render(<RecordArea path="/record" claims={child} />);
    const heading = await screen.findByRole('heading', {
      level: 2,
      name: lang === 'vi' ? 'Lịch tiêm chủng' : 'Vaccination schedule',
    });
    const rows = within(heading.closest('section') as HTMLElement)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(rows).toEqual(
      lang === 'vi'
        ? [
            'Quá hạn · hạn tiêm 01/05/2025Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib (5 trong 1) — Mũi thứ 1',
            'Sắp đến hạn · hạn tiêm 01/07/2025Bại liệt uống (OPV) — Mũi thứ 1',
          ]
        : [
            'Overdue · due 01/05/2025Diphtheria - pertussis - tetanus - hepatitis B - Hib (5-in-1) — Dose 1',
            'Coming up · due 01/07/2025Oral polio vaccine (OPV) — Dose 1',
          ],
    );
    expect(
      screen.queryByText(
        lang === 'vi' ? 'Chưa có thông tin nào trong hồ sơ.' : 'There is nothing in the record yet.',
      ),
    ).toBeNull();
    expect(missingKeys).toEqual([]);
  });
});
