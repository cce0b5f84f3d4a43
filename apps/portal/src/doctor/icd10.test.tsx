import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fillDiagnosis } from './DoctorSidePanel';
import { clearIcd10Cache, ICD10_SYSTEM, ICD10_VALUE_SET, searchIcd10 } from './icd10';
import { Icd10Combobox } from './Icd10Combobox';

/** Rows as the terminology service answers them (names copied from its fixture of the Ministry's list). */
const ROWS: Record<string, [vi: string, en: string]> = {
  A90: ['Sốt Dengue [Sốt Dengue cổ điển]', 'Dengue fever [classical dengue]'],
  A91: ['Sốt xuất huyết Dengue', 'Dengue haemorrhagic fever'],
  'G01*': [
    'Viêm màng não trong bệnh nhiễm khuẩn phân loại nơi khác',
    'Meningitis in bacterial diseases classified elsewhere',
  ],
  N40: ['Tăng sản tuyến tiền liệt', 'Hyperplasia of prostate'],
  'J18.0': ['Viêm phế quản phổi, không đặc hiệu', 'Bronchopneumonia, unspecified'],
  'J18.9': ['Viêm phổi, không đặc hiệu', 'Pneumonia, unspecified'],
};

const expansion = (codes: string[], lang: string, total = codes.length) => ({
  resourceType: 'ValueSet',
  url: ICD10_VALUE_SET,
  expansion: {
    total,
    contains: codes.map((code) => {
      const [vi, en] = ROWS[code]!;
      return {
        system: ICD10_SYSTEM,
        version: 'test',
        code,
        display: lang === 'en' ? en : vi,
        designation: [
          { language: 'vi', value: vi },
          { language: 'en', value: en },
        ],
      };
    }),
  },
});

interface Call {
  url: URL;
  signal?: AbortSignal;
  answer: (r: Response) => void;
  fail: (e: unknown) => void;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json' } });

/** A server the test answers by hand (`hold`) or with `route`; every call is recorded with its signal. */
function server(route?: (u: URL) => Response | 'hold' | 'down') {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (url: string, init: RequestInit = {}) =>
        new Promise<Response>((answer, fail) => {
          const call: Call = {
            url: new URL(url, 'http://portal'),
            signal: init.signal ?? undefined,
            answer,
            fail,
          };
          calls.push(call);
          init.signal?.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError')));
          const r = route?.(call.url) ?? 'hold';
          if (r === 'down') fail(new TypeError('Failed to fetch'));
          else if (r !== 'hold') answer(r);
        }),
    ),
  );
  return calls;
}

/** The usual answers: $expand from ROWS by a code prefix or a word of the names, $validate-code by the rules. */
function fhirServer(u: URL): Response | 'hold' | 'down' {
  if (u.pathname === '/fhir/ValueSet/$expand') {
    const f = (u.searchParams.get('filter') ?? '').toLowerCase();
    const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const codes = Object.keys(ROWS).filter(
      (c) => c.toLowerCase().startsWith(f) || fold(ROWS[c]!.join(' ')).includes(fold(f)),
    );
    return json(200, expansion(codes, u.searchParams.get('displayLanguage') ?? 'vi'));
  }
  if (u.pathname === '/fhir/ValueSet/$validate-code') {
    const code = u.searchParams.get('code')!;
    const refuse = (message: string) =>
      json(200, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'result', valueBoolean: false },
          { name: 'message', valueString: message },
        ],
      });
    if (code === 'G01*')
      return refuse(
        'G01* (Viêm màng não trong bệnh nhiễm khuẩn phân loại nơi khác) may not be the main diagnosis (asterisk: an asterisk (*) code names a manifestation and is used only with its dagger (†) code)',
      );
    if (code === 'N40' && u.searchParams.get('sex') === 'female')
      return json(200, {
        resourceType: 'Parameters',
        parameter: [
          { name: 'result', valueBoolean: true },
          {
            name: 'message',
            valueString:
              'N40 (Tăng sản tuyến tiền liệt) is listed for males only or mainly; the patient is female',
          },
        ],
      });
    return json(200, { resourceType: 'Parameters', parameter: [{ name: 'result', valueBoolean: true }] });
  }
  if (u.pathname === '/fhir/Patient/p1')
    return json(200, { resourceType: 'Patient', id: 'p1', gender: 'female' });
  return json(404, { resourceType: 'OperationOutcome', issue: [] });
}

