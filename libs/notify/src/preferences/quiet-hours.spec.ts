import { notBefore, URGENT_TOPICS } from './quiet-hours';
import { parseQuietHours } from '@mekong/common';

/** Vietnam wall-clock time (UTC+7, no daylight saving) as a Date. */
const vn = (iso: string): Date => new Date(`${iso}+07:00`);

describe('quiet hours 21:00–07:00 Asia/Ho_Chi_Minh', () => {
  it.each([
    ['2026-12-06T07:00:00', '2026-12-06T07:00:00'], // 07:00 is no longer quiet
    ['2026-12-06T12:00:00', '2026-12-06T12:00:00'],
    ['2026-12-06T20:59:59', '2026-12-06T20:59:59'], // the last second before
    ['2026-12-06T21:00:00', '2026-12-07T07:00:00'], // 21:00 is quiet: next morning
    ['2026-12-06T23:59:59', '2026-12-07T07:00:00'],
    ['2026-12-07T00:00:00', '2026-12-07T07:00:00'], // after midnight: the same morning
    ['2026-12-07T06:59:59', '2026-12-07T07:00:00'],
    ['2026-12-31T22:30:00', '2027-01-01T07:00:00'], // across a year
  ])('a message at %s (Vietnam) may go out at %s', (at, expected) => {
    expect(notBefore(vn(at)).toISOString()).toBe(vn(expected).toISOString());
  });

  it('the server clock zone does not matter: 14:00 UTC is 21:00 in Vietnam', () => {
    expect(notBefore(new Date('2026-12-06T14:00:00Z')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(notBefore(new Date('2026-12-06T13:59:59Z')).toISOString()).toBe('2026-12-06T13:59:59.000Z');
  });

  it('NOTIFY_QUIET_HOURS: another window, one within a day, and off', () => {
    const q = parseQuietHours('22:30-06:00')!;
    expect(notBefore(vn('2026-12-06T22:29:00'), q).toISOString()).toBe(
      vn('2026-12-06T22:29:00').toISOString(),
    );
    expect(notBefore(vn('2026-12-06T22:30:00'), q).toISOString()).toBe(
      vn('2026-12-07T06:00:00').toISOString(),
    );
    const day = parseQuietHours('12:00-13:30')!;
    expect(notBefore(vn('2026-12-06T12:10:00'), day).toISOString()).toBe(
      vn('2026-12-06T13:30:00').toISOString(),
    );
    expect(notBefore(vn('2026-12-06T13:30:00'), day).toISOString()).toBe(
      vn('2026-12-06T13:30:00').toISOString(),
    );
    expect(parseQuietHours('off')).toBeUndefined();
    expect(parseQuietHours('21:00-07:00')).toEqual({ from: 1260, until: 420 });
  });

  it('only alerts, break-glass and account notices are urgent', () => {
    expect([...URGENT_TOPICS].sort()).toEqual([
      'account-security',
      'break-glass',
      'news2-alert',
      'news2-alert-escalation',
    ]);
  });
});
