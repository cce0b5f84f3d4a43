import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import {
  bookingBody,
  bookingProblem,
  dayRange,
  groupSlots,
  micLevel,
  networkQuality,
  queryString,
  rescheduleBody,
  type Schedule,
  type Slot,
  slotSearchParams,
  ROOM_MARGIN_MINUTES,
  roomOpensAt,
  roomState,
  splitAppointments,
  vnIso,
} from './booking-logic';

const slot = (id: string, start: string, schedule = 'Schedule/s1', minutes = 20): Slot => ({
  resourceType: 'Slot',
  id,
  schedule: { reference: schedule },
  status: 'free',
  start,
  end: new Date(Date.parse(start) + minutes * 60000).toISOString(),
  serviceType: [
    { coding: [{ system: 'https://mekong.health/fhir/CodeSystem/service-type', code: 'video' }] },
  ],
});
const schedule = (id: string, ...actors: string[]): Schedule => ({
  resourceType: 'Schedule',
  id,
  actor: actors.map((reference) => ({ reference })),
  specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394579002' }] }],
});

describe('slot search for a local day in Asia/Ho_Chi_Minh', () => {
  const earlier = new Date('2026-11-01T00:00:00Z');

  it('a day is [00:00+07:00, next day 00:00+07:00)', () => {
    expect(dayRange('2026-12-01', 1, earlier)).toEqual({
      from: '2026-12-01T00:00:00+07:00',
      to: '2026-12-02T00:00:00+07:00',
    });
    expect(dayRange('2026-12-31', 3, earlier).to).toBe('2027-01-03T00:00:00+07:00');
  });

  it('today starts now, written in Vietnam time', () => {
    const now = new Date('2026-12-01T03:15:00Z'); // 10:15 in Vietnam
    expect(vnIso(now)).toBe('2026-12-01T10:15:00+07:00');
    expect(dayRange('2026-12-01', 1, now).from).toBe('2026-12-01T10:15:00+07:00');
  });

  it('builds status, ge/lt start, specialty, service type, doctors and the schedule include', () => {
    const params = slotSearchParams(
      { specialty: '394579002', organization: 'org1', day: '2026-12-01', days: 1, serviceType: 'video' },
      ['PractitionerRole/r1', 'Practitioner/d1', 'Practitioner/d1'],
      earlier,
    );
    expect(params).toEqual([
      ['status', 'free'],
      ['start', 'ge2026-12-01T00:00:00+07:00'],
      ['start', 'lt2026-12-02T00:00:00+07:00'],
      ['specialty', '394579002'],
      ['service-type', 'video'],
      ['schedule.actor', 'PractitionerRole/r1,Practitioner/d1'],
      ['_sort', 'start'],
      ['_count', '100'],
      ['_include', 'Slot:schedule'],
    ]);
    // The + of the offset is encoded (a bare + would read as a space).
    expect(queryString(params)).toContain('start=ge2026-12-01T00%3A00%3A00%2B07%3A00');
  });

  it('leaves out filters not chosen', () => {
    const keys = slotSearchParams(
      { specialty: '', organization: '', day: '2026-12-01', days: 7, serviceType: '' },
      [],
      earlier,
    ).map(([k]) => k);
    expect(keys).not.toContain('specialty');
    expect(keys).not.toContain('service-type');
    expect(keys).not.toContain('schedule.actor');
  });
});

describe('grouping free slots', () => {
  it('by Vietnamese day, then doctor by name, slots in time order', () => {
    const schedules = new Map([
      ['Schedule/s1', schedule('s1', 'PractitionerRole/r1', 'Practitioner/d1')],
      ['Schedule/s2', schedule('s2', 'Practitioner/d2')],
      ['Schedule/s3', schedule('s3')],
    ]);
    const doctors = new Map([
      ['Practitioner/d1', { name: 'Trần Minh', organization: 'Bệnh viện Chợ Rẫy' }],
      ['Practitioner/d2', { name: 'Lê Hoa' }],
    ]);
    const groups = groupSlots(
      [
        slot('b', '2026-12-01T02:00:00Z'), // 09:00 on 1 Dec
        slot('a', '2026-12-01T01:00:00Z'), // 08:00 on 1 Dec
        slot('c', '2026-12-01T03:00:00Z', 'Schedule/s2'),
        slot('late', '2026-12-01T17:30:00Z'), // 00:30 on 2 Dec in Vietnam
        slot('orphan', '2026-12-01T04:00:00Z', 'Schedule/s3'),
      ],
      schedules,
      doctors,
    );
    expect(groups.map((g) => g.day)).toEqual(['2026-12-01', '2026-12-02']);
    expect(groups[0]!.doctors.map((d) => [d.name, d.slots.map((s) => s.id)])).toEqual([
      ['Lê Hoa', ['c']],
      ['Trần Minh', ['a', 'b']],
    ]);
    expect(groups[0]!.doctors[1]).toMatchObject({
      doctor: 'Practitioner/d1',
      organization: 'Bệnh viện Chợ Rẫy',
      specialty: '394579002',
    });
    expect(groups[1]!.doctors[0]!.slots.map((s) => s.id)).toEqual(['late']);
  });
});

