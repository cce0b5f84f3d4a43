/**
 * The station's outbox: registrations and vitals made while the link is down, kept in this
 * device's IndexedDB (they survive a reload and a browser restart) until they are sent. Each item
 * belongs to the user who captured it; only that user's session sends it. Everything here is
 * patient data: wiped at sign-out (after an explicit choice when something is unsent).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { FhirResource } from '../../api';

/** The identifier system of ids generated on the device at capture (docs/offline-station.md). */
export const CAPTURE_SYSTEM = 'https://mekong.health/fhir/sid/device-capture';

export type OutboxState = 'waiting' | 'sent' | 'conflict' | 'refused';

/** Why an item could not be sent: the server's answer (status, message, body), kept to show it. */
export interface Refusal {
  status: number;
  message: string;
  body?: unknown;
}

export interface OutboxItem {
  /** Generated on the device; also the capture identifier of a registration's Patient. */
  id: string;
  /** The `sub` of the user who captured it: only their session sends it. */
  owner: string;
  kind: 'register' | 'vitals' | 'update' | 'triage' | 'booking';
  /** When it was typed (ISO); `syncedAt` when the server accepted it. */
  capturedAt: string;
  syncedAt?: string;
  state: OutboxState;
  /** The patient's name, to list the item. */
  label: string;
  /**
   * register: the Patient; vitals: the Observations (each with its own capture identifier); update:
   * the Patient as edited, from the version `baseVersion` (sent with If-Match on it); triage: the
   * QuestionnaireResponse (with its capture identifier); booking: the Appointment as the booking
   * form built it (its patient and triage filled in at sync).
   */
  resources: FhirResource[];
  /** vitals, triage, booking: the patient, a server id or a queued registration's id (sent after it). */
  patient?: { id: string } | { queued: string };
  /** register: the Patient's id on the server once sent (or the existing one chosen in a conflict). */
  serverId?: string;
  /** update: the version edited, and what was changed (to re-apply on a newer version). */
  baseVersion?: string;
  changes?: ContactChanges;
  /** conflict: a CCCD already on the server, or a record changed there meanwhile; refused: the server's answer. */
  conflict?: { kind: 'cccd'; cccd: string } | { kind: 'changed' };
  refusal?: Refusal;
  /** booking: the queued triage item it follows (its QuestionnaireResponse is referenced; sent after it). */
  triage?: string;
  /**
   * triage: once sent, the server's QuestionnaireResponse id and its assessed level (if read);
   * booking: the server's Appointment id and status.
   */
  result?: { id: string; level?: string; status?: string };
  /** register: a CCCD conflict resolved by choosing the Patient already on the server. */
  resolved?: boolean;
}

/** An edit of a patient's contact details: the phone and the first address line. */
export interface ContactChanges {
  phone?: string;
  line?: string;
}

/** A patient looked up at this station, readable offline on this device, as of `asOf`. */
export interface KeptPatient {
  key: string; // `${owner} ${id}`
  owner: string;
  id: string;
  asOf: string;
  patient: FhirResource;
}

interface StationDb extends DBSchema {
  outbox: { key: string; value: OutboxItem; indexes: { owner: string } };
  patients: { key: string; value: KeptPatient; indexes: { owner: string } };
}

const DB_NAME = 'mekong-station';
let opening: Promise<IDBPDatabase<StationDb>> | undefined;

function db(): Promise<IDBPDatabase<StationDb>> {
  opening ??= openDB<StationDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('owner', 'owner');
      d.createObjectStore('patients', { keyPath: 'key' }).createIndex('owner', 'owner');
    },
  }).catch((err: unknown) => {
    opening = undefined;
    throw err;
  });
  return opening;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let version = 0;

/** Called after every change, so screens showing the outbox read it again. */
export function onOutboxChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** A number that changes with every change of the outbox (for useSyncExternalStore). */
export const outboxVersion = (): number => version;

