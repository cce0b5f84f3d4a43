import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import {
  appointmentBody,
  LISTED_REASON,
  postSlot,
  schedulingWorld,
  type SchedulingWorld,
} from './support/scheduling-world';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

const SECRET = 'webhook-secret-for-tests-0123456789';

interface Hook {
  body: Record<string, unknown>;
  raw: string;
  signature: string | undefined;
}

/**
 * Durable jobs (pg-boss in PostgreSQL): reminders 24 h and 1 h before, sent once even across a
 * restart; cancellation notices in-app (socket.io) and to a signed webhook that really receives
 * a POST; no-shows; hold expiry; the waitlist offered a freed slot.
 */
describe('scheduling: reminders, notifications and timed jobs', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let hookServer: Server;
  const hooks: Hook[] = [];
  let failNext = 1; // the webhook's first delivery fails: the job must retry it
  let env: Record<string, string>;

  const slotAt = (start: Date, minutes = 20): Promise<string> =>
    postSlot(w.as.doctor!, w.ids.schedule!, start, minutes);
  /** Communications about an appointment (R4 has no `about` search parameter: filtered here). */
  /** The notices about an appointment of one kind (title), e.g. its reminders (not its booking confirmation). */
  const communications = async (
    appointment: string,
    title = 'Appointment reminder',
  ): Promise<Record<string, unknown>[]> => {
    const res = await w.sys.get(`Communication?_count=1000`);
    return ((res.body.entry ?? []) as { resource: Record<string, unknown> }[])
      .map((e) => e.resource)
      .filter((c) => JSON.stringify(c.about ?? []).includes(`Appointment/${appointment}"`))
      .filter((c) => ((c.topic as { text?: string } | undefined)?.text ?? '').includes(title));
  };

  beforeAll(async () => {
    hookServer = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(503).end();
          return;
        }
        hooks.push({
          body: JSON.parse(raw) as Record<string, unknown>,
          raw,
          signature: req.headers['x-mekong-signature'] as string,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    env = {
      JOB_POLL_SECONDS: '0.5',
      NOSHOW_GRACE_MINUTES: '0',
      HOLD_SECONDS: '5',
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/notify`,
      NOTIFY_WEBHOOK_SECRET: SECRET,
    };
    t = await startApp(PlatformModule.register, env);
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await new Promise((r) => hookServer?.close(r));
  });

  it('the 1 h and 24 h reminders fire once each, also when the server restarts before they are due', async () => {
    const soon = await slotAt(new Date(Date.now() + 3600_000 + 6000)); // 1 h reminder due in ~6 s
    const tomorrow = await slotAt(new Date(Date.now() + 24 * 3600_000 + 7000)); // 24 h reminder in ~7 s
    const a = await w.as['patient.a']!.post('Appointment', appointmentBody(soon, w.ids.A!, w.ids.doctor!));
    const b = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(tomorrow, w.ids.A!, w.ids.doctor!),
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    // Restart before either is due: the jobs are in the database, not in memory.
    await t.close();
    t = await startApp(PlatformModule.register, env, t.db);
    w = { ...w, sys: new Fhir(t.url, w.sys.token) };
    for (const [k, f] of Object.entries(w.as)) w.as[k] = new Fhir(t.url, f.token);
    for (const appt of [String(a.body.id), String(b.body.id)]) {
      const [c] = await until(`reminder for ${appt}`, async () => {
        const list = await communications(appt);
        return list.length > 0 ? list : undefined;
      });
      expect(c).toMatchObject({
        status: 'completed',
        category: [{ coding: [{ code: 'reminder' }] }],
        subject: { reference: `Patient/${w.ids.A}` },
        recipient: [{ reference: `Patient/${w.ids.A}` }],
      });
      expect(JSON.stringify(c!.payload)).toMatch(/giờ Việt Nam/);
    }
    // The 1 h appointment's 24 h reminder was already past at booking: skipped, not sent late.
    await sleep(3000);
    expect(await communications(String(a.body.id))).toHaveLength(1);
    expect(await communications(String(b.body.id))).toHaveLength(1);
    // The patient reads their reminders in their own record.
    const mine = await w.as['patient.a']!.get(`Communication?recipient=Patient/${w.ids.A}&category=reminder`);
    expect(Fhir.ids(mine.body).length).toBeGreaterThanOrEqual(2);
  });

  it('a cancellation reaches the patient live over socket.io and the webhook (signed, retried after a failure)', async () => {
    const slot = await slotAt(new Date(Date.now() + 3 * 86400_000));
    const booked = await w.as['patient.a']!.post(
      'Appointment',
      appointmentBody(slot, w.ids.A!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);
    const socket = io(`${t.url}/notifications`, {
      auth: { token: w.as['patient.a']!.token },
      transports: ['websocket'],
    });
    // The server joins the patient's room, then says `ready`.
    const ready = new Promise<void>((r) => socket.once('ready', () => r()));
    const received: Record<string, unknown>[] = [];
    socket.on('notification', (n: Record<string, unknown>) => received.push(n));
    await ready;
    const cancel = await w.as.doctor!.put(`Appointment/${String(booked.body.id)}`, {
      ...booked.body,
      status: 'cancelled',
      cancelationReason: { text: 'Bác sĩ bận đột xuất' },
    });
    expect(cancel.status).toBe(200);
    const live = await until('in-app notification', () =>
      Promise.resolve(
        received.find(
          (n) => n.about === `Appointment/${String(booked.body.id)}` && n.topic === 'appointment-cancelled',
        ),
      ),
    );
    expect(live).toMatchObject({ topic: 'appointment-cancelled', recipient: `Patient/${w.ids.A}` });
    expect((live.text as { vi: string; en: string }).vi).toContain('đã bị huỷ');
    socket.close();

    const hook = await until('webhook delivery', () =>
      Promise.resolve(
        hooks.find(
          (h) =>
            h.body.about === `Appointment/${String(booked.body.id)}` &&
            h.body.recipient === `Patient/${w.ids.A}` &&
            h.body.topic === 'appointment-cancelled',
        ),
      ),
    );
    expect(hook.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(hook.raw).digest('hex')}`);
    expect(failNext).toBe(0); // the first attempt got 503 and was retried
    // Both the patient and the doctor were told; each once.
    const notices = await communications(String(booked.body.id), 'Appointment cancelled');
    expect(notices.map((c) => (c.recipient as { reference: string }[])[0]!.reference).sort()).toEqual(
      [`Patient/${w.ids.A}`, `Practitioner/${w.ids.doctor}`].sort(),
    );
  });

  it('a socket without a valid token is refused with an error event', async () => {
    const socket = io(`${t.url}/notifications`, {
      auth: { token: 'not-a-token' },
      transports: ['websocket'],
    });
    const error = await new Promise<{ code: string }>((r) => socket.once('error', r));
    expect(error.code).toBe('AUTH.INVALID_TOKEN');
    await until('disconnect', () => Promise.resolve(socket.connected ? undefined : true), 5000);
    socket.close();
  });

  it('an appointment nobody attended becomes noshow after start + grace, counted per patient', async () => {
    const slot = await slotAt(new Date(Date.now() + 3000), 10);
    const booked = await w.as['patient.b']!.post(
      'Appointment',
      appointmentBody(slot, w.ids.B!, w.ids.doctor!),
    );
    expect(booked.status).toBe(201);
    await until('noshow', async () =>
      (await w.sys.get(`Appointment/${String(booked.body.id)}`)).body.status === 'noshow' ? true : undefined,
    );
    const count = await w.sys.get(`Appointment?patient=Patient/${w.ids.B}&status=noshow&_summary=count`);
    expect(count.body.total).toBe(1);
  });

  it('an unconfirmed hold expires by itself and the slot is free again', async () => {
    const slot = await slotAt(new Date(Date.now() + 5 * 86400_000));
    const hold = await w.as['patient.a']!.post('Appointment', {
      ...appointmentBody(slot, w.ids.A!, w.ids.doctor!),
      status: 'pending',
    });
    expect(hold.status).toBe(201);
    await until('hold expiry', async () =>
      (await w.sys.get(`Slot/${slot}`)).body.status === 'free' ? true : undefined,
    );
    expect((await w.sys.get(`Appointment/${String(hold.body.id)}`)).body.status).toBe('cancelled');
  });

  it('waitlist: a freed slot is offered to the first waiting patient as a hold, who confirms it', async () => {
    const slot = await slotAt(new Date(Date.now() + 6 * 86400_000));
    const a = await w.as['patient.a']!.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    expect(a.status).toBe(201);
    const join = await api(t.url, 'POST', '/scheduling/waitlist', w.as['patient.b']!.token, {
      patient: `Patient/${w.ids.B}`,
      practitioner: `Practitioner/${w.ids.doctor}`,
      serviceType: 'video',
    });
    expect(join.status).toBe(201);
    expect(
      (
        await api(t.url, 'POST', '/scheduling/waitlist', w.as['patient.a']!.token, {
          patient: `Patient/${w.ids.B}`,
          practitioner: `Practitioner/${w.ids.doctor}`,
        })
      ).status,
    ).toBe(422); // someone else's patient is answered like an unknown one
    expect(
      (
        await api(t.url, 'POST', '/scheduling/waitlist', w.as['patient.b']!.token, {
          patient: `Patient/${w.ids.B}`,
        })
      ).status,
    ).toBe(400);
    await w.as['patient.a']!.put(`Appointment/${String(a.body.id)}`, { ...a.body, status: 'cancelled' });
    const offer = await until('waitlist offer', async () => {
      const res = await w.as['patient.b']!.get(
        `Appointment?patient=Patient/${w.ids.B}&status=pending&slot=Slot/${slot}`,
      );
      const entry = (res.body.entry as { resource: Record<string, unknown> }[] | undefined)?.[0];
      return entry?.resource;
    });
    expect((await w.sys.get(`Slot/${slot}`)).body.status).toBe('busy-tentative');
    const note = await until('offer notification', async () => {
      const list = await communications(String(offer.id), 'A consultation time is free');
      return list.length > 0 ? list[0] : undefined;
    });
    expect(JSON.stringify(note.payload)).toContain('Confirm it within');
    // Confirming a video offer names the reason from the list (an offer carries none).
    const confirmed = await w.as['patient.b']!.put(`Appointment/${String(offer.id)}`, {
      ...offer,
      status: 'booked',
      reasonCode: [LISTED_REASON],
    });
    expect(confirmed.status).toBe(200);
    const entries = (await (
      await api(t.url, 'GET', `/scheduling/waitlist?patient=Patient/${w.ids.B}`, w.as['patient.b']!.token)
    ).json()) as { status: string }[];
    expect(entries.map((e) => e.status)).toEqual(['booked']);
  });
});
