/**
 * The station's list of children due or overdue for vaccination in a month
 * (`GET /care/immunizations/due?month=YYYY-MM`, libs/care/src/immunization/immunization-due.controller.ts).
 */
import { formatDate, localDay } from '../format';

export type DueStatus = 'due' | 'overdue' | 'upcoming';

/** One row of the server's answer (a dose still to give). */
export interface DueEntry {
  patient: { id: string; name: string; birthDate: string };
  /** Local antigen code of the schedule, e.g. `DTP-HEPB-HIB`. */
  antigen: string;
  /** The antigen's name when the server sends it (a text, or per language). */
  antigenName?: string | { vi?: string; en?: string };
  dose: number;
  status: DueStatus;
  due: string;
  overdue: string;
  earliest: string;
  /** The child's Immunizations the schedule could not count (unknown code, impossible date), with why. */
  notCounted?: { reference: string; why: string; code?: string; date?: string }[];
}

/** One not-counted dose of a child, once however many rows the child has. */
export interface NotCountedRow {
  key: string;
  patientId: string;
  href: string;
  name: string;
  date: string;
  code: string;
  why: string;
}

export interface DueRow {
  key: string;
  patientId: string;
  href: string;
  name: string;
  birthDate: string;
  vaccine: string;
  dose: number;
  due: string;
  overdueFrom: string;
  status: DueStatus;
}

/** This month (YYYY-MM) in Asia/Ho_Chi_Minh, whatever the device's zone. */
export function currentMonth(now: Date = new Date()): string {
  return localDay(now).slice(0, 7);
}

export const isMonth = (v: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(v);

/**
 * The table rows: dates as dd/mm/yyyy, the vaccine by the server's name (Vietnamese first), else
 * the portal's name for a known code (`known`), else the code itself.
 */
export function dueRows(
  entries: readonly DueEntry[],
  lang: string,
  known: (code: string) => string | undefined = () => undefined,
): DueRow[] {
  const en = lang.startsWith('en');
  return entries.map((e) => {
    const n = e.antigenName;
    const fromServer = typeof n === 'string' ? n : en ? (n?.en ?? n?.vi) : (n?.vi ?? n?.en);
    return {
      key: `${e.patient.id}|${e.antigen}|${e.dose}`,
      patientId: e.patient.id,
      href: `/station/patient/${encodeURIComponent(e.patient.id)}`,
      name: e.patient.name,
      birthDate: formatDate(e.patient.birthDate, lang),
      vaccine: fromServer || known(e.antigen) || e.antigen,
      dose: e.dose,
      due: formatDate(e.due, lang),
      overdueFrom: formatDate(e.overdue, lang),
      status: e.status,
    };
  });
}

export const STATUS_STYLE: Record<DueStatus, { color: string; background: string; border: string }> = {
  overdue: { color: '#7a1c16', background: '#fdecea', border: '#b3261e' },
  due: { color: '#5c2d00', background: '#fff4e5', border: '#b45309' },
  upcoming: { color: '#1e3a5f', background: '#e8f0fb', border: '#1d4ed8' },
};

/** The doses the server could not count, one line per Immunization (never dropped from the list). */
export function notCountedRows(entries: readonly DueEntry[], lang: string): NotCountedRow[] {
  const seen = new Set<string>();
  const out: NotCountedRow[] = [];
  for (const e of entries) {
    for (const n of e.notCounted ?? []) {
      const key = `${e.patient.id}|${n.reference}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        key,
        patientId: e.patient.id,
        href: `/station/patient/${encodeURIComponent(e.patient.id)}`,
        name: e.patient.name,
        date: n.date ? formatDate(n.date, lang) : '—',
        code: n.code ?? '—',
        why: n.why,
      });
    }
  }
  return out;
}
