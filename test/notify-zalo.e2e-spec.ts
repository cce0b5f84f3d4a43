import { PlatformModule } from '../apps/platform/src/platform.module';
import { HealthRegistry } from '@mekong/common';
import type { NotificationTopic } from '@mekong/contracts';
import { dataSourceToken } from '@mekong/database';
import { FhirStore } from '@mekong/health-record';
import { NotificationService } from '@mekong/notify';
import type { DataSource } from 'typeorm';
import type { OutgoingNotification } from '../libs/notify/src/channels/channel';
import { ZaloZnsChannel, ZnsError } from '../libs/notify/src/channels/zalo.channel';
import { ZaloRepository } from '../libs/notify/src/zalo/zalo.repository';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { StandInZns } from './support/zns';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

const APP_ID = '1234567890123456789';
const SECRET = 'zalo-app-secret-key';
const SEED = 'RT-first-refresh-token-from-the-operator';
const TEMPLATES = { reminder: '301001', cancelled: '301002' };
const CLINICAL = /viêm|phổi|pneumonia|J18|sốt|fever|lý do|reason/i;

/**
 * The Zalo (ZNS) channel against a stand-in of Zalo's API and OAuth on loopback
 * (test/support/zns.ts, which checks each request's documented shape). Most cases drive the
 * channel directly (each notification a real one, recorded by NotificationService), so that a
 * process (a channel instance) and Zalo's answers are the test's to choose; the last goes through
 * NotificationService: PUT /notify/preferences with zaloOptIn, and a person without it gets no Zalo.
 */
