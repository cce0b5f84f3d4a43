import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { type FetchCall, fhirAnswer, stubFetch } from '../test-fetch';
import './messages';
import { NEWS2_CODE } from './news2-response';
import { VitalsForm } from './VitalsForm';

const type = (id: string, value: string) =>
  fireEvent.change(document.getElementById(id) as HTMLInputElement, { target: { value } });

/** The NEWS2 Observation the server wrote for the set (docs/care.md § Early warning). */
const news2Observation = (value: number | undefined, response?: string) => ({
  resourceType: 'Observation',
  id: 'n1',
  ...(value !== undefined ? { valueInteger: value } : {}),
  ...(response
    ? {
        interpretation: [
          { coding: [{ system: 'https://fhir.mekong.health/CodeSystem/news2-response', code: response }] },
        ],
      }
    : {}),
});

let news2: () => Response;
let calls: FetchCall[];
beforeEach(() => {
  missingKeys.length = 0;
  news2 = () => fhirAnswer(200, { resourceType: 'Bundle', entry: [] });
  calls = stubFetch((call) => {
    if (call.url === '/fhir' && call.method === 'POST')
      return fhirAnswer(200, { resourceType: 'Bundle', type: 'transaction-response', entry: [] });
    if (call.url.startsWith('/fhir/Observation?')) return news2();
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

async function save(): Promise<void> {
  type('vit-heartRate', '115');
  type('vit-respiratoryRate', '26');
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: /Lưu sinh hiệu|Save vital signs/ }));
    await Promise.resolve();
  });
}

describe('vitals form: the NEWS2 the server computed, right after saving', { timeout: 30_000 }, () => {
  it('shows score 13 and the emergency response (call 115) in red, and says the station was alerted', async () => {
    news2 = () =>
      fhirAnswer(200, { resourceType: 'Bundle', entry: [{ resource: news2Observation(13, 'emergency') }] });
    render(<VitalsForm patientId="p1" performer="Practitioner/n1" />);
    await save();
    const panel = await screen.findByRole('alert');
    expect(panel.className).toContain('news2-emergency');
    expect(panel.textContent).toContain('NEWS2: 13 điểm');
    expect(panel.textContent).toContain('CẤP CỨU – gọi 115');
    expect(panel.textContent).toContain('Gọi 115 ngay');
    expect(panel.textContent).toContain('Cảnh báo đã được gửi tới nhân viên trạm.');
    expect(screen.getByRole('status').textContent).toBe('Đã lưu 2 chỉ số sinh hiệu vào hồ sơ.');
    // The score is read from the server's NEWS2 Observation of this set, never computed here.
    const [posted, search] = calls;
    const effective = (posted!.body as { entry: { resource: { effectiveDateTime: string } }[] }).entry[0]!
      .resource.effectiveDateTime;
    const query = new URL(search!.url, 'http://x').searchParams;
    expect(Object.fromEntries(query)).toEqual({
      patient: 'Patient/p1',
      code: NEWS2_CODE,
      date: `ge${effective}`,
      _sort: '-date',
      _count: '1',
    });

    await act(() => i18next.changeLanguage('en'));
    expect(panel.textContent).toContain('NEWS2: 13 points');
    expect(panel.textContent).toContain('EMERGENCY – call 115');
    expect(missingKeys).toEqual([]);
  });

  it('one wording and colour per RCP Chart 4 response; an incomplete set has no total and asks for the rest', async () => {
    const cases: [number | undefined, string | undefined, string, string][] = [
      [6, 'urgent', 'news2-urgent', 'KHẨN – chuyển tuyến'],
      [3, 'urgent-review', 'news2-urgent-review', 'CẦN BÁC SĨ ĐÁNH GIÁ KHẨN'],
      [2, 'assess', 'news2-assess', 'Nguy cơ thấp – điều dưỡng đánh giá'],
      [0, 'routine', 'news2-routine', 'Nguy cơ thấp – theo dõi thường quy'],
      [undefined, undefined, 'news2-unknown', 'NEWS2: chưa đủ chỉ số'],
    ];
    for (const [value, response, className, words] of cases) {
      news2 = () =>
        fhirAnswer(200, { resourceType: 'Bundle', entry: [{ resource: news2Observation(value, response) }] });
      render(<VitalsForm patientId="p1" />);
      await save();
      const panel = await screen.findByTestId('news2');
      expect([value, panel.className, panel.textContent?.includes(words)]).toEqual([
        value,
        `news2 ${className}`,
        true,
      ]);
      expect(panel.getAttribute('role')).toBe(
        response === 'urgent' || response === 'urgent-review' ? 'alert' : 'status',
      );
      cleanup();
    }
  });

  it('no NEWS2 for the set, or the score cannot be read: says so, the vitals stay saved', async () => {
    render(<VitalsForm patientId="p1" />);
    await save();
    await waitFor(() => expect(document.body.textContent).toContain('Không tính NEWS2 cho lần đo này'));
    cleanup();
    news2 = () => fhirAnswer(500, { resourceType: 'OperationOutcome', issue: [] });
    render(<VitalsForm patientId="p1" />);
    await save();
    await waitFor(() => expect(document.body.textContent).toContain('chưa đọc được điểm NEWS2'));
    expect(document.body.textContent).toContain('Đã lưu 2 chỉ số sinh hiệu vào hồ sơ.');
  });
});

describe('vitals form: ACVPU', { timeout: 30_000 }, () => {
  it.each([
    ['vi', 'Mức độ tỉnh táo (ACVPU)', 'C – Lú lẫn mới xuất hiện'],
    ['en', 'Level of consciousness (ACVPU)', 'C – New confusion'],
  ])(
    '%s: new confusion (C) can be chosen and is posted as SNOMED CT 130987000',
    async (lang, label, option) => {
      await i18next.changeLanguage(lang);
      render(<VitalsForm patientId="p1" performer="Practitioner/n1" />);
      const select = screen.getByLabelText(label) as HTMLSelectElement;
      expect([...select.options].map((o) => o.value)).toEqual(['', 'A', 'C', 'V', 'P', 'U']);
      expect(screen.getByRole('option', { name: option })).toBeTruthy();
      fireEvent.change(select, { target: { value: 'C' } });
      await save();
      const posted = calls.find((c) => c.url === '/fhir' && c.method === 'POST');
      const entries = (posted?.body as { entry: { resource: { code: { coding: { code: string }[] } } }[] })
        .entry;
      const acvpu = entries.find((e) => e.resource.code.coding[0]?.code === '67775-7')
        ?.resource as unknown as {
        valueCodeableConcept: { coding: { code: string }[]; text: string };
      };
      expect(acvpu.valueCodeableConcept).toMatchObject({ coding: [{ code: '130987000' }], text: 'C' });
      expect(missingKeys).toEqual([]);
    },
  );
});
