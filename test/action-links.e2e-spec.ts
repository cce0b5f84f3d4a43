import { dataSourceToken } from '@mekong/database';
import { AppointmentActionLinks, SCHEDULING_CONTEXT } from '@mekong/scheduling';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { api, startApp, type TestApp } from './support/test-app';
import { VisitClient } from './support/visit-client';

interface AuditLine {
  action: string;
  agent: { who: { identifier?: { value: string } } }[];
  entity?: { what: { reference?: string } }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MARGIN_MINUTES = 30;

/**
 * Issue 20, links without an account (docs/decisions/026-links-without-an-account.md): a patient's
 * single-use, expiring appointment action link, and a visit guest's link valid for the visit's
 * window. Opening or previewing never spends a link; tokens never reach the request log.
 */
describe('issue 20: links without an account', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let links: AppointmentActionLinks;
  let scheduling: DataSource;
  const clients: VisitClient[] = [];
  /** Everything the app's pino logger wrote (its destination is the process's stdout). */
  const logged: string[] = [];
  let stdout: jest.SpyInstance | undefined;
  let minutes = 60;

  /** A booked 20-minute appointment of patient A (or B), each later than the last. */
  const appointment = async (patient = 'A', startsIn?: number): Promise<string> => {
    minutes += 30;
    const start = new Date(Date.now() + (startsIn ?? minutes) * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, startsIn ? 2 : 20);
    const a = await w.sys.post('Appointment', appointmentBody(slotId, w.ids[patient]!, w.ids.doctor!));
    if (a.status !== 201) throw new Error(`appointment ${a.status} ${JSON.stringify(a.body)}`);
    return a.body.id as string;
  };
  const issue = async (id: string, action: 'confirm' | 'cancel' = 'confirm', ttlMs?: number) => {
    const { url, expiresAt } = await links.issue(scheduling.manager, id, action, ttlMs);
    return { url, expiresAt, token: url.split('#')[1]! };
  };
  const post = async (
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await api(t.url, 'POST', `/scheduling/action-links/${path}`, undefined, body);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const status = async (id: string): Promise<unknown> => (await w.sys.get(`Appointment/${id}`)).body.status;

  beforeAll(async () => {
    // Installed before the app builds its logger: pino then writes its lines through it.
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    t = await startApp(PlatformModule.register, {
      LOG_LEVEL: 'info',
      CONSULT_MARGIN_MINUTES: String(MARGIN_MINUTES),
      RECONNECT_GRACE_SECONDS: '1',
    });
    w = await schedulingWorld(t);
    links = t.app.get(AppointmentActionLinks);
    scheduling = t.app.get<DataSource>(dataSourceToken(SCHEDULING_CONTEXT));
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    stdout?.mockRestore();
    await t?.close();
    await t?.db.drop();
  });

  describe('appointment action link', () => {
    it('the link carries its token in the fragment; previews spend nothing; the first use confirms, a second gets 410', async () => {
      const id = await appointment();
      const { url, token, expiresAt } = await issue(id);
      expect(url).toMatch(/^http:\/\/mekong\.test\/a#[A-Za-z0-9_-]{32}$/);
      expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
      // Only the hash is stored.
      const stored: { token_hash: string }[] = await scheduling.query(
        `SELECT token_hash FROM scheduling.action_link WHERE appointment_id = $1`,
        [id],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]!.token_hash).not.toContain(token);

      // Opening the page (a GET of the portal: the fragment never reaches the server) and the
      // preview, twice — as a message app's link preview and then the patient would.
      for (let i = 0; i < 2; i++) {
        expect((await fetch(`${t.url}/a`)).status).toBeLessThan(500);
        const seen = await post('preview', { token });
        expect(seen.status).toBe(200);
        expect(seen.body).toEqual({
          appointment: { start: expect.any(String), end: expect.any(String), status: 'booked' },
          offers: ['confirm', 'cancel'],
          expiresAt: expiresAt.toISOString(),
        });
        // time only: no reason, no people (health data)
        expect(JSON.stringify(seen.body)).not.toMatch(/J00|Patient|Practitioner|reason/i);
      }
      const done = await post('use', { token, action: 'confirm' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ appointment: { status: 'booked' } });
      const appt = (await w.sys.get(`Appointment/${id}`)).body as {
        participant: { actor: { reference: string }; status: string }[];
      };
      expect(appt.participant.find((p) => p.actor.reference.startsWith('Patient/'))?.status).toBe('accepted');

      const again = await post('use', { token, action: 'cancel' });
      expect(again).toEqual({
        status: 410,
        body: expect.objectContaining({ code: 'SCHEDULING.LINK_USED', message: expect.any(String) }),
      });
      expect(await status(id)).toBe('booked'); // the second use changed nothing
      expect((await post('preview', { token })).body).toMatchObject({ code: 'SCHEDULING.LINK_USED' });
    });

    it('a preview is an audited read in the patient’s trail, by the scheduling service', async () => {
      const id = await appointment();
      const { token } = await issue(id);
      expect((await post('preview', { token })).status).toBe(200);
      const trail = await w.sys.get(`AuditEvent?patient=Patient/${w.ids.A}&_count=1000`);
      expect(trail.status).toBe(200);
      const reads = ((trail.body.entry ?? []) as { resource: AuditLine }[])
        .map((e) => e.resource)
        .filter(
          (e) =>
            e.action === 'R' &&
            e.agent[0]?.who.identifier?.value === 'mekong-scheduling' &&
            (e.entity ?? []).some((x) => x.what.reference?.startsWith(`Appointment/${id}/`)),
        );
      expect(reads.length).toBeGreaterThanOrEqual(1);
    });

    it('confirming a pending appointment records the patient’s acceptance and leaves it waiting for its doctor', async () => {
      minutes += 30;
      const start = new Date(Date.now() + minutes * 60000);
      const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 20);
      const a = await w.sys.post(
        'Appointment',
        appointmentBody(slotId, w.ids.A!, w.ids.doctor!, {
          status: 'pending',
          participant: [
            { actor: { reference: `Patient/${w.ids.A}` }, status: 'needs-action' },
            { actor: { reference: `Practitioner/${w.ids.doctor}` }, status: 'accepted' },
          ],
        }),
      );
      expect(a.status).toBe(201);
      const id = a.body.id as string;
      const { token } = await issue(id);
      expect(await post('use', { token, action: 'confirm' })).toMatchObject({
        status: 200,
        body: { appointment: { status: 'pending' } },
      });
      const appt = (await w.sys.get(`Appointment/${id}`)).body as {
        status: string;
        participant: { actor: { reference: string }; status: string }[];
      };
      expect(appt.status).toBe('pending');
      expect(appt.participant.map((p) => p.status)).toEqual(['accepted', 'accepted']);
    });

    it('cancel frees the slot; a cancel-only link cannot confirm', async () => {
      const id = await appointment();
      const { token } = await issue(id, 'cancel');
      expect((await post('preview', { token })).body).toMatchObject({ offers: ['cancel'] });
      expect((await post('use', { token, action: 'confirm' })).body).toMatchObject({
        code: 'SCHEDULING.LINK_ACTION',
      });
      expect(await status(id)).toBe('booked');
      const done = await post('use', { token, action: 'cancel' });
      expect(done.status).toBe(200);
      expect(await status(id)).toBe('cancelled');
      const slot = ((await w.sys.get(`Appointment/${id}`)).body.slot as { reference: string }[])[0]!;
      expect((await w.sys.get(slot.reference)).body.status).toBe('free');
    });

    it('two parallel uses: exactly one succeeds', async () => {
      const id = await appointment();
      const { token } = await issue(id);
      const results = await Promise.all([
        post('use', { token, action: 'cancel' }),
        post('use', { token, action: 'cancel' }),
        post('use', { token, action: 'confirm' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    });

    it('an expired link answers 410 and changes nothing', async () => {
      const id = await appointment();
      const { token } = await issue(id, 'confirm', 1);
      await sleep(50);
      expect(await post('preview', { token })).toMatchObject({
        status: 410,
        body: { code: 'SCHEDULING.LINK_EXPIRED' },
      });
      expect(await post('use', { token, action: 'cancel' })).toMatchObject({
        status: 410,
        body: { code: 'SCHEDULING.LINK_EXPIRED' },
      });
      expect(await status(id)).toBe('booked');
    });

    it('a link never outlives its appointment’s start', async () => {
      const id = await appointment('A', 5);
      const { expiresAt } = await issue(id);
      expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 5 * 60000 + 60000);
    });

    it('a wrong token answers 404 like any other, and one appointment’s token does nothing to another', async () => {
      const a = await appointment('A');
      const b = await appointment('B');
      const { token } = await issue(a);
      // the real token with its last character changed (to something else than what it was)
      const altered = `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}`;
      for (const wrong of [altered, 'x', 'A'.repeat(32), '../../etc/passwd', '']) {
        for (const path of ['preview', 'use']) {
          const r = await post(path, path === 'use' ? { token: wrong, action: 'cancel' } : { token: wrong });
          expect([wrong, r.status, r.body.code]).toEqual([wrong, 404, 'SCHEDULING.LINK_NOT_FOUND']);
        }
      }
      // the request names no appointment: A's token acts on A only
      expect((await post('use', { token, action: 'cancel' })).status).toBe(200);
      expect(await status(a)).toBe('cancelled');
      expect(await status(b)).toBe('booked');
      // a body that is not a token is a 400, not a lookup
      expect((await post('use', { token: 42, action: 'cancel' })).status).toBe(400);
      expect((await post('use', { token, action: 'delete' })).status).toBe(400);
    });

    it('issuing for an appointment without an upcoming booking is refused', async () => {
      const id = await appointment();
      await w.sys.put(`Appointment/${id}`, {
        ...(await w.sys.get(`Appointment/${id}`)).body,
        status: 'cancelled',
      });
      await expect(issue(id)).rejects.toMatchObject({ code: 'SCHEDULING.NO_LIVE_BOOKING' });
    });
  });

  describe('visit guest link', () => {
    it('is valid for the visit window, reusable within it (rejoin after a drop), refused after it', async () => {
      const id = await appointment('A', 9);
      const doctor = new VisitClient(t.url, w.as.doctor!.token);
      clients.push(doctor);
      await doctor.ready;
      expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ ok: true });
      const invited = (await doctor.request('invite', { name: 'Chị Lan', role: 'interpreter' })) as {
        ok: true;
        joinToken: string;
        joinPath: string;
        expiresAt: string;
      };
      expect(invited.joinPath).toBe(`/visit/${id}#join=${invited.joinToken}`); // fragment: never sent
      const end = new Date(((await w.sys.get(`Appointment/${id}`)).body.end as string) ?? '');
      expect(new Date(invited.expiresAt).getTime()).toBe(end.getTime() + MARGIN_MINUTES * 60000);

      // Joins, drops, comes back with the same link — twice.
      for (let round = 0; round < 3; round++) {
        const guest = new VisitClient(t.url, { joinToken: invited.joinToken });
        clients.push(guest);
        await guest.ready;
        expect(await guest.request('join', { appointmentId: id })).toMatchObject({
          ok: true,
          role: 'guest',
        });
        guest.close();
        await sleep(200);
      }

      // Past the window (end + margin) the same link is refused at the handshake.
      const after = new Date(invited.expiresAt).getTime() + 1000;
      const spy = jest.spyOn(Date, 'now').mockReturnValue(after);
      try {
        const late = new VisitClient(t.url, { joinToken: invited.joinToken });
        clients.push(late);
        expect(await late.next('error')).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
      } finally {
        spy.mockRestore();
      }
    });
  });

  it('no token reaches the request log', async () => {
    const id = await appointment();
    const { token } = await issue(id);
    await post('preview', { token });
    await post('use', { token, action: 'confirm' });
    await post('use', { token, action: 'confirm' }); // the 410 path
    // links a messaging app mangled: the token in a query, after an encoded '#', in the path
    await fetch(`${t.url}/a?t=${token}`);
    await fetch(`${t.url}/a%23${token}`, { headers: { Accept: 'text/html' } });
    await fetch(`${t.url}/a/${token}`, { headers: { Accept: 'text/html' } });
    await sleep(300); // pino-http logs on response 'finish'
    const lines = logged.join('').split('\n');
    expect(lines.some((l) => l.includes('/scheduling/action-links/use'))).toBe(true);
    expect(lines.filter((l) => l.includes(token))).toEqual([]);
  });

  it('the token routes are limited per client address like every public route (429)', async () => {
    const limited = await startApp(PlatformModule.register, { RATE_LIMIT_PER_ACCOUNT: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await api(limited.url, 'POST', '/scheduling/action-links/preview', undefined, {
          token: `guess-${i}`,
        });
        codes.push(r.status);
      }
      expect(codes).toEqual([404, 404, 404, 404, 404, 429, 429]);
    } finally {
      await limited.close();
      await limited.db.drop();
    }
  });
});