describe('notify: Zalo Notification Service', () => {
  let zns: StandInZns;
  let t: TestApp;
  let w: SchedulingWorld;
  let db: DataSource;
  let registry: HealthRegistry;
  let zalo: ZaloZnsChannel;

  const health = (r = registry): Promise<Record<string, unknown>> =>
    r
      .all()
      .find((c) => c.name === 'zalo')!
      .check() as Promise<Record<string, unknown>>;
  const channel = (config = t.config): { channel: ZaloZnsChannel; registry: HealthRegistry } => {
    const reg = new HealthRegistry();
    const c = new ZaloZnsChannel(config, t.app.get(FhirStore), new ZaloRepository(db), reg);
    c.onApplicationBootstrap();
    return { channel: c, registry: reg };
  };

  /** A notification about a new appointment, clinical words in its own text; the outgoing form and the start. */
  let seq = 0;
  const notification = async (
    patient: string,
    topic: NotificationTopic,
    phone: string,
  ): Promise<{ n: OutgoingNotification; start: Date }> => {
    const start = new Date(Math.ceil((Date.now() + (2 + seq) * 86400_000) / 60_000) * 60_000);
    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, start);
    const appt = await w.sys.post('Appointment', appointmentBody(slot, patient, w.ids.doctor!));
    expect(appt.status).toBe(201);
    const key = `zalo-test:${++seq}`;
    const about = `Appointment/${String(appt.body.id)}`;
    const title = 'Tái khám viêm phổi / Pneumonia follow-up';
    const text = {
      vi: 'Lý do khám: sốt cao, viêm phổi (J18.9)',
      en: 'Reason: high fever, pneumonia (J18.9)',
    };
    await db.transaction((em) =>
      t.app.get(NotificationService).notify(em, {
        dedupKey: key,
        topic,
        recipient: `Patient/${patient}`,
        subject: `Patient/${patient}`,
        about,
        title,
        text,
      }),
    );
    const [row] = (await db.query(`SELECT id, created_at FROM notify.notification WHERE dedup_key = $1`, [
      key,
    ])) as { id: string; created_at: Date }[];
    return {
      n: {
        id: String(row!.id),
        topic,
        recipient: `Patient/${patient}`,
        subject: `Patient/${patient}`,
        about,
        title,
        text,
        contact: { phone },
        createdAt: new Date(row!.created_at).toISOString(),
      },
      start,
    };
  };
  const vnTime = (d: Date): string => {
    const v = new Date(d.getTime() + 7 * 3600_000);
    const p = (x: number): string => String(x).padStart(2, '0');
    return `${p(v.getUTCHours())}:${p(v.getUTCMinutes())} ${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()}`;
  };
  const sendsFor = (id: string): StandInZns['sends'] =>
    zns.sends.filter((s) => s.body.tracking_id === `mekong-${id}`);

  beforeAll(async () => {
    zns = await StandInZns.start(APP_ID, SECRET, SEED);
    t = await startApp(PlatformModule.register, {
      JOB_POLL_SECONDS: '0.5',
      ZALO_APP_ID: APP_ID,
      ZALO_SECRET_KEY: SECRET,
      ZALO_REFRESH_TOKEN: SEED,
      ZALO_API_URL: zns.url,
      ZALO_OAUTH_URL: `${zns.url}/`,
      ZALO_TEMPLATES: `appointment-reminder=${TEMPLATES.reminder},appointment-cancelled=${TEMPLATES.cancelled}`,
    });
    w = await schedulingWorld(t);
    db = t.app.get<DataSource>(dataSourceToken('notify'));
    ({ channel: zalo, registry } = channel());
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await zns?.close();
  });
  afterEach(() => {
    // Every request the channel made had the documented shape.
    if (zns.problems.length > 0) throw new Error(`requests Zalo would reject: ${zns.problems.join('; ')}`);
  });

  it('reads its settings: the topics with a template, Zalo’s endpoints by default', () => {
    expect(t.config.zalo).toMatchObject({
      appId: APP_ID,
      apiUrl: zns.url,
      oauthUrl: zns.url,
      templates: { 'appointment-reminder': TEMPLATES.reminder, 'appointment-cancelled': TEMPLATES.cancelled },
    });
  });

  it('sends a reminder with the time, the name and a code only; records its msg_id; a re-run sends nothing', async () => {
    expect(await health()).toMatchObject({ status: 'up', state: 'ready' });
    const { n, start } = await notification(w.ids.A!, 'appointment-reminder', '0912 345 678');
    expect(zalo.accepts(n)).toBe(true);
    expect(zalo.accepts({ ...n, contact: {} })).toBe(false);
    expect(zalo.accepts({ ...n, topic: 'immunization-reminder' })).toBe(false); // no template for it

    const outcome = await zalo.deliver(n);
    expect(outcome).toMatchObject({ status: 'delivered' });

    // First use: the operator's refresh token was spent for the first access token.
    expect(zns.refreshes).toEqual([{ refreshToken: SEED, ok: true }]);
    const [send, ...more] = sendsFor(n.id);
    expect(more).toEqual([]);
    expect(send!.body).toEqual({
      phone: '84912345678',
      template_id: TEMPLATES.reminder,
      template_data: { name: 'An', time: vnTime(start), code: `MH${n.id}` },
      tracking_id: `mekong-${n.id}`,
    });
    expect(JSON.stringify(send!.body)).not.toMatch(CLINICAL);
    expect((outcome as { sent: string }).sent).not.toMatch(CLINICAL);

    const msgId = (send!.answer.data as { msg_id: string }).msg_id;
    const [row] = await db.query(
      `SELECT phone, template_id, msg_id FROM notify.zalo_message WHERE notification_id = $1`,
      [n.id],
    );
    expect(row).toEqual({ phone: '84912345678', template_id: TEMPLATES.reminder, msg_id: msgId });

    // The tokens are stored, never in clear.
    const [tokens] = (await db.query(`SELECT * FROM notify.zalo_token`)) as Record<string, unknown>[];
    const stored = JSON.stringify(tokens);
    expect(stored).not.toContain(String(send!.headers.access_token));
    expect(stored).not.toContain(zns.currentRefreshToken);
    expect(stored).not.toContain(SEED);

    // Run again (a crash before the job's finish): nothing sent.
    expect(await zalo.deliver(n)).toMatchObject({ status: 'delivered' });
    // Another process (a new channel) also finds it, and the stored access token works without a refresh.
    const other = channel().channel;
    expect(await other.deliver(n)).toMatchObject({ status: 'delivered' });
    expect(sendsFor(n.id)).toHaveLength(1);
    expect(zns.refreshes).toHaveLength(1);
    expect(await health()).toMatchObject({ status: 'up', state: 'ready', quota: { daily: 500 } });
  });

  it('an expired access token (-124): refreshed once with the rotating refresh token, the message sent once more', async () => {
    const { n } = await notification(w.ids.B!, 'appointment-cancelled', '+84 98 765 4321');
    const spent = zns.currentRefreshToken;
    zns.expireAccessTokens();
    // Two at once: one refresh between them (the refresh token is single-use).
    const second = await notification(w.ids.A!, 'appointment-cancelled', '0912345678');
    const [a, b] = await Promise.all([zalo.deliver(n), zalo.deliver(second.n)]);
    expect(a).toMatchObject({ status: 'delivered' });
    expect(b).toMatchObject({ status: 'delivered' });
    expect(zns.refreshes.slice(1)).toEqual([{ refreshToken: spent, ok: true }]);
    // Each sent once; whichever tried with the expired token first saw -124 (the other may have
    // started after the refresh and used the new token straight away).
    const errors = [n.id, second.n.id].map((id) => sendsFor(id).map((s) => s.answer.error));
    for (const e of errors) expect([[-124, 0], [0]]).toContainEqual(e);
    expect(errors.flat()).toContain(-124);
    const tokens = new Set(
      zns.sends
        .filter((s) => s.answer.error === 0)
        .slice(-2)
        .map((s) => s.headers.access_token),
    );
    expect(tokens.size).toBe(1);
    expect(sendsFor(n.id).at(-1)!.body).toMatchObject({
      phone: '84987654321',
      template_data: { name: 'Bình' },
    });

    // A new process finds the newest pair stored and uses it: the spent refresh token is never sent again.
    zns.expireAccessTokens();
    const third = await notification(w.ids.B!, 'appointment-reminder', '0987654321');
    expect(await channel().channel.deliver(third.n)).toMatchObject({ status: 'delivered' });
    expect(zns.refreshes.map((r) => r.ok)).toEqual([true, true, true]);
    expect(new Set(zns.refreshes.map((r) => r.refreshToken)).size).toBe(3);
  });

  it('a phone number Zalo calls invalid (-108) is refused with the reason, masked; one that is not a number never leaves', async () => {
    zns.invalidPhones.add('84911222333');
    const { n } = await notification(w.ids.A!, 'appointment-reminder', '0911 222 333');
    const outcome = await zalo.deliver(n);
    expect(outcome).toEqual({
      status: 'refused',
      reason: expect.stringMatching(
        /\*+333: the phone number is not valid for Zalo \(ZNS error -108/,
      ) as string,
    });
    expect(JSON.stringify(outcome)).not.toContain('911222333');
    expect(await db.query(`SELECT 1 FROM notify.zalo_message WHERE notification_id = $1`, [n.id])).toEqual(
      [],
    );
    expect(await health()).toMatchObject({ state: 'ready' });

    const before = zns.sends.length;
    const bad = await notification(w.ids.A!, 'appointment-reminder', '0123 45');
    expect(await zalo.deliver(bad.n)).toMatchObject({ status: 'refused' });
    // ZNS reaches Vietnamese numbers only.
    const abroad = await notification(w.ids.A!, 'appointment-reminder', '+1 202 555 0143');
    expect(await zalo.deliver(abroad.n)).toEqual({
      status: 'refused',
      reason: expect.stringContaining('is not a Vietnamese number') as string,
    });
    expect(zns.sends.length).toBe(before);
  });

  it('out of quota (-144): thrown for a retry, /health says so; the retry sends it once', async () => {
    zns.quotaExceeded = 1;
    const { n } = await notification(w.ids.B!, 'appointment-reminder', '0987654321');
    await expect(zalo.deliver(n)).rejects.toMatchObject({ code: -144 });
    await expect(zalo.deliver(n)).resolves.toMatchObject({ status: 'delivered' });
    expect(sendsFor(n.id).map((s) => s.answer.error)).toEqual([-144, 0]);
    expect(await health()).toMatchObject({ status: 'up', state: 'ready' });
  });

  it('/health while out of quota, and when Zalo refuses the refresh token', async () => {
    zns.quotaExceeded = 1;
    const { n } = await notification(w.ids.A!, 'appointment-reminder', '0912345678');
    await expect(zalo.deliver(n)).rejects.toBeInstanceOf(ZnsError);
    expect(await health()).toMatchObject({
      status: 'degraded',
      state: 'quota',
      error: expect.stringContaining('-144') as string,
    });

    zns.refuseRefresh = true;
    zns.expireAccessTokens();
    await expect(zalo.deliver(n)).rejects.toThrow(/Zalo OAuth refused the refresh: -14014/);
    const h = await health();
    expect(h).toMatchObject({ status: 'down', state: 'token-refused' });
    expect(JSON.stringify(h)).not.toContain(zns.currentRefreshToken);
    zns.refuseRefresh = false;
    await expect(zalo.deliver(n)).resolves.toMatchObject({ status: 'delivered' });
    expect(await health()).toMatchObject({ status: 'up', state: 'ready' });
  });

  it('ZALO_TEMPLATES naming a topic that does not exist stops the channel from being made', () => {
    expect(() =>
      channel({ ...t.config, zalo: { ...t.config.zalo!, templates: { 'appointment-remider': '1' } } }),
    ).toThrow('ZALO_TEMPLATES names topics that do not exist: appointment-remider');
  });

  describe('through NotificationService, for those who opted in', () => {
    const setPhone = async (patient: string, phone: string): Promise<void> => {
      const current = await w.sys.get(`Patient/${patient}`);
      const r = await w.sys.put(`Patient/${patient}`, {
        ...current.body,
        telecom: [{ system: 'phone', value: phone, use: 'mobile' }],
      });
      expect(r.status).toBe(200);
    };
    const zaloDelivery = async (id: string): Promise<Record<string, unknown> | undefined> =>
      (
        (await db.query(
          `SELECT status, last_error FROM notify.delivery WHERE notification_id = $1 AND channel = 'zalo'`,
          [id],
        )) as Record<string, unknown>[]
      )[0];

    it('a patient who opted in gets the reminder by Zalo, recorded with its msg_id; one who did not gets no Zalo', async () => {
      await setPhone(w.ids.A!, '0912 345 678');
      await setPhone(w.ids.B!, '0987 654 321');
      const put = (who: 'a' | 'b', body: Record<string, unknown>): Promise<Response> =>
        api(t.url, 'PUT', '/notify/preferences', w.as[`patient.${who}`]!.token, body);
      // Quiet hours off: the test may run at night in Viet Nam.
      const optIn = await put('a', {
        person: `Patient/${w.ids.A}`,
        channels: ['zalo', 'sms'],
        zaloOptIn: true,
        quietHours: false,
      });
      expect(optIn.status).toBe(200);
      // Zalo as a channel without the opt-in is refused; B keeps the defaults (never Zalo).
      const noOptIn = await put('b', { person: `Patient/${w.ids.B}`, channels: ['zalo', 'sms'] });
      expect(noOptIn.status).toBe(400);
      expect(await noOptIn.json()).toMatchObject({ code: 'NOTIFY.ZALO_NOT_OPTED_IN' });
      expect((await put('b', { person: `Patient/${w.ids.B}`, quietHours: false })).status).toBe(200);

      const a = await notification(w.ids.A!, 'appointment-reminder', 'unused');
      const b = await notification(w.ids.B!, 'appointment-reminder', 'unused');
      const row = await until('the Zalo delivery', async () => {
        const d = await zaloDelivery(a.n.id);
        return d?.status === 'delivered' ? d : undefined;
      });
      expect(row.last_error).toBeNull();
      const [send, ...more] = sendsFor(a.n.id);
      expect(more).toEqual([]);
      expect(send!.body).toEqual({
        phone: '84912345678',
        template_id: TEMPLATES.reminder,
        template_data: { name: 'An', time: vnTime(a.start), code: `MH${a.n.id}` },
        tracking_id: `mekong-${a.n.id}`,
      });
      const [msg] = await db.query(`SELECT msg_id FROM notify.zalo_message WHERE notification_id = $1`, [
        a.n.id,
      ]);
      expect(msg).toEqual({ msg_id: (send!.answer.data as { msg_id: string }).msg_id });

      // B did not opt in: no Zalo delivery is planned, nothing goes to Zalo.
      await sleep(1500);
      expect(await zaloDelivery(b.n.id)).toBeUndefined();
      expect(sendsFor(b.n.id)).toEqual([]);

      const h = (await (await fetch(`${t.url}/health`)).json()) as { components: Record<string, unknown> };
      expect(h.components.zalo).toMatchObject({ status: 'up', state: 'ready' });

      // A withdraws the opt-in: the next message does not go to Zalo.
      const out = await put('a', { person: `Patient/${w.ids.A}`, channels: ['sms'], zaloOptIn: false });
      expect(out.status).toBe(200);
      const later = await notification(w.ids.A!, 'appointment-reminder', 'unused');
      await sleep(1500);
      expect(await zaloDelivery(later.n.id)).toBeUndefined();
      expect(sendsFor(later.n.id)).toEqual([]);
    });
  });

  it('unset: off on /health, accepts nothing, sends nothing', async () => {
    const { channel: off, registry: reg } = channel({ ...t.config, zalo: undefined });
    const { n } = await notification(w.ids.A!, 'appointment-reminder', '0912345678');
    expect(await health(reg)).toMatchObject({ status: 'up', state: 'off' });
    expect(off.accepts(n)).toBe(false);
    expect(await off.deliver(n)).toMatchObject({ status: 'refused' });
  });
});
