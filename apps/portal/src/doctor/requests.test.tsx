import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fhirAnswer, stubFetch, type FetchCall } from '../test-fetch';
import { requestProblem, waitsForDoctor } from './requests';
import { ApiError } from '../api';
import { Today } from './Today';

const OTHER = { system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' };
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const DOCTOR = 'Practitioner/d';

const appointment = (id: string, patient: string, over: Record<string, unknown> = {}) => ({
  resourceType: 'Appointment',
  id,
  meta: { versionId: '1' },
  status: 'pending',
  start: '2026-03-05T03:00:00Z',
  end: '2026-03-05T03:20:00Z',
  participant: [
    { actor: { reference: `Patient/${patient}` }, status: 'accepted' },
    { actor: { reference: DOCTOR }, status: 'needs-action' },
  ],
  ...over,
});

const holds = [
  // "other", coded: waits for the doctor.
  appointment('r1', 'pb', { reasonCode: [{ coding: [OTHER], text: 'Ho kéo dài, đau ngực' }] }),
  // Words only (no ICD-10 coding): also waits for the doctor.
  appointment('r2', 'pc', {
    start: '2026-03-06T01:00:00Z',
    end: '2026-03-06T01:20:00Z',
    reasonCode: [{ text: 'Mất ngủ' }],
  }),
  // A listed row (ICD-10): a short hold the patient confirms, not the doctor's.
  appointment('r3', 'pb', { reasonCode: [{ coding: [{ system: ICD10, code: 'J00' }], text: 'Cảm lạnh' }] }),
  // A waitlist offer: the patient has still to accept it.
  appointment('r4', 'pc', {
    description: 'Offered from the waitlist',
    participant: [
      { actor: { reference: 'Patient/pc' }, status: 'needs-action' },
      { actor: { reference: DOCTOR }, status: 'accepted' },
    ],
  }),
  // In person: not gated.
  appointment('r5', 'pb', {
    serviceType: [
      { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'in-person' }] },
    ],
  }),
];

const patients = [
  { resourceType: 'Patient', id: 'pb', name: [{ family: 'Lê', given: ['Văn', 'Bình'] }] },
  { resourceType: 'Patient', id: 'pc', name: [{ family: 'Phạm', given: ['Thị', 'Cúc'] }] },
];

const bundle = (matches: object[], included: object[] = []) => ({
  resourceType: 'Bundle',
  entry: [
    ...matches.map((resource) => ({ resource, search: { mode: 'match' } })),
    ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
  ],
});

const NEWS2_OUTCOME = {
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'business-rule',
      diagnostics:
        'CARE.NEWS2_ALERT_ACTIVE: the patient has an active NEWS2 alert 7 — a doctor must assess them / Người bệnh đang có cảnh báo NEWS2 7',
      details: { text: 'CARE.NEWS2_ALERT_ACTIVE Flag/f1 since 2026-03-04T02:00:00Z' },
    },
  ],
};

describe('which holds wait for the doctor', () => {
  it('pending remote "other" or words-only reasons; not listed rows, waitlist offers, in person', () => {
    expect(holds.filter(waitsForDoctor).map((a) => a.id)).toEqual(['r1', 'r2']);
    expect(waitsForDoctor({ ...holds[0]!, resourceType: 'Appointment', status: 'booked' })).toBe(false);
  });

  it("reads the server's refusals by their codes", () => {
    expect(requestProblem(new ApiError(422, NEWS2_OUTCOME.issue[0]!.diagnostics, NEWS2_OUTCOME))).toBe(
      'news2',
    );
    expect(requestProblem(new ApiError(422, 'Call 115 / go to the nearest emergency department now'))).toBe(
      'emergency',
    );
    expect(requestProblem(new ApiError(409, 'Hold expired'))).toBe('changed');
    expect(requestProblem(new ApiError(500, 'boom'))).toBeUndefined();
  });
});

