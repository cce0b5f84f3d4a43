import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { missingKeys } from '../i18n';
import { Availability } from './Availability';
import { addDays, buildWeekGrid, clockTime, localInputToInstant, weekStart } from './week';

describe('week grid in Asia/Ho_Chi_Minh', () => {
  it('weeks start on Monday, Vietnam calendar days', () => {
    expect(weekStart('2026-03-08')).toBe('2026-03-02'); // Sunday → its Monday
    expect(weekStart('2026-03-02')).toBe('2026-03-02');
    expect(weekStart('2026-01-01')).toBe('2025-12-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(clockTime('2026-03-01T17:30:00Z')).toBe('00:30');
    expect(localInputToInstant('2026-04-30T08:00')).toBe('2026-04-30T08:00:00+07:00');
  });

  it('puts each slot on the Vietnam day it starts, in time order, outside-week slots left out', () => {
    const grid = buildWeekGrid(
      [
        { id: 'b', start: '2026-03-02T02:00:00Z', end: '2026-03-02T02:20:00Z', status: 'busy' },
        // 00:30 on Monday in Vietnam, still Sunday in UTC.
        { id: 'a', start: '2026-03-01T17:30:00Z', end: '2026-03-01T17:50:00Z', status: 'free' },
        // 23:40 Sunday in Vietnam.
        {
          id: 'c',
          start: '2026-03-08T16:40:00Z',
          end: '2026-03-08T17:00:00Z',
          serviceType: [{ coding: [{ code: 'video' }] }],
        },
        // Next Monday 00:00 in Vietnam: not this week.
        { id: 'd', start: '2026-03-08T17:00:00Z', end: '2026-03-08T17:20:00Z' },
        // 23:59 UTC on Sunday is already 06:59 on Monday in Vietnam.
        { id: 'e', start: '2026-03-01T23:59:00+00:00', end: '2026-03-02T00:19:00Z' },
      ],
      '2026-03-02',
    );
    expect(grid.map((d) => d.day)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
    ]);
    expect(grid[0]!.slots.map((s) => [s.id, s.from, s.to, s.status])).toEqual([
      ['a', '00:30', '00:50', 'free'],
      ['e', '06:59', '07:19', 'free'],
      ['b', '09:00', '09:20', 'busy'],
    ]);
    expect(grid[6]!.slots).toEqual([
      expect.objectContaining({ id: 'c', from: '23:40', to: '00:00', serviceType: 'video' }),
    ]);
    expect(grid.flatMap((d) => d.slots).some((s) => s.id === 'd')).toBe(false);
  });
});

describe('availability page', () => {
  const calls: string[] = [];
  beforeEach(() => {
    calls.length = 0;
    // Wednesday 4 March 2026, 01:00 in Vietnam (still Tuesday in UTC).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-03T18:00:00Z'));
    const json = (body: unknown): Response =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    vi.stubGlobal(
      'fetch',
      vi.fn((input: RequestInfo | URL) => {
        const url = String(input);
        calls.push(decodeURIComponent(url));
        if (url.startsWith('/fhir/Schedule'))
          return Promise.resolve(
            json({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Schedule', id: 's1' } }] }),
          );
        if (url.startsWith('/fhir/Slot'))
          return Promise.resolve(
            json({
              resourceType: 'Bundle',
              entry: [
                {
                  resource: {
                    resourceType: 'Slot',
                    id: 'x1',
                    status: 'free',
                    start: '2026-03-04T01:00:00Z',
                    end: '2026-03-04T01:20:00Z',
                  },
                },
                {
                  resource: {
                    resourceType: 'Slot',
                    id: 'x2',
                    status: 'busy',
                    start: '2026-03-05T17:10:00Z',
                    end: '2026-03-05T17:30:00Z',
                  },
                },
              ],
            }),
          );
        if (url.endsWith('/rules'))
          return Promise.resolve(
            json([
              {
                id: 'r1',
                daysOfWeek: [1, 3],
                startTime: '08:00',
                endTime: '11:30',
                slotMinutes: 20,
                serviceType: 'video',
                validFrom: '2026-03-01',
                validTo: null,
              },
            ]),
          );
        if (url.endsWith('/exceptions')) return Promise.resolve(json([]));
        return Promise.resolve(new Response('{}', { status: 404 }));
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("finds the doctor's schedule and shows this week's slots by Vietnam day", async () => {
    render(
      <Availability claims={{ sub: 'u', role: 'practitioner', fhirUser: 'Practitioner/p1', exp: 9e9 }} />,
    );
    const week = await screen.findByTestId('doctor-week');
    expect(calls).toContain('/fhir/Schedule?actor=Practitioner/p1&active=true');
    expect(calls).toContain(
      '/fhir/Slot?schedule=Schedule/s1&start=ge2026-03-02T00:00:00+07:00&start=lt2026-03-09T00:00:00+07:00&_sort=start&_count=1000',
    );
    const wednesday = within(week).getByRole('region', { name: 'Thứ Tư 04/03/2026' });
    expect(wednesday.textContent).toContain('08:00–08:20');
    // 17:10 UTC on Thursday is 00:10 on Friday in Vietnam.
    const friday = within(week).getByRole('region', { name: 'Thứ Sáu 06/03/2026' });
    expect(friday.textContent).toContain('00:10–00:30');
    // On a phone, today is the day shown.
    expect(wednesday.className).toContain('selected');
    expect(screen.getByRole('button', { name: 'Thứ Tư 04/03/2026' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await screen.findByText(/Thứ Hai, Thứ Tư: 08:00–11:30/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });
});
