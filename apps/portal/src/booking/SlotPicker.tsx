/**
 * Picking a free time, shared by booking and rescheduling: times as large buttons (at least
 * 44 × 44 px, WCAG 2.5.5), and — for one doctor's times — grouped by Vietnam day under a
 * collapsible day heading, with whatever confirms the pick shown right under the chosen time.
 */
import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatTime, localDay } from '../format';
import type { Slot } from './booking-logic';
import './messages';

/** A calendar day (YYYY-MM-DD) with its weekday, e.g. "Thứ Ba, 01/12/2026". */
export function dayHeading(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = new Intl.DateTimeFormat(locale.startsWith('en') ? 'en-GB' : 'vi-VN', {
    weekday: 'long',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y as number, (m as number) - 1, d)));
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${formatDate(day, locale)}`;
}

/** A time button's size: a comfortable tap target on a phone. */
export const TIME_BUTTON = { minHeight: 44, minWidth: 76, padding: '8px 12px' } as const;

/** The free times as buttons (pressed = chosen); `label` names each for a screen reader. */
export function TimeButtons({
  slots,
  selectedId,
  onPick,
  label,
}: {
  slots: readonly Slot[];
  selectedId?: string;
  onPick: (slot: Slot) => void;
  label: (slot: Slot) => string;
}) {
  const { i18n } = useTranslation('booking');
  return (
    <ul className="plain" style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: 0 }}>
      {slots.map((s) => (
        <li key={s.id}>
          <button
            type="button"
            className={selectedId === s.id ? undefined : 'secondary'}
            aria-pressed={selectedId === s.id}
            aria-label={label(s)}
            style={TIME_BUTTON}
            onClick={() => onPick(s)}
          >
            {formatTime(s.start, i18n.language)}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * One doctor's free times by day: each day a collapsible section (the first day and the day of
 * the chosen time open), its times as large buttons, and `chosen` (the confirm step) right under
 * the chosen time's day.
 */
export function DaySlotPicker({
  slots,
  selectedId,
  onPick,
  label,
  chosen,
}: {
  slots: readonly Slot[];
  selectedId?: string;
  onPick: (slot: Slot) => void;
  label: (slot: Slot) => string;
  chosen?: ReactNode;
}) {
  const { t, i18n } = useTranslation('booking');
  const lang = i18n.language;
  const days = new Map<string, Slot[]>();
  for (const s of [...slots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
    const day = localDay(s.start);
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  return (
    <ul className="plain">
      {[...days.entries()].map(([day, list], i) => {
        const hasPick = list.some((s) => s.id === selectedId);
        return (
          <li key={day} style={{ margin: '0 0 8px' }}>
            <details open={i === 0 || hasPick || undefined}>
              <summary style={{ minHeight: 44, padding: '10px 0', cursor: 'pointer', fontWeight: 600 }}>
                {t('pickDay', { day: dayHeading(day, lang), count: list.length })}
              </summary>
              <div style={{ padding: '4px 0 8px' }}>
                <TimeButtons slots={list} selectedId={selectedId} onPick={onPick} label={label} />
                {hasPick && chosen}
              </div>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
