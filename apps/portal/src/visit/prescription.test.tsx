import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { EPrescriptionStatus } from './EPrescriptionStatus';
import {
  clearDrugCache,
  DRUG_SYSTEM,
  DRUG_VALUE_SET,
  draftProblems,
  emptyDraft,
  type NationalPrescription,
  type PrescriptionDraft,
  toPrescription,
} from './prescription';
import { Visit } from './Visit';
import type { SessionView } from './visit-session';

/** The page's session without socket.io or mediasoup: the test sets its view and answers `end`. */
const fake = vi.hoisted(() => ({
  view: undefined as unknown,
  end: (() => Promise.resolve('Encounter/e1')) as (record: unknown) => Promise<string | undefined>,
  onChange: undefined as ((v: unknown) => void) | undefined,
}));
vi.mock('./visit-session', () => ({
  VisitSession: class {
    view = fake.view;
    constructor(_id: string, _c: unknown, onChange: (v: unknown) => void) {
      fake.onChange = onChange;
      setTimeout(() => onChange(fake.view), 0);
    }
    end = (record: unknown) => fake.end(record);
    viewTile = () => undefined;
    close = () => undefined;
  },
}));
vi.mock('../doctor/DoctorSidePanel', () => ({ DoctorSidePanel: () => null }));

/** Rows of the national drug list as the terminology service holds them (libs/terminology/data/drugs-bhyt). */
const DRUGS: [code: string, vi: string][] = [
  ['40.677', 'Omeprazol'],
  ['40.678', 'Esomeprazol'],
  ['40.679', 'Pantoprazol'],
];
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

let urls: URL[] = [];
let prescriptions: () => Response = () => new Response('{}', { status: 404 });
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  urls = [];
  missingKeys.splice(0);
  clearDrugCache();
  sessionStorage.setItem('mekong.accessToken', 'test');
  prescriptions = () => new Response('{}', { status: 404 });
  vi.stubGlobal(
    'fetch',
    vi.fn((input: RequestInfo | URL) => {
      const u = new URL(String(input), 'http://portal');
      urls.push(u);
      if (u.pathname === '/fhir/ValueSet/$expand') {
        const f = fold(u.searchParams.get('filter') ?? '');
        const rows = DRUGS.filter(([code, vi]) => code.startsWith(f) || fold(vi).includes(f));
        return Promise.resolve(
          json(200, {
            resourceType: 'ValueSet',
            expansion: {
              total: rows.length,
              contains: rows.map(([code, vi]) => ({
                system: DRUG_SYSTEM,
                code,
                display: vi,
                designation: [{ language: 'vi', value: vi }],
              })),
            },
          }),
        );
      }
      if (u.pathname === '/eprescription/prescriptions') return Promise.resolve(prescriptions());
      return Promise.resolve(new Response('{}', { status: 404 }));
    }),
  );
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  sessionStorage.clear();
  await i18next.changeLanguage('vi');
});

const inCall = (): SessionView => ({
  phase: 'in-call',
  role: 'host',
  queue: [],
  people: {},
  remotes: [],
  chat: [],
  muted: false,
  cameraOff: false,
  audioOnly: false,
  mediaStarts: 1,
  weakSenders: [],
  remoteOff: {},
});

async function pickOmeprazol(label = 'Thuốc'): Promise<void> {
  // Without the accent-sensitive spelling: the server folds accents.
  fireEvent.change(screen.getByRole('combobox', { name: label }), { target: { value: 'omepra' } });
  fireEvent.mouseDown(await screen.findByRole('option', { name: /40\.677 Omeprazol/ }));
}

