/**
 * The availability calendar: a Monday-to-Sunday week of slots in Asia/Ho_Chi_Minh (UTC+7 all
 * year, no daylight saving — docs/scheduling.md), whatever the device's zone.
 */
import { localDay } from '../format';

const OFFSET_MS = 7 * 3600_000;

/** `day` (YYYY-MM-DD) plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, (d as number) + n)).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const w = new Date(Date.UTC(y as number, (m as number) - 1, d as number)).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The Monday of the week `day` is in. */
export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Midnight starting `day` in Vietnam, as an instant with its offset (what the APIs accept). */
export const startOfDay = (day: string): string => `${day}T00:00:00+07:00`;

/** HH:mm of an instant on the Vietnam clock. */
export function clockTime(instant: string): string {
  return new Date(Date.parse(instant) + OFFSET_MS).toISOString().slice(11, 16);
}

export interface SlotLike {
  id?: string;
  start?: string;
  end?: string;
  status?: string;
  serviceType?: { coding?: { code?: string }[]; text?: string }[];
}

export interface GridSlot {
  id: string;
  start: string;
  end: string;
  /** HH:mm, Vietnam time. */
  from: string;
  to: string;
  status: string;
  serviceType?: string;
}

export interface GridDay {
  day: string;
  weekday: number;
  slots: GridSlot[];
}

/**
 * The week starting `monday` as seven days, each with its slots in start order. A slot belongs
 * to the Vietnam day it starts on; slots outside the week are left out.
 */
export function buildWeekGrid(slots: readonly SlotLike[], monday: string): GridDay[] {
  const days: GridDay[] = weekDays(monday).map((day, i) => ({ day, weekday: i + 1, slots: [] }));
  const byDay = new Map(days.map((d) => [d.day, d]));
  for (const s of slots) {
    if (!s.start || !s.end || Number.isNaN(Date.parse(s.start))) continue;
    const target = byDay.get(localDay(s.start));
    if (!target) continue;
    target.slots.push({
      id: s.id ?? s.start,
      start: s.start,
      end: s.end,
      from: clockTime(s.start),
      to: clockTime(s.end),
      status: s.status ?? 'free',
      serviceType: s.serviceType?.[0]?.coding?.[0]?.code,
    });
  }
  for (const d of days) d.slots.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return days;
}

/** A `datetime-local` value (wall clock in Vietnam) as an instant with the +07:00 offset. */
export function localInputToInstant(value: string): string {
  return `${value.length === 16 ? `${value}:00` : value}+07:00`;
}
