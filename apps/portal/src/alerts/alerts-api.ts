/**
 * The NEWS2 alerts and the duty roster as the server answers them (docs/care.md): the shapes are the
 * shared contract (libs/contracts/src/care.ts), the server's own types.
 */
import type {
  BookingOverrideBody,
  DutyShift,
  DutyShiftBody,
  DutyShiftView,
  News2Alert,
  News2AlertsStatus,
  News2AlertView,
} from '../../../../libs/contracts/src';
import { api } from '../api';
import { formatDateTime } from '../format';

export type { News2AlertView } from '../../../../libs/contracts/src';

export const listAlerts = (all: boolean): Promise<News2AlertView[]> => {
  const status: News2AlertsStatus = all ? 'all' : 'open';
  return api<News2AlertView[]>(`/care/alerts?status=${status}`);
};
export const acknowledge = (id: string): Promise<News2Alert> =>
  api<News2Alert>(`/care/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST' });
export const overrideBooking = (id: string, reason: string): Promise<News2Alert> => {
  const json: BookingOverrideBody = { reason };
  return api<News2Alert>(`/care/alerts/${encodeURIComponent(id)}/booking-override`, {
    method: 'POST',
    json,
  });
};

/** Who was called for the alert of a NEWS2 Observation (names), if the caller can see that alert. */
export async function routingOf(
  observationId: string,
): Promise<{ onCall: string[]; hospital: boolean } | undefined> {
  const alert = (await listAlerts(true)).find((a) => a.observationId === observationId);
  if (!alert) return undefined;
  return { onCall: alert.onCall.map((p) => alert.names?.[p] ?? p), hospital: alert.hospital !== undefined };
}

export const listRoster = (facility: string): Promise<DutyShiftView[]> =>
  api<DutyShiftView[]>(`/care/duty-roster?facility=${encodeURIComponent(facility)}`);
export const addShift = (shift: DutyShiftBody): Promise<DutyShift> =>
  api<DutyShift>('/care/duty-roster', { method: 'POST', json: shift });
export const removeShift = (id: string): Promise<void> =>
  api<void>(`/care/duty-roster/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** A time in Vietnam, as the portal shows times (HH:mm dd/mm/yyyy, see format.ts). */
export const vnTime = (iso: string): string => formatDateTime(iso);
