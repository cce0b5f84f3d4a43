import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FhirResource } from '../api';
import { i18next, missingKeys } from '../i18n';
import { bundle, json, PATIENT } from './fixtures';
import RecordArea from './RecordArea';

// One set as the station's form writes it (docs/care.md § Early warning): one time, LOINC codes,
// UCUM units in `unit` ("mm[Hg]", "/min", "Cel"), ACVPU as SNOMED CT, and the server's NEWS2.
const WHEN = '2025-04-02T03:15:00.000Z';
const CATEGORY = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
];
const obs = (id: string, code: string, display: string, extra: Record<string, unknown>): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: CATEGORY,
  code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: WHEN,
  ...extra,
});
const q = (value: number, unit: string) => ({ value, unit, system: 'http://unitsofmeasure.org', code: unit });
const SET: FhirResource[] = [
  obs('v1', '8867-4', 'Heart rate', { valueQuantity: q(112, '/min') }),
  obs('v2', '85354-9', 'Blood pressure panel with all children optional', {
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: q(150, 'mm[Hg]') },
      { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: q(95, 'mm[Hg]') },
    ],
  }),
  obs('v3', '59408-5', 'Oxygen saturation', { valueQuantity: q(95, '%') }),
  obs('v4', '8310-5', 'Body temperature', { valueQuantity: q(38.4, 'Cel') }),
  obs('v5', '9279-1', 'Respiratory rate', { valueQuantity: q(22, '/min') }),
  obs('v6', '3151-8', 'Inhaled oxygen flow rate', { valueQuantity: q(0, 'L/min') }),
  obs('v7', '67775-7', 'Level of responsiveness', {
    valueCodeableConcept: {
      coding: [{ system: 'http://snomed.info/sct', code: '248234008', display: 'Mentally alert' }],
      text: 'A',
    },
  }),
  {
    resourceType: 'Observation',
    id: 'news2',
    status: 'final',
    category: [{ coding: [{ code: 'survey' }] }],
    code: { coding: [{ system: 'http://snomed.info/sct', code: '1104051000000101' }], text: 'NEWS2 total' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: WHEN,
    valueInteger: 5,
    interpretation: [
      { coding: [{ system: 'https://fhir.mekong.health/CodeSystem/news2-response', code: 'urgent' }] },
    ],
  },
];

function serve() {
  vi.stubGlobal(
    'fetch',
    vi.fn((input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/fhir/Patient/p1') return Promise.resolve(json(PATIENT));
      if (url.pathname === '/fhir/Patient/p1/$everything')
        return Promise.resolve(json(bundle([PATIENT, ...SET])));
      if (url.pathname === '/fhir/Goal') return Promise.resolve(json(bundle([])));
      return Promise.resolve(json(bundle([])));
    }),
  );
}
const patient = { sub: 'u1', role: 'patient' as const, patient: 'p1', exp: 9_999_999_999 };
const doctor = { sub: 'u2', role: 'practitioner' as const, fhirUser: 'Practitioner/d1', exp: 9_999_999_999 };

beforeEach(async () => {
  missingKeys.length = 0;
  await act(() => i18next.changeLanguage('vi'));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const cards = () => [...document.querySelectorAll('.record-timeline .entry-vital')] as HTMLElement[];

describe('a vitals set on the timeline', () => {
  it('is one card, units and codes in Vietnamese, the NEWS2 score kept from a patient', async () => {
    serve();
    render(<RecordArea path="/record" claims={patient} />);
    await screen.findByRole('heading', { level: 2, name: 'Dòng thời gian' });
    expect(cards()).toHaveLength(1);
    const text = cards()[0]?.textContent ?? '';
    expect(text).toContain('Đo sinh hiệu');
    expect(text).toContain('Huyết áp: 150/95 mmHg');
    expect(text).toContain('Nhịp tim: 112 lần/phút');
    expect(text).toContain('Nhiệt độ cơ thể: 38,4 °C');
    expect(text).toContain('Thở oxy: không (thở khí trời)');
    expect(text).toContain('Mức độ tỉnh táo: Tỉnh táo (A)');
    expect(text).not.toMatch(/mm\[Hg\]|Level of responsiveness|NEWS2/);
    expect(document.body.textContent).not.toMatch(/mm\[Hg\]|NEWS2/);
    expect(missingKeys).toEqual([]);
  });

  it.each(['vi', 'en'] as const)('shows a clinician the NEWS2 score with its meaning (%s)', async (lang) => {
    await act(() => i18next.changeLanguage(lang));
    serve();
    render(<RecordArea path="/record/p1" claims={doctor} />);
    await screen.findByRole('heading', { level: 2, name: lang === 'vi' ? 'Dòng thời gian' : 'Timeline' });
    expect(cards()).toHaveLength(1);
    const text = cards()[0]?.textContent ?? '';
    expect(text).toContain(
      lang === 'vi'
        ? 'Điểm NEWS2: 5 — khẩn, bác sĩ đánh giá ngay, cân nhắc chuyển tuyến'
        : 'NEWS2 score: 5 — urgent, a doctor assesses now, consider referral',
    );
    expect(text).toContain(lang === 'vi' ? 'Huyết áp: 150/95 mmHg' : 'Blood pressure: 150/95 mmHg');
    expect(text).toContain(
      lang === 'vi' ? 'Mức độ tỉnh táo: Tỉnh táo (A)' : 'Level of consciousness: Alert (A)',
    );
    expect(missingKeys).toEqual([]);
  });
});
