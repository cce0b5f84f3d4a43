import { DateTime } from 'luxon';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { dataSourceToken } from '@mekong/database';
import { NotificationService } from '@mekong/notify';
import {
  appointmentBody,
  postSlot,
  schedulingWorld,
  type SchedulingWorld,
  seenInPerson,
} from './support/scheduling-world';
import { StandInSmsc } from './support/smsc';
import { StandInSmtp } from './support/smtp';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

interface Db {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  transaction<T>(run: (em: unknown) => Promise<T>): Promise<T>;
}

/** One app with SMS (stand-in SMSC) and email (stand-in SMTP server) on loopback. */
async function world(env: Record<string, string>): Promise<{
  t: TestApp;
  w: SchedulingWorld;
  smsc: StandInSmsc;
  smtp: StandInSmtp;
  db: Db;
  close(): Promise<void>;
}> {
  const smsc = await StandInSmsc.start('mekong', 'smsc-secret');
  const smtp = await StandInSmtp.start('mekong', 'smtp-secret');
  const t = await startApp(PlatformModule.register, {
    JOB_POLL_SECONDS: '0.5',
    SMPP_URL: smsc.url(),
    SMS_SENDER: 'MekongHlth',
    SMPP_RECONNECT_MAX_SECONDS: '0.4',
    SMTP_URL: smtp.url(),
    MAIL_FROM: 'Mekong Health <thong-bao@mekong.test>',
    NOTIFY_FALLBACK_MINUTES: '0.05', // 3 s to confirm before the next channel
    ...env,
  });
  const w = await schedulingWorld(t);
  const db = t.app.get<Db>(dataSourceToken('notify'));
  await until('SMPP bound', async () => {
    const h = (await (await fetch(`${t.url}/health`)).json()) as {
      components: Record<string, { state?: string }>;
    };
    return h.components.sms?.state === 'bound' ? true : undefined;
  });
  return {
    t,
    w,
    smsc,
    smtp,
    db,
    async close() {
      await t.close();
      await t.db.drop();
      await smsc.close();
      await smtp.close();
    },
  };
}

/**
 * Who gets what, how (issue 20): a person's channels in order with fallback when one is refused or
 * not confirmed in time, their language, quiet hours 21:00–07:00 in Vietnam except urgent messages,
 * a child's notices to its guardian, and the booking confirmation at once — through the real SMS
 * (SMPP) and email (SMTP) channels against stand-in servers on loopback.
 */
