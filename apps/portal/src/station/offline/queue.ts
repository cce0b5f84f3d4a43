/** Putting what the station captures offline into the outbox, and sending it when the link allows. */
import { humanName, type FhirResource } from '../../api';
import { session } from '../../shell/session-store';
import { normalizePhone } from '../identifiers';
import {
  captureIdOf,
  type ContactChanges,
  deviceUuid,
  type OutboxItem,
  putItem,
  withCaptureId,
} from './outbox';
import { syncOutbox } from './sync';

/** Whether to keep the work on the device instead of sending it now. */
export const isOffline = (): boolean => typeof navigator !== 'undefined' && navigator.onLine === false;

function owner(): string {
  const sub = session.claims?.sub;
  if (!sub) throw new Error('not signed in');
  return sub;
}

/** Tries to send at once when the browser thinks it is online (failures leave it waiting). */
function kick(): void {
  if (!isOffline()) void syncOutbox().catch(() => undefined);
}

/**
 * Keeps a registration (the Patient as the form made it) in the outbox; answers the item's id.
 * The Patient's capture identifier is the item's id (given when a send already failed, so a replay
 * of that attempt is recognised).
 */
export async function queueRegistration(patient: FhirResource, now = new Date()): Promise<string> {
  const id = captureIdOf(patient) ?? deviceUuid();
  const item: OutboxItem = {
    id,
    owner: owner(),
    kind: 'register',
    capturedAt: now.toISOString(),
    state: 'waiting',
    label: humanName(patient as { name?: { text?: string }[] }),
    resources: [withCaptureId(patient, id)],
  };
  await putItem(item);
  kick();
  return id;
}

/** Keeps a vitals set (Observations with their capture identifiers) for a patient or a queued one. */
export async function queueVitals(
  observations: FhirResource[],
  patient: { id: string } | { queued: string },
  label: string,
  capturedAt: string,
): Promise<string> {
  const id = deviceUuid();
  await putItem({
    id,
    owner: owner(),
    kind: 'vitals',
    capturedAt,
    state: 'waiting',
    label,
    resources: observations.map((o) => withCaptureId(o, captureIdOf(o) ?? deviceUuid())),
    patient,
  });
  kick();
  return id;
}

type Address = { line?: string[]; city?: string; district?: string; state?: string; text?: string };

/** The Patient with the contact changes applied (phone: the first phone; line: the home address's). */
export function applyContact(patient: FhirResource, changes: ContactChanges): FhirResource {
  const out: FhirResource = { ...patient };
  if (changes.phone !== undefined) {
    const phone = normalizePhone(changes.phone) ?? changes.phone.trim();
    const telecom = ((patient.telecom as { system?: string; value?: string }[] | undefined) ?? []).filter(
      (t) => t.system !== 'phone',
    );
    out.telecom = phone ? [{ system: 'phone', value: phone, use: 'mobile' }, ...telecom] : telecom;
    if ((out.telecom as unknown[]).length === 0) delete out.telecom;
  }
  if (changes.line !== undefined) {
    const [first, ...rest] = (patient.address as Address[] | undefined) ?? [];
    const line = changes.line.trim();
    // A new address gets the registration form's defaults; an existing one only its line changed.
    const a: Address = {
      ...(first ?? { use: 'home', type: 'physical', country: 'VN' }),
      line: line ? [line] : undefined,
    } as Address;
    a.text = [line, a.city, a.district, a.state].filter(Boolean).join(', ') || undefined;
    out.address = [a, ...rest];
  }
  return out;
}

/** Keeps an edit of a server patient's contact details, made on version `baseVersion`. */
export async function queueUpdate(
  patient: FhirResource,
  baseVersion: string,
  changes: ContactChanges,
  label: string,
): Promise<string> {
  const id = deviceUuid();
  await putItem({
    id,
    owner: owner(),
    kind: 'update',
    capturedAt: new Date().toISOString(),
    state: 'waiting',
    label,
    resources: [applyContact(patient, changes)],
    patient: { id: patient.id ?? '' },
    baseVersion,
    changes,
  });
  kick();
  return id;
}

/**
 * Keeps a symptom check (the QuestionnaireResponse as the form built it) for a patient; the server
 * assesses it when it is sent. Answers the item's id (also the response's capture identifier).
 */
export async function queueTriage(
  response: FhirResource,
  patient: { id: string } | { queued: string },
  label: string,
  now = new Date(),
): Promise<string> {
  const id = deviceUuid();
  await putItem({
    id,
    owner: owner(),
    kind: 'triage',
    capturedAt: now.toISOString(),
    state: 'waiting',
    label,
    resources: [withCaptureId(response, id)],
    patient,
  });
  kick();
  return id;
}

/**
 * Keeps a booking request (the Appointment the booking form built: slot, patient, reason), sent
 * through the normal booking when the link returns; `triage` is a queued symptom check it follows.
 * Never rebooked elsewhere: a refusal stays on the item with the server's reason.
 */
export async function queueBooking(
  appointment: FhirResource,
  patient: { id: string } | { queued: string },
  label: string,
  triage?: string,
  now = new Date(),
): Promise<string> {
  const id = deviceUuid();
  await putItem({
    id,
    owner: owner(),
    kind: 'booking',
    capturedAt: now.toISOString(),
    state: 'waiting',
    label,
    resources: [appointment],
    patient,
    ...(triage ? { triage } : {}),
  });
  kick();
  return id;
}
