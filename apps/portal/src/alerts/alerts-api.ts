/** The NEWS2 alerts and the duty roster as the server answers them (docs/care.md). */
import { api } from '../api';
import { formatDateTime } from '../format';

export interface News2AlertView {
  id: string;
  patientId: string;
  observationId: string;
  patient: { id: string; name?: string };
  facility?: string;
  hospital?: string;
  score?: number;
  response: 'urgent-review' | 'urgent' | 'emergency';
  raisedAt: string;
  notified: string[];
  onCall: string[];
  status: 'open' | 'acknowledged';
  acknowledgedBy?: string;
  acknowledgedAt?: string;
  escalatedAt?: string;
  escalatedTo?: string[];
  override?: { by: string; at: string; reason: string };
  /** Display names of the practitioners and facilities named above. */
  names?: Record<string, string>;
}

export interface DutyShift {
  id: string;
  facility: string;
  practitioner: string;
  covers: string[];
  start: string;
  end: string;
  note?: string;
  /** Display names of the practitioner and the facilities. */
  names?: Record<string, string>;
}

export const listAlerts = (all: boolean): Promise<News2AlertView[]> =>
  api<News2AlertView[]>(`/care/alerts?status=${all ? 'all' : 'open'}`);
export const acknowledge = (id: string): Promise<News2AlertView> =>
  api<News2AlertView>(`/care/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST' });
export const overrideBooking = (id: string, reason: string): Promise<News2AlertView> =>
  api<News2AlertView>(`/care/alerts/${encodeURIComponent(id)}/booking-override`, {
    method: 'POST',
    json: { reason },
  });

/** Who was called for the alert of a NEWS2 Observation (names), if the caller can see that alert. */
export async function routingOf(
  observationId: string,
): Promise<{ onCall: string[]; hospital: boolean } | undefined> {
  const alert = (await listAlerts(true)).find((a) => a.observationId === observationId);
  if (!alert) return undefined;
  return { onCall: alert.onCall.map((p) => alert.names?.[p] ?? p), hospital: alert.hospital !== undefined };
}

export const listRoster = (facility: string): Promise<DutyShift[]> =>
  api<DutyShift[]>(`/care/duty-roster?facility=${encodeURIComponent(facility)}`);
export const addShift = (shift: Omit<DutyShift, 'id' | 'names'>): Promise<DutyShift> =>
  api<DutyShift>('/care/duty-roster', { method: 'POST', json: shift });
export const removeShift = (id: string): Promise<void> =>
  api<void>(`/care/duty-roster/${encodeURIComponent(id)}`, { method: 'DELETE' });

/** A time in Vietnam, as the portal shows times (HH:mm dd/mm/yyyy, see format.ts). */
export const vnTime = (iso: string): string => formatDateTime(iso);
