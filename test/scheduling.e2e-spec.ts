import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  appointmentBody,
  LISTED_REASON,
  schedulingWorld,
  type SchedulingWorld,
  slotBody,
} from './support/scheduling-world';
import { SERVER_URL } from './support/test-database';
import { api, startApp, type TestApp } from './support/test-app';

const HOLD_SECONDS = 5;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Booking (API.md "Schedule, Slot and Appointment"; ARCHITECTURE.md "Scheduling"): one booking per
 * slot under any concurrency, decided by the database; holds, lifecycle, reschedule, on-behalf.
 */
describe('scheduling: slots and booking', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let doctor: Fhir;
  let minutes = 60;
  /** A fresh free slot of the cardiologist, each later than the last. */
  const newSlot = async (schedule?: string, by?: Fhir): Promise<string> => {
    minutes += 30;
    const r = await (by ?? doctor).post('Slot', slotBody(schedule ?? w.ids.schedule!, minutes));
    if (r.status !== 201) throw new Error(`slot: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const book = (
    slot: string,
    by: Fhir,
    patient = w.ids.A!,
    extra: Record<string, unknown> = {},
    headers = {},
  ) => by.post('Appointment', appointmentBody(slot, patient, w.ids.doctor!, extra), headers);
  const slotStatus = async (id: string): Promise<unknown> => (await w.sys.get(`Slot/${id}`)).body.status;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { HOLD_SECONDS: String(HOLD_SECONDS) });
    w = await schedulingWorld(t);
    doctor = w.as.doctor!;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('a doctor publishes slots on their own schedule; overlaps, bad times and strangers are refused', async () => {
    const body = slotBody(w.ids.schedule!, 24 * 60);
    const created = await doctor.post('Slot', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/\/fhir\/Slot\/[\w-]+\/_history\/1$/);
    const overlap = await doctor.post('Slot', {
      ...body,
      start: new Date(Date.parse(body.start as string) + 600000).toISOString(),
    });
    expect([overlap.status, overlap.body.resourceType]).toEqual([409, 'OperationOutcome']);
    const backwards = await doctor.post('Slot', { ...slotBody(w.ids.schedule!, 26 * 60), end: body.start });
    expect(backwards.status).toBe(422);
    const noOffset = await doctor.post('Slot', {
      ...slotBody(w.ids.schedule!, 27 * 60),
      start: '2030-01-01T08:00:00',
    });
    expect(noOffset.status).toBe(400);
    expect(JSON.stringify(noOffset.body)).toContain('Slot.start');
    expect((await w.as['doctor.other']!.post('Slot', slotBody(w.ids.schedule!, 28 * 60))).status).toBe(403);
    expect((await w.as['patient.a']!.post('Slot', slotBody(w.ids.schedule!, 29 * 60))).status).toBe(403);
    const unknown = await doctor.post('Slot', slotBody('no-such-schedule', 30 * 60));
    expect(unknown.status).toBe(422);
    // A Schedule with a planning horizon: a slot beyond it is refused.
    const horizon = await w.sys.post('Schedule', {
      resourceType: 'Schedule',
      actor: [{ reference: `Practitioner/${w.ids.doctor}` }],
      planningHorizon: {
        start: new Date().toISOString(),
        end: new Date(Date.now() + 7 * 86400000).toISOString(),
      },
    });
    const beyond = await doctor.post('Slot', slotBody(horizon.body.id as string, 10 * 24 * 60));
    expect([beyond.status, JSON.stringify(beyond.body)]).toEqual([422, expect.stringContaining('horizon')]);
  });

  it('dozens of parallel bookings of one slot: exactly one 201, the rest 409 with an OperationOutcome', async () => {
    const slot = await newSlot();
    const results = await Promise.all(Array.from({ length: 30 }, () => book(slot, w.as['patient.a']!)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(29);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.resourceType === 'OperationOutcome'),
    ).toBe(true);
    expect(await slotStatus(slot)).toBe('busy');
    const found = await w.sys.get(`Appointment?slot=Slot/${slot}`);
    expect(Fhir.ids(found.body)).toHaveLength(1);
    const winner = results.find((r) => r.status === 201)!;
    expect(winner.body).toMatchObject({
      status: 'booked',
      start: expect.any(String),
      extension: [
        {
          url: 'https://mekong.health/fhir/StructureDefinition/booked-by',
          valueReference: { reference: `Patient/${w.ids.A}` },
        },
      ],
    });
  });

  it('Idempotency-Key: a retried booking returns the first result, never a second appointment', async () => {
    const slot = await newSlot();
    const key = { 'Idempotency-Key': `book-${slot}` };
    const [first, again] = await Promise.all([
      book(slot, w.as['patient.a']!, w.ids.A, {}, key),
      book(slot, w.as['patient.a']!, w.ids.A, {}, key),
    ]);
    const third = await book(slot, w.as['patient.a']!, w.ids.A, {}, key);
    expect([first.status, again.status, third.status]).toEqual([201, 201, 201]);
    expect(new Set([first.body.id, again.body.id, third.body.id]).size).toBe(1);
    expect(Fhir.ids((await w.sys.get(`Appointment?slot=Slot/${slot}`)).body)).toHaveLength(1);
    const other = await book(slot, w.as['patient.a']!, w.ids.A, { comment: 'khác' }, key);
    expect(other.status).toBe(422);
  });

  it('bad bookings are refused and change nothing', async () => {
    const slot = await newSlot();
    const otherSlot = await newSlot(w.ids.otherSchedule, w.as['doctor.other']);
    const past = await w.sys.post('Slot', { ...slotBody(w.ids.schedule!, -120), status: 'free' });
    expect(past.status).toBe(201);
    const cases: [string, Promise<{ status: number; body: Record<string, unknown> }>, number][] = [
      ['slot of another practitioner', book(otherSlot, w.as['patient.a']!), 422],
      ['past slot', book(past.body.id as string, w.as['patient.a']!), 422],
      ['unknown patient', book(slot, w.sys, 'no-such-patient'), 422],
      [
        'patient booking for someone else (answered like an unknown patient)',
        book(slot, w.as['patient.a']!, w.ids.B),
        422,
      ],
      ['unknown slot', book('no-such-slot', w.as['patient.a']!), 422],
      [
        'two slots',
        w.as['patient.a']!.post(
          'Appointment',
          appointmentBody(slot, w.ids.A!, w.ids.doctor!, {
            slot: [{ reference: `Slot/${slot}` }, { reference: `Slot/${otherSlot}` }],
          }),
        ),
        422,
      ],
      ['proposed is not a booking', book(slot, w.as['patient.a']!, w.ids.A, { status: 'proposed' }), 422],
      [
        'start differs from the slot',
        book(slot, w.as['patient.a']!, w.ids.A, { start: '2031-01-01T01:00:00Z' }),
        422,
      ],
    ];
    for (const [name, res, status] of cases) {
      const r = await res;
      expect({ name, status: r.status, type: r.body.resourceType }).toEqual({
        name,
        status,
        type: 'OperationOutcome',
      });
    }
    expect(await slotStatus(slot)).toBe('free');
    expect(Fhir.ids((await w.sys.get(`Appointment?slot=Slot/${slot}`)).body)).toEqual([]);
    // Writing an Appointment around the rules (a transaction entry) is refused, naming the entry.
    const tx = await w.sys.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: appointmentBody(slot, w.ids.A!, w.ids.doctor!),
          request: { method: 'POST', url: 'Appointment' },
        },
      ],
    });
    expect([tx.status, JSON.stringify(tx.body)]).toEqual([422, expect.stringContaining('Bundle.entry[0]')]);
  });

  it('cancelling frees the slot; station staff book for their patient with consent, recorded in the audit trail', async () => {
    const slot = await newSlot();
    const a = await book(slot, w.as['patient.a']!);
    expect(a.status).toBe(201);
    expect((await book(slot, w.sys, w.ids.B)).status).toBe(409);
    const cancelled = await w.as['patient.a']!.put(`Appointment/${String(a.body.id)}`, {
      ...a.body,
      status: 'cancelled',
    });
    expect(cancelled.status).toBe(200);
    expect(await slotStatus(slot)).toBe('free');
    const noConsent = await book(slot, w.as.nurse!, w.ids.B);
    expect([noConsent.status, JSON.stringify(noConsent.body)]).toEqual([
      422,
      expect.stringContaining('Consent'),
    ]);
    const consent = await w.as.nurse!.post('Consent', {
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }],
      },
      category: [{ text: 'Đồng ý đặt lịch khám từ xa' }],
      patient: { reference: `Patient/${w.ids.B}` },
    });
    expect(consent.status).toBe(201);
    const b = await book(slot, w.as.nurse!, w.ids.B, {
      supportingInformation: [{ reference: `Consent/${String(consent.body.id)}` }],
    });
    expect(b.status).toBe(201);
    expect(b.body.extension).toEqual([
      {
        url: 'https://mekong.health/fhir/StructureDefinition/booked-by',
        valueReference: { reference: `Practitioner/${w.ids.nurse}` },
      },
    ]);
    // Patient B sees, in their own audit trail, that the station nurse created the appointment.
    const audit = await w.as['patient.b']!.get(`AuditEvent?patient=${w.ids.B}&_count=100`);
    const events = ((audit.body.entry as { resource: Record<string, unknown> }[] | undefined) ?? []).filter(
      (e) => JSON.stringify(e.resource.entity).includes(`Appointment/${String(b.body.id)}`),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events[0])).toContain(`Practitioner/${w.ids.nurse}`);
    // Station staff cannot book for a patient who is not registered at their station (answered
    // like an unknown patient: 422).
    const outsider = await book(await newSlot(), w.as.nurse!, w.ids.A, {
      supportingInformation: [{ reference: `Consent/${String(consent.body.id)}` }],
    });
    expect(outsider.status).toBe(422);
  });

  it('lifecycle: legal transitions pass, illegal ones are 422, patients only confirm/cancel/reschedule; no deletes', async () => {
    const slot = await newSlot();
    const a = (await book(slot, w.as['patient.a']!)).body;
    const id = String(a.id);
    const put = (by: Fhir, status: string, extra: Record<string, unknown> = {}) =>
      by.put(`Appointment/${id}`, { ...a, status, ...extra });
    expect((await put(doctor, 'proposed')).status).toBe(422);
    expect((await put(w.as['patient.a']!, 'arrived')).status).toBe(403);
    const arrived = await put(doctor, 'arrived');
    expect([arrived.status, arrived.body.status]).toEqual([200, 'arrived']);
    expect((await put(doctor, 'cancelled')).status).toBe(422);
    expect((await put(doctor, 'fulfilled')).status).toBe(200);
    expect((await put(doctor, 'booked')).status).toBe(422);
    expect((await doctor.delete(`Appointment/${id}`)).status).toBe(405);
    const history = await w.sys.get(`Appointment/${id}/_history`);
    expect((history.body.entry as unknown[]).length).toBe(3);
  });

  it('rescheduling is atomic: a taken target changes nothing, a free one moves the booking in one step', async () => {
    const [s1, s2, s3] = [await newSlot(), await newSlot(), await newSlot()];
    const a = (await book(s1, w.as['patient.a']!)).body;
    expect((await book(s2, w.sys, w.ids.B)).status).toBe(201);
    const move = (slot: string) =>
      w.as['patient.a']!.put(`Appointment/${String(a.id)}`, {
        ...a,
        slot: [{ reference: `Slot/${slot}` }],
        start: undefined,
        end: undefined,
      });
    const taken = await move(s2);
    expect(taken.status).toBe(409);
    const unchanged = await w.sys.get(`Appointment/${String(a.id)}`);
    expect([unchanged.body.meta, unchanged.body.slot]).toEqual([
      expect.objectContaining({ versionId: '1' }),
      [{ reference: `Slot/${s1}` }],
    ]);
    expect(await slotStatus(s1)).toBe('busy');
    const moved = await move(s3);
    expect(moved.status).toBe(200);
    const s3Body = (await w.sys.get(`Slot/${s3}`)).body;
    expect(moved.body.start).toBe(s3Body.start);
    expect([await slotStatus(s1), await slotStatus(s3)]).toEqual(['free', 'busy']);
  });

  it('a hold (pending) keeps the slot briefly: confirmed it becomes booked, expired it frees the slot', async () => {
    const slot = await newSlot();
    const hold = await book(slot, w.as['patient.a']!, w.ids.A, { status: 'pending' });
    expect(hold.status).toBe(201);
    expect(await slotStatus(slot)).toBe('busy-tentative');
    expect((await book(slot, w.sys, w.ids.B)).status).toBe(409);
    const confirmed = await w.as['patient.a']!.put(`Appointment/${String(hold.body.id)}`, {
      ...hold.body,
      status: 'booked',
    });
    expect(confirmed.status).toBe(200);
    expect(await slotStatus(slot)).toBe('busy');

    const slot2 = await newSlot();
    const hold2 = await book(slot2, w.as['patient.a']!, w.ids.A, { status: 'pending' });
    expect(hold2.status).toBe(201);
    await sleep((HOLD_SECONDS + 1) * 1000);
    const late = await w.as['patient.a']!.put(`Appointment/${String(hold2.body.id)}`, {
      ...hold2.body,
      status: 'booked',
    });
    expect(late.status).toBe(409);
    const other = await book(slot2, w.sys, w.ids.B);
    expect(other.status).toBe(201);
    const expired = await w.sys.get(`Appointment/${String(hold2.body.id)}`);
    expect(expired.body.status).toBe('cancelled');
  });

  it('free slots are found by status, time, practitioner (chained) and specialty, sorted by start', async () => {
    const from = new Date().toISOString();
    const res = await w.as['patient.b']!.get(
      `Slot?status=free&start=ge${encodeURIComponent(from)}&schedule.actor=Practitioner/${w.ids.doctor}&_sort=start&_count=1`,
    );
    expect(res.status).toBe(200);
    const slots = (res.body.entry as { resource: { start: string; status: string } }[]).map(
      (e) => e.resource,
    );
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.status === 'free')).toBe(true);
    expect(slots.map((s) => s.start)).toEqual([...slots.map((s) => s.start)].sort());
    const link = (res.body.link as { relation: string }[]).map((l) => l.relation);
    expect(link).toContain('next');
    const bySpecialty = await w.as['patient.b']!.get(
      `Slot?status=free&schedule.specialty=394579002&_count=1`,
    );
    expect(Fhir.ids(bySpecialty.body)).toHaveLength(1);
  });

  it('Appointment/$find proposes the next free video times by specialty, organization or practitioner', async () => {
    const s1 = await newSlot();
    const found = await w.as['patient.b']!.get(
      `Appointment/$find?specialty=394579002&organization=Organization/${w.ids.hospital}&_count=3`,
    );
    // Manual slots carry no specialty: only the organization/practitioner filter can find them.
    expect(found.status).toBe(200);
    const byOrg = await w.as['patient.b']!.get(
      `Appointment/$find?organization=Organization/${w.ids.hospital}&_count=50`,
    );
    const proposals = (byOrg.body.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    expect(proposals.length).toBeGreaterThan(0);
    expect(proposals.every((a) => a.status === 'proposed')).toBe(true);
    expect(proposals.map((a) => (a.slot as { reference: string }[])[0]!.reference)).toContain(`Slot/${s1}`);
    const starts = proposals.map((a) => a.start as string);
    expect(starts).toEqual([...starts].sort());
    // Booking a proposal back works as is (the patient added).
    const pick = proposals.find((a) => (a.slot as { reference: string }[])[0]!.reference === `Slot/${s1}`)!;
    const booked = await w.as['patient.b']!.post('Appointment', {
      ...pick,
      status: 'booked',
      reasonCode: [LISTED_REASON],
      participant: [
        ...(pick.participant as unknown[]),
        { actor: { reference: `Patient/${w.ids.B}` }, status: 'accepted' },
      ],
    });
    expect(booked.status).toBe(201);
    const post = await w.as['patient.b']!.post('Appointment/$find', {
      resourceType: 'Parameters',
      parameter: [{ name: 'practitioner', valueReference: { reference: `Practitioner/${w.ids.other}` } }],
    });
    expect(post.status).toBe(200);
    const otherDoctor = (post.body.entry as { resource: Record<string, unknown> }[]).map((e) => e.resource);
    expect(otherDoctor.every((a) => JSON.stringify(a.participant).includes(w.ids.other!))).toBe(true);
    expect((await w.as['patient.b']!.get('Appointment/$find?colour=blue')).status).toBe(400);
    expect(
      Fhir.ids((await w.as['patient.b']!.get('Appointment/$find?organization=Organization/none')).body),
    ).toEqual([]);
  });

  it("a booking makes the doctor part of the patient's care: they read the record; other doctors do not", async () => {
    const other = w.as['doctor.other']!;
    expect((await other.get(`Patient/${w.ids.B}`)).status).toBe(404);
    // Patient B has bookings with the cardiologist (earlier tests): the appointment relationship applies.
    expect((await doctor.get(`Patient/${w.ids.B}`)).status).toBe(200);
    const slot = await newSlot(w.ids.otherSchedule, other);
    expect(
      (
        await book(slot, w.as['patient.b']!, w.ids.B, {
          participant: [
            { actor: { reference: `Patient/${w.ids.B}` }, status: 'accepted' },
            { actor: { reference: `Practitioner/${w.ids.other}` }, status: 'accepted' },
          ],
        })
      ).status,
    ).toBe(201);
    expect((await other.get(`Patient/${w.ids.B}`)).status).toBe(200);
  });

  it('a doctor subscribes to an iCalendar feed of their appointments; the URL is the credential', async () => {
    const created = await api(t.url, 'POST', '/scheduling/calendar-feeds', doctor.token);
    expect(created.status).toBe(201);
    const { url } = (await created.json()) as { url: string };
    expect(url).toMatch(/^http:\/\/mekong\.test\/scheduling\/calendar\/[\w-]+\.ics$/);
    const path = url.replace('http://mekong.test', '');
    const feed = await fetch(`${t.url}${path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect((ics.match(/BEGIN:VEVENT/g) ?? []).length).toBeGreaterThan(0);
    expect(ics).toContain('Asia/Ho_Chi_Minh');
    // No patient names in a feed whose URL may leak.
    expect(ics).not.toContain('Nguyễn');
    expect(ics).not.toContain('Bình');
    expect((await fetch(`${t.url}/scheduling/calendar/not-a-real-token-000000000.ics`)).status).toBe(404);
    expect((await api(t.url, 'POST', '/scheduling/calendar-feeds', w.as['patient.a']!.token)).status).toBe(
      403,
    );
    expect((await api(t.url, 'DELETE', '/scheduling/calendar-feeds', doctor.token)).status).toBe(200);
    expect((await fetch(`${t.url}${path}`)).status).toBe(404);
  });

  if (SERVER_URL) {
    it('two platform processes on one database: still exactly one booking per slot', async () => {
      const t2 = await startApp(PlatformModule.register, {}, t.db);
      try {
        const slot = await newSlot();
        const other = new Fhir(t2.url, w.as['patient.a']!.token);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => book(slot, i % 2 === 0 ? w.as['patient.a']! : other)),
        );
        expect(results.map((r) => r.status).filter((s) => s === 201)).toHaveLength(1);
        expect(results.map((r) => r.status).filter((s) => s === 409)).toHaveLength(19);
      } finally {
        await t2.close();
      }
    });
  } else {
    it('embedded engine: a second process on the same DATA_DIR is refused (two processes need PostgreSQL)', async () => {
      await expect(startApp(PlatformModule.register, {}, t.db)).rejects.toThrow(/DATA_DIR|lock/i);
    });
  }
});