describe('the Appointment sent to book', () => {
  const s = slot('slot1', '2026-12-01T01:00:00Z');
  const sch = schedule('s1', 'PractitionerRole/r1', 'Practitioner/d1');

  it('books the slot for the patient with the reason, the slot times and the clinicians', () => {
    expect(
      bookingBody({ slot: s, schedule: sch, patientId: 'p1', reason: '  Đau ngực khi gắng sức ' }),
    ).toEqual({
      resourceType: 'Appointment',
      status: 'booked',
      serviceType: s.serviceType,
      specialty: sch.specialty,
      reasonCode: [{ text: 'Đau ngực khi gắng sức' }],
      start: '2026-12-01T01:00:00Z',
      end: '2026-12-01T01:20:00.000Z',
      slot: [{ reference: 'Slot/slot1' }],
      participant: [
        { actor: { reference: 'Patient/p1' }, status: 'accepted' },
        { actor: { reference: 'PractitionerRole/r1' }, status: 'needs-action' },
        { actor: { reference: 'Practitioner/d1' }, status: 'needs-action' },
      ],
    });
  });

  it('on behalf: the Consent goes in supportingInformation; a hold is pending', () => {
    const body = bookingBody({
      slot: s,
      schedule: sch,
      patientId: 'p1',
      reason: 'x',
      consentId: 'c9',
      status: 'pending',
    });
    expect(body.supportingInformation).toEqual([{ reference: 'Consent/c9' }]);
    expect(body.status).toBe('pending');
  });

  it('rescheduling changes the slot and its times only', () => {
    const a = bookingBody({ slot: s, schedule: sch, patientId: 'p1', reason: 'x' });
    const moved = rescheduleBody({ ...a, id: 'a1' }, slot('slot2', '2026-12-02T01:00:00Z'));
    expect(moved).toMatchObject({
      id: 'a1',
      status: 'booked',
      slot: [{ reference: 'Slot/slot2' }],
      start: '2026-12-02T01:00:00Z',
    });
    expect(moved.participant).toEqual(a.participant);
  });
});

describe('refusals, appointments, device check', () => {
  it('explains refusals', () => {
    expect(bookingProblem(new ApiError(409, 'Slot/x is already booked'))).toBe('taken');
    expect(bookingProblem(new ApiError(409, 'The hold has expired / Đã hết thời gian giữ chỗ'))).toBe(
      'expired',
    );
    expect(
      bookingProblem(new ApiError(422, "Booking on a patient's behalf needs their active Consent")),
    ).toBe('consent');
    expect(bookingProblem(new ApiError(422, 'Slot/x is in the past / Khung giờ đã qua'))).toBe('past');
    expect(bookingProblem(new ApiError(403, 'no'))).toBe('forbidden');
    expect(bookingProblem(new ApiError(0, 'network'))).toBe('network');
    expect(bookingProblem(new ApiError(422, 'something else'))).toBe('rejected');
  });

  it('splits upcoming (soonest first) from past (newest first)', () => {
    const now = new Date('2026-12-01T05:00:00Z');
    const a = (id: string, status: string, start: string) =>
      ({
        resourceType: 'Appointment',
        id,
        status,
        start,
        end: new Date(Date.parse(start) + 1200000).toISOString(),
      }) as const;
    const { upcoming, cancelled, past } = splitAppointments(
      [
        a('later', 'booked', '2026-12-03T01:00:00Z'),
        a('soon', 'pending', '2026-12-01T06:00:00Z'),
        a('cancelled', 'cancelled', '2026-12-04T01:00:00Z'),
        a('cancelledOld', 'cancelled', '2026-11-21T01:00:00Z'),
        a('done', 'fulfilled', '2026-11-20T01:00:00Z'),
        a('old', 'booked', '2026-11-30T01:00:00Z'),
        // Ended 10 minutes ago, the patient dropped out: the room is still open (15 min margin).
        a('dropped', 'arrived', '2026-12-01T04:30:00Z'),
      ],
      now,
    );
    expect(upcoming.map((x) => x.id)).toEqual(['dropped', 'soon', 'later']);
    expect(cancelled.map((x) => x.id)).toEqual(['cancelled']);
    expect(past.map((x) => x.id)).toEqual(['old', 'cancelledOld', 'done']);
  });

  it('opens the room 15 minutes before the start until 15 minutes after the end, as the server does', () => {
    const a = {
      resourceType: 'Appointment',
      status: 'booked',
      start: '2026-12-01T02:00:00Z',
      end: '2026-12-01T02:20:00Z',
    } as const;
    const at = (iso: string) => Date.parse(iso);
    expect(ROOM_MARGIN_MINUTES).toBe(15);
    expect(roomOpensAt(a)).toBe(at('2026-12-01T01:45:00Z'));
    expect(roomState(a, at('2026-11-30T06:00:00Z'))).toBe('not-yet');
    expect(roomState(a, at('2026-12-01T01:44:59Z'))).toBe('not-yet');
    expect(roomState(a, at('2026-12-01T01:45:00Z'))).toBe('open');
    expect(roomState(a, at('2026-12-01T02:35:00Z'))).toBe('open');
    expect(roomState(a, at('2026-12-01T02:35:01Z'))).toBe('closed');
    expect(roomState({ ...a, status: 'cancelled' }, at('2026-12-01T02:00:00Z'))).toBe('inactive');
  });

  it('rates the network and the microphone', () => {
    expect(networkQuality([80, 90, 100, 120, 95])).toEqual({ quality: 'good', median: 95 });
    expect(networkQuality([900, 1200, 1000, null, 800]).quality).toBe('weak');
    expect(networkQuality([80, null, null, 90]).quality).toBe('weak');
    expect(networkQuality([null, null]).quality).toBe('offline');
    expect(micLevel(new Uint8Array(64).fill(128))).toBe(0);
    expect(micLevel(Uint8Array.from({ length: 64 }, (_, i) => (i % 2 ? 200 : 56)))).toBe(100);
  });
});
