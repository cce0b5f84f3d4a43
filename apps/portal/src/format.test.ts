import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, localDay } from './format';

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