beforeEach(async () => {
  clearIcd10Cache();
  missingKeys.length = 0;
  await i18next.changeLanguage('vi');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  expect(missingKeys).toEqual([]);
});

const combobox = () => screen.getByRole('combobox', { name: /ICD-10/ });
const type = (text: string) => fireEvent.change(combobox(), { target: { value: text } });
const expansions = (calls: Call[]) => calls.filter((c) => c.url.pathname === '/fhir/ValueSet/$expand');

describe('ICD-10 from the terminology service', () => {
  it('asks $expand of the ICD-10 value set (filter, 20 codes, the UI language) and reads both names', async () => {
    const calls = server(fhirServer);
    const page = await searchIcd10('sot xuat huyet', 'en');
    expect(calls).toHaveLength(1);
    const q = calls[0]!.url.searchParams;
    expect(calls[0]!.url.pathname).toBe('/fhir/ValueSet/$expand');
    expect(Object.fromEntries(q)).toEqual({
      url: 'http://hl7.org/fhir/ValueSet/icd-10',
      filter: 'sot xuat huyet',
      count: '20',
      displayLanguage: 'en',
    });
    expect(page).toEqual({
      codes: [{ code: 'A91', vi: 'Sốt xuất huyết Dengue', en: 'Dengue haemorrhagic fever' }],
      total: 1,
    });
    // The same search again is answered from memory (a weak link is not asked twice).
    await searchIcd10('Sot xuat huyet ', 'en');
    expect(calls).toHaveLength(1);
  });
});