describe('notify: who gets what, how', () => {
  let x: Awaited<ReturnType<typeof world>>;
  let day = 2;

  const setTelecom = async (patient: string, phone?: string, email?: string): Promise<void> => {
    const current = await x.w.sys.get(`Patient/${patient}`);
    const r = await x.w.sys.put(`Patient/${patient}`, {
      ...current.body,
      telecom: [
        ...(phone ? [{ system: 'phone', value: phone, use: 'mobile' }] : []),
        ...(email ? [{ system: 'email', value: email }] : []),
      ],
    });
    expect(r.status).toBe(200);
  };
  /** Books a new appointment for `patient` (its confirmation goes out at once); its id. */
  const book = async (patient: string): Promise<string> => {
    day += 0.25;
    const start = DateTime.now()
      .setZone('Asia/Ho_Chi_Minh')
      .plus({ days: Math.floor(day) })
      .set({
        hour: 8 + Math.round((day % 1) * 16),
        minute: 0,
        second: 0,
        millisecond: 0,
      });
    const slot = await postSlot(x.w.as.doctor!, x.w.ids.schedule!, start.toJSDate());
    const appt = await x.w.sys.post('Appointment', appointmentBody(slot, patient, x.w.ids.doctor!));
    if (appt.status !== 201) throw new Error(`booking: ${appt.status} ${JSON.stringify(appt.body)}`);
    return String(appt.body.id);
  };
  const deliveries = async (appointment: string): Promise<Record<string, unknown>[]> =>
    x.db.query(
      `SELECT n.topic, n.recipient, d.channel, d.status, d.fallback_from, d.not_before, d.last_error
         FROM notify.delivery d JOIN notify.notification n ON n.id = d.notification_id
        WHERE n.about = $1 AND n.topic = 'appointment-booked' ORDER BY d.id`,
      [`Appointment/${appointment}`],
    );
  const smsTo = (number: string): string[] =>
    x.smsc.accepted.filter((s) => s.destinationAddr === number).map((s) => s.shortMessage.toString('latin1'));
  const prefs = (token: string, body: Record<string, unknown>): Promise<Response> =>
    api(x.t.url, 'PUT', '/notify/preferences', token, body);

  beforeAll(async () => {
    x = await world({});
  });
  afterAll(async () => {
    await x?.close();
  });

  it('the first channel that confirms is the only one: an SMS with its delivery receipt, no email', async () => {
    await setTelecom(x.w.ids.A!, '0912 000 001', 'an@example.vn');
    const id = await book(x.w.ids.A!);
    const sent = await until('the confirmation SMS', () =>
      x.smsc.accepted.find((s) => s.destinationAddr === '84912000001'),
    );
    expect(sent.shortMessage.toString('latin1')).toMatch(
      /^Mekong Health: Lich kham luc .* cua ban da duoc dat\./,
    );
    expect(await x.smsc.receipt(sent.messageId!, 'DELIVRD')).toBe(0);
    await sleep(4500); // past the 3 s confirmation window
    expect(x.smtp.to('an@example.vn')).toHaveLength(0);
    expect((await deliveries(id)).filter((d) => d.channel !== 'in-app')).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'delivered', fallback_from: null }),
    ]);
  });

  it('an SMS not confirmed in time falls back to email; a refused one at once', async () => {
    await setTelecom(x.w.ids.B!, '0912 000 002', 'binh@example.vn');
    const id = await book(x.w.ids.B!);
    await until('the SMS', () => (smsTo('84912000002').length > 0 ? true : undefined));
    // No receipt comes: after the window, email.
    const mail = await until('the fallback email', () => x.smtp.to('binh@example.vn')[0], 15000).catch(
      async (err: unknown) => {
        const jobs = await x.db.query(
          `SELECT name, state, start_after, output FROM jobs.job WHERE name = 'notify.fallback' ORDER BY created_on`,
        );
        throw new Error(`${String(err)} ${JSON.stringify(await deliveries(id))} ${JSON.stringify(jobs)}`);
      },
    );
    expect(mail.headers.subject).toMatch(/Đã đặt lịch khám/);
    // The server's 250 comes just before the job records it.
    await until('email delivered', async () =>
      (await deliveries(id)).some((d) => d.channel === 'email' && d.status === 'delivered')
        ? true
        : undefined,
    );
    expect((await deliveries(id)).filter((d) => d.channel !== 'in-app')).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'submitted' }),
      expect.objectContaining({ channel: 'email', status: 'delivered', fallback_from: 'sms' }),
    ]);

    // An invalid number: the SMS is refused and the email goes without waiting for the window.
    await setTelecom(x.w.ids.B!, '0123 45', 'binh@example.vn');
    const before = x.smtp.to('binh@example.vn').length;
    const at = Date.now();
    const refusedId = await book(x.w.ids.B!);
    await until('the email', () => (x.smtp.to('binh@example.vn').length > before ? true : undefined), 15000);
    expect(Date.now() - at).toBeLessThan(3000);
    await until('email delivered', async () =>
      (await deliveries(refusedId)).some((d) => d.channel === 'email' && d.status === 'delivered')
        ? true
        : undefined,
    );
    expect((await deliveries(refusedId)).filter((d) => d.channel !== 'in-app')).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'refused' }),
      expect.objectContaining({ channel: 'email', status: 'delivered', fallback_from: 'sms' }),
    ]);
  });

  it('a person’s own order and language: email first in English; then SMS only, in English', async () => {
    await setTelecom(x.w.ids.A!, '0912 000 001', 'an@example.vn');
    const patientA = x.w.as['patient.a']!.token;
    const r = await prefs(patientA, {
      person: `Patient/${x.w.ids.A!}`,
      channels: ['email', 'sms'],
      language: 'en',
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ channels: ['email', 'sms'], language: 'en', quietHours: true });
    const smsBefore = smsTo('84912000001').length;
    const mailsBefore = x.smtp.to('an@example.vn').length;
    await book(x.w.ids.A!);
    const mail = await until('the email', () => x.smtp.to('an@example.vn')[mailsBefore]);
    expect(mail.headers.subject).toMatch(/^Mekong Health: Appointment booked/);
    await sleep(4500); // accepted by the server = confirmed: no SMS after the window
    expect(smsTo('84912000001')).toHaveLength(smsBefore);

    expect((await prefs(patientA, { person: `Patient/${x.w.ids.A!}`, channels: ['sms'] })).status).toBe(200);
    await book(x.w.ids.A!);
    const sms = await until('the SMS', () => smsTo('84912000001')[smsBefore]);
    expect(sms).toMatch(/^Mekong Health: Your appointment at .* is booked\./);
  });

  it('a child’s booking confirmation goes to its guardian’s phone, not the child', async () => {
    const child = await x.w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Trần', given: ['Bé Na'] }],
      birthDate: DateTime.now().minus({ years: 3 }).toISODate(),
      telecom: [{ system: 'phone', value: '0912 000 099' }], // a number written on the child's card
    });
    expect(child.status).toBe(201);
    const mother = await x.w.sys.post('RelatedPerson', {
      resourceType: 'RelatedPerson',
      active: true,
      patient: { reference: `Patient/${String(child.body.id)}` },
      relationship: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
      ],
      name: [{ family: 'Trần', given: ['Thị Lan'] }],
      telecom: [{ system: 'phone', value: '0912 000 003' }],
    });
    expect(mother.status).toBe(201);
    // Seen at the station a month ago: eligible for a video follow-up (Circular 30/2023).
    expect(
      (await x.w.sys.post('Encounter', seenInPerson(String(child.body.id), x.w.ids.station!, 30))).status,
    ).toBe(201);
    const id = await book(String(child.body.id));
    await until('the guardian’s SMS', () => (smsTo('84912000003').length > 0 ? true : undefined));
    await sleep(1000);
    expect(smsTo('84912000099')).toEqual([]);
    expect((await deliveries(id)).map((d) => d.recipient)).toContain(
      `RelatedPerson/${String(mother.body.id)}`,
    );
  });

  it('the 24 h reminder asks to confirm or cancel with a single-use link, in one SMS part', async () => {
    await setTelecom(x.w.ids.B!, '0912 000 004');
    const start = new Date(Math.ceil((Date.now() + 24 * 3600_000 + 3000) / 1000) * 1000); // its 24 h reminder in ~3 s
    const slot = await postSlot(x.w.as.doctor!, x.w.ids.schedule!, start);
    const appt = await x.w.sys.post('Appointment', appointmentBody(slot, x.w.ids.B!, x.w.ids.doctor!));
    expect(appt.status).toBe(201);
    const sms = await until('the reminder', () =>
      x.smsc.accepted.find(
        (s) => s.destinationAddr === '84912000004' && s.shortMessage.toString('latin1').includes('Xac nhan'),
      ),
    );
    // GSM-7 writes '_' (base64url's) as septet 0x11; every other character of the link is ASCII's own code.
    const text = sms.shortMessage.toString('latin1').split(String.fromCharCode(0x11)).join('_');
    expect(sms.shortMessage.length).toBeLessThanOrEqual(160);
    expect(sms.esmClass & 0x40).toBe(0); // no UDH: one part
    const m = /Xac nhan hoac huy: (http:\/\/mekong\.test\/a#([A-Za-z0-9_-]+))$/.exec(text);
    expect(m).not.toBeNull();
    // Looking at it does not spend it; it shows the time and nothing of why.
    for (let i = 0; i < 2; i++) {
      const preview = await api(x.t.url, 'POST', '/scheduling/action-links/preview', undefined, {
        token: m![2],
      });
      expect(preview.status).toBe(200);
      expect(JSON.stringify(await preview.json())).not.toMatch(/J00|reason/i);
    }
    const used = await api(x.t.url, 'POST', '/scheduling/action-links/use', undefined, {
      token: m![2],
      action: 'cancel',
    });
    expect(used.status).toBe(200);
    expect((await x.w.sys.get(`Appointment/${String(appt.body.id)}`)).body.status).toBe('cancelled');
  });

  it('bad input changes nothing: Zalo without opt-in, an unknown channel, a bad person; another patient’s: 404', async () => {
    const patientA = x.w.as['patient.a']!.token;
    const person = `Patient/${x.w.ids.A!}`;
    const before = await (await api(x.t.url, 'GET', `/notify/preferences?person=${person}`, patientA)).json();
    const zalo = await prefs(patientA, { person, channels: ['zalo', 'sms'] });
    expect(zalo.status).toBe(400);
    expect(await zalo.json()).toMatchObject({ code: 'NOTIFY.ZALO_NOT_OPTED_IN' });
    expect((await prefs(patientA, { person, channels: ['fax'] })).status).toBe(400);
    expect((await prefs(patientA, { person, optOuts: [{ channel: 'sms', topic: 'gossip' }] })).status).toBe(
      400,
    );
    expect((await prefs(patientA, { person: 'Organization/1' })).status).toBe(400);
    expect((await prefs(x.w.as['patient.b']!.token, { person, quietHours: false })).status).toBe(404);
    const after = await (await api(x.t.url, 'GET', `/notify/preferences?person=${person}`, patientA)).json();
    expect(after).toEqual(before);
    // With the person's opt-in, Zalo may be a channel.
    const ok = await prefs(patientA, { person, channels: ['zalo', 'sms'], zaloOptIn: true });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ channels: ['zalo', 'sms'], zaloOptIn: true });
  });
});

