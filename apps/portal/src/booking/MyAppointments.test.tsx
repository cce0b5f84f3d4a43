import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { MyAppointments } from './MyAppointments';

type Handler = (payload?: unknown) => void;
const socket = vi.hoisted(() => ({
  handlers: new Map<string, Handler>(),
  options: undefined as unknown,
}));
vi.mock('socket.io-client', () => ({
  io: (_ns: string, options: unknown) => {
    socket.options = options;
    return {
      on: (event: string, h: Handler) => socket.handlers.set(event, h),
      off: (event: string) => socket.handlers.delete(event),
      disconnect: () => undefined,
    };
  },
}));

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
/** A Vietnam wall-clock time `days` days after today in Vietnam (UTC+7, no DST), as an instant. */
const vnAt = (days: number, hhmm: string) => {
  const vnToday = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return new Date(
    Date.parse(`${vnToday}T00:00:00Z`) + days * 86400_000 + (h - 7) * 3600_000 + m * 60000,
  ).toISOString();
};
const inHours = (h: number) => new Date(Math.ceil((Date.now() + h * 3600_000) / 60000) * 60000).toISOString();
const appt = (id: string, status: string, start: string, reason: string) => ({
  resourceType: 'Appointment',
  id,
  status,
  start,
  end: new Date(Date.parse(start) + 20 * 60000).toISOString(),
  slot: [{ reference: `Slot/s-${id}` }],
  reasonCode: [{ text: reason }],
  participant: [
    { actor: { reference: 'Patient/p1' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/d1' }, status: 'accepted' },
  ],
});
// Starts in 10 minutes: the room (open from 15 minutes before) is open.
const soon = appt('a1', 'booked', inHours(1 / 6), 'Đau ngực');
const old = appt('a0', 'fulfilled', inHours(-48), 'Khám định kỳ');
let puts: unknown[];
/** What the Appointment search answers (a PUT replaces the appointment in it). */
let list: object[];

beforeEach(() => {
  puts = [];
  list = [old, soon];
  missingKeys.length = 0;
  socket.handlers.clear();
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      if (init.method === 'PUT') {
        const body = JSON.parse(String(init.body)) as { id: string };
        puts.push(body);
        list = list.map((a) => ((a as { id: string }).id === body.id ? body : a));
        return Promise.resolve(json(200, body));
      }
      if (url.startsWith('/fhir/Appointment?'))
        return Promise.resolve(
          json(200, { resourceType: 'Bundle', entry: list.map((resource) => ({ resource })) }),
        );
      if (url.startsWith('/fhir/Practitioner?'))
        return Promise.resolve(
          json(200, {
            resourceType: 'Bundle',
            entry: [
              {
                resource: {
                  resourceType: 'Practitioner',
                  id: 'd1',
                  name: [{ family: 'Trần', given: ['Minh'] }],
                },
              },
            ],
          }),
        );
      return Promise.resolve(json(200, { resourceType: 'Bundle', entry: [] }));
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('MyAppointments', () => {
  it('a pending "other reason" appointment says it waits for a doctor and offers no self-confirmation', async () => {
    const waiting = {
      ...appt('a2', 'pending', inHours(5), 'Mất ngủ kéo dài'),
      reasonCode: [
        {
          coding: [{ system: 'https://mekong.health/fhir/CodeSystem/telehealth-reason', code: 'other' }],
          text: 'Mất ngủ kéo dài',
        },
      ],
    };
    const hold = appt('a3', 'pending', inHours(6), 'Khám lại');
    const original = globalThis.fetch;
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init: RequestInit = {}) =>
        url.startsWith('/fhir/Appointment?')
          ? Promise.resolve(
              json(200, { resourceType: 'Bundle', entry: [{ resource: waiting }, { resource: hold }] }),
            )
          : original(url, init),
      ),
    );
    render(<MyAppointments patientId="p1" bookedId="a2" waiting />);
    expect(screen.getByText('Đã gửi yêu cầu đặt lịch: đang chờ bác sĩ xác nhận.')).toBeTruthy();
    expect(screen.queryByText('Đã đặt lịch thành công.')).toBeNull();
    const note = await screen.findByText(
      /^Đang chờ bác sĩ xác nhận: lý do khám không thuộc danh mục khám từ xa/,
    );
    const card = note.closest('li')!;
    expect(within(card).getByText(/Mất ngủ kéo dài/)).toBeTruthy();
    expect(within(card).queryByRole('button', { name: /^Xác nhận lịch/ })).toBeNull();
    expect(within(card).queryByText(/hãy xác nhận để hoàn tất/)).toBeNull();
    // An ordinary hold keeps its note and its confirm button.
    const other = screen.getByText(/Khám lại/).closest('li')!;
    expect(within(other).getByText(/hãy xác nhận để hoàn tất/)).toBeTruthy();
    expect(within(other).getByRole('button', { name: /^Xác nhận lịch/ })).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('a video offer from the waitlist is confirmed with a reason from the remote-care list; an in-person one as is', async () => {
    const video = [
      { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'video' }] },
    ];
    const inPersonType = [
      { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'in-person' }] },
    ];
    const withoutReason = (a: ReturnType<typeof appt>) =>
      Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'reasonCode'));
    const offer = { ...withoutReason(appt('a4', 'pending', inHours(7), '')), serviceType: video };
    const clinic = { ...withoutReason(appt('a5', 'pending', inHours(8), '')), serviceType: inPersonType };
    const original = globalThis.fetch;
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string, init: RequestInit = {}) =>
        url.startsWith('/fhir/Appointment?')
          ? Promise.resolve(
              json(200, { resourceType: 'Bundle', entry: [{ resource: offer }, { resource: clinic }] }),
            )
          : original(url, init),
      ),
    );
    render(<MyAppointments patientId="p1" />);
    const picker = await screen.findByLabelText('Bệnh trong danh mục khám từ xa');
    const card = picker.closest('li')!;
    fireEvent.click(within(card).getByRole('button', { name: /^Xác nhận lịch/ }));
    expect(
      await within(card).findByText('Chọn bệnh trong danh sách, hoặc "Lý do khác" nếu không có.'),
    ).toBeTruthy();
    expect(puts).toEqual([]);
    fireEvent.change(picker, { target: { value: 'http://hl7.org/fhir/sid/icd-10|J00' } });
    fireEvent.click(within(card).getByRole('button', { name: /^Xác nhận lịch/ }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toMatchObject({
      id: 'a4',
      status: 'booked',
      reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J00' }] }],
    });
    // The in-person offer has no picker: its confirm button sends it as it is.
    expect(screen.getAllByLabelText('Bệnh trong danh mục khám từ xa')).toHaveLength(1);
    expect(missingKeys).toEqual([]);
  });

  it('lists upcoming and past appointments, reminds with a join link, cancels only after confirmation', async () => {
    render(<MyAppointments patientId="p1" />);
    const upcoming = (await screen.findByText(/Đau ngực/)).closest('li')!;
    expect(within(upcoming).getByText(/Trần Minh/)).toBeTruthy();
    expect(within(upcoming).getByText('Đã đặt')).toBeTruthy();
    expect(
      within(upcoming)
        .getByRole('link', { name: /Vào phòng khám/ })
        .getAttribute('href'),
    ).toBe('/appointments/a1/check');
    const pastItem = screen.getByText(/Khám định kỳ/).closest('li')!;
    expect(within(pastItem).queryByRole('button')).toBeNull();

    // A live reminder over the socket, about the upcoming appointment.
    act(() => socket.handlers.get('ready')?.({ rooms: ['Patient/p1'] }));
    act(() =>
      socket.handlers.get('notification')?.({
        id: '42',
        topic: 'appointment-reminder',
        about: 'Appointment/a1',
      }),
    );
    expect(screen.getAllByText(/^Nhắc lịch: khám với Trần Minh bắt đầu lúc/).length).toBeGreaterThan(0);
    expect(screen.getByText('Đang nhận nhắc lịch trực tiếp')).toBeTruthy();

    // Each card's buttons name their appointment (a screen reader's list of buttons tells them apart).
    expect(
      within(upcoming)
        .getByRole('button', { name: /^Hủy lịch/ })
        .getAttribute('aria-label'),
    ).toMatch(/^Hủy lịch khám lúc \d{2}:\d{2} \d{2}\/\d{2}\/\d{4} với .*Trần Minh/);
    expect(
      within(upcoming).getByRole('button', { name: /^Đổi lịch khám lúc .* với .*Trần Minh/ }),
    ).toBeTruthy();
    fireEvent.click(within(upcoming).getByRole('button', { name: /^Hủy lịch/ }));
    expect(puts).toEqual([]);
    fireEvent.click(within(upcoming).getByRole('button', { name: 'Có, hủy lịch' }));
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toMatchObject({ id: 'a1', status: 'cancelled', slot: [{ reference: 'Slot/s-a1' }] });
    expect(await screen.findByText(/^Đã hủy lịch khám lúc/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('offers Join only from when the room opens (15 minutes before), and says when in Vietnam time', async () => {
    const later = appt('a7', 'booked', '2026-12-01T02:00:00.000Z', 'Tái khám huyết áp');
    list = [later];
    vi.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z'), shouldAdvanceTime: true });
    try {
      render(<MyAppointments patientId="p1" />);
      const card = (await screen.findByText(/Tái khám huyết áp/)).closest('li')!;
      expect(within(card).queryByRole('link')).toBeNull();
      // 02:00Z is 09:00 in Vietnam: the room opens at 08:45 local, never a UTC ISO time.
      expect(
        within(card).getByText(
          'Phòng khám mở lúc 08:45, 01/12/2026 (15 phút trước giờ hẹn). Nút “Vào phòng khám” sẽ hiện khi đến giờ.',
        ),
      ).toBeTruthy();
      expect(card.textContent).not.toMatch(/T\d{2}:\d{2}/);
      vi.setSystemTime(new Date('2026-12-01T01:46:00Z'));
      act(() => {
        vi.advanceTimersByTime(31_000);
      });
      expect(
        await within(card).findByRole('link', { name: 'Vào phòng khám: lịch lúc 09:00 01/12/2026' }),
      ).toBeTruthy();
      await act(() => i18next.changeLanguage('en'));
      expect(within(card).getByRole('link', { name: /^Join the visit/ })).toBeTruthy();
    } finally {
      vi.useRealTimers();
      await act(() => i18next.changeLanguage('vi'));
    }
    expect(missingKeys).toEqual([]);
  });

  it('a patient who dropped out of a visit in progress gets back in from the card', async () => {
    // Started 10 minutes ago, the patient was in the waiting room (arrived) and dropped.
    list = [appt('a8', 'arrived', inHours(-1 / 6), 'Sốt cao'), old];
    render(<MyAppointments patientId="p1" />);
    const card = (await screen.findByText(/Sốt cao/)).closest('li')!;
    expect(
      within(card)
        .getByRole('link', { name: /^Vào lại phòng khám/ })
        .getAttribute('href'),
    ).toBe('/appointments/a8/check');
    // It is listed as upcoming, not past.
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(headings.indexOf('Sắp tới')).toBeLessThan(headings.indexOf('Đã qua'));
    const upcomingList = screen.getByRole('heading', { name: 'Sắp tới' }).nextElementSibling!;
    expect(within(upcomingList as HTMLElement).getByText(/Sốt cao/)).toBeTruthy();
    expect(missingKeys).toEqual([]);
  });

  it('right after booking: one success message, no reminder banner for the appointment just booked', async () => {
    render(<MyAppointments patientId="p1" bookedId="a1" />);
    await screen.findByText(/Đau ngực/);
    act(() => socket.handlers.get('ready')?.({ rooms: ['Patient/p1'] }));
    act(() =>
      socket.handlers.get('notification')?.({
        id: '7',
        topic: 'appointment-reminder',
        about: 'Appointment/a1',
      }),
    );
    expect(screen.queryByText(/^Nhắc lịch/)).toBeNull();
    expect(screen.getAllByRole('status').filter((e) => e.classList.contains('ok'))).toHaveLength(1);
    expect(screen.getByText('Đã đặt lịch thành công.')).toBeTruthy();
  });

  it('after cancelling: exactly one success message, and the cancelled visit is not under "past"', async () => {
    const later = appt('a9', 'booked', inHours(30), 'Đau lưng');
    list = [old, later];
    render(<MyAppointments patientId="p1" />);
    act(() => socket.handlers.get('ready')?.({ rooms: ['Patient/p1'] }));
    const card = (await screen.findByText(/Đau lưng/)).closest('li')!;
    fireEvent.click(within(card).getByRole('button', { name: /^Hủy lịch/ }));
    fireEvent.click(within(card).getByRole('button', { name: 'Có, hủy lịch' }));
    const done = await screen.findByText(/^Đã hủy lịch khám lúc/);
    // The server's cancellation notice about it comes over the socket too: no second box.
    act(() =>
      socket.handlers.get('notification')?.({
        id: '8',
        topic: 'appointment-cancelled',
        about: 'Appointment/a9',
      }),
    );
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Đã hủy' })).toBeTruthy());
    const ok = document.querySelectorAll('.ok');
    expect(ok).toHaveLength(1);
    expect(document.activeElement?.textContent).toBe(screen.getByText(/^Đã hủy lịch khám lúc/).textContent);
    expect(done).toBeTruthy();
    const cancelledList = screen.getByRole('heading', { name: 'Đã hủy' }).nextElementSibling as HTMLElement;
    expect(within(cancelledList).getByText(/Đau lưng/)).toBeTruthy();
    const pastList = screen.getByRole('heading', { name: 'Đã qua' }).nextElementSibling as HTMLElement;
    expect(within(pastList).queryByText(/Đau lưng/)).toBeNull();
    expect(missingKeys).toEqual([]);
  });

  it('reschedules on a phone: times grouped by day as large buttons, more days, confirm right under the pick, focus kept', async () => {
    const slotAt = (id: string, start: string) => ({
      resourceType: 'Slot',
      id,
      schedule: { reference: 'Schedule/x' },
      status: 'free',
      start,
      end: new Date(Date.parse(start) + 20 * 60000).toISOString(),
    });
    // Day 1 (two times), day 2 (one time); a second page (the server's next link) has day 3.
    // Fixed Vietnam times, so the grouping by day holds at any hour the suite runs.
    const day1a = slotAt('s1', vnAt(2, '09:00'));
    const day1b = slotAt('s2', vnAt(2, '09:30'));
    const day2 = slotAt('s3', vnAt(3, '10:00'));
    const day3 = slotAt('s9', vnAt(4, '09:00'));
    const base = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementation((url, init) => {
      const u = String(url);
      if (u.startsWith('/fhir/Slot?_page=2'))
        return Promise.resolve(json(200, { resourceType: 'Bundle', entry: [{ resource: day3 }] }));
      if (u.startsWith('/fhir/Slot?')) {
        expect(new URLSearchParams(u.split('?')[1]).get('schedule.actor')).toBe('Practitioner/d1');
        return Promise.resolve(
          json(200, {
            resourceType: 'Bundle',
            entry: [day1a, day1b, day2].map((resource) => ({ resource })),
            link: [{ relation: 'next', url: 'http://localhost/fhir/Slot?_page=2' }],
          }),
        );
      }
      return base(url, init);
    });
    render(<MyAppointments patientId="p1" />);
    const item = (await screen.findByText(/Đau ngực/)).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: /^Đổi lịch/ }));
    const title = await within(item).findByRole('heading', { name: 'Chọn giờ khác với Trần Minh' });
    expect(document.activeElement).toBe(title);
    await within(item).findAllByRole('button', { name: /^Chọn \d{2}:\d{2}, / });
    // One section per day, its summary says how many times; no radios any more.
    const days = item.querySelectorAll('details');
    expect(days).toHaveLength(2);
    expect(days[0]!.querySelector('summary')!.textContent).toMatch(/— 2 giờ trống$/);
    expect(within(item).queryByRole('radio')).toBeNull();
    const times = within(days[0] as HTMLElement).getAllByRole('button');
    expect(times).toHaveLength(2);
    for (const b of times) expect(b.style.minHeight).toBe('44px');
    // More days: the next page.
    fireEvent.click(within(item).getByRole('button', { name: 'Xem thêm ngày' }));
    await waitFor(() => expect(item.querySelectorAll('details')).toHaveLength(3));
    // Pick the time on day 2: the confirm step is right under it, in the same day, and focused.
    const day2Section = item.querySelectorAll('details')[1] as HTMLElement;
    fireEvent.click(within(day2Section).getByRole('button', { name: /^Chọn / }));
    const confirm = within(day2Section).getByRole('button', { name: 'Đổi sang giờ này' });
    expect(document.activeElement?.textContent).toMatch(/^Đổi lịch từ .* sang /);
    fireEvent.click(confirm);
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]).toMatchObject({
      id: 'a1',
      status: 'booked',
      slot: [{ reference: 'Slot/s3' }],
      start: day2.start,
      end: day2.end,
    });
    // The success message is on the card and takes the focus.
    const done = await screen.findByText(/^Đã đổi lịch sang/);
    expect(document.activeElement).toBe(done);
    expect(document.querySelectorAll('.ok')).toHaveLength(1);
    expect(missingKeys).toEqual([]);
  });
});