describe('the limits the server applies (PrescriptionDto, Circular 26/2025/TT-BYT art. 6(8))', () => {
  const drug = { code: '40.677', vi: 'Omeprazol', en: '' };
  const ok = { ...emptyDraft(), drug, quantity: '14', dosage: '1 viên trước ăn sáng' };
  const keys = (d: PrescriptionDraft, dx = 'K21.9') => draftProblems(d, dx).map((p) => p.key);

  it('a complete drug passes, and is sent structured; a decimal comma is read', () => {
    expect(keys(ok)).toEqual([]);
    expect(toPrescription({ ...ok, quantity: '1,5', unit: ' gói ' })).toEqual({
      medication: 'Omeprazol',
      dosage: '1 viên trước ăn sáng',
      drugCode: '40.677',
      quantity: 1.5,
      unit: 'gói',
      days: 7,
      type: 'c',
    });
  });

  it('drug from the list, quantity, unit, whole days 1–90 and the dosage are required', () => {
    expect(keys({ ...emptyDraft() })).toEqual(['rx.drugNeeded', 'rx.quantityNeeded', 'rx.dosageNeeded']);
    expect(keys({ ...ok, quantity: '0' })).toEqual(['rx.quantityRange']);
    expect(keys({ ...ok, quantity: '1.2345' })).toEqual(['rx.quantityRange']);
    expect(keys({ ...ok, quantity: '100001' })).toEqual(['rx.quantityRange']);
    expect(keys({ ...ok, unit: ' ' })).toEqual(['rx.unitNeeded']);
    expect(keys({ ...ok, days: '0' })).toEqual(['rx.daysNeeded']);
    expect(keys({ ...ok, days: '7.5' })).toEqual(['rx.daysNeeded']);
    expect(keys({ ...ok, days: '91' }, 'I10')).toEqual(['rx.daysOver90']);
    expect(keys({ ...ok, dosage: 'x'.repeat(501) })).toEqual(['rx.dosageLong']);
  });

  it('over 30 days only with a diagnosis of Appendix VII (the server rules module’s rows)', () => {
    expect(keys({ ...ok, days: '30' })).toEqual([]);
    expect(keys({ ...ok, days: '45' }, 'K21.9')).toEqual(['rx.daysOver30']);
    expect(keys({ ...ok, days: '45' }, '')).toEqual(['rx.daysOver30']);
    expect(keys({ ...ok, days: '45' }, 'I10')).toEqual([]); // hypertension, Appendix VII
    expect(keys({ ...ok, days: '90' }, 'I10')).toEqual([]);
  });
});

describe('the end-of-visit form', () => {
  it('picks the drug from the national list, refuses 45 days for a non-Appendix diagnosis keeping every value, then ends', async () => {
    const ended: unknown[] = [];
    fake.end = (record) => {
      ended.push(record);
      return Promise.resolve('Encounter/e1');
    };
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'Kết thúc buổi khám' });
    fireEvent.change(screen.getByLabelText('Chẩn đoán (mã ICD-10)'), { target: { value: 'K21.9' } });
    await pickOmeprazol();
    const expand = urls.find((u) => u.pathname === '/fhir/ValueSet/$expand')!;
    expect(expand.searchParams.get('url')).toBe(DRUG_VALUE_SET);
    expect(expand.searchParams.get('filter')).toBe('omepra');
    expect(screen.getByTestId('drug-status').textContent).toBe('Đã chọn: 40.677 Omeprazol');
    fireEvent.change(screen.getByLabelText('Số lượng'), { target: { value: '45' } });
    expect((screen.getByLabelText('Đơn vị') as HTMLInputElement).value).toBe('viên');
    expect((screen.getByLabelText('Số ngày dùng') as HTMLInputElement).value).toBe('7');
    fireEvent.change(screen.getByLabelText('Số ngày dùng'), { target: { value: '45' } });
    fireEvent.change(screen.getByLabelText('Liều dùng'), { target: { value: 'Uống 1 viên trước ăn sáng' } });
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));

    expect(ended).toEqual([]);
    expect(screen.getByTestId('end-error').textContent).toContain('Chưa kết thúc buổi khám');
    expect(screen.getByTestId('rx-days-error').textContent).toContain('45 ngày vượt quá 30 ngày');
    expect(screen.getByTestId('rx-days-error').textContent).toContain('Phụ lục VII');
    const days = screen.getByLabelText(/Số ngày dùng/) as HTMLInputElement;
    expect(days.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(days);
    // Nothing typed is lost.
    expect((screen.getByRole('combobox', { name: 'Thuốc' }) as HTMLInputElement).value).toBe(
      '40.677 Omeprazol',
    );
    expect((screen.getByLabelText(/Số lượng/) as HTMLInputElement).value).toBe('45');
    expect(days.value).toBe('45');
    expect((screen.getByLabelText(/Liều dùng/) as HTMLInputElement).value).toBe('Uống 1 viên trước ăn sáng');

    fireEvent.change(days, { target: { value: '30' } });
    expect(screen.queryByTestId('rx-days-error')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));
    await waitFor(() => expect(ended).toHaveLength(1));
    expect(ended[0]).toEqual({
      notes: '',
      diagnoses: [{ code: 'K21.9' }],
      prescriptions: [
        {
          medication: 'Omeprazol',
          dosage: 'Uống 1 viên trước ăn sáng',
          drugCode: '40.677',
          quantity: 45,
          unit: 'viên',
          days: 30,
          type: 'c',
        },
      ],
    });
    expect(missingKeys).toEqual([]);
  });

  it("shows the server's refusal in the page's language and keeps the values", async () => {
    await i18next.changeLanguage('en');
    fake.end = () =>
      Promise.reject(
        new Error(
          'prescriptions[0].drugCode: 40.677 is not in the national drug list / mã thuốc không có trong danh mục (x); prescriptions: set your national prescription system sign-in first (PUT /eprescription/credentials) / hãy khai báo tài khoản liên thông đơn thuốc quốc gia trước',
        ),
      );
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'End the visit' });
    await pickOmeprazol('Medication');
    fireEvent.change(screen.getByLabelText('Quantity'), { target: { value: '14' } });
    fireEvent.change(screen.getByLabelText('Dosage'), { target: { value: '1 tablet a day' } });
    fireEvent.click(screen.getByRole('button', { name: 'End the visit' }));
    const error = await screen.findByTestId('end-error');
    expect(error.textContent).toBe(
      'The visit could not be ended: prescriptions[0].drugCode: 40.677 is not in the national drug list\nprescriptions: set your national prescription system sign-in first (PUT /eprescription/credentials)',
    );
    expect((screen.getByLabelText('Quantity') as HTMLInputElement).value).toBe('14');
    expect((screen.getByRole('combobox', { name: 'Medication' }) as HTMLInputElement).value).toBe(
      '40.677 Omeprazol',
    );
    expect((screen.getByRole('button', { name: 'End the visit' }) as HTMLButtonElement).disabled).toBe(false);
    expect(missingKeys).toEqual([]);
  });

  it('after the end, the doctor sees the national status of the prescription', async () => {
    fake.end = () => Promise.resolve('Encounter/e1');
    prescriptions = () =>
      json(200, [
        {
          code: '12345abcdefghc',
          type: 'c',
          status: 'issued',
          medicationRequests: ['MedicationRequest/m1'],
          attempts: 1,
          reasons: [],
        },
      ]);
    fake.view = inCall();
    render(<Visit appointmentId="ap1" />);
    await screen.findByRole('form', { name: 'Kết thúc buổi khám' });
    await pickOmeprazol();
    fireEvent.change(screen.getByLabelText('Số lượng'), { target: { value: '14' } });
    fireEvent.change(screen.getByLabelText('Liều dùng'), { target: { value: 'Uống 1 viên' } });
    fireEvent.click(screen.getByRole('button', { name: 'Kết thúc buổi khám' }));
    await act(() => Promise.resolve());
    act(() => fake.onChange?.({ ...inCall(), phase: 'ended' }));
    const item = await screen.findByTestId('rx-status-item');
    expect(item.textContent).toBe('Đã gửi — mã đơn thuốc: 12345abcdefghc');
    expect(
      urls.find((u) => u.pathname === '/eprescription/prescriptions')?.searchParams.get('encounter'),
    ).toBe('e1');
    expect(missingKeys).toEqual([]);
  });
});