/** Quiet hours around the suite's own clock (NOTIFY_QUIET_HOURS), so it runs the same at any hour. */
describe('notify: quiet hours', () => {
  let x: Awaited<ReturnType<typeof world>>;
  let until07: Date;

  beforeAll(async () => {
    const now = DateTime.now().setZone('Asia/Ho_Chi_Minh');
    const from = now.minus({ minutes: 1 });
    const to = now.plus({ hours: 2 });
    until07 = to.set({ second: 0, millisecond: 0 }).toJSDate();
    x = await world({ NOTIFY_QUIET_HOURS: `${from.toFormat('HH:mm')}-${to.toFormat('HH:mm')}` });
  });
  afterAll(async () => {
    await x?.close();
  });

  it('a booking confirmation waits for the end of quiet hours; an urgent notice goes at once; a person may turn them off', async () => {
    const current = await x.w.sys.get(`Patient/${x.w.ids.A!}`);
    await x.w.sys.put(`Patient/${x.w.ids.A!}`, {
      ...current.body,
      telecom: [{ system: 'phone', value: '0912 000 011', use: 'mobile' }],
    });
    const start = DateTime.now().plus({ days: 3 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const slot = await postSlot(x.w.as.doctor!, x.w.ids.schedule!, start.toJSDate());
    const appt = await x.w.sys.post('Appointment', appointmentBody(slot, x.w.ids.A!, x.w.ids.doctor!));
    expect(appt.status).toBe(201);
    const rows = await until('the planned SMS', async () => {
      const r = await x.db.query(
        `SELECT d.channel, d.status, d.not_before FROM notify.delivery d JOIN notify.notification n ON n.id = d.notification_id
          WHERE n.about = $1 ORDER BY d.id`,
        [`Appointment/${String(appt.body.id)}`],
      );
      return r.length >= 2 ? r : undefined;
    });
    // In the app at once; the SMS not before quiet hours end.
    expect(rows[0]).toMatchObject({ channel: 'in-app' });
    expect(rows[1]).toMatchObject({ channel: 'sms', status: 'pending' });
    expect(new Date(rows[1]!.not_before as string).toISOString()).toBe(until07.toISOString());
    await sleep(2000);
    expect(x.smsc.accepted).toHaveLength(0);

    // An account notice is urgent: it goes now.
    const notifications = x.t.app.get(NotificationService);
    await x.db.transaction((em) =>
      notifications.notify(em as never, {
        dedupKey: 'quiet-hours:urgent',
        topic: 'account-security',
        recipient: `Patient/${x.w.ids.A!}`,
        subject: `Patient/${x.w.ids.A!}`,
        title: 'Mật khẩu đã được đặt lại / Password reset',
        text: { vi: 'Mật khẩu của bạn vừa được đặt lại.', en: 'Your password was just reset.' },
        category: 'alert',
      }),
    );
    const urgent = await until('the urgent SMS', () => x.smsc.accepted[0]);
    expect(urgent.shortMessage.toString('latin1')).toMatch(/Mat khau/);

    // The person turns quiet hours off: the next confirmation goes at once.
    const off = await api(x.t.url, 'PUT', '/notify/preferences', x.w.as['patient.a']!.token, {
      person: `Patient/${x.w.ids.A!}`,
      quietHours: false,
    });
    expect(off.status).toBe(200);
    const slot2 = await postSlot(x.w.as.doctor!, x.w.ids.schedule!, start.plus({ hours: 1 }).toJSDate());
    const appt2 = await x.w.sys.post('Appointment', appointmentBody(slot2, x.w.ids.A!, x.w.ids.doctor!));
    expect(appt2.status).toBe(201);
    await until('the confirmation SMS', () =>
      x.smsc.accepted.find((s) => s.shortMessage.toString('latin1').includes('da duoc dat')),
    );
  });
});
