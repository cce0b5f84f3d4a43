import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { missingKeys } from '../i18n';
import { DOCTOR_MESSAGES } from './messages';
import { Today } from './Today';
import { minutesWaiting, sortWaiting, type WaitingEntry } from './waiting';

const entry = (over: Partial<WaitingEntry>): WaitingEntry => ({
  appointmentId: 'a',
  participantId: 'p',
  role: 'patient',
  actor: 'Patient/x',
  reason: '',
  priority: 5,
  since: '2026-03-04T02:00:00Z',
  ...over,
});

describe('waiting list order', () => {
  it('most urgent first (1 before 5), then longest waiting; untriaged (0) last', () => {
    const sorted = sortWaiting([
      entry({ participantId: 'late-5', priority: 5, since: '2026-03-04T02:10:00Z' }),
      entry({ participantId: 'none', priority: 0, since: '2026-03-04T01:00:00Z' }),
      entry({ participantId: 'early-5', priority: 5, since: '2026-03-04T02:00:00Z' }),
      entry({ participantId: 'urgent', priority: 1, since: '2026-03-04T02:20:00Z' }),
    ]);
    expect(sorted.map((e) => e.participantId)).toEqual(['urgent', 'early-5', 'late-5', 'none']);
    expect(minutesWaiting('2026-03-04T02:00:00Z', Date.parse('2026-03-04T02:07:59Z'))).toBe(7);
  });
});

describe("today's schedule and waiting room", () => {
  let waiting: WaitingEntry[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-03-04T02:30:00Z'));
    const json = (body: unknown): Response =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) => {
        const url = decodeURIComponent(String(input));
        if (url === '/consultation/waiting') return Promise.resolve(json(waiting));
        if (url.startsWith('/fhir/Appointment?'))
          return Promise.resolve(
            json({
              resourceType: 'Bundle',
              entry: [
                {
                  resource: {
                    resourceType: 'Appointment',
                    id: 'ap1',
                    status: 'booked',
                    start: '2026-03-04T02:00:00Z',
                    end: '2026-03-04T02:20:00Z',
                    priority: 2,
                    reasonCode: [{ text: 'Đau ngực khi gắng sức' }],
                    participant: [
                      { actor: { reference: 'Patient/pa' } },
                      { actor: { reference: 'Practitioner/d' } },
                    ],
                  },
                  search: { mode: 'match' },
                },
                {
                  resource: {
                    resourceType: 'Patient',
                    id: 'pa',
                    name: [{ family: 'Nguyễn', given: ['An'] }],
                  },
                  search: { mode: 'include' },
                },
              ],
            }),
          );
        return Promise.resolve(new Response('{}', { status: 404 }));
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("lists today's appointments (Vietnam day) and polls the waiting room every 5 s, sorted", async () => {
    waiting = [];
    render(<Today claims={{ sub: 'u', role: 'practitioner', fhirUser: 'Practitioner/d', exp: 9e9 }} />);
    const table = await screen.findByTestId('doctor-today');
    const fetchMock = vi.mocked(fetch);
    expect(fetchMock.mock.calls.map((c) => decodeURIComponent(String(c[0])))).toContain(
      '/fhir/Appointment?actor=Practitioner/d&date=ge2026-03-04T00:00:00+07:00&date=lt2026-03-05T00:00:00+07:00&_include=Appointment:patient&_sort=date&_count=200',
    );
    expect(table.textContent).toContain('09:00–09:20');
    expect(table.textContent).toContain('Nguyễn An');
    expect(table.textContent).toContain('Đau ngực khi gắng sức');
    expect(
      within(table)
        .getByRole('link', { name: /Mở phòng khám cho Nguyễn An/ })
        .getAttribute('href'),
    ).toBe('/visit/ap1');
    expect(await screen.findByText('Hiện không có ai đang chờ.')).toBeTruthy();

    waiting = [
      entry({
        appointmentId: 'other',
        participantId: 'g',
        role: 'guest',
        actor: 'interpreter:Sa',
        priority: 5,
      }),
      entry({
        appointmentId: 'ap1',
        participantId: 'pa',
        actor: 'Patient/pa',
        priority: 2,
        reason: 'Đau ngực khi gắng sức',
        since: '2026-03-04T02:25:00Z',
      }),
    ];
    await vi.advanceTimersByTimeAsync(5000);
    const list = await screen.findByTestId('doctor-waiting');
    const items = within(list).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Nguyễn An');
    expect(items[0]!.textContent).toContain('Chờ từ 09:25 (5 phút)');
    expect(items[1]!.textContent).toContain('Khách mời');
    expect(missingKeys).toEqual([]);
  });

  it('has the same message keys in Vietnamese and English', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(DOCTOR_MESSAGES.en).sort()).toEqual(keys(DOCTOR_MESSAGES.vi).sort());
  });
});
