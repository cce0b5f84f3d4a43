import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { HealthRegistry, type SmtpConfig } from '@mekong/common';
import { dataSourceToken } from '@mekong/database';
import { FhirStore } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import type { NotificationTopic } from '@mekong/contracts';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { SmtpEmailChannel } from '../libs/notify/src/channels/email.channel';
import type { OutgoingNotification } from '../libs/notify/src/channels/channel';
import { EmailRepository } from '../libs/notify/src/email/email.repository';
import { StandInSmtp } from './support/smtp';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

const SMTP_USER = 'thong-bao@mekong.test';
const SMTP_PASSWORD = 'smtp-secret';
const FROM = 'thong-bao@mekong.test';
const CLINICAL = /viêm|phổi|pneumonia|J18|sốt|fever|lý do|reason/i;

interface Db {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  transaction<T>(
    run: (em: { query(sql: string, p?: unknown[]): Promise<unknown> }) => Promise<T>,
  ): Promise<T>;
}

/**
 * Email over SMTP against a real SMTP server on loopback (the `smtp-server` package,
 * test/support/smtp.ts, which decodes what it receives by hand): what the server received —
 * envelope, headers, text and HTML parts, Vietnamese intact, nothing clinical; the job run again
 * after the server accepted sends nothing; a recipient refused with 550 is `refused` with the
 * server's words and not retried; a server answering 421 and closing is retried and gets the email
 * once; /health follows.
 */
