import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { news2Summary } from '../station/news2-response';
import { type FetchCall, fhirAnswer, stubFetch } from '../test-fetch';
import { Scale2Decision } from './Scale2Decision';
import { activeDecision, type GoalLike, newDecision, vietnamToday } from './scale2';

const TODAY = vietnamToday();
const tagged = (g: GoalLike, by: string, version = '1'): GoalLike => ({
  ...g,
  id: 'g1',
  meta: {
    versionId: version,
    tag: [{ system: 'https://fhir.mekong.health/CodeSystem/recorded-by', code: by }],
  },
});
const decision = (by = 'practitioner'): GoalLike =>
  tagged(
    newDecision({
      patientId: 'p1',
      practitioner: 'Practitioner/d1',
      name: 'BS. Trần Minh',
      startDate: TODAY,
      reason: 'Suy hô hấp tăng CO2',
    }),
    by,
  );

let goals: GoalLike[];
let calls: FetchCall[];
beforeEach(() => {
  missingKeys.length = 0;
  goals = [];
  calls = stubFetch((call) => {
    if (call.url.startsWith('/fhir/Goal?'))
      return fhirAnswer(200, { resourceType: 'Bundle', entry: goals.map((resource) => ({ resource })) });
    if (call.url === '/fhir/Practitioner/d1')
      return fhirAnswer(200, { resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Minh'] }] });
    if (call.url === '/fhir/Goal' && call.method === 'POST')
      return fhirAnswer(201, { ...(call.body as object), id: 'g1' });
    if (call.url === '/fhir/Goal/g1' && call.method === 'PUT') return fhirAnswer(200, call.body);
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await i18next.changeLanguage('vi');
});

describe('NEWS2 SpO2 Scale 2 decision', { timeout: 30_000 }, () => {
  it('only an active decision recorded by a practitioner counts (as the server rules)', () => {
    expect(activeDecision([decision()], TODAY)?.id).toBe('g1');
    expect(activeDecision([decision('clinic-staff')], TODAY)).toBeUndefined();
    expect(activeDecision([decision('patient')], TODAY)).toBeUndefined();
    expect(activeDecision([{ ...decision(), lifecycleStatus: 'cancelled' }], TODAY)).toBeUndefined();
  });

  it('station staff see the active decision read-only', async () => {
    goals = [decision()];
    render(<Scale2Decision patientId="p1" canEdit={false} />);
    expect(await screen.findByText(/Đang dùng THANG 2.*BS\. Trần Minh.*Suy hô hấp tăng CO2/)).toBeTruthy();
    expect(screen.getByText('Chỉ bác sĩ mới đặt hoặc kết thúc quyết định này.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('a doctor sets it (name, date, reason) as a Goal with the 88–92 % SpO2 target, then ends it', async () => {
    render(<Scale2Decision patientId="p1" canEdit practitioner="Practitioner/d1" />);
    await screen.findByText('Thang 1 (chưa có quyết định dùng thang 2 của bác sĩ).');
    fireEvent.change(document.getElementById('scale2-set-reason')!, {
      target: { value: 'Suy hô hấp tăng CO2 trên khí máu' },
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Lưu quyết định thang 2' }));
      await Promise.resolve();
    });
    const posted = calls.find((c) => c.method === 'POST')?.body as GoalLike;
    expect(posted).toMatchObject({
      resourceType: 'Goal',
      lifecycleStatus: 'active',
      subject: { reference: 'Patient/p1' },
      startDate: TODAY,
      expressedBy: { reference: 'Practitioner/d1', display: 'Trần Minh' },
      addresses: [{ display: 'Suy hô hấp tăng CO2 trên khí máu' }],
      target: [
        {
          measure: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
          detailRange: { low: { value: 88, code: '%' }, high: { value: 92, code: '%' } },
        },
      ],
    });

    goals = [tagged(posted, 'practitioner')];
    await act(async () => {
      await i18next.changeLanguage('en');
    });
    cleanup();
    render(<Scale2Decision patientId="p1" canEdit practitioner="Practitioner/d1" />);
    await screen.findByText(/Using SCALE 2/);
    fireEvent.change(document.getElementById('scale2-end-reason')!, { target: { value: 'Normocapnic' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'End Scale 2' }));
      await Promise.resolve();
    });
    expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({
      id: 'g1',
      lifecycleStatus: 'cancelled',
      statusDate: TODAY,
      statusReason: 'Normocapnic',
      note: [
        { authorReference: { reference: 'Practitioner/d1' }, text: expect.stringContaining('Normocapnic') },
      ],
    });
    expect(missingKeys).toEqual([]);
  });

  it('refuses a save without a reason', async () => {
    render(<Scale2Decision patientId="p1" canEdit practitioner="Practitioner/d1" />);
    await screen.findByText('Thang 1 (chưa có quyết định dùng thang 2 của bác sĩ).');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Lưu quyết định thang 2' }));
      await Promise.resolve();
    });
    expect(screen.getByRole('alert').textContent).toBe('Vui lòng nhập đủ tên, ngày và lý do.');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('the vitals result reads the scale the server used', () => {
    const ext = (scale: number) => ({
      resourceType: 'Observation',
      valueInteger: 0,
      extension: [
        {
          url: 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale',
          extension: [{ url: 'scale', valueInteger: scale }],
        },
      ],
    });
    expect(news2Summary(ext(2))).toEqual({ score: 0, scale: 2 });
    expect(news2Summary(ext(1))).toEqual({ score: 0, scale: 1 });
  });
});
