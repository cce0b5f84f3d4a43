import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fhirAnswer, stubFetch, type FetchCall } from '../test-fetch';
import { Today } from './Today';
import { groupByDay } from './Upcoming';
import { priorityLevel, sortWaiting, waitingPriority, type WaitingEntry } from './waiting';

const appointment = (id: string, start: string, over: Record<string, unknown> = {}) => ({
  resourceType: 'Appointment',
  id,
  status: 'booked',
  start,
  end: new Date(Date.parse(start) + 20 * 60000).toISOString(),
  participant: [{ actor: { reference: 'Patient/pa' } }, { actor: { reference: 'Practitioner/d' } }],
  ...over,
});

const bundle = (matches: object[], included: object[] = []) => ({
  resourceType: 'Bundle',
  entry: [
    ...matches.map((resource) => ({ resource, search: { mode: 'match' } })),
    ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
  ],
});

const waiter = (over: Partial<WaitingEntry>): WaitingEntry => ({
  appointmentId: 'a',
  participantId: 'p',
  role: 'patient',
  actor: 'Patient/pa',
  reason: '',
  priority: 5,
  since: '2026-03-04T02:20:00Z',
  ...over,
});

describe('priority, one way everywhere', () => {
  it('1–2 urgent, 3+ routine, 0 or absent not triaged; the waiting room takes the appointment’s', () => {
    expect(priorityLevel(2)).toEqual({ key: 'urgent', value: 2 });
    expect(priorityLevel(5)).toEqual({ key: 'routine', value: 5 });
    expect(priorityLevel(0)).toEqual({ key: 'notTriaged' });
    expect(priorityLevel(undefined)).toEqual({ key: 'notTriaged' });
    // The server answers 5 for an appointment without a priority: the appointment decides.
    expect(waitingPriority({ priority: 5 }, {})).toBeUndefined();
    expect(waitingPriority({ priority: 5 }, { priority: 2 })).toBe(2);
    expect(waitingPriority({ priority: 3 }, undefined)).toBe(3);
    const sorted = sortWaiting(
      [
        waiter({ appointmentId: 'untriaged', since: '2026-03-04T01:00:00Z' }),
        waiter({ appointmentId: 'r4', priority: 4 }),
      ],
      (w) => (w.appointmentId === 'untriaged' ? undefined : w.priority),
    );
    expect(sorted.map((w) => w.appointmentId)).toEqual(['r4', 'untriaged']);
  });
});

describe('the next 7 days', () => {
  it('groups by Vietnam day in time order, leaving out cancelled appointments', () => {
    const days = groupByDay([
      appointment('late', '2026-03-05T10:00:00Z'),
      // 00:30 on Friday in Vietnam, still Thursday in UTC.
      appointment('friday', '2026-03-05T17:30:00Z'),
      appointment('early', '2026-03-05T01:00:00Z'),
      appointment('gone', '2026-03-05T02:00:00Z', { status: 'cancelled' }),
    ]);
    expect(days.map((d) => [d.day, d.appointments.map((a) => a.id)])).toEqual([
      ['2026-03-05', ['early', 'late']],
      ['2026-03-06', ['friday']],
    ]);
  });
});