describe('ICD-10 combobox', () => {
  it('waits for a pause in typing, cancels the request it no longer needs, and shows code + both names', async () => {
    const calls = server((u) => (u.searchParams.get('filter') === 'sot' ? 'hold' : fhirServer(u)));
    render(<Icd10Combobox onSelect={vi.fn()} />);
    // Three keys in a row: one request, for the last text.
    type('s');
    type('so');
    type('sot');
    expect(screen.getByTestId('icd10-status').textContent).toBe('Đang tìm…');
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]!.url.searchParams.get('filter')).toBe('sot');
    type('sot xuat');
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[0]!.signal?.aborted).toBe(true);
    expect(calls[1]!.signal?.aborted).toBe(false);
    const option = await screen.findByRole('option', { name: /A91/ });
    expect(option.textContent).toBe('A91 Sốt xuất huyết DengueDengue haemorrhagic fever');
    expect(option.querySelector('[lang=en]')?.textContent).toBe('Dengue haemorrhagic fever');
    expect(screen.getByTestId('icd10-status').textContent).toBe('Số kết quả: 1');
  });

  it('is keyboard operable: arrow down/up, Enter chooses without submitting the form', async () => {
    server(fhirServer);
    const onSelect = vi.fn();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    render(
      <form onSubmit={onSubmit}>
        <Icd10Combobox onSelect={onSelect} />
      </form>,
    );
    const input = screen.getByRole('combobox', { name: 'Tìm mã ICD-10 (tên bệnh hoặc mã)' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    type('J18');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByRole('option').map((o) => o.textContent?.slice(0, 5))).toEqual(['J18.0', 'J18.9']);

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    const first = screen.getAllByRole('option')[0]!;
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(first.id);
    // Up from the first wraps to the last.
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(screen.getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onSelect).toHaveBeenCalledWith({
      code: 'J18.9',
      vi: 'Viêm phổi, không đặc hiệu',
      en: 'Pneumonia, unspecified',
    });
    expect(onSubmit).not.toHaveBeenCalled();
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect((input as HTMLInputElement).value).toBe('J18.9 Viêm phổi, không đặc hiệu');
  });

  it('Escape closes the list; a click chooses; English first with Vietnamese as the second line', async () => {
    await i18next.changeLanguage('en');
    const calls = server(fhirServer);
    const onSelect = vi.fn();
    render(<Icd10Combobox onSelect={onSelect} />);
    type('dengue');
    await screen.findByRole('option', { name: /A90/ });
    expect(calls[0]!.url.searchParams.get('displayLanguage')).toBe('en');
    expect(screen.getByRole('option', { name: /A91/ }).textContent).toBe(
      'A91 Dengue haemorrhagic feverSốt xuất huyết Dengue',
    );
    expect(screen.getByRole('option', { name: /A91/ }).querySelector('[lang=vi]')).not.toBeNull();
    fireEvent.keyDown(combobox(), { key: 'Escape' });
    expect(combobox().getAttribute('aria-expanded')).toBe('false');
    fireEvent.keyDown(combobox(), { key: 'ArrowDown' });
    expect(combobox().getAttribute('aria-expanded')).toBe('true');
    fireEvent.mouseDown(screen.getByRole('option', { name: /A90/ }));
    expect(onSelect).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'A90', vi: 'Sốt Dengue [Sốt Dengue cổ điển]' }),
    );
    expect((combobox() as HTMLInputElement).value).toBe('A90 Dengue fever [classical dengue]');
    // The chosen text is not searched again.
    await act(() => new Promise((r) => setTimeout(r, 400)));
    expect(expansions(calls)).toHaveLength(1);
  });

  it('says when nothing matches, and how many more there are when the server holds more', async () => {
    server((u) =>
      u.searchParams.get('filter') === 'zzzz'
        ? json(200, expansion([], 'vi'))
        : json(200, expansion(['J18.0', 'J18.9'], 'vi', 57)),
    );
    render(<Icd10Combobox onSelect={vi.fn()} />);
    type('zzzz');
    await waitFor(() =>
      expect(screen.getByTestId('icd10-status').textContent).toBe('Không tìm thấy mã phù hợp.'),
    );
    expect(combobox().getAttribute('aria-expanded')).toBe('false');
    type('viem');
    await waitFor(() =>
      expect(screen.getByTestId('icd10-status').textContent).toBe(
        'Hiện 2 trong 57 mã phù hợp. Gõ thêm để thu hẹp.',
      ),
    );
  });

  it('a failing link says so (vi/en) and Retry asks again, keeping what was typed', async () => {
    let down = true;
    const calls = server((u) => (down ? 'down' : fhirServer(u)));
    render(<Icd10Combobox onSelect={vi.fn()} />);
    type('sot xuat huyet');
    const alert = await screen.findByTestId('icd10-error');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('Không kết nối được máy chủ để tra mã ICD-10');
    await act(() => i18next.changeLanguage('en'));
    // The search is asked again in English (still down).
    await waitFor(() =>
      expect(screen.getByTestId('icd10-error').textContent).toContain('Cannot reach the server'),
    );
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByRole('option', { name: /A91/ });
    expect(screen.queryByTestId('icd10-error')).toBeNull();
    expect((combobox() as HTMLInputElement).value).toBe('sot xuat huyet');
    expect(expansions(calls).map((c) => c.url.searchParams.get('displayLanguage'))).toEqual([
      'vi',
      'en',
      'en',
    ]);
  });

  it('a server refusal is shown in the UI language through its error code (TERMINOLOGY.NOT_FOUND)', async () => {
    server(() =>
      json(404, {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'not-found',
            details: {
              coding: [
                { system: 'https://mekong.health/fhir/CodeSystem/error-code', code: 'TERMINOLOGY.NOT_FOUND' },
              ],
            },
            diagnostics: 'Unknown value set http://hl7.org/fhir/ValueSet/icd-10',
          },
        ],
      }),
    );
    render(<Icd10Combobox onSelect={vi.fn()} />);
    type('a91');
    const alert = await screen.findByTestId('icd10-error');
    expect(alert.textContent).not.toContain('Unknown value set');
    expect(alert.textContent).toContain(
      'Máy chủ chưa có danh mục mã này hoặc không có mã này trong danh mục.',
    );
    expect(alert.textContent).toContain('Thử lại');
  });

  it('as the main diagnosis: the server checks the code (with the patient’s sex) before it is passed on, cautions shown', async () => {
    const calls = server(fhirServer);
    const onSelect = vi.fn();
    render(<Icd10Combobox onSelect={onSelect} usage="primary-diagnosis" patientId="p1" />);
    // An asterisk code is refused with the server's reason.
    type('viem mang nao');
    fireEvent.mouseDown(await screen.findByRole('option', { name: /G01\*/ }));
    const refused = await screen.findByTestId('icd10-refused');
    expect(refused.textContent).toContain(
      'Không dùng G01* — Viêm màng não trong bệnh nhiễm khuẩn phân loại nơi khác làm chẩn đoán chính được.',
    );
    expect(refused.textContent).toContain('an asterisk (*) code names a manifestation');
    expect(onSelect).not.toHaveBeenCalled();
    const check = calls.find((c) => c.url.pathname === '/fhir/ValueSet/$validate-code')!;
    expect(Object.fromEntries(check.url.searchParams)).toEqual({
      url: 'http://hl7.org/fhir/ValueSet/icd-10',
      code: 'G01*',
      usage: 'primary-diagnosis',
      sex: 'female',
    });
    // A code listed for the other sex: accepted with the server's caution shown.
    type('N40');
    fireEvent.mouseDown(await screen.findByRole('option', { name: /N40/ }));
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ code: 'N40' })));
    expect(screen.getByTestId('icd10-warned').textContent).toBe(
      'Đã nhận mã N40, kèm lưu ý của máy chủ (hãy xem lại):N40 (Tăng sản tuyến tiền liệt) is listed for males only or mainly; the patient is female',
    );
    expect(screen.queryByTestId('icd10-refused')).toBeNull();
    onSelect.mockClear();
    // An allowed code is passed on, and the refusal goes away.
    type('A91');
    fireEvent.mouseDown(await screen.findByRole('option', { name: /A91/ }));
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ code: 'A91' })));
    expect(screen.queryByTestId('icd10-refused')).toBeNull();
    expect(screen.queryByTestId('icd10-warned')).toBeNull();
  });

  it('as the main diagnosis with the link down: not passed on, and the check can be retried', async () => {
    let down = false;
    server((u) => (down && u.pathname.endsWith('$validate-code') ? 'down' : fhirServer(u)));
    const onSelect = vi.fn();
    render(<Icd10Combobox onSelect={onSelect} usage="primary-diagnosis" />);
    type('A91');
    const option = await screen.findByRole('option', { name: /A91/ });
    down = true;
    fireEvent.mouseDown(option);
    const failed = await screen.findByTestId('icd10-check-error');
    expect(failed.textContent).toContain('Chưa kiểm tra được mã A91 vì mất kết nối; mã chưa được điền.');
    expect(onSelect).not.toHaveBeenCalled();
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ code: 'A91' })));
  });

  it('fills the visit form inputs, controlled or not', () => {
    function Form() {
      const [name, setName] = useState('');
      return (
        <form>
          <input name="diagnosis" aria-label="code" />
          <input
            name="diagnosisName"
            aria-label="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <output data-testid="state">{name}</output>
        </form>
      );
    }
    expect(fillDiagnosis('I10', 'x')).toBe(false);
    render(<Form />);
    expect(fillDiagnosis('I10', 'Tăng huyết áp vô căn (nguyên phát)')).toBe(true);
    expect((screen.getByLabelText('code') as HTMLInputElement).value).toBe('I10');
    expect(screen.getByTestId('state').textContent).toBe('Tăng huyết áp vô căn (nguyên phát)');
  });
});
