import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fhirAnswer, stubFetch } from '../../test-fetch';
import { CCCD_SYSTEM } from '../identifiers';
import { CAPTURE_SYSTEM, getItem, itemsOf, putItem, wipeDevice, wipeOwner } from './outbox';
import { queueRegistration, queueVitals } from './queue';
import { classify, itemBundle, pruneSent, syncOutbox } from './sync';
import { ApiError } from '../../api';

const signIn = (sub: string) =>
  sessionStorage.setItem('mekong.accessToken', `e30.${btoa(JSON.stringify({ sub, exp: 9999999999 }))}.x`);

const patient = (cccd?: string) => ({
  resourceType: 'Patient',
  name: [{ text: 'Lâm Văn Ngoại', family: 'Lâm', given: ['Văn', 'Ngoại'] }],
  birthDate: '1961-04-03',
  ...(cccd ? { identifier: [{ system: CCCD_SYSTEM, value: cccd }] } : {}),
});
const heartRate = (id: string) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  effectiveDateTime: '2026-12-06T01:00:00.000Z',
  identifier: [{ system: CAPTURE_SYSTEM, value: id }],
});
const created = (type: string, id: string) =>
  fhirAnswer(200, {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: [{ response: { status: '201 Created', location: `${type}/${id}/_history/1` } }],
  });

