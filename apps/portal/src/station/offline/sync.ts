/**
 * Sending the outbox when the link returns. Each item goes as one FHIR transaction whose creates
 * are conditional on the capture identifier generated on the device (If-None-Exist): a replay after
 * a lost answer finds what the first attempt made and never duplicates it. Items are sent oldest
 * first; vitals of a queued registration wait until that registration is on the server.
 */
import { api, ApiError, fhir, type FhirResource } from '../../api';
import { assessmentIdOf } from '../../booking/triage-logic';
import { session } from '../../shell/session-store';
import {
  CAPTURE_SYSTEM,
  captureIdOf,
  getItem,
  itemsOf,
  type OutboxItem,
  putItem,
  removeItem,
} from './outbox';
import { CCCD_SYSTEM } from '../identifiers';

interface BundleEntry {
  fullUrl?: string;
  resource: FhirResource;
  request: { method: 'POST'; url: string; ifNoneExist: string };
}

const conditional = (resource: FhirResource): BundleEntry => {
  const id = captureIdOf(resource);
  if (!id) throw new Error('an outbox resource without its capture identifier');
  return {
    fullUrl: `urn:uuid:${id}`,
    resource,
    request: {
      method: 'POST',
      url: resource.resourceType,
      ifNoneExist: `identifier=${CAPTURE_SYSTEM}|${id}`,
    },
  };
};

/**
 * The transaction of an item; `patientId` is the server's Patient for vitals. The Observations get
 * `issued` = now (sync time) while `effectiveDateTime` stays the capture time. A Provenance with the
 * item's id (PUT: a replay makes a new version of it, never a second one) keeps both times for every
 * resource of the item, the Patient of a registration included: `occurredDateTime` = capture,
 * `recorded` = sync, the capturing user as author, "captured offline on a station device".
 */
