import { PlatformModule } from '../../apps/platform/src/platform.module';
import {
  appointmentBody,
  postSlot,
  schedulingWorld,
  type SchedulingWorld,
} from '../support/scheduling-world';
import { startApp, type TestApp } from '../support/test-app';
import { VisitClient } from '../support/visit-client';

/**
 * Issue 16 §4: a guest's join token dies with what it was for — the visit ending, or the doctor
 * withdrawing the invitation — and a guest already connected with it is put out at once, not
 * left holding a socket.
 */
describe('attacks: guest join tokens die with their visit or invitation', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const clients: VisitClient[] = [];
  const client = async (token: string | { joinToken: string }): Promise<VisitClient> => {
    const c = new VisitClient(t.url, token);
    clients.push(c);
    await c.ready;
    return c;
  };
  const disconnected = (c: VisitClient): Promise<string> =>
    c.socket.disconnected
      ? Promise.resolve('already')
      : new Promise((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
  /** A handshake with this join token: refused (`error`) or accepted (`ready`). */
  const handshake = async (joinToken: string): Promise<Record<string, unknown>> => {
    const c = new VisitClient(t.url, { joinToken });
    clients.push(c);
    return Promise.race([c.next('error'), c.ready.then(() => ({ ready: true }))]);
  };
  const appointment = async (minutes: number): Promise<string> => {
    const start = new Date(Date.now() + minutes * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 2);
    const a = await w.sys.post('Appointment', appointmentBody(slotId, w.ids.A!, w.ids.doctor!));
    if (a.status !== 201) throw new Error(`appointment ${a.status}`);
    return a.body.id as string;
  };
  const invite = async (
    doctor: VisitClient,
    body: Record<string, unknown>,
  ): Promise<{ joinToken: string; participantId: string }> => {
    const ack = await doctor.request('invite', body);
    expect(ack).toMatchObject({ ok: true, participantId: expect.stringMatching(/^invite:/) });
    return ack as unknown as { joinToken: string; participantId: string };
  };
  const queueOf = async (
    doctor: VisitClient,
    n: number,
  ): Promise<{ participantId: string; role: string }[]> => {
    let waiting: { participantId: string; role: string }[] = [];
    for (let i = 0; i < 20 && waiting.length < n; i++)
      waiting = (await doctor.next('queue')).waiting as { participantId: string; role: string }[];
    return waiting;
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      CONSULT_MARGIN_MINUTES: '30',
      RECONNECT_GRACE_SECONDS: '2',
    });
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await t?.db.drop();
  });

  it('the visit ends: guests connected with a join token (waiting, or not yet joined) are disconnected, and the token opens nothing after', async () => {
    const id = await appointment(5);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({
      ok: true,
      state: 'admitted',
    });
    const one = await invite(doctor, { name: 'Thạch Sa Rây', role: 'interpreter' });
    const two = await invite(doctor, { name: 'Lâm Tư', role: 'station-staff' });
    const waitingGuest = await client({ joinToken: one.joinToken });
    expect(await waitingGuest.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    const idleGuest = await client({ joinToken: two.joinToken }); // handshake done, never joined
    const gone = [disconnected(waitingGuest), disconnected(idleGuest)];

    expect(await doctor.request('end', {})).toMatchObject({ ok: true });
    await Promise.all(gone);
    expect(await waitingGuest.next('error')).toMatchObject({ code: 'VISIT_ENDED' });
    expect(await idleGuest.next('error')).toMatchObject({ code: 'VISIT_ENDED' });
    expect(await handshake(one.joinToken)).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    expect(await handshake(two.joinToken)).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('the doctor revokes an invitation: its admitted guest is put out and disconnected, the token is refused; nobody else may revoke', async () => {
    const id = await appointment(9);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ ok: true });
    const invited = await invite(doctor, { name: 'Thạch Thị Sa Rây', role: 'interpreter' });
    const other = await invite(doctor, { name: 'Lâm Văn Tư', role: 'interpreter' });
    const specialistInvite = await invite(doctor, {
      actor: `Practitioner/${w.ids.other}`,
      role: 'specialist',
    });

    const guest = await client({ joinToken: invited.joinToken });
    expect(await guest.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    const otherGuest = await client({ joinToken: other.joinToken });
    expect(await otherGuest.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    const specialist = await client(w.as['doctor.other']!.token);
    expect(await specialist.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    const patient = await client(w.as['patient.a']!.token);
    expect(await patient.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    for (const x of await queueOf(doctor, 4))
      expect(await doctor.request('admit', { participantId: x.participantId })).toMatchObject({ ok: true });
    await guest.next('admitted');
    await specialist.next('admitted');

    // Not the host: a guest (its events are @GuestAllowed only), the patient, an invited practitioner.
    expect(await guest.request('revokeInvitation', { participantId: other.participantId })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(await patient.request('revokeInvitation', { participantId: other.participantId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await specialist.request('revokeInvitation', { participantId: other.participantId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await doctor.request('revokeInvitation', { participantId: 'invite:0000000000000000' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_INVITED' },
    });
    expect(otherGuest.socket.connected).toBe(true);

    const out = disconnected(guest);
    expect(await doctor.request('revokeInvitation', { participantId: invited.participantId })).toMatchObject({
      ok: true,
    });
    await out;
    expect(await guest.next('error')).toMatchObject({ code: 'INVITATION_REVOKED' });
    expect(await patient.next('participantLeft')).toMatchObject({
      participantId: invited.participantId,
      reason: 'revoked',
    });
    expect(await handshake(invited.joinToken)).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
    expect(await doctor.request('revokeInvitation', { participantId: invited.participantId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_INVITED' },
    });

    // A practitioner invited by reference: out of the room, no longer let back in with their sign-in.
    expect(
      await doctor.request('revokeInvitation', { participantId: specialistInvite.participantId }),
    ).toMatchObject({ ok: true });
    expect(await specialist.next('invitationRevoked')).toMatchObject({ message: expect.any(String) });
    expect(await specialist.request('chat', { text: 'still here?' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect(await specialist.request('join', { appointmentId: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTICIPANT' },
    });

    // The other invitation still works.
    expect(otherGuest.socket.connected).toBe(true);
    expect(await otherGuest.request('chat', { text: 'Tôi vẫn ở đây.' })).toMatchObject({ ok: true });
    expect(await doctor.request('end', {})).toMatchObject({ ok: true });
  });
});