describe('requests waiting for the doctor on /doctor', () => {
  let calls: FetchCall[];
  let answerPut: (call: FetchCall) => Response;
  let pending: object[];

  beforeEach(async () => {
    await i18next.changeLanguage('vi');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-04T02:30:00Z'));
    pending = holds;
    answerPut = (call) => fhirAnswer(200, call.body);
    calls = stubFetch((call) => {
      const url = decodeURIComponent(call.url);
      if (call.method === 'PUT') return answerPut(call);
      if (url === '/consultation/waiting') return fhirAnswer(200, []);
      if (url.startsWith('/fhir/Appointment?') && url.includes('status=pending'))
        return fhirAnswer(200, bundle(pending, patients));
      if (url.startsWith('/fhir/Appointment?')) return fhirAnswer(200, bundle([]));
      return undefined;
    });
  });
  afterEach(async () => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    await i18next.changeLanguage('vi');
  });

  const renderToday = () =>
    render(<Today claims={{ sub: 'u', role: 'practitioner', fhirUser: DOCTOR, exp: 9e9 }} />);

  it('lists only pending "other" and uncoded requests, with name, day, time and reason', async () => {
    renderToday();
    const list = await screen.findByTestId('doctor-requests');
    expect(screen.getByRole('heading', { name: 'Yêu cầu chờ bác sĩ xác nhận' })).toBeTruthy();
    expect(calls.map((c) => decodeURIComponent(c.url))).toContain(
      '/fhir/Appointment?actor=Practitioner/d&status=pending&date=ge2026-03-04T02:30:00.000Z&_include=Appointment:patient&_sort=date&_count=100',
    );
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Lê Văn Bình');
    expect(items[0]!.textContent).toContain('Thứ Năm 05/03/2026, 10:00–10:20');
    expect(items[0]!.textContent).toContain('Ho kéo dài, đau ngực');
    expect(items[1]!.textContent).toContain('Phạm Thị Cúc');
    expect(items[1]!.textContent).toContain('Mất ngủ');
    expect(
      within(list).getByRole('button', {
        name: 'Xác nhận khám từ xa cho Phạm Thị Cúc, Thứ Sáu 06/03/2026 lúc 08:00–08:20',
      }),
    ).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('confirm sends PUT booked, reloads the list and says so', async () => {
    renderToday();
    const button = await screen.findByRole('button', { name: /^Xác nhận khám từ xa cho Lê Văn Bình/ });
    pending = [holds[1]!];
    fireEvent.click(button);
    await screen.findByText('Đã xác nhận khám từ xa với Lê Văn Bình, Thứ Năm 05/03/2026 lúc 10:00–10:20.');
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.url).toBe('/fhir/Appointment/r1');
    expect(put?.body).toMatchObject({ id: 'r1', status: 'booked', reasonCode: [{ coding: [OTHER] }] });
    await waitFor(() =>
      expect(within(screen.getByTestId('doctor-requests')).getAllByRole('listitem')).toHaveLength(1),
    );
    expect(missingKeys).toEqual([]);
  });

  it('decline asks a reason (required), can be called off, then sends PUT cancelled with it', async () => {
    renderToday();
    fireEvent.click(await screen.findByRole('button', { name: /^Từ chối yêu cầu của Lê Văn Bình/ }));
    // Calling it off keeps the request.
    fireEvent.click(screen.getByRole('button', { name: 'Không từ chối, giữ yêu cầu của Lê Văn Bình' }));
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: /^Từ chối yêu cầu của Lê Văn Bình/ }));
    const send = screen.getByRole('button', {
      name: 'Từ chối yêu cầu của Lê Văn Bình, Thứ Năm 05/03/2026 lúc 10:00–10:20',
    });
    expect(send.textContent).toBe('Từ chối yêu cầu');
    fireEvent.click(send);
    expect(await screen.findByText('Vui lòng ghi lý do từ chối.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    const reason = screen.getByLabelText('Lý do từ chối (bắt buộc)');
    expect(document.activeElement).toBe(reason);
    fireEvent.change(reason, { target: { value: 'Cần khám trực tiếp tại trạm y tế' } });
    pending = [holds[1]!];
    fireEvent.click(send);
    await screen.findByText(/Đã từ chối yêu cầu của Lê Văn Bình/);
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.url).toBe('/fhir/Appointment/r1');
    expect(put?.body).toMatchObject({
      status: 'cancelled',
      cancelationReason: { text: 'Cần khám trực tiếp tại trạm y tế' },
    });
    expect(missingKeys).toEqual([]);
  });

  it('a 422 (active NEWS2 alert) is shown in the reader’s language, nothing changes', async () => {
    answerPut = () => fhirAnswer(422, NEWS2_OUTCOME);
    renderToday();
    fireEvent.click(await screen.findByRole('button', { name: /^Xác nhận khám từ xa cho Lê Văn Bình/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Chưa xác nhận được: người bệnh đang có cảnh báo NEWS2.');
    expect(within(screen.getByTestId('doctor-requests')).getAllByRole('listitem')).toHaveLength(2);
    cleanup();

    await i18next.changeLanguage('en');
    renderToday();
    expect(
      await screen.findByRole('heading', { name: 'Requests waiting for your confirmation' }),
    ).toBeTruthy();
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Confirm video visit for Lê Văn Bình, Thursday 05/03/2026 at 10:00–10:20',
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Not confirmed: the patient has an active NEWS2 alert.',
    );
    expect(screen.getByRole('button', { name: /^Decline the request of Phạm Thị Cúc/ }).textContent).toBe(
      'Decline',
    );
    expect(missingKeys).toEqual([]);
  });
});