export function itemBundle(
  item: OutboxItem,
  patientId?: string,
  now = new Date(),
  author = session.claims?.fhirUser,
): FhirResource {
  const resources =
    item.kind === 'register'
      ? item.resources
      : item.resources.map((r) => ({
          ...r,
          subject: { reference: `Patient/${patientId ?? ''}` },
          // An Observation's sync time; a QuestionnaireResponse keeps `authored` (capture) only.
          ...(item.kind === 'vitals' ? { issued: now.toISOString() } : {}),
        }));
  if (item.kind === 'update') return updateBundle(item, now, author);
  const entry: unknown[] = resources.map(conditional);
  const targets = resources.map((r) => ({ reference: `urn:uuid:${captureIdOf(r) ?? ''}` }));
  if (author)
    entry.push({
      resource: {
        resourceType: 'Provenance',
        id: item.id,
        target: targets,
        occurredDateTime: item.capturedAt,
        recorded: now.toISOString(),
        activity: { text: 'captured offline on a station device; sent when the link returned' },
        agent: [{ who: { reference: author } }],
      },
      request: { method: 'PUT', url: `Provenance/${item.id}` },
    });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** An edit: PUT with If-Match on the version edited (412 if the server's changed meanwhile). */
function updateBundle(item: OutboxItem, now: Date, author: string | undefined): FhirResource {
  const patient = item.resources[0] as FhirResource;
  const url = `Patient/${patient.id ?? ''}`;
  const entry: unknown[] = [
    { resource: patient, request: { method: 'PUT', url, ifMatch: `W/"${item.baseVersion ?? ''}"` } },
  ];
  if (author)
    entry.push({
      resource: {
        resourceType: 'Provenance',
        id: item.id,
        target: [{ reference: url }],
        occurredDateTime: item.capturedAt,
        recorded: now.toISOString(),
        activity: { text: 'changed offline on a station device; sent when the link returned' },
        agent: [{ who: { reference: author } }],
      },
      request: { method: 'PUT', url: `Provenance/${item.id}` },
    });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

/** The id in a transaction-response entry's location (`…/Patient/{id}/_history/{v}`). */
export function idOfLocation(location: string | undefined, type: string): string | undefined {
  const m = new RegExp(`(?:^|/)${type}/([^/]+)`).exec(location ?? '');
  return m?.[1];
}

/** What a failed send means for the item. */
export type SendFailure = 'offline' | 'signed-out' | 'later' | 'conflict' | 'refused';

export function classify(err: unknown, item: OutboxItem): SendFailure {
  if (!(err instanceof ApiError)) return 'later';
  if (err.status === 0) return 'offline';
  if (err.status === 401) return 'signed-out';
  if (err.status === 408 || err.status === 429 || err.status >= 500) return 'later';
  if (item.kind === 'register' && err.status === 409 && cccdOf(item)) return 'conflict';
  if (err.status === 412) return 'conflict';
  return 'refused';
}

const cccdOf = (item: OutboxItem): string | undefined =>
  (item.resources[0]?.identifier as { system?: string; value?: string }[] | undefined)?.find(
    (i) => i.system === CCCD_SYSTEM,
  )?.value;

/**
 * A queued booking as sent: the Appointment with its patient (the server's id) and, when it follows
 * a queued symptom check, that QuestionnaireResponse in supportingInformation (as the online form).
 */
export function bookingBodyOf(item: OutboxItem, patientId: string, triageQr?: string): FhirResource {
  const a = item.resources[0] as FhirResource & {
    participant?: { actor?: { reference?: string }; [k: string]: unknown }[];
    supportingInformation?: { reference?: string }[];
  };
  return {
    ...a,
    participant: (a.participant ?? []).map((p) =>
      p.actor?.reference?.startsWith('Patient/') ? { ...p, actor: { reference: `Patient/${patientId}` } } : p,
    ),
    ...(triageQr
      ? {
          supportingInformation: [
            ...(a.supportingInformation ?? []),
            { reference: `QuestionnaireResponse/${triageQr}` },
          ],
        }
      : {}),
  };
}

/** The patient an item goes to: undefined while its registration is not on the server. */
async function patientOf(item: OutboxItem): Promise<string | undefined> {
  if (!item.patient) return undefined;
  if ('id' in item.patient) return item.patient.id;
  const reg = await getItem(item.patient.queued);
  return reg?.serverId;
}

export interface SyncResult {
  sent: number;
  /** Why the run stopped early, if it did. */
  stopped?: 'offline' | 'signed-out' | 'later';
}

/** Sends one item; answers what happened to it (undefined: sent). */
async function sendOne(item: OutboxItem): Promise<SendFailure | 'waits' | undefined> {
  let patientId: string | undefined;
  if (item.kind === 'vitals' || item.kind === 'triage' || item.kind === 'booking') {
    patientId = await patientOf(item);
    if (!patientId) return 'waits';
  }
  let triageQr: string | undefined;
  if (item.kind === 'booking' && item.triage) {
    triageQr = (await getItem(item.triage))?.result?.id;
    if (!triageQr) return 'waits';
  }
  try {
    if (item.kind === 'booking') {
      // The normal booking route (eligibility, slot rules); the item's id is its Idempotency-Key.
      const a = await api<{ id?: string; status?: string }>('/fhir/Appointment', {
        method: 'POST',
        json: bookingBodyOf(item, patientId ?? '', triageQr),
        headers: { 'Idempotency-Key': item.id },
      });
      await putItem({
        ...item,
        state: 'sent',
        syncedAt: new Date().toISOString(),
        patient: { id: patientId ?? '' },
        result: { id: a.id ?? '', status: a.status },
        refusal: undefined,
      });
      return undefined;
    }
    const answer = await api<{ entry?: { response?: { location?: string } }[] }>('/fhir', {
      method: 'POST',
      json: itemBundle(item, patientId),
    });
    const serverId =
      item.kind === 'register' ? idOfLocation(answer.entry?.[0]?.response?.location, 'Patient') : undefined;
    const result =
      item.kind === 'triage' ? await triageResult(answer.entry?.[0]?.response?.location) : undefined;
    await putItem({
      ...item,
      state: 'sent',
      syncedAt: new Date().toISOString(),
      ...(serverId ? { serverId } : {}),
      ...(result ? { result } : {}),
      ...(patientId ? { patient: { id: patientId } } : {}),
      refusal: undefined,
      conflict: undefined,
    });
    return undefined;
  } catch (err) {
    const what = classify(err, item);
    if (what === 'conflict' || what === 'refused') {
      const e = err as ApiError;
      const refusal = { status: e.status, message: e.message, body: e.body };
      const cccd = cccdOf(item);
      await putItem({
        ...item,
        state: what,
        refusal,
        ...(what === 'conflict'
          ? {
              conflict:
                item.kind === 'register' && cccd
                  ? { kind: 'cccd' as const, cccd }
                  : { kind: 'changed' as const },
            }
          : {}),
      });
    }
    return what;
  }
}

/** A sent symptom check: its QuestionnaireResponse and the level the server assessed (if readable). */
async function triageResult(location: string | undefined): Promise<OutboxItem['result']> {
  const id = idOfLocation(location, 'QuestionnaireResponse');
  if (!id) return undefined;
  try {
    const ra = await fhir.read<{ prediction?: { qualitativeRisk?: { coding?: { code?: string }[] } }[] }>(
      'RiskAssessment',
      await assessmentIdOf(id),
    );
    return { id, level: ra.prediction?.[0]?.qualitativeRisk?.coding?.[0]?.code };
  } catch {
    return { id };
  }
}

let running: Promise<SyncResult> | undefined;

/**
 * Sends the signed-in user's waiting items, oldest first; one run at a time in this tab, and one
 * across the device's tabs (Web Locks): two tabs sending the same item at once could both pass
 * If-None-Exist before either commits.
 */
export function syncOutbox(): Promise<SyncResult> {
  if (running) return running;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const once = locks ? locks.request('mekong-station-outbox', () => run()).then((r) => r) : run();
  running = once.finally(() => (running = undefined));
  return running;
}

/** Sent items stay listed (with their sync time) this long, then leave the device. */
export const SENT_KEPT_MS = 24 * 3600_000;

async function run(): Promise<SyncResult> {
  const owner = session.claims?.sub;
  if (!owner || !session.token) return { sent: 0, stopped: 'signed-out' };
  await pruneSent(owner);
  let sent = 0;
  // Passes until one sends nothing: vitals waiting for a registration go in the pass after it.
  for (let progress = true; progress;) {
    progress = false;
    for (const item of await itemsOf(owner)) {
      if (item.state !== 'waiting') continue;
      // Read again: the user may have resolved or removed it meanwhile.
      const current = await getItem(item.id);
      if (current?.state !== 'waiting') continue;
      const what = await sendOne(current);
      if (what === undefined) {
        sent += 1;
        progress = true;
      } else if (what === 'offline' || what === 'signed-out' || what === 'later')
        return { sent, stopped: what };
    }
  }
  return { sent };
}

/** Removes `owner`'s items sent more than SENT_KEPT_MS ago: patient data leaves the device once on the server. */
export async function pruneSent(owner: string, now = Date.now()): Promise<void> {
  for (const item of await itemsOf(owner))
    if (item.state === 'sent' && item.syncedAt && now - Date.parse(item.syncedAt) > SENT_KEPT_MS)
      await removeItem(item.id);
}