function changed(): void {
  version += 1;
  for (const l of listeners) l();
}

/** The items of `owner`, oldest capture first (the order they are sent in). */
export async function itemsOf(owner: string): Promise<OutboxItem[]> {
  const all = await (await db()).getAllFromIndex('outbox', 'owner', owner);
  return all.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
}

/** How many unsent items other users left on this device (no detail: they are not this user's). */
export async function othersUnsent(owner: string): Promise<number> {
  const all = await (await db()).getAll('outbox');
  return all.filter((i) => i.owner !== owner && i.state !== 'sent').length;
}

export async function getItem(id: string): Promise<OutboxItem | undefined> {
  return (await db()).get('outbox', id);
}

export async function putItem(item: OutboxItem): Promise<void> {
  await (await db()).put('outbox', item);
  changed();
}

export async function removeItem(id: string): Promise<void> {
  await (await db()).delete('outbox', id);
  changed();
}

/** Keeps a patient as read from the server, for reading offline on this device. */
export async function keepPatient(owner: string, patient: FhirResource, asOf = new Date()): Promise<void> {
  if (!patient.id) return;
  await (
    await db()
  ).put('patients', {
    key: `${owner} ${patient.id}`,
    owner,
    id: patient.id,
    asOf: asOf.toISOString(),
    patient,
  });
}

export async function keptPatient(owner: string, id: string): Promise<KeptPatient | undefined> {
  return (await db()).get('patients', `${owner} ${id}`);
}

/** The patients kept for `owner`, most recently read first. */
export async function keptPatientsOf(owner: string): Promise<KeptPatient[]> {
  const all = await (await db()).getAllFromIndex('patients', 'owner', owner);
  return all.sort((a, b) => b.asOf.localeCompare(a.asOf));
}

/**
 * What `owner` left on this device: their outbox (sent or not) and the patients kept for them.
 * Other users' unsent items stay (only they can send them); they hold no patient of `owner`'s.
 */
export async function wipeOwner(owner: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['outbox', 'patients'], 'readwrite');
  const [items, patients] = await Promise.all([
    tx.objectStore('outbox').index('owner').getAllKeys(owner),
    tx.objectStore('patients').index('owner').getAllKeys(owner),
  ]);
  await Promise.all([
    ...items.map((k) => tx.objectStore('outbox').delete(k)),
    ...patients.map((k) => tx.objectStore('patients').delete(k)),
    tx.done,
  ]);
  changed();
}

/** Everything patient-related on this device: the outbox and the kept patients, of every user. */
export async function wipeDevice(): Promise<void> {
  const d = await db();
  const tx = d.transaction(['outbox', 'patients'], 'readwrite');
  await Promise.all([tx.objectStore('outbox').clear(), tx.objectStore('patients').clear(), tx.done]);
  changed();
}

/** A random v4 UUID (crypto.randomUUID needs a secure context). */
export function deviceUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The resource with its capture identifier added (kept if it already has one). */
export function withCaptureId<T extends FhirResource>(resource: T, id: string): T {
  if (captureIdOf(resource)) return resource;
  // A QuestionnaireResponse has one identifier (0..1), the others a list.
  if (resource.resourceType === 'QuestionnaireResponse')
    return { ...resource, identifier: { system: CAPTURE_SYSTEM, value: id } };
  const ids = (resource.identifier as { system?: string; value?: string }[] | undefined) ?? [];
  return { ...resource, identifier: [...ids, { system: CAPTURE_SYSTEM, value: id }] };
}

/** The capture identifier of a resource, if it has one. */
export function captureIdOf(resource: FhirResource): string | undefined {
  const ids = resource.identifier as
    { system?: string; value?: string }[] | { system?: string; value?: string } | undefined;
  return (Array.isArray(ids) ? ids : ids ? [ids] : []).find((i) => i.system === CAPTURE_SYSTEM)?.value;
}