describe('the national status', () => {
  const row = (over: Partial<NationalPrescription>): NationalPrescription => ({
    code: '12345abcdefghc',
    type: 'c',
    status: 'pending',
    medicationRequests: ['MedicationRequest/m1'],
    attempts: 0,
    reasons: [],
    ...over,
  });

  it('queued while the record is written, then refused with the reasons; asked again on its own', async () => {
    vi.useFakeTimers();
    const answers = [
      () => new Response('{}', { status: 404 }),
      () => json(200, [row({})]),
      () =>
        json(200, [
          row({ status: 'failed', attempts: 1, reasons: ['Mã thuốc không hợp lệ', 'Thiếu chẩn đoán'] }),
        ]),
    ];
    let n = 0;
    prescriptions = () => answers[Math.min(n++, answers.length - 1)]!();
    render(<EPrescriptionStatus encounter="Encounter/e1" />);
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(screen.getByTestId('rx-status-none').textContent).toContain('Đang ghi đơn vào hồ sơ');
    await act(() => vi.advanceTimersByTimeAsync(4000));
    expect(screen.getByTestId('rx-status-item').textContent).toBe('Đang chờ gửi');
    await act(() => vi.advanceTimersByTimeAsync(4000));
    const item = screen.getByTestId('rx-status-item');
    expect(item.getAttribute('data-status')).toBe('failed');
    expect(within(item).getByRole('alert').textContent).toBe('Mã thuốc không hợp lệThiếu chẩn đoán');
    expect(item.textContent).toContain('Bị từ chối');
    // Final: not asked again, and no refresh button.
    for (let i = 0; i < 5; i++) await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(n).toBe(3);
    expect(screen.queryByRole('button', { name: 'Kiểm tra lại' })).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('in English; gives up after a few tries and offers to check again', async () => {
    await i18next.changeLanguage('en');
    vi.useFakeTimers();
    let n = 0;
    prescriptions = () => {
      n++;
      return new Response('{}', { status: 404 });
    };
    render(<EPrescriptionStatus encounter="Encounter/e1" />);
    // Step by step: each answer re-renders before the next refresh is planned.
    for (let i = 0; i < 12; i++) await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(n).toBe(7);
    expect(screen.getByTestId('rx-status-none').textContent).toBe(
      'No national prescription for this visit yet. Check again later.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await act(() => vi.advanceTimersByTimeAsync(10));
    expect(n).toBe(8);
    expect(missingKeys).toEqual([]);
  });
});
