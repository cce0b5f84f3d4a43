import { PlatformModule } from '../apps/platform/src/platform.module';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';
import { VisitClient } from './support/visit-client';

/**
 * `GET /consultation/waiting`: the doctor's waiting room over HTTP (what the day's schedule page
 * polls) — who waits in the rooms of the caller's appointments, nobody else's.
 */
describe('consultation: the waiting room over HTTP', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const clients: VisitClient[] = [];
  const client = async (token: string): Promise<VisitClient> => {
    const c = new VisitClient(t.url, token);
    clients.push(c);
    await c.ready;
    return c;
  };
  const waiting = async (token?: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${t.url}/consultation/waiting`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { CONSULT_MARGIN_MINUTES: '30' });
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await t?.db.drop();
  });

  it('lists the patient waiting for the doctor, to that doctor only', async () => {
    const doctor = w.as.doctor!.token;
    expect(await waiting(doctor)).toEqual({ status: 200, body: [] });

    const slot = await postSlot(w.as.doctor!, w.ids.schedule!, new Date(Date.now() + 5 * 60000), 10);
    const a = await w.sys.post(
      'Appointment',
      appointmentBody(slot, w.ids.A!, w.ids.doctor!, { priority: 2 }),
    );
    expect(a.status).toBe(201);
    const id = a.body.id as string;

    const before = Date.now();
    const patient = await client(w.as['patient.a']!.token);
    expect(await patient.request('join', { appointmentId: id })).toMatchObject({
      ok: true,
      state: 'waiting',
    });

    const mine = await waiting(doctor);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([
      {
        appointmentId: id,
        participantId: expect.any(String),
        role: 'patient',
        actor: `Patient/${w.ids.A}`,
        reason: 'Sổ mũi, đau họng',
        priority: 2,
        since: expect.any(String),
      },
    ]);
    const since = Date.parse((mine.body as { since: string }[])[0]!.since);
    expect(since).toBeGreaterThanOrEqual(before - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());

    // Another practitioner sees nobody; patients and anonymous callers are refused.
    expect(await waiting(w.as['doctor.other']!.token)).toEqual({ status: 200, body: [] });
    expect((await waiting(w.as['patient.a']!.token)).status).toBe(403);
    expect((await waiting()).status).toBe(401);
    expect((await waiting('not-a-token')).status).toBe(401);

    // Once the doctor is in the room and admits the patient, nobody waits any more.
    const host = await client(doctor);
    expect(await host.request('join', { appointmentId: id })).toMatchObject({ ok: true, role: 'host' });
    const queue = await host.next('queue');
    const [entry] = queue.waiting as { participantId: string }[];
    expect(await host.request('admit', { participantId: entry!.participantId })).toMatchObject({ ok: true });
    expect(await waiting(doctor)).toEqual({ status: 200, body: [] });
  });
});