describe('notify: email over SMTP', () => {
  let smtp: StandInSmtp;
  let t: TestApp;
  let w: SchedulingWorld;
  let db: Db;
  let notifications: NotificationService;

  const health = async (): Promise<Record<string, unknown>> => {
    const res = await fetch(`${t.url}/health`);
    return (
      ((await res.json()) as { components: Record<string, Record<string, unknown>> }).components.email ?? {}
    );
  };
  const emailDelivery = async (notificationId: string): Promise<Record<string, unknown> | undefined> =>
    (
      await db.query(
        `SELECT status, attempts, last_error FROM notify.delivery WHERE notification_id = $1 AND channel = 'email'`,
        [notificationId],
      )
    )[0];
  const setEmail = async (patient: string, email: string): Promise<void> => {
    const current = await w.sys.get(`Patient/${patient}`);
    const r = await w.sys.put(`Patient/${patient}`, {
      ...current.body,
      telecom: [{ system: 'email', value: email }],
    });
    expect(r.status).toBe(200);
  };
  /** A notification about a new appointment, with clinical words in its own text; its id and the start. */
  let seq = 0;
  const notify = async (
    patient: string,
    topic: NotificationTopic,
    daysAhead: number,
  ): Promise<{ id: string; start: Date }> => {
    const start = new Date(Math.ceil((Date.now() + daysAhead * 86400_000) / 60_000) * 60_000);
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.sys.post('Appointment', appointmentBody(slot, patient, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const key = `email-test:${++seq}`;
    await db.transaction((em) =>
      notifications.notify(em as never, {
        dedupKey: key,
        topic,
        recipient: `Patient/${patient}`,
        subject: `Patient/${patient}`,
        about: `Appointment/${String(appt.body.id)}`,
        title: 'Tái khám viêm phổi / Pneumonia follow-up',
        text: { vi: 'Lý do khám: sốt cao, viêm phổi (J18.9)', en: 'Reason: high fever, pneumonia (J18.9)' },
      }),
    );
    const [row] = await db.query(`SELECT id FROM notify.notification WHERE dedup_key = $1`, [key]);
    return { id: String(row!.id), start };
  };
  const vnTime = (d: Date): { hm: string; dmy: string } => {
    const v = new Date(d.getTime() + 7 * 3600_000);
    const p = (n: number): string => String(n).padStart(2, '0');
    return {
      hm: `${p(v.getUTCHours())}:${p(v.getUTCMinutes())}`,
      dmy: `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`,
    };
  };

  beforeAll(async () => {
    smtp = await StandInSmtp.start(SMTP_USER, SMTP_PASSWORD);
    t = await startApp(PlatformModule.register, {
      JOB_POLL_SECONDS: '0.5',
      SMTP_URL: smtp.url(),
      MAIL_FROM: `Mekong Health <${FROM}>`,
    });
    w = await schedulingWorld(t);
    // These cases look at one notice each: the booking confirmation every appointment they create
    // also sends is opted out of (a person's preference, through the API).
    for (const id of [w.ids.A!, w.ids.B!]) {
      const r = await api(t.url, 'PUT', '/notify/preferences', w.sys.token, {
        person: `Patient/${id}`,
        optOuts: [{ channel: 'email', topic: 'appointment-booked' }],
      });
      if (r.status !== 200) throw new Error(`preferences: ${r.status} ${await r.text()}`);
    }
    db = t.app.get<Db>(dataSourceToken('notify'));
    notifications = t.app.get(NotificationService);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await smtp?.close();
  });

  it('sends a cancellation as text and HTML, Vietnamese then English, built from the topic and time only', async () => {
    expect(await health()).toMatchObject({ status: 'up', state: 'ready' });
    await setEmail(w.ids.A!, 'nguyen.van.an@example.vn');
    const { id, start } = await notify(w.ids.A!, 'appointment-cancelled', 2);
    const mail = await until('the email', () => smtp.to('nguyen.van.an@example.vn')[0]);

    expect(mail.mailFrom).toBe(FROM);
    expect(mail.rcptTo).toEqual(['nguyen.van.an@example.vn']);
    expect(mail.user).toBe(SMTP_USER);
    const h = mail.headers;
    expect(h.from).toBe(`Mekong Health <${FROM}>`);
    expect(h.to).toBe('nguyen.van.an@example.vn');
    expect(h.subject).toBe('Mekong Health: Lịch khám đã bị huỷ / Appointment cancelled');
    expect(h['message-id']).toMatch(new RegExp(`^<notification\\.${id}\\.[0-9a-z]+@mekong\\.test>$`));
    expect(h['auto-submitted']).toBe('auto-generated');
    expect(h['content-language']).toBe('vi, en');
    expect(h['content-type']).toMatch(/^multipart\/alternative;/);

    const { hm, dmy } = vnTime(start);
    const vi = `Lịch khám lúc ${hm} ngày ${dmy} (giờ Việt Nam) của bạn đã bị huỷ. Xem chi tiết trong ứng dụng.`;
    const en = `Your appointment at ${hm} on ${dmy} (Vietnam time) was cancelled. See the app for details.`;
    expect(mail.text).toBeDefined();
    expect(mail.text!.indexOf(vi)).toBeGreaterThanOrEqual(0);
    expect(mail.text!.indexOf(en)).toBeGreaterThan(mail.text!.indexOf(vi));
    expect(mail.text).toContain('Mở ứng dụng: http://mekong.test');
    expect(mail.html).toContain(`<div lang="vi"><p>${vi}</p>`);
    expect(mail.html).toContain(`<div lang="en"><p>${en}</p>`);
    expect(mail.html).toContain('<a href="http://mekong.test">Mở ứng dụng</a>');
    for (const part of [h.subject, mail.text, mail.html]) expect(part).not.toMatch(CLINICAL);

    // Delivered; the Message-ID the server got is recorded with the server's answer.
    await until('delivered', async () =>
      (await emailDelivery(id))?.status === 'delivered' ? true : undefined,
    );
    const [row] = await db.query(
      `SELECT address, message_id, response FROM notify.email_message WHERE notification_id = $1`,
      [id],
    );
    expect(row).toMatchObject({ address: 'nguyen.van.an@example.vn', message_id: h['message-id'] });
    expect(row!.response).toMatch(/^250 .*queued as STANDIN/);
    expect(await health()).toMatchObject({ status: 'up', state: 'ready' });
  });

  it('the job run again after the server accepted sends nothing', async () => {
    const { id } = await notify(w.ids.A!, 'appointment-reminder', 3);
    await until('delivered', async () =>
      (await emailDelivery(id))?.status === 'delivered' ? true : undefined,
    );
    const before = smtp.received.length;
    expect(smtp.received.at(-1)!.headers.subject).toBe(
      'Mekong Health: Nhắc lịch khám / Appointment reminder',
    );
    // As after a crash between the server's 250 and the job's finish: the delivery still pending.
    await db.query(
      `UPDATE notify.delivery SET status = 'pending' WHERE notification_id = $1 AND channel = 'email'`,
      [id],
    );
    await t.app.get(JobQueue).send('notify.deliver', { notificationId: id, channel: 'email' });
    const rerun = await until('the re-run', async () => {
      const r = await emailDelivery(id);
      return r?.attempts === 2 ? r : undefined;
    });
    expect(rerun.status).toBe('delivered');
    await sleep(500);
    expect(smtp.received.length).toBe(before);
  });

  it('a recipient the server refuses with 550 is refused with the server’s words, and not retried', async () => {
    smtp.rejectRecipients.add('khong-ton-tai@example.vn');
    await setEmail(w.ids.B!, 'khong-ton-tai@example.vn');
    const { id } = await notify(w.ids.B!, 'appointment-cancelled', 4);
    const d = await until('refused', async () => {
      const r = await emailDelivery(id);
      return r?.status === 'refused' ? r : undefined;
    });
    expect(d.last_error).toMatch(
      /^the SMTP server refused k\*\*\*@example\.vn: 550 5\.1\.1 .*Recipient address rejected/,
    );
    expect(d.last_error).not.toContain('khong-ton-tai'); // the server's reply echoed it: masked
    expect(d.attempts).toBe(1);
    await sleep(6500); // past the job queue's first retry delay (5 s)
    expect(await emailDelivery(id)).toMatchObject({ status: 'refused', attempts: 1 });
    expect(smtp.events.filter((e) => e.kind === 'refused-rcpt')).toHaveLength(1);
    expect(smtp.to('khong-ton-tai@example.vn')).toHaveLength(0);
    // The server works: a refused address does not make the channel failing.
    expect((await health()).state).toBe('ready');
  });

  it('a server answering 421 and closing: /health says failing, the job retries, the email arrives once', async () => {
    await setEmail(w.ids.B!, 'tran.thi.binh@example.vn');
    smtp.refuseConnections = 1;
    const { id } = await notify(w.ids.B!, 'waitlist-offer', 5);
    const d = await until('the refused attempt', async () => {
      const r = await emailDelivery(id);
      return r?.status === 'failed' ? r : undefined;
    });
    expect(d.last_error).toMatch(/421/);
    const h = await health();
    expect(h).toMatchObject({ status: 'degraded', state: 'failing' });
    expect(h.error).toMatch(/421 .*Service not available/);
    expect(h.fix).toMatch(/SMTP_URL/);
    expect(smtp.events.filter((e) => e.kind === 'refused-connect')).toHaveLength(1);
    await until(
      'delivered on retry',
      async () => ((await emailDelivery(id))?.status === 'delivered' ? true : undefined),
      30000,
    );
    expect(await emailDelivery(id)).toMatchObject({ attempts: 2, last_error: null });
    expect(smtp.to('tran.thi.binh@example.vn')).toHaveLength(1);
    expect(smtp.to('tran.thi.binh@example.vn')[0]!.headers.subject).toBe(
      'Mekong Health: Có lịch khám trống / An appointment time is free',
    );
    expect((await health()).state).toBe('ready');
  });
  it('a real reminder of a booking, to a patient whose record prefers English: English first, nothing of the reason', async () => {
    const current = await w.sys.get(`Patient/${w.ids.A!}`);
    const put = await w.sys.put(`Patient/${w.ids.A!}`, {
      ...current.body,
      telecom: [{ system: 'email', value: 'an.nguyen@example.vn' }],
      communication: [
        { language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'vi' }] } },
        { language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en' }] }, preferred: true },
      ],
    });
    expect(put.status).toBe(200);
    const start = new Date(Math.ceil((Date.now() + 3600_000 + 4000) / 1000) * 1000); // 1 h reminder in ~4 s
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.as['patient.a']!.post('Appointment', appointmentBody(slot, w.ids.A!, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const mail = await until('the reminder email', () => smtp.to('an.nguyen@example.vn')[0]);
    expect(mail.headers.subject).toBe('Mekong Health: Appointment reminder / Nhắc lịch khám');
    expect(mail.headers['content-language']).toBe('en, vi');
    const { hm, dmy } = vnTime(start);
    const [en, vi] = mail.text!.split('\n---\n');
    expect(en).toContain(`You have an appointment at ${hm} on ${dmy} (Vietnam time).`);
    expect(vi).toContain(`Bạn có lịch khám lúc ${hm} ngày ${dmy} (giờ Việt Nam).`);
    expect(mail.html).toMatch(/<html lang="en">/);
    // The booking's reason (J00, "Sổ mũi, đau họng") reaches neither part nor the subject.
    for (const part of [mail.headers.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/J00|mũi|họng|runny|throat/i);
      expect(part).not.toMatch(CLINICAL);
    }
  });

  describe('the channel on its own, against servers that do not answer as they should', () => {
    const n: OutgoingNotification = {
      id: '999999999',
      topic: 'appointment-reminder',
      recipient: 'Patient/none',
      title: 'x',
      text: { vi: 'x', en: 'x' },
      contact: { email: 'le.van.cuong@example.vn' },
      createdAt: new Date().toISOString(),
    };
    const channelWith = (
      smtp: Partial<SmtpConfig>,
    ): { channel: SmtpEmailChannel; registry: HealthRegistry } => {
      const registry = new HealthRegistry();
      const channel = new SmtpEmailChannel(
        { ...t.config, smtp: { ...t.config.smtp!, timeoutSeconds: 0.5, ...smtp } },
        t.app.get(FhirStore),
        t.app.get(EmailRepository),
        registry,
      );
      channel.onApplicationBootstrap();
      return { channel, registry };
    };
    const emailHealth = (registry: HealthRegistry): Promise<Record<string, unknown>> =>
      registry
        .all()
        .find((c) => c.name === 'email')!
        .check() as Promise<Record<string, unknown>>;

    it('without SMTP_URL and MAIL_FROM: off on /health, accepts nothing, sends nothing', async () => {
      const registry = new HealthRegistry();
      const off = new SmtpEmailChannel(
        { ...t.config, smtp: undefined },
        t.app.get(FhirStore),
        t.app.get(EmailRepository),
        registry,
      );
      off.onApplicationBootstrap();
      expect(await emailHealth(registry)).toMatchObject({ status: 'up', state: 'off' });
      expect(off.accepts(n)).toBe(false);
      expect(await off.deliver(n)).toEqual({
        status: 'refused',
        reason: 'email is off (SMTP_URL and MAIL_FROM unset)',
      });
      off.onApplicationShutdown();
    });

    it('connection refused: thrown for the job queue to retry, never refused; /health failing', async () => {
      const closed = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const port = (s.address() as AddressInfo).port;
          s.close(() => resolve(port));
        });
      });
      const { channel, registry } = channelWith({ port: closed });
      try {
        await expect(channel.deliver(n)).rejects.toThrow(/ECONNREFUSED/);
        const h = await emailHealth(registry);
        expect(h).toMatchObject({ status: 'degraded', state: 'failing' });
        expect(h.error).toMatch(/^ESOCKET: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
      } finally {
        channel.onApplicationShutdown();
      }
    });

    it('a server that never greets: a timeout, thrown for retry', async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((sock) => void sockets.push(sock));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { channel } = channelWith({ port: (silent.address() as AddressInfo).port });
      try {
        const started = Date.now();
        await expect(channel.deliver(n)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(channel.state).toBe('failing');
      } finally {
        channel.onApplicationShutdown();
        for (const sock of sockets) sock.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it('a wrong password shows on /health at boot, before any email; sending is retried, not refused', async () => {
      const { channel, registry } = channelWith({ password: 'wrong-password' });
      try {
        const h = await until('failing at boot', async () => {
          const r = await emailHealth(registry);
          return r.state === 'failing' ? r : undefined;
        });
        expect(h.error).toMatch(/^EAUTH: 535 /);
        await expect(channel.deliver(n)).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
        expect(
          await db.query(`SELECT 1 FROM notify.email_message WHERE notification_id = $1`, [n.id]),
        ).toEqual([]);
      } finally {
        channel.onApplicationShutdown();
      }
    });
  });
});