describe('/doctor: days ahead and the same priority in the table and the waiting room', () => {
  let calls: FetchCall[];
  beforeEach(async () => {
    await i18next.changeLanguage('vi');
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-03-04T02:30:00Z'));
    const patients = [
      { resourceType: 'Patient', id: 'pa', name: [{ family: 'Nguyễn', given: ['An'] }] },
      { resourceType: 'Patient', id: 'pb', name: [{ family: 'Trần', given: ['Bảo'] }] },
    ];
    calls = stubFetch((call) => {
      const url = decodeURIComponent(call.url);
      if (url === '/consultation/waiting')
        return fhirAnswer(200, [
          // Appointment without a priority: the server says 5.
          waiter({ appointmentId: 'ap1', participantId: 'pa', priority: 5 }),
          waiter({
            appointmentId: 'ap2',
            participantId: 'pb',
            actor: 'Patient/pb',
            priority: 2,
            since: '2026-03-04T02:25:00Z',
          }),
        ]);
      if (url.includes('status=pending')) return fhirAnswer(200, bundle([]));
      if (url.includes('date=ge2026-03-04T00:00:00+07:00'))
        return fhirAnswer(
          200,
          bundle(
            [
              appointment('ap1', '2026-03-04T02:00:00Z', { reasonCode: [{ text: 'Ho' }] }),
              appointment('ap2', '2026-03-04T02:20:00Z', {
                priority: 2,
                participant: [
                  { actor: { reference: 'Patient/pb' } },
                  { actor: { reference: 'Practitioner/d' } },
                ],
              }),
            ],
            patients,
          ),
        );
      if (url.includes('date=ge2026-03-05T00:00:00+07:00'))
        return fhirAnswer(
          200,
          bundle(
            [
              appointment('u1', '2026-03-05T03:00:00Z', { reasonCode: [{ text: 'Tái khám tăng huyết áp' }] }),
              appointment('u2', '2026-03-07T01:00:00Z', {
                status: 'pending',
                priority: 1,
                participant: [
                  { actor: { reference: 'Patient/pb' } },
                  { actor: { reference: 'Practitioner/d' } },
                ],
              }),
            ],
            patients,
          ),
        );
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
    render(<Today claims={{ sub: 'u', role: 'practitioner', fhirUser: 'Practitioner/d', exp: 9e9 }} />);

  it('shows the next 7 days by day, with names, time, reason, status and priority', async () => {
    renderToday();
    const upcoming = await screen.findByTestId('doctor-upcoming');
    expect(calls.map((c) => decodeURIComponent(c.url))).toContain(
      '/fhir/Appointment?actor=Practitioner/d&date=ge2026-03-05T00:00:00+07:00&date=lt2026-03-12T00:00:00+07:00&_include=Appointment:patient&_sort=date&_count=200',
    );
    expect(screen.getByRole('heading', { name: '7 ngày tới' })).toBeTruthy();
    const thursday = within(upcoming).getByRole('region', { name: /^Thứ Năm 05\/03\/2026/ });
    expect(thursday.textContent).toContain('10:00–10:20 Nguyễn An');
    expect(thursday.textContent).toContain('Tái khám tăng huyết áp · Đã đặt · Mức ưu tiên: Chưa phân loại');
    const saturday = within(upcoming).getByRole('region', { name: /^Thứ Bảy 07\/03\/2026/ });
    expect(saturday.textContent).toContain('08:00–08:20 Trần Bảo');
    expect(saturday.textContent).toContain('Đang giữ chỗ · Mức ưu tiên: Khẩn (1)');
    expect(within(upcoming).queryByRole('region', { name: /Thứ Sáu/ })).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('the table and the waiting room say the same for the same appointment (vi and en)', async () => {
    for (const lang of ['vi', 'en'] as const) {
      await i18next.changeLanguage(lang);
      renderToday();
      const table = await screen.findByTestId('doctor-today');
      const list = await screen.findByTestId('doctor-waiting');
      const [untriaged, urgent] =
        lang === 'vi' ? ['Chưa phân loại', 'Khẩn (2)'] : ['Not triaged', 'Urgent (2)'];
      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows[0]!.textContent).toContain('Nguyễn An');
      expect(rows[0]!.textContent).toContain(untriaged);
      expect(rows[1]!.textContent).toContain('Trần Bảo');
      expect(rows[1]!.textContent).toContain(urgent);
      const items = within(list).getAllByRole('listitem');
      // The urgent one first; the untriaged one is not "5".
      expect(items[0]!.textContent).toContain('Trần Bảo');
      expect(items[0]!.textContent).toContain(urgent);
      expect(items[1]!.textContent).toContain('Nguyễn An');
      expect(items[1]!.textContent).toContain(untriaged);
      expect(items[1]!.textContent).not.toMatch(/\b5\b/);
      cleanup();
    }
    expect(missingKeys).toEqual([]);
  });
});
