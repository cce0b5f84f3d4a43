import { Logger } from '@nestjs/common';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { dataSourceToken } from '@mekong/database';
import { NotificationService } from '@mekong/notify';
import { encodeSms } from '../libs/notify/src/sms/sms-encoding';
import { smsText } from '../libs/notify/src/sms/sms-templates';
import { SmppLink } from '../libs/notify/src/sms/smpp-link';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { StandInSmsc } from './support/smsc';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

const SENDER = 'MekongHlth';
const SYSTEM_ID = 'mekong';
const PASSWORD = 'smsc-secret';

interface Db {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  transaction<T>(
    run: (em: { query(sql: string, p?: unknown[]): Promise<unknown> }) => Promise<T>,
  ): Promise<T>;
}

/**
 * SMS over SMPP 3.4 against a stand-in SMSC on loopback (node-smpp's server mode, test/support/smsc.ts):
 * a real appointment reminder goes out as one GSM-7 submit_sm checked byte by byte; the job run again
 * after a recorded submit_sm_resp sends nothing; receipts update the delivery; STOP/HUY opts out; an
 * invalid number is refused with its reason; throttling and a refused bind lose nothing.
 */
describe('notify: SMS over SMPP', () => {
  let smsc: StandInSmsc;
  let t: TestApp;
  let w: SchedulingWorld;
  let db: Db;
  let notifications: NotificationService;

  const health = async (): Promise<{ state?: string; status?: string }> => {
    const res = await fetch(`${t.url}/health`);
    return (
      ((await res.json()) as { components: Record<string, { state?: string; status?: string }> }).components
        .sms ?? {}
    );
  };
  const smsDelivery = async (notificationId: string): Promise<Record<string, unknown> | undefined> =>
    (
      await db.query(
        `SELECT status, attempts, last_error FROM notify.delivery WHERE notification_id = $1 AND channel = 'sms'`,
        [notificationId],
      )
    )[0];
  /** The SMS delivery's Communication in the record (read as the system client). */
  const smsRecord = async (notificationId: string): Promise<Record<string, unknown> | undefined> => {
    const [row] = await db.query(
      `SELECT communication_id FROM notify.delivery WHERE notification_id = $1 AND channel = 'sms'`,
      [notificationId],
    );
    if (!row?.communication_id) return undefined;
    const res = await w.sys.get(`Communication/${String(row.communication_id)}`);
    return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
  };
  const setPhone = async (patient: string, phone: string): Promise<void> => {
    const current = await w.sys.get(`Patient/${patient}`);
    const r = await w.sys.put(`Patient/${patient}`, {
      ...current.body,
      telecom: [{ system: 'phone', value: phone, use: 'mobile' }],
    });
    expect(r.status).toBe(200);
  };
  /** A cancellation notice of a new appointment (the notification service's own path); its notification id. */
  let seq = 0;
  const notifyCancelled = async (patient: string, start: Date): Promise<string> => {
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.sys.post('Appointment', appointmentBody(slot, patient, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const key = `sms-test:${++seq}`;
    await db.transaction((em) =>
      notifications.notify(em as never, {
        dedupKey: key,
        topic: 'appointment-cancelled',
        recipient: `Patient/${patient}`,
        subject: `Patient/${patient}`,
        about: `Appointment/${String(appt.body.id)}`,
        title: 'Lịch khám đã huỷ / Appointment cancelled',
        text: { vi: 'Viêm phổi — tái khám', en: 'Pneumonia follow-up' },
      }),
    );
    const [row] = await db.query(`SELECT id FROM notify.notification WHERE dedup_key = $1`, [key]);
    return String(row!.id);
  };

  beforeAll(async () => {
    smsc = await StandInSmsc.start(SYSTEM_ID, PASSWORD);
    t = await startApp(PlatformModule.register, {
      JOB_POLL_SECONDS: '0.5',
      SMPP_URL: smsc.url(),
      SMS_SENDER: SENDER,
      SMPP_RECONNECT_MAX_SECONDS: '0.4',
    });
    w = await schedulingWorld(t);
    // These cases look at one notice each: the booking confirmation every appointment they create
    // also sends is opted out of (a person's preference, through the API).
    for (const id of [w.ids.A!, w.ids.B!]) {
      const r = await api(t.url, 'PUT', '/notify/preferences', w.sys.token, {
        person: `Patient/${id}`,
        optOuts: [{ channel: 'sms', topic: 'appointment-booked' }],
      });
      if (r.status !== 200) throw new Error(`preferences: ${r.status} ${await r.text()}`);
    }
    db = t.app.get<Db>(dataSourceToken('notify'));
    notifications = t.app.get(NotificationService);
    await until('bound', async () => ((await health()).state === 'bound' ? true : undefined));
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await smsc?.close();
  });

  it('a reminder goes out as one GSM-7 submit_sm, field by field; its receipt marks it delivered', async () => {
    await setPhone(w.ids.A!, '0169 567 8945'); // pre-2018: now 039 567 8945
    const start = new Date(Math.ceil((Date.now() + 3600_000 + 4000) / 1000) * 1000); // 1 h reminder in ~4 s
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.as['patient.a']!.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const sent = await until('the reminder submit_sm', () => smsc.accepted[0]);
    const text = smsText('appointment-reminder', { when: start }, 'vi', 'gsm7');
    expect(text).toMatch(/^Mekong Health: Ban co lich kham luc \d\d:\d\d ngay \d\d\/\d\d\/\d{4}\./);
    expect(sent).toMatchObject({
      serviceType: '',
      sourceAddrTon: 5,
      sourceAddrNpi: 0,
      sourceAddr: SENDER,
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '84395678945',
      esmClass: 0,
      registeredDelivery: 1,
      dataCoding: 0,
    });
    expect(sent.shortMessage).toEqual(encodeSms(text, 'gsm7', 0)[0]!.bytes);
    expect(sent.shortMessage.length).toBeLessThanOrEqual(160);
    // Nothing of the booking's reason (J00, "Sổ mũi, đau họng") reaches the SMS.
    expect(sent.shortMessage.toString('latin1')).not.toMatch(/J00|mui|hong/i);

    const [part] = await until('the recorded submit_sm_resp', async () => {
      const rows = await db.query(
        `SELECT notification_id, part, parts, phone, message_id, status FROM notify.sms_message`,
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(part).toMatchObject({
      part: 1,
      parts: 1,
      phone: '+84395678945',
      message_id: sent.messageId,
      status: 'submitted',
    });
    const notificationId = String(part!.notification_id);
    expect(
      await until('submitted', async () =>
        (await smsDelivery(notificationId))?.status === 'submitted' ? true : undefined,
      ),
    ).toBe(true);

    expect(await smsc.receipt(sent.messageId!, 'DELIVRD')).toBe(0);
    await until('delivered', async () =>
      (await smsDelivery(notificationId))?.status === 'delivered' ? true : undefined,
    );
    const [after] = await db.query(
      `SELECT status, delivered_at FROM notify.sms_message WHERE message_id = $1`,
      [sent.messageId],
    );
    expect(after).toMatchObject({ status: 'delivered' });
    expect(after!.delivered_at).toBeTruthy();
    // In the record: the SMS as its own Communication, partOf the notification's, completed with
    // the words that went out; its history keeps preparation → in-progress → completed.
    const record = await until('the SMS record completed', async () => {
      const c = await smsRecord(notificationId);
      return c?.status === 'completed' ? c : undefined;
    });
    const [note] = await db.query(`SELECT communication_id FROM notify.notification WHERE id = $1`, [
      notificationId,
    ]);
    expect(record).toMatchObject({
      partOf: [{ reference: `Communication/${String(note!.communication_id)}` }],
      recipient: [{ reference: `Patient/${w.ids.A!}` }],
      medium: [
        {
          coding: expect.arrayContaining([
            { system: 'https://mekong.health/fhir/CodeSystem/notification-channel', code: 'sms' },
          ]),
        },
      ],
      payload: [{ contentString: text }],
    });
    expect(record.sent).toBeTruthy();
    expect(record.received).toBeTruthy();
    const history = await w.sys.get(`Communication/${String(record.id)}/_history`);
    const statuses = ((history.body as { entry: { resource: { status: string } }[] }).entry ?? [])
      .map((e) => e.resource.status)
      .reverse();
    expect(statuses).toEqual(['preparation', 'in-progress', 'completed']);

    // Exactly once: the job run again after the submit_sm_resp was recorded (as after a crash
    // before the job finished) submits nothing.
    await db.query(
      `UPDATE notify.delivery SET status = 'pending' WHERE notification_id = $1 AND channel = 'sms'`,
      [notificationId],
    );
    const before = smsc.submits.length;
    const { JobQueue } = await import('@mekong/notify');
    await t.app.get(JobQueue).send('notify.deliver', { notificationId, channel: 'sms' });
    // It ends as the parts say (delivered), on its second attempt, without a submit_sm.
    const rerun = await until('the re-run', async () => {
      const r = await smsDelivery(notificationId);
      return r?.attempts === 2 ? r : undefined;
    });
    expect(rerun.status).toBe('delivered');
    expect(smsc.submits.length).toBe(before);
  });

  it('an undelivered receipt fails the delivery with the SMSC’s words; the text is built from the topic only', async () => {
    const id = await notifyCancelled(w.ids.A!, new Date(Date.now() + 2 * 86400_000));
    const sent = await until('the cancellation submit_sm', () =>
      smsc.accepted.find((s) => s.shortMessage.toString('latin1').includes('da bi huy')),
    );
    expect(sent.shortMessage.toString('latin1')).not.toMatch(/phoi|Pneumonia/i);
    await until('submitted', async () =>
      (await smsDelivery(id))?.status === 'submitted' ? true : undefined,
    );
    // This SMSC writes the receipt's id in decimal, its message_id was hexadecimal.
    expect(await smsc.receipt(sent.messageId!, 'UNDELIV', '001', true)).toBe(0);
    const d = await until('failed', async () => {
      const r = await smsDelivery(id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(d.last_error).toBe('SMS part 1/1 not delivered: UNDELIV (err:001)');
    const record = await until('the SMS record stopped', async () => {
      const c = await smsRecord(id);
      return c?.status === 'stopped' ? c : undefined;
    });
    expect(record.statusReason).toEqual({ text: 'SMS part 1/1 not delivered: UNDELIV (err:001)' });
  });

  it('a receipt that overtakes the submit_sm_resp still decides the delivery (not overwritten by the job finishing)', async () => {
    smsc.receiptFirst = 'REJECTD';
    const id = await notifyCancelled(w.ids.A!, new Date(Date.now() + 2.5 * 86400_000));
    const d = await until('failed', async () => {
      const r = await smsDelivery(id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(d.last_error).toBe('SMS part 1/1 not delivered: REJECTD (err:002)');
    await sleep(700); // the job has finished: it did not turn it back into 'submitted'
    expect(await smsDelivery(id)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('ESME_RTHROTTLED: /health says throttled and the job retries until it is accepted', async () => {
    smsc.throttle = 1;
    const before = smsc.submits.length;
    const id = await notifyCancelled(w.ids.A!, new Date(Date.now() + 3 * 86400_000));
    const d = await until('the throttled attempt', async () => {
      const r = await smsDelivery(id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(d.last_error).toMatch(/ESME_RTHROTTLED/);
    expect(smsc.submits[before]?.refusedWith).toBe(0x58);
    expect((await health()).state).toBe('throttled');
    await until(
      'accepted on retry',
      async () => ((await smsDelivery(id))?.status === 'submitted' ? true : undefined),
      30000,
    );
    expect(smsc.submits.slice(before).map((s) => s.messageId !== undefined)).toEqual([false, true]);
  });

  it('an invalid number gets no SMS and its delivery says why', async () => {
    await setPhone(w.ids.B!, '0123 45');
    const before = smsc.submits.length;
    const id = await notifyCancelled(w.ids.B!, new Date(Date.now() + 4 * 86400_000));
    const d = await until('refused', async () => {
      const r = await smsDelivery(id);
      return r?.status === 'refused' ? r : undefined;
    });
    expect(d.last_error).toMatch(/phone number \*+345 is not a valid number/);
    const record = await until('the SMS record not done', async () => {
      const c = await smsRecord(id);
      return c?.status === 'not-done' ? c : undefined;
    });
    expect((record.statusReason as { text: string }).text).toMatch(/not a valid number/);
    expect(record.payload).toBeUndefined(); // nothing was sent
    await sleep(500);
    expect(smsc.submits.length).toBe(before);
  });

  it('a reply HUỶ opts the person out of that kind of SMS: recorded on them, readable through the API; other kinds still go', async () => {
    // The last SMS to A's number was a cancellation notice: HUỶ answers that kind.
    expect(await smsc.incoming('84395678945', 'Huỷ')).toBe(0);
    const sys = w.sys.token;
    const prefs = await until('the opt-out on the person', async () => {
      const r = await api(t.url, 'GET', `/notify/preferences?person=Patient/${w.ids.A!}`, sys);
      const body = (await r.json()) as { optOuts: { channel: string; topic: string; via: string }[] };
      return body.optOuts.some((o) => o.topic === 'appointment-cancelled') ? body : undefined;
    });
    expect(prefs.optOuts).toEqual([
      expect.objectContaining({ channel: 'sms', topic: 'appointment-booked', via: 'api' }),
      expect.objectContaining({ channel: 'sms', topic: 'appointment-cancelled', via: 'Huỷ' }),
    ]);
    // The patient reads it too; another patient cannot (404, as for a record they cannot see).
    const own = await api(
      t.url,
      'GET',
      `/notify/preferences?person=Patient/${w.ids.A!}`,
      w.as['patient.a']!.token,
    );
    expect(own.status).toBe(200);
    const other = await api(
      t.url,
      'GET',
      `/notify/preferences?person=Patient/${w.ids.A!}`,
      w.as['patient.b']!.token,
    );
    expect(other.status).toBe(404);
    // The number as such did not opt out of everything.
    const number = await api(t.url, 'GET', '/notify/opt-outs?phone=0395678945', sys);
    expect(await number.json()).toEqual({ phone: '+84395678945', optedOut: false });
    expect((await api(t.url, 'GET', '/notify/opt-outs?phone=abc', sys)).status).toBe(400);
    expect(
      (await api(t.url, 'GET', '/notify/opt-outs?phone=0395678945', w.as['patient.a']!.token)).status,
    ).toBe(403);
    // Any other reply is only acknowledged.
    expect(await smsc.incoming('84912345678', 'Cam on')).toBe(0);
    expect(
      (await (await api(t.url, 'GET', '/notify/opt-outs?phone=0912345678', sys)).json()) as object,
    ).toMatchObject({ optedOut: false });

    // No further cancellation by SMS (A has no email: nothing else to fall back to)...
    const before = smsc.submits.length;
    const id = await notifyCancelled(w.ids.A!, new Date(Date.now() + 5 * 86400_000));
    await sleep(1500);
    expect(await smsDelivery(id)).toBeUndefined(); // not offered to the SMS channel
    expect(smsc.submits.length).toBe(before);
    // ...while a reminder, another kind, still goes.
    const start = new Date(Math.ceil((Date.now() + 24 * 3600_000 + 3000) / 1000) * 1000); // its 24 h reminder in ~3 s
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.as['patient.a']!.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const reminder = await until('the reminder', () =>
      smsc.submits
        .slice(before)
        .find((x) => x.messageId && x.shortMessage.toString('latin1').includes('Ban co lich kham')),
    );
    expect(reminder.destinationAddr).toBe('84395678945');

    // A HUY from a number never written to opts that number out of every SMS.
    expect(await smsc.incoming('84977000111', 'HUY')).toBe(0);
    const stranger = await until('the number opted out', async () => {
      const r = (await (await api(t.url, 'GET', '/notify/opt-outs?phone=0977000111', sys)).json()) as {
        optedOut: boolean;
      };
      return r.optedOut ? r : undefined;
    });
    expect(stranger).toMatchObject({ phone: '+84977000111', optedOut: true, keyword: 'HUY' });
    await db.query(`DELETE FROM notify.opt_out WHERE topic = 'appointment-cancelled'`);
  });

  it('a refused bind shows in /health and loses nothing: the delivery waits and goes out once the bind succeeds', async () => {
    await setPhone(w.ids.B!, '+84 912 345 678');
    smsc.password = 'rotated-password';
    smsc.dropSessions();
    await until('refused', async () => ((await health()).state === 'refused' ? true : undefined));
    const h = await health();
    expect(h.status).toBe('down');
    expect(smsc.binds.at(-1)).toMatchObject({
      systemId: SYSTEM_ID,
      password: PASSWORD,
      command: 'bind_transceiver',
      accepted: false,
    });
    const before = smsc.submits.length;
    const id = await notifyCancelled(w.ids.B!, new Date(Date.now() + 6 * 86400_000));
    const d = await until('failed while refused', async () => {
      const r = await smsDelivery(id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(d.last_error).toMatch(/not bound \(refused/);
    expect(smsc.submits.length).toBe(before);
    smsc.password = PASSWORD; // the operator fixes it at the SMSC's end
    await until('bound again', async () => ((await health()).state === 'bound' ? true : undefined));
    await until(
      'sent after the bind',
      async () => ((await smsDelivery(id))?.status === 'submitted' ? true : undefined),
      30000,
    );
    expect(smsc.accepted.filter((s) => s.destinationAddr === '84912345678')).toHaveLength(1);
  });

  it('a long UCS-2 message goes as concatenated parts behind the UDH (the link on its own)', async () => {
    const logger = new Logger('test');
    const link = new SmppLink(
      {
        host: '127.0.0.1',
        port: smsc.port,
        systemId: SYSTEM_ID,
        password: PASSWORD,
        sender: SENDER,
        encoding: 'ucs2',
        window: 2,
        reconnectMaxSeconds: 0.4,
      },
      logger,
      () => Promise.resolve(0),
    );
    link.start();
    try {
      const text = smsText('appointment-reminder', { when: new Date('2026-12-12T01:30:00Z') }, 'vi', 'ucs2');
      const parts = encodeSms(text, 'ucs2', 0x2a);
      expect(parts).toHaveLength(2);
      const before = smsc.submits.length;
      const ids = await Promise.all(parts.map((p) => link.submit('84912345678', p)));
      const got = smsc.submits.slice(before);
      expect(got.map((s) => s.messageId).sort()).toEqual([...ids].sort());
      for (const [i, s] of got.sort((a, b) => a.shortMessage[5]! - b.shortMessage[5]!).entries()) {
        expect(s).toMatchObject({
          esmClass: 0x40,
          dataCoding: 8,
          destinationAddr: '84912345678',
          registeredDelivery: 1,
        });
        expect([...s.shortMessage.subarray(0, 6)]).toEqual([0x05, 0x00, 0x03, 0x2a, 2, i + 1]);
        expect(s.shortMessage).toEqual(parts[i]!.bytes);
      }
      const joined = Buffer.concat(got.map((s) => s.shortMessage.subarray(6)))
        .swap16()
        .toString('utf16le');
      expect(joined).toBe(text);
    } finally {
      await link.close();
    }
  });
});
