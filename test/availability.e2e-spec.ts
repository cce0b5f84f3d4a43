import { AvailabilityService } from '@mekong/scheduling';
import { DateTime } from 'luxon';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { appointmentBody, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { api, startApp, type TestApp } from './support/test-app';

/** Weekly hours and exceptions become FHIR Slots (Asia/Ho_Chi_Minh); rule changes spare bookings. */
describe('scheduling: availability rules and exceptions', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const rules = (schedule: string) => `/scheduling/schedules/${schedule}/rules`;
  const slotsOf = async (query: string): Promise<{ id: string; start: string; status: string }[]> => {
    const res = await w.sys.get(`Slot?schedule=Schedule/${w.ids.schedule}&_count=1000&_sort=start${query}`);
    return ((res.body.entry ?? []) as { resource: { id: string; start: string; status: string } }[]).map(
      (e) => e.resource,
    );
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { SCHEDULE_HORIZON_DAYS: '14' });
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('weekly hours become free video slots in Vietnamese time up to the horizon; bad rules are refused', async () => {
    const doctor = w.as.doctor!.token;
    const rule = {
      daysOfWeek: [1, 2, 3, 4, 5],
      startTime: '08:00',
      endTime: '11:00',
      slotMinutes: 20,
      serviceType: 'video',
    };
    const res = await api(t.url, 'POST', rules(w.ids.schedule!), doctor, rule);
    expect(res.status).toBe(201);
    const created = (await res.json()) as { rule: { id: string; timeZone: string }; slotsCreated: number };
    expect(created.rule.timeZone).toBe('Asia/Ho_Chi_Minh');
    // 14 days hold 10 weekdays (9 slots each), minus those of today already past.
    expect(created.slotsCreated).toBeGreaterThanOrEqual(8 * 9);
    expect(created.slotsCreated).toBeLessThanOrEqual(11 * 9);
    const slots = await slotsOf('&status=free');
    expect(slots).toHaveLength(created.slotsCreated);
    // 08:00 in Vietnam is 01:00 UTC; slots are 20 minutes, weekdays only (local).
    for (const s of slots) {
      const local = new Date(Date.parse(s.start) + 7 * 3600000);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(8);
      expect(local.getUTCHours()).toBeLessThan(11);
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
    }
    const video = await w.sys.get(
      `Slot?service-type=video&schedule=Schedule/${w.ids.schedule}&_summary=count`,
    );
    expect(video.body.total).toBe(created.slotsCreated);
    expect(
      (await api(t.url, 'GET', rules(w.ids.schedule!), doctor).then((r) => r.json())) as unknown[],
    ).toHaveLength(1);

    // The same hours again overlap the slots just made: 409, nothing added.
    const again = await api(t.url, 'POST', rules(w.ids.schedule!), doctor, rule);
    expect(again.status).toBe(409);
    expect(await slotsOf('&status=free')).toHaveLength(created.slotsCreated);
    const bad: [Record<string, unknown>, number][] = [
      [{ ...rule, slotMinutes: 3 }, 400],
      [{ ...rule, startTime: '8am' }, 400],
      [{ ...rule, endTime: '07:00' }, 400],
      [{ ...rule, daysOfWeek: [0] }, 400],
      [{ ...rule, serviceType: 'phone' }, 400],
      [{ ...rule, owner: 'x' }, 400],
    ];
    for (const [body, status] of bad)
      expect((await api(t.url, 'POST', rules(w.ids.schedule!), doctor, body)).status).toBe(status);
    expect((await api(t.url, 'POST', rules(w.ids.schedule!), w.as['doctor.other']!.token, rule)).status).toBe(
      403,
    );
    expect((await api(t.url, 'POST', rules(w.ids.schedule!), w.as['patient.a']!.token, rule)).status).toBe(
      403,
    );
    expect((await api(t.url, 'POST', rules(w.ids.schedule!), undefined, rule)).status).toBe(401);

    // The daily job regenerates idempotently: stable ids, nothing new.
    expect(await t.app.get(AvailabilityService).materialiseAll()).toBe(0);
  });

  it('a closed period (leave) withdraws free slots but keeps booked ones; extra hours add slots', async () => {
    const doctor = w.as.doctor!.token;
    const free = await slotsOf('&status=free');
    // The last free slot with a free neighbour within 3 h: the horizon's last day may hold a
    // single slot, depending on the hour the test runs.
    const near = (a: { start: string }, b: { start: string }): boolean =>
      Math.abs(Date.parse(a.start) - Date.parse(b.start)) < 3 * 3600000;
    const target = [...free].reverse().find((s) => free.some((o) => o.id !== s.id && near(o, s)))!;
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(target.id, w.ids.A!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);
    const dayStart = new Date(Date.parse(target.start) - 4 * 3600000).toISOString();
    const dayEnd = new Date(Date.parse(target.start) + 4 * 3600000).toISOString();
    const leave = await api(t.url, 'POST', `/scheduling/schedules/${w.ids.schedule}/exceptions`, doctor, {
      kind: 'closed',
      start: dayStart,
      end: dayEnd,
      reason: 'Nghỉ phép / leave',
    });
    expect(leave.status).toBe(201);
    const result = (await leave.json()) as { slotsRemoved: number; bookedKept: string[] };
    expect(result.slotsRemoved).toBeGreaterThan(0);
    expect(result.bookedKept).toEqual([`Appointment/${String(booked.body.id)}`]);
    expect((await w.sys.get(`Slot/${target.id}`)).body.status).toBe('busy');
    const gone = free.find((s) => s.id !== target.id && near(s, target))!;
    expect((await w.sys.get(`Slot/${gone.id}`)).status).toBe(410);
    expect((await w.sys.get(`Appointment/${String(booked.body.id)}`)).body.status).toBe('booked');

    const saturday = new Date(Date.now() + 3 * 86400000);
    saturday.setUTCHours(6, 0, 0, 0); // 13:00 in Vietnam
    const extra = await api(t.url, 'POST', `/scheduling/schedules/${w.ids.schedule}/exceptions`, doctor, {
      kind: 'extra',
      start: saturday.toISOString().replace('Z', '+00:00'),
      end: new Date(saturday.getTime() + 3600000).toISOString(),
      reason: 'Khám thêm buổi chiều',
      slotMinutes: 30,
      serviceType: 'video',
    });
    const extraBody = (await extra.json()) as { slotsCreated?: number };
    expect([extra.status, extraBody.slotsCreated]).toEqual([201, expect.any(Number)]);
    expect(
      (
        await api(t.url, 'POST', `/scheduling/schedules/${w.ids.schedule}/exceptions`, doctor, {
          kind: 'closed',
          start: '2027-01-01T08:00:00',
          end: '2027-01-01T09:00:00+07:00',
          reason: 'no offset',
        })
      ).status,
    ).toBe(400);
    const listed = (await (
      await api(t.url, 'GET', `/scheduling/schedules/${w.ids.schedule}/exceptions`, doctor)
    ).json()) as unknown[];
    expect(listed).toHaveLength(2);
  });

  it('ending a rule withdraws its future free slots; booked appointments are untouched', async () => {
    const doctor = w.as.doctor!.token;
    const [rule] = (await (await api(t.url, 'GET', rules(w.ids.schedule!), doctor)).json()) as {
      id: string;
    }[];
    const before = await slotsOf('&status=free');
    const ended = await api(t.url, 'DELETE', `${rules(w.ids.schedule!)}/${rule!.id}`, doctor);
    expect(ended.status).toBe(200);
    const body = (await ended.json()) as { slotsRemoved: number; bookedKept: string[] };
    expect(body.bookedKept).toHaveLength(1);
    const after = await slotsOf('&status=free');
    // Only the extra hours' slots (no rule) remain free.
    expect(after.length).toBeLessThan(before.length);
    expect(after.length).toBe(before.length - body.slotsRemoved);
    const appt = await w.sys.get(`Appointment?_count=10&status=booked`);
    expect(Fhir.ids(appt.body)).toHaveLength(1);
    expect((await api(t.url, 'DELETE', `${rules(w.ids.schedule!)}/${rule!.id}`, doctor)).status).toBe(404);
  });

  it('validFrom/validUntil round-trip as YYYY-MM-DD and bound the slots to the day, at creation and in the nightly job', async () => {
    // Issue 15, item 9: the dates came back as "Sun Dec 06" and the slots ignored them.
    const doctor = w.as['doctor.other']!.token;
    const zone = 'Asia/Ho_Chi_Minh';
    const today = DateTime.now().setZone(zone).startOf('day');
    const day = (n: number): string => today.plus({ days: n }).toISODate()!;
    // The schedule plans up to noon of the rule's 2nd day; the job later extends it.
    const schedule = {
      resourceType: 'Schedule',
      active: true,
      actor: [{ reference: `Practitioner/${w.ids.other}` }],
    };
    const created = await w.sys.post('Schedule', {
      ...schedule,
      planningHorizon: { end: `${day(4)}T12:00:00+07:00` },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // 06:00 in Vietnam is 23:00 UTC the day before: the first slot of each day crosses the date line
    // of UTC, so a date read or compared in the wrong zone loses or gains a day here.
    const rule = {
      daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      startTime: '06:00',
      endTime: '23:00',
      slotMinutes: 60,
      serviceType: 'video',
      validFrom: day(3),
      validTo: day(5),
    };
    const res = await api(t.url, 'POST', rules(id), doctor, rule);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { rule: { validFrom: string; validTo: string }; slotsCreated: number };
    expect([body.rule.validFrom, body.rule.validTo]).toEqual([day(3), day(5)]);
    const listed = (await (await api(t.url, 'GET', rules(id), doctor)).json()) as Record<string, unknown>[];
    expect(listed.map((r) => [r.validFrom, r.validTo])).toEqual([[day(3), day(5)]]);

    const hours = (d: string, from: number, to: number): string[] =>
      Array.from({ length: to - from + 1 }, (_, i) =>
        DateTime.fromISO(`${d}T${String(from + i).padStart(2, '0')}:00`, { zone })
          .toUTC()
          .toISO()!,
      );
    const starts = async (): Promise<string[]> => {
      const found = await w.sys.get(`Slot?schedule=Schedule/${id}&_count=1000&_sort=start`);
      return ((found.body.entry ?? []) as { resource: { start: string } }[]).map((e) =>
        new Date(e.resource.start).toISOString(),
      );
    };
    const firstDay = hours(day(3), 6, 22);
    expect(firstDay[0]).toBe(`${day(2)}T23:00:00.000Z`);
    expect(await starts()).toEqual([...firstDay, ...hours(day(4), 6, 11)]);
    expect(body.slotsCreated).toBe(17 + 6);

    // The nightly job re-reads the rule from the database: it fills up to the new horizon and
    // stops at the last valid day (nothing on day 6, whose 06:00 is still day 5 in UTC).
    expect((await w.sys.put(`Schedule/${id}`, { ...schedule, id })).status).toBe(200);
    expect(await t.app.get(AvailabilityService).materialiseAll()).toBeGreaterThanOrEqual(11 + 17);
    expect(await starts()).toEqual([...firstDay, ...hours(day(4), 6, 22), ...hours(day(5), 6, 22)]);
    expect(await t.app.get(AvailabilityService).materialiseAll()).toBe(0);
  });
});
