import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fhirAnswer, stubFetch } from '../../test-fetch';
import { CAPTURE_SYSTEM, getItem, wipeDevice } from './outbox';
import { queueBooking, queueTriage } from './queue';
import { syncOutbox } from './sync';

const signIn = (sub: string) =>
  sessionStorage.setItem('mekong.accessToken', `e30.${btoa(JSON.stringify({ sub, exp: 9999999999 }))}.x`);

const response = {
  resourceType: 'QuestionnaireResponse',
  questionnaire: 'https://fhir.mekong.health/Questionnaire/triage',
  status: 'completed',
  subject: { reference: 'Patient/p-9' },
  authored: '2026-12-06T01:00:00.000Z',
  item: [{ linkId: 'fever', answer: [{ valueBoolean: true }] }],
};
const appointment = {
  resourceType: 'Appointment',
  status: 'booked',
  slot: [{ reference: 'Slot/s-1' }],
  participant: [
    { actor: { reference: 'Patient/p-9' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/d-1' }, status: 'accepted' },
  ],
  reasonCode: [{ text: 'Ho' }],
};
const qrCreated = fhirAnswer(200, {
  resourceType: 'Bundle',
  type: 'transaction-response',
  entry: [{ response: { status: '201 Created', location: 'QuestionnaireResponse/qr-1/_history/1' } }],
});

describe('symptom checks and booking requests in the station outbox', () => {
  beforeEach(async () => {
    vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false);
    signIn('nurse-1');
    await wipeDevice();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('sends the answers as a conditional create (capture time kept), keeps the assessed level, then books with the response attached and the item id as Idempotency-Key', async () => {
    const tri = await queueTriage(response, { id: 'p-9' }, 'Lâm Văn Ngoại', new Date('2026-12-06T01:00:00Z'));
    const req = await queueBooking(appointment, { id: 'p-9' }, 'Lâm Văn Ngoại', tri);
    expect((await getItem(req))?.state).toBe('waiting');
    const calls = stubFetch((c) => {
      if (c.url === '/fhir') return qrCreated;
      if (c.url.startsWith('/fhir/RiskAssessment/triage-qr-1'))
        return fhirAnswer(200, {
          resourceType: 'RiskAssessment',
          id: 'triage-qr-1',
          prediction: [{ qualitativeRisk: { coding: [{ code: 'urgent' }] } }],
        });
      if (c.url === '/fhir/Appointment')
        return fhirAnswer(201, { resourceType: 'Appointment', id: 'a-1', status: 'booked' });
      return undefined;
    });
    expect(await syncOutbox()).toEqual({ sent: 2 });
    const tx = calls[0]?.body as {
      entry: { resource: Record<string, unknown>; request: { url: string; ifNoneExist: string } }[];
    };
    expect(tx.entry[0]?.request).toMatchObject({
      url: 'QuestionnaireResponse',
      ifNoneExist: `identifier=${CAPTURE_SYSTEM}|${tri}`,
    });
    expect(tx.entry[0]?.resource.authored).toBe('2026-12-06T01:00:00.000Z');
    // QuestionnaireResponse.identifier is a single Identifier (0..1).
    expect(tx.entry[0]?.resource.identifier).toEqual({ system: CAPTURE_SYSTEM, value: tri });
    expect(tx.entry[0]?.resource.issued).toBeUndefined();
    const sentTriage = await getItem(tri);
    expect(sentTriage?.state).toBe('sent');
    expect(sentTriage?.result).toEqual({ id: 'qr-1', level: 'urgent' });
    const booking = calls.find((c) => c.url === '/fhir/Appointment');
    expect(booking?.headers.get('Idempotency-Key')).toBe(req);
    expect((booking?.body as { supportingInformation: unknown[] }).supportingInformation).toEqual([
      { reference: 'QuestionnaireResponse/qr-1' },
    ]);
    const sentBooking = await getItem(req);
    expect(sentBooking?.state).toBe('sent');
    expect(sentBooking?.result).toEqual({ id: 'a-1', status: 'booked' });
    expect(typeof sentBooking?.syncedAt).toBe('string');
  });

  it('a booking waits while its symptom check is not on the server', async () => {
    const tri = await queueTriage(response, { id: 'p-9' }, 'Lâm Văn Ngoại');
    const req = await queueBooking(appointment, { id: 'p-9' }, 'Lâm Văn Ngoại', tri);
    const calls = stubFetch((c) =>
      c.url === '/fhir' ? fhirAnswer(503, { resourceType: 'OperationOutcome' }) : undefined,
    );
    expect(await syncOutbox()).toEqual({ sent: 0, stopped: 'later' });
    expect(calls.some((c) => c.url === '/fhir/Appointment')).toBe(false);
    expect((await getItem(req))?.state).toBe('waiting');
  });

  it('a slot taken meanwhile: the request is refused with the server answer kept, never rebooked', async () => {
    const req = await queueBooking(appointment, { id: 'p-9' }, 'Lâm Văn Ngoại');
    const calls = stubFetch(() =>
      fhirAnswer(409, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'conflict', diagnostics: 'Slot is no longer free' }],
      }),
    );
    expect(await syncOutbox()).toEqual({ sent: 0 });
    const item = await getItem(req);
    expect(item?.state).toBe('refused');
    expect(item?.refusal?.status).toBe(409);
    expect(calls).toHaveLength(1);
    // A second run sends nothing: refused items wait for the nurse.
    expect(await syncOutbox()).toEqual({ sent: 0 });
    expect(calls).toHaveLength(1);
  });
});
