import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18next, missingKeys } from '../i18n';
import { fhirAnswer as json, stubFetch } from '../test-fetch';
import { DeviceCheck } from './DeviceCheck';

const appointment = (start: string, status = 'booked') => ({
  resourceType: 'Appointment',
  id: 'a1',
  status,
  start,
  end: new Date(Date.parse(start) + 20 * 60000).toISOString(),
});
let answer: () => Response;

beforeEach(() => {
  missingKeys.length = 0;
  stubFetch((call) => {
    if (call.url === '/fhir/Appointment/a1') return answer();
    if (call.url === '/health') return new Response('{}', { status: 200 });
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  vi.useRealTimers();
  await i18next.changeLanguage('vi');
  vi.unstubAllGlobals();
});

describe('DeviceCheck', () => {
  it('too early: no Join, but when the room opens in Vietnam time (vi and en)', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-30T12:00:00Z'), shouldAdvanceTime: true });
    answer = () => json(200, appointment('2026-12-01T02:00:00Z'));
    render(<DeviceCheck appointmentId="a1" />);
    expect(
      await screen.findByText(
        'Chưa đến giờ vào phòng khám: phòng mở lúc 08:45, 01/12/2026 (15 phút trước giờ hẹn). Bạn có thể kiểm tra thiết bị trước.',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Vào phòng khám' })).toBeNull();
    await act(() => i18next.changeLanguage('en'));
    expect(screen.getByText(/the room opens at 08:45, 01\/12\/2026 \(15 minutes before/)).toBeTruthy();
    // The room opens: the link appears without a reload.
    vi.setSystemTime(new Date('2026-12-01T01:45:30Z'));
    act(() => {
      vi.advanceTimersByTime(16_000);
    });
    expect((await screen.findByRole('link', { name: 'Join the visit' })).getAttribute('href')).toBe(
      '/visit/a1',
    );
    expect(missingKeys).toEqual([]);
  });

  it('a cancelled visit says so and offers no Join', async () => {
    answer = () => json(200, appointment(new Date(Date.now() + 60000).toISOString(), 'cancelled'));
    render(<DeviceCheck appointmentId="a1" />);
    expect(await screen.findByText(/đã kết thúc hoặc không còn hiệu lực/)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Vào phòng khám' })).toBeNull();
  });
});
