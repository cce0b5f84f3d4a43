import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime, localDay } from './format';

describe('dates are shown in Asia/Ho_Chi_Minh, vi-VN by default', () => {
  it('an instant late at night UTC is the next day in Vietnam', () => {
    expect(localDay('2026-03-01T18:30:00Z')).toBe('2026-03-02');
    expect(formatDateTime('2026-03-01T18:30:00Z', 'vi')).toContain('01:30');
  });
  it('a birth date is a calendar day, not shifted by the zone', () => {
    expect(formatDate('2024-01-31', 'vi')).toBe('31/01/2024');
    expect(formatDate('1924-01-31', 'vi')).toBe('31/01/1924');
    expect(formatDate('2024-01-31', 'en')).toBe('31/01/2024');
  });
});

describe('one time format, the same in vi and en', () => {
  it('HH:mm dd/mm/yyyy, 24 h, in both languages', () => {
    expect(formatDateTime('2026-01-01T13:05:00Z', 'vi')).toBe('20:05 01/01/2026');
    expect(formatDateTime('2026-01-01T13:05:00Z', 'en')).toBe('20:05 01/01/2026');
    expect(formatTime('2026-01-01T17:05:00Z', 'en')).toBe('00:05');
    expect(formatTime('2026-01-01T06:30:00Z', 'vi')).toBe('13:30');
  });
});