describe('the station outbox and its sync', () => {
  beforeEach(async () => {
    // Offline while queueing: nothing is sent until the test syncs.
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    signIn('nurse-1');
    await wipeDevice();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('sends a registration, then the vitals waiting for it, each as a transaction of conditional creates on the capture identifiers', async () => {
    const reg = await queueRegistration(patient());
    await queueVitals([heartRate('obs-1')], { queued: reg }, 'Lâm Văn Ngoại', '2026-12-06T01:00:00.000Z');
    const calls = stubFetch((c) =>
      (c.body as { entry: { resource: { resourceType: string } }[] }).entry[0]?.resource.resourceType ===
      'Patient'
        ? created('Patient', 'p-1')
        : created('Observation', 'o-1'),
    );
    expect(await syncOutbox()).toEqual({ sent: 2 });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /fhir', 'POST /fhir']);
    const [first, second] = calls.map(
      (c) =>
        c.body as {
          type: string;
          entry: { resource: Record<string, unknown>; request: { ifNoneExist: string } }[];
        },
    );
    expect(first?.type).toBe('transaction');
    expect(first?.entry[0]?.request.ifNoneExist).toBe(`identifier=${CAPTURE_SYSTEM}|${reg}`);
    expect(second?.entry[0]?.request.ifNoneExist).toBe(`identifier=${CAPTURE_SYSTEM}|obs-1`);
    expect(second?.entry[0]?.resource.subject).toEqual({ reference: 'Patient/p-1' });
    // Capture time kept, sync time added.
    expect(second?.entry[0]?.resource.effectiveDateTime).toBe('2026-12-06T01:00:00.000Z');
    expect(typeof second?.entry[0]?.resource.issued).toBe('string');
    const items = await itemsOf('nurse-1');
    expect(items.map((i) => [i.kind, i.state, typeof i.syncedAt]).sort()).toEqual([
      ['register', 'sent', 'string'],
      ['vitals', 'sent', 'string'],
    ]);
    expect((await getItem(reg))?.serverId).toBe('p-1');
  });

  it('without a link nothing changes; a lost answer leaves the item waiting for the same replay', async () => {
    const reg = await queueRegistration(patient());
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    expect(await syncOutbox()).toEqual({ sent: 0, stopped: 'offline' });
    expect((await getItem(reg))?.state).toBe('waiting');
    const replay = stubFetch(() => created('Patient', 'p-1'));
    await syncOutbox();
    const body = replay[0]?.body as { entry: { resource: { identifier: unknown[] } }[] };
    expect(body.entry[0]?.resource.identifier).toEqual([{ system: CAPTURE_SYSTEM, value: reg }]);
  });

  it('a CCCD already on the server is a conflict (never matched silently); the vitals keep waiting; a refusal keeps its reason', async () => {
    const reg = await queueRegistration(patient('079058004321'));
    const vit = await queueVitals([heartRate('obs-2')], { queued: reg }, 'x', '2026-12-06T01:00:00.000Z');
    const other = await queueVitals([heartRate('obs-3')], { id: 'gone' }, 'y', '2026-12-06T01:01:00.000Z');
    const calls = stubFetch((c) => {
      const type = (c.body as { entry: { resource: { resourceType: string } }[] }).entry[0]?.resource
        .resourceType;
      return type === 'Patient'
        ? fhirAnswer(409, {
            resourceType: 'OperationOutcome',
            issue: [
              {
                severity: 'error',
                code: 'duplicate',
                diagnostics: 'A Patient with this CCCD already exists',
              },
            ],
          })
        : fhirAnswer(404, {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Patient/gone is not known' }],
          });
    });
    await syncOutbox();
    expect(calls).toHaveLength(2); // the registration, the other patient's vitals; not the waiting ones
    expect(await getItem(reg)).toMatchObject({
      state: 'conflict',
      conflict: { kind: 'cccd', cccd: '079058004321' },
    });
    expect((await getItem(vit))?.state).toBe('waiting');
    expect(await getItem(other)).toMatchObject({
      state: 'refused',
      refusal: { status: 404, message: 'Patient/gone is not known' },
    });
  });

  it("only the capturing user's session sends an item; sign-out removes that user's data only", async () => {
    const mine = await queueRegistration(patient());
    signIn('nurse-2');
    const theirs = await queueRegistration(patient());
    const calls = stubFetch(() => created('Patient', 'p-9'));
    await syncOutbox();
    expect(calls).toHaveLength(1);
    expect((await getItem(mine))?.state).toBe('waiting');
    expect((await getItem(theirs))?.state).toBe('sent');
    await wipeOwner('nurse-2');
    expect(await getItem(theirs)).toBeUndefined();
    expect(await getItem(mine)).toBeDefined();
  });

  it('an expired session stops the run and keeps the items', async () => {
    const reg = await queueRegistration(patient());
    stubFetch(() => fhirAnswer(401, { resourceType: 'OperationOutcome', issue: [] }));
    expect((await syncOutbox()).stopped).toBe('signed-out');
    expect((await getItem(reg))?.state).toBe('waiting');
  });

  it('classifies answers: 5xx and 429 later, 412 a conflict, other 4xx refused', () => {
    const item = { kind: 'vitals', resources: [] } as unknown as Parameters<typeof classify>[1];
    expect(classify(new ApiError(503, 'x'), item)).toBe('later');
    expect(classify(new ApiError(429, 'x'), item)).toBe('later');
    expect(classify(new ApiError(412, 'x'), item)).toBe('conflict');
    expect(classify(new ApiError(422, 'x'), item)).toBe('refused');
    expect(classify(new ApiError(0, 'network'), item)).toBe('offline');
  });

  it('an item keeps its capture identifier, and a Provenance keeps its capture and sync times', async () => {
    await putItem({
      id: 'r1',
      owner: 'nurse-1',
      kind: 'register',
      capturedAt: '2026-12-06T00:00:00Z',
      state: 'waiting',
      label: '',
      resources: [{ resourceType: 'Patient', identifier: [{ system: CAPTURE_SYSTEM, value: 'r1' }] }],
    });
    const item = await getItem('r1');
    const now = new Date('2026-12-06T05:00:00Z');
    const b = itemBundle(item!, undefined, now, 'Practitioner/n1') as unknown as {
      entry: {
        fullUrl?: string;
        resource: Record<string, unknown>;
        request: { method: string; url: string };
      }[];
    };
    expect(b.entry[0]?.fullUrl).toBe('urn:uuid:r1');
    // Capture and sync time of the item's resources, in a Provenance a replay overwrites (PUT).
    expect(b.entry[1]).toEqual({
      resource: {
        resourceType: 'Provenance',
        id: 'r1',
        target: [{ reference: 'urn:uuid:r1' }],
        occurredDateTime: '2026-12-06T00:00:00Z',
        recorded: '2026-12-06T05:00:00.000Z',
        activity: { text: 'captured offline on a station device; sent when the link returned' },
        agent: [{ who: { reference: 'Practitioner/n1' } }],
      },
      request: { method: 'PUT', url: 'Provenance/r1' },
    });
  });

  it('sent items leave the device a day after they were sent; unsent ones never do', async () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const item = (id: string, state: 'sent' | 'waiting', syncedAt?: string) =>
      putItem({
        id,
        owner: 'nurse-1',
        kind: 'vitals',
        capturedAt: '2026-12-01T00:00:00Z',
        state,
        label: '',
        resources: [],
        ...(syncedAt ? { syncedAt } : {}),
      });
    await item('old', 'sent', '2026-12-05T11:59:00Z');
    await item('recent', 'sent', '2026-12-05T12:01:00Z');
    await item('unsent', 'waiting');
    await pruneSent('nurse-1', now);
    expect((await itemsOf('nurse-1')).map((i) => i.id).sort()).toEqual(['recent', 'unsent']);
  });
});
