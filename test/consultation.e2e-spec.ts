import { ClaimCheckIn } from '@mekong/claims';
import { EMPTY_ROOM_MS, MediaWorkerPool, RoomsService } from '@mekong/consultation';
import { stableUuid } from '@mekong/common';
import { dataSourceToken } from '@mekong/database';
import { FOLLOW_UP_CODE, FOLLOW_UP_LETTER_SYSTEM } from '@mekong/fhir';
import { HEALTH_RECORD_CONTEXT } from '@mekong/health-record';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { appointmentBody, postSlot, schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { startApp, type TestApp } from './support/test-app';
import { VisitClient } from './support/visit-client';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** An instant as Vietnam's clock reads it, with its offset: `2026-12-20T08:00:00+07:00`. */
const vnTime = (ms: number): string => `${new Date(ms + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
const DAY_MS = 86_400_000;

/**
 * Video-visit signaling over socket.io `/consultation` with the real mediasoup worker: who may
 * join, the waiting room, admission, transports, chat, and the write-back when the doctor ends.
 */
describe('consultation: signaling, waiting room and write-back', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  const clients: VisitClient[] = [];
  const client = async (token: string | { joinToken: string }): Promise<VisitClient> => {
    const c = new VisitClient(t.url, token);
    clients.push(c);
    await c.ready;
    return c;
  };
  /** A booked 2-minute appointment of patient A with the doctor, starting `minutes` from now. */
  const appointment = async (minutes: number, patient = 'A'): Promise<string> => {
    const start = new Date(Date.now() + minutes * 60000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 2);
    const a = await w.sys.post('Appointment', appointmentBody(slotId, w.ids[patient]!, w.ids.doctor!));
    if (a.status !== 201) throw new Error(`appointment ${a.status}`);
    return a.body.id as string;
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      JOB_POLL_SECONDS: '0.5',
      CONSULT_MARGIN_MINUTES: '30',
      RECONNECT_GRACE_SECONDS: '2',
      NOSHOW_GRACE_MINUTES: '0', // the no-show check runs at the appointment's start
    });
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await t?.db.drop();
  });

  it("only the appointment's participants get in, and only within its window", async () => {
    const id = await appointment(5);
    const outsider = await client(w.as['patient.b']!.token);
    const refused = await outsider.request('join', { appointmentId: id });
    expect(refused).toEqual({ ok: false, error: { code: 'NOT_A_PARTICIPANT', message: expect.any(String) } });
    const otherDoctor = await client(w.as['doctor.other']!.token);
    expect(await otherDoctor.request('join', { appointmentId: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTICIPANT' },
    });
    expect(await outsider.request('join', { appointmentId: 'does-not-exist' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTICIPANT' },
    });
    expect(await outsider.request('join', { appointmentId: '../../etc' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const later = await appointment(3 * 60);
    const patient = await client(w.as['patient.a']!.token);
    expect(await patient.request('join', { appointmentId: later })).toMatchObject({
      ok: false,
      error: { code: 'OUTSIDE_WINDOW' },
    });
    // Media requests before joining are refused too.
    expect(await patient.request('createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
  });

  it('a waiting participant sets media up ahead, held: nothing reaches the room until admitted; the server then pushes consumers; a declined one is freed', async () => {
    const id = await appointment(28);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({
      ok: true,
      state: 'admitted',
    });
    const patient = await client(w.as['patient.a']!.token);
    const waiting = await patient.request('join', { appointmentId: id });
    expect(waiting).toMatchObject({ ok: true, state: 'waiting', rtpCapabilities: expect.any(Object) });
    const caps = (waiting as unknown as { rtpCapabilities: Record<string, unknown> }).rtpCapabilities;
    // The doctor receives with these capabilities, so the server can create consumers for them.
    const recv = await doctor.request('createTransport', { direction: 'recv', rtpCapabilities: caps });
    expect(recv).toMatchObject({ ok: true });
    expect(
      await doctor.request('createTransport', { direction: 'recv', rtpCapabilities: 'nope' }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const send = await patient.request('createTransport', { direction: 'send' });
    const transportId = (send as unknown as { transport: { id: string } }).transport.id;
    const produced = await patient.request('produce', {
      transportId,
      kind: 'audio',
      source: 'mic',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
        headerExtensions: [],
        encodings: [{ ssrc: 11223344 }],
        rtcp: { cname: 'waiting-room', reducedSize: true },
      },
    });
    expect(produced).toMatchObject({ ok: true, held: true, producerId: expect.any(String) });
    const producerId = (produced as unknown as { producerId: string }).producerId;
    const camera = (await patient.request('produce', {
      transportId,
      kind: 'video',
      source: 'camera',
      rtpParameters: {
        mid: '1',
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        headerExtensions: [],
        encodings: [{ ssrc: 55667788 }, { ssrc: 55667789 }, { ssrc: 55667790 }], // simulcast
        rtcp: { cname: 'waiting-room', reducedSize: true },
      },
    })) as unknown as { producerId: string; held: boolean };
    expect(camera.held).toBe(true);
    // Held: not announced, not consumable, not resumable by its owner; muting is allowed.
    const doctorRecv = (recv as unknown as { transport: { id: string } }).transport.id;
    expect(
      await doctor.request('consume', { transportId: doctorRecv, producerId, rtpCapabilities: caps }),
    ).toMatchObject({ ok: false });
    expect(await patient.request('resumeProducer', { producerId })).toMatchObject({
      ok: false,
      error: { code: 'WAITING' },
    });
    expect(await patient.request('pauseProducer', { producerId })).toMatchObject({ ok: true });
    await sleep(200);
    expect(doctor.events.map((e) => e.event)).not.toContain('newConsumers');
    expect(doctor.events.map((e) => e.event)).not.toContain('newProducer');

    // Admitted: the doctor is handed a consumer the server created; the patient resumes.
    let queue: { participantId: string }[] = [];
    for (let i = 0; i < 20 && queue.length < 1; i++)
      queue = (await doctor.next('queue')).waiting as { participantId: string }[];
    expect(await doctor.request('admit', { participantId: queue[0]!.participantId })).toMatchObject({
      ok: true,
    });
    // Admitting again (a double click) is refused and announces nobody twice.
    expect(await doctor.request('admit', { participantId: queue[0]!.participantId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_WAITING' },
    });
    const { consumers } = (await doctor.next('newConsumers')) as {
      consumers: {
        producerId: string;
        kind: string;
        consumer: { id: string; producerId: string; kind: string };
      }[];
    };
    expect(consumers).toEqual([
      expect.objectContaining({
        producerId,
        kind: 'audio',
        consumer: expect.objectContaining({ producerId }),
      }),
      expect.objectContaining({ producerId: camera.producerId, kind: 'video' }),
    ]);
    const pushed = consumers[0]!;
    expect(await doctor.request('resumeConsumer', { consumerId: pushed.consumer.id })).toMatchObject({
      ok: true,
    });
    expect(await patient.request('resumeProducer', { producerId })).toMatchObject({ ok: true });
    // The camera resumes only once its viewer's consumer is resumed (its key frame then reaches them).
    const media = t.app.get(RoomsService).get(id)!.media!;
    const cameraPaused = (): boolean | undefined =>
      media.producerList().find((x) => x.id === camera.producerId)?.paused;
    expect(await patient.request('resumeProducer', { producerId: camera.producerId })).toMatchObject({
      ok: true,
    });
    expect(cameraPaused()).toBe(true);
    // The others hear of the microphone at once, of the camera only when it really resumes
    // (issue 19: "camera on" shown ahead of the picture).
    const resumedFor = (producer: string): boolean =>
      doctor.events.some(
        (e) =>
          e.event === 'producerResumed' && (e.payload as { producerId?: string }).producerId === producer,
      );
    for (let i = 0; i < 20 && !resumedFor(producerId); i++) await sleep(25);
    expect(resumedFor(producerId)).toBe(true);
    await sleep(200);
    expect(resumedFor(camera.producerId)).toBe(false);
    expect(await doctor.request('resumeConsumer', { consumerId: consumers[1]!.consumer.id })).toMatchObject({
      ok: true,
    });
    for (let i = 0; i < 20 && cameraPaused(); i++) await sleep(25);
    expect(cameraPaused()).toBe(false);
    for (let i = 0; i < 20 && !resumedFor(camera.producerId); i++) await sleep(25);
    expect(resumedFor(camera.producerId)).toBe(true);
    expect(
      doctor.events.find(
        (e) =>
          e.event === 'producerResumed' &&
          (e.payload as { producerId?: string }).producerId === camera.producerId,
      )?.payload,
    ).toEqual({
      producerId: camera.producerId,
      participantId: queue[0]!.participantId,
    });
    // The doctor's consumer of the camera starts at the lowest simulcast layer; the layer the
    // doctor asks for is applied once that one flows (test/visit-browser.e2e-spec.ts sees it).
    const doctorId = [...t.app.get(RoomsService).get(id)!.participants.values()].find(
      (x) => x.role === 'host',
    )!.id;
    expect(
      await doctor.request('setPreferredLayer', { consumerId: consumers[1]!.consumer.id, spatialLayer: 2 }),
    ).toMatchObject({ ok: true });
    expect(media.layersOf(doctorId)).toEqual([
      {
        consumerId: consumers[1]!.consumer.id,
        producerId: camera.producerId,
        preferred: 0,
        current: undefined,
      },
    ]);
    expect(await patient.next('admitted')).toMatchObject({ consumers: [] }); // the doctor produced nothing
    const rooms = t.app.get(RoomsService);
    expect(rooms.get(id)!.media!.countOf(queue[0]!.participantId)).toEqual({
      transports: 1,
      producers: 2,
      consumers: 0,
    });

    // Someone declined in the waiting room has what they set up closed.
    const invited = (await doctor.request('invite', {
      name: 'Lâm Văn Tư',
      role: 'interpreter',
    })) as unknown as {
      joinToken: string;
    };
    const guest = await client({ joinToken: invited.joinToken });
    expect(await guest.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    expect(await guest.request('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    let guestQueue: { participantId: string }[] = [];
    for (let i = 0; i < 20 && guestQueue.length < 1; i++)
      guestQueue = (await doctor.next('queue')).waiting as { participantId: string }[];
    const guestId = guestQueue[0]!.participantId;
    expect(rooms.get(id)!.media!.countOf(guestId).transports).toBe(1);
    expect(await doctor.request('decline', { participantId: guestId })).toMatchObject({ ok: true });
    expect(rooms.get(id)!.media!.countOf(guestId).transports).toBe(0);
    expect(await doctor.request('end', {})).toMatchObject({ ok: true });
  });

  it('a producer still being created when its owner is admitted joins the room with them (not held for ever); a viewer pauses and resumes what it receives (audio-only)', async () => {
    const id = await appointment(7);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ state: 'admitted' });
    const patient = await client(w.as['patient.a']!.token);
    const waiting = (await patient.request('join', { appointmentId: id })) as unknown as {
      rtpCapabilities: Record<string, unknown>;
    };
    const caps = waiting.rtpCapabilities;
    expect(
      await doctor.request('createTransport', { direction: 'recv', rtpCapabilities: caps }),
    ).toMatchObject({
      ok: true,
    });
    const send = (await patient.request('createTransport', { direction: 'send' })) as unknown as {
      transport: { id: string };
    };
    let queue: { participantId: string }[] = [];
    for (let i = 0; i < 20 && queue.length < 1; i++)
      queue = (await doctor.next('queue')).waiting as { participantId: string }[];
    // The camera is produced while waiting and the doctor admits at the same moment: the server
    // decides "held" when the request arrives and admits while the worker creates the producer.
    const [produced, admitted] = await Promise.all([
      patient.request('produce', {
        transportId: send.transport.id,
        kind: 'video',
        source: 'camera',
        rtpParameters: {
          mid: '0',
          codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
          headerExtensions: [],
          encodings: [{ ssrc: 71000001 }],
          rtcp: { cname: 'admitted-meanwhile', reducedSize: true },
        },
      }),
      doctor.request('admit', { participantId: queue[0]!.participantId }),
    ]);
    expect(admitted).toMatchObject({ ok: true });
    const producerId = (produced as unknown as { producerId: string }).producerId;
    expect(produced).toMatchObject({ ok: true, producerId: expect.any(String) });
    // Either way it is in the room: the doctor is given a consumer of it and the patient resumes it.
    expect(
      t.app
        .get(RoomsService)
        .get(id)!
        .media!.producerList()
        .map((x) => x.id),
    ).toContain(producerId);
    const pushed = (await doctor.next('newConsumers')) as {
      consumers: { producerId: string; consumer: { id: string } }[];
    };
    expect(pushed.consumers.map((x) => x.producerId)).toEqual([producerId]);
    expect(await patient.request('resumeProducer', { producerId })).toMatchObject({ ok: true });

    // Audio-only on the doctor's side: the server stops forwarding that video, and forwards it
    // again on resume. Only the consumer's owner can, and the id is validated.
    const room = t.app.get(RoomsService).get(id)!;
    const doctorId = [...room.participants.values()].find((x) => x.role === 'host')!.id;
    const consumerId = pushed.consumers[0]!.consumer.id;
    const paused = (): boolean[] => room.media!.consumerList(doctorId).map((c) => c.paused);
    expect(await doctor.request('resumeConsumer', { consumerId })).toMatchObject({ ok: true });
    expect(paused()).toEqual([false]);
    expect(await doctor.request('pauseConsumer', { consumerId })).toMatchObject({ ok: true });
    expect(paused()).toEqual([true]);
    expect(await patient.request('resumeConsumer', { consumerId })).toMatchObject({ ok: false });
    expect(await doctor.request('pauseConsumer', { consumerId: '../../x' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(paused()).toEqual([true]);
    expect(await doctor.request('resumeConsumer', { consumerId })).toMatchObject({ ok: true });
    expect(paused()).toEqual([false]);
    expect(await doctor.request('end', {})).toMatchObject({ ok: true });
  });

  it('a patient in the visit is not marked a no-show when the start time passes: the Appointment is arrived, and the visit still ends fulfilled (its write-back retried until it succeeds)', async () => {
    const start = new Date(Date.now() + 2000);
    const slotId = await postSlot(w.as.doctor!, w.ids.schedule!, start, 2);
    const booked = await w.sys.post('Appointment', appointmentBody(slotId, w.ids.A!, w.ids.doctor!));
    expect(booked.status).toBe(201);
    const id = booked.body.id as string;
    const patient = await client(w.as['patient.a']!.token);
    expect(await patient.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    expect((await w.sys.get(`Appointment/${id}`)).body.status).toBe('arrived');
    // Past the start (+ a grace of 0): the no-show job has run (JOB_POLL_SECONDS 0.5) and left it.
    await sleep(Math.max(0, start.getTime() - Date.now()) + 3000);
    expect((await w.sys.get(`Appointment/${id}`)).body.status).toBe('arrived');
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ state: 'admitted' });
    const ended = (await doctor.request('end', { notes: 'Khám qua video, ổn định.' })) as unknown as {
      ok: boolean;
      visitId: string;
    };
    expect(ended).toMatchObject({ ok: true });
    // The write-back job is tried once a minute for a year, not the queues' default 8 times (≈ 20 min).
    const [job] = (await t.app
      .get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false })
      .query(
        `SELECT retry_limit, retry_delay, retry_backoff, keep_until > now() + interval '360 days' AS kept_a_year
           FROM jobs.job WHERE name = 'consultation.writeback' AND singleton_key = $1`,
        [ended.visitId],
      )) as Record<string, unknown>[];
    expect(job).toEqual({ retry_limit: 1_000_000, retry_delay: 60, retry_backoff: false, kept_a_year: true });
    const found = await w.sys.until(
      `Encounter?appointment=Appointment/${id}`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );
    expect((found.entry as unknown[] | undefined) ?? []).toHaveLength(1);
    expect((await w.sys.get(`Appointment/${id}`)).body.status).toBe('fulfilled');
  });

  it('a socket without a valid token is refused with an error event', async () => {
    const bad = new VisitClient(t.url, 'nope');
    clients.push(bad);
    const error = await bad.next('error');
    expect(error.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('the patient waits, the doctor sees the queue and admits; media, chat; the doctor ends and the visit is in the record', async () => {
    const id = await appointment(2);
    const patient = await client(w.as['patient.a']!.token);
    const waiting = await patient.request('join', { appointmentId: id });
    expect(waiting).toMatchObject({ ok: true, state: 'waiting', role: 'patient', doctorPresent: false });
    // While waiting: nothing of the room (media set up ahead stays held, see below).
    expect(
      await patient.request('consume', { transportId: 'x', producerId: 'y', rtpCapabilities: {} }),
    ).toMatchObject({ ok: false, error: { code: 'WAITING' } });

    const doctor = await client(w.as.doctor!.token);
    const joined = await doctor.request('join', { appointmentId: id });
    expect(joined).toMatchObject({
      ok: true,
      state: 'admitted',
      role: 'host',
      rtpCapabilities: expect.any(Object),
    });
    const queue = await doctor.next('queue');
    const waitingList = queue.waiting as { participantId: string; reason: string; priority: number }[];
    expect(waitingList).toHaveLength(1);
    expect(waitingList[0]).toMatchObject({ reason: 'Sổ mũi, đau họng', priority: expect.any(Number) });
    // The patient cannot admit anyone.
    expect(await patient.request('admit', { participantId: waitingList[0]!.participantId })).toMatchObject({
      ok: false,
    });

    expect(await doctor.request('admit', { participantId: waitingList[0]!.participantId })).toMatchObject({
      ok: true,
    });
    const admitted = await patient.next('admitted');
    expect(admitted.rtpCapabilities).toBeDefined();

    // Real mediasoup transports for both sides (WebRTC, UDP and TCP candidates).
    for (const c of [patient, doctor]) {
      const tr = await c.request('createTransport', { direction: 'send' });
      expect(tr).toMatchObject({
        ok: true,
        transport: { id: expect.any(String), iceCandidates: expect.any(Array) },
      });
      const protocols = (
        tr as unknown as { transport: { iceCandidates: { protocol: string }[] } }
      ).transport.iceCandidates.map((x) => x.protocol);
      expect(new Set(protocols)).toEqual(new Set(['udp', 'tcp']));
    }

    expect(await patient.request('chat', { text: 'Chào bác sĩ, em nghe rõ ạ' })).toMatchObject({ ok: true });
    const chat = await doctor.next('chat');
    expect(chat).toMatchObject({ text: 'Chào bác sĩ, em nghe rõ ạ', role: 'patient' });
    expect(await patient.request('chat', { text: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });

    // The patient agrees to keep the chat in their record (a Consent, written as theirs).
    expect(await doctor.request('consent', { granted: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const consent = await patient.request('consent', { granted: true });
    expect(consent).toMatchObject({ ok: true, consent: expect.stringMatching(/^Consent\//) });
    expect(await doctor.next('recordingConsent')).toMatchObject({ granted: true });
    // Files: a photo shared by the patient goes into their record; bad types, sizes and outsiders do not.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const upload = (token: string, body: Buffer, type: string) =>
      fetch(`${t.url}/consultation/visits/${id}/files`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': type,
          'X-File-Name': encodeURIComponent('đơn thuốc.png'),
        },
        body,
      });
    const shared = await upload(w.as['patient.a']!.token, png, 'image/png');
    expect(shared.status).toBe(201);
    const doc = ((await shared.json()) as { documentReference: string }).documentReference;
    expect(await doctor.next('file')).toMatchObject({
      documentReference: doc,
      contentType: 'image/png',
      title: 'đơn thuốc.png',
    });
    const stored = await new Fhir(t.url, w.as['patient.a']!.token).get(doc);
    expect(stored.body).toMatchObject({ subject: { reference: `Patient/${w.ids.A}` } });
    expect((stored.body.content as { attachment: { data: string } }[])[0]!.attachment.data).toBe(
      png.toString('base64'),
    );
    expect(
      (await upload(w.as['patient.a']!.token, Buffer.from('not really a png'), 'image/png')).status,
    ).toBe(415);
    expect((await upload(w.as['patient.a']!.token, png, 'application/zip')).status).toBe(415);
    expect(
      (await upload(w.as['patient.a']!.token, Buffer.alloc(6 * 1024 * 1024, 0x25), 'application/pdf')).status,
    ).toBe(413);
    expect((await upload(w.as['patient.b']!.token, png, 'image/png')).status).toBe(403);
    expect(await patient.request('end', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await doctor.request('end', { diagnoses: [{ code: 'not icd' }] })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const endBody = {
      notes: 'Đau thắt ngực ổn định khi gắng sức. Hẹn làm điện tâm đồ gắng sức.',
      diagnoses: [{ code: 'I20.9', display: 'Cơn đau thắt ngực, không đặc hiệu' }],
      prescriptions: [
        {
          // Structured for the national prescription system (issue 21 part 2).
          medication: 'Omeprazol 20 mg',
          dosage: '1 viên trước ăn sáng',
          drugCode: '40.677',
          quantity: 14,
          unit: 'viên',
          days: 14,
        },
      ],
    };
    // The re-visit appointment ("giấy hẹn khám lại"): not a date-time with its offset, a day that
    // does not exist, in the past, more than 365 days ahead — each refused naming followUp.at, and
    // nothing is written: no write-back job, the room still open, the patient not told it ended.
    const { visitId } = t.app.get(RoomsService).get(id)!;
    const refusals: [unknown, RegExp][] = [
      [{ at: '2027-01-05' }, /followUp\.at: a date and time to the second with its offset is required/],
      [{ at: '2027-01-05T08:00:00' }, /followUp\.at: a date and time/],
      [{ at: '05/01/2027 08:00' }, /followUp\.at: a date and time/],
      [{ at: 20270105 }, /followUp\.at: a date and time/],
      [{}, /followUp\.at: a date and time/],
      [
        { at: `${new Date().getUTCFullYear() + 1}-02-30T08:00:00+07:00` },
        /followUp\.at: .* is not a date that exists/,
      ],
      [{ at: vnTime(Date.now() - 3600_000) }, /followUp\.at: .* is not after the end of the visit/],
      [{ at: vnTime(Date.now() + 366 * DAY_MS) }, /followUp\.at: .* is more than 365 days after the visit/],
      [{ at: vnTime(Date.now() + DAY_MS), note: 'x'.repeat(501) }, /followUp\.note: at most 500 characters/],
    ];
    for (const [followUp, message] of refusals) {
      const refused = await doctor.request('end', { ...endBody, followUp });
      expect([followUp, refused]).toEqual([
        followUp,
        { ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(message) } },
      ]);
    }
    const jobs = await t.app
      .get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false })
      .query(`SELECT count(*)::int AS n FROM jobs.job WHERE singleton_key = $1`, [visitId]);
    expect(jobs).toEqual([{ n: 0 }]);
    expect(t.app.get(RoomsService).get(id)).toBeDefined();
    expect(patient.events.map((e) => e.event)).not.toContain('ended');
    expect((await w.sys.get(`Encounter/${stableUuid(`encounter|${visitId}`)}`)).status).toBe(404);

    // Come back in 30 days at 08:00, Vietnam time.
    const comeBack = `${vnTime(Date.now() + 30 * DAY_MS).slice(0, 10)}T08:00:00+07:00`;
    const ended = await doctor.request('end', {
      ...endBody,
      followUp: { at: comeBack, note: 'Mang theo kết quả điện tâm đồ gắng sức.' },
    });
    expect(ended).toMatchObject({ ok: true, encounter: expect.stringMatching(/^Encounter\//) });
    expect(await patient.next('ended')).toMatchObject({ by: `Practitioner/${w.ids.doctor}` });

    const encounterRef = (ended as unknown as { encounter: string }).encounter;
    const encounter = await w.sys.until(encounterRef, (_, status) => status === 200);
    expect(encounter).toMatchObject({
      status: 'finished',
      class: { code: 'VR' },
      subject: { reference: `Patient/${w.ids.A}` },
      appointment: [{ reference: `Appointment/${id}` }],
      participant: [{ individual: { reference: `Practitioner/${w.ids.doctor}` } }],
    });
    const appt = await w.sys.get(`Appointment/${id}`);
    expect(appt.body.status).toBe('fulfilled');
    // The first admission started the visit: its insurance check-in was queued then, keyed by the
    // Encounter the visit was written as (its claim's MA_LK), at the visit's start.
    const checkIn = await t.app.get(ClaimCheckIn).find(encounterRef.split('/')[1]!);
    expect(checkIn).toMatchObject({
      patient: `Patient/${w.ids.A}`,
      startedAt: new Date(String((encounter.period as { start: string }).start)).toISOString(),
    });
    // The patient sees the visit, diagnosis and prescription in their own record.
    const mine = new Fhir(t.url, w.as['patient.a']!.token);
    const everything = await mine.get(`Patient/${w.ids.A}/$everything?_count=500`);
    const types = (
      (everything.body.entry ?? []) as {
        resource: { resourceType: string; encounter?: { reference?: string } };
      }[]
    )
      .filter((e) => e.resource.encounter?.reference === encounterRef)
      .map((e) => e.resource.resourceType)
      .sort();
    expect(types).toEqual([
      'ClinicalImpression',
      'Communication',
      'Condition',
      'MedicationRequest',
      'ServiceRequest',
    ]);
    // The re-visit appointment: one ServiceRequest of the Encounter, found by its code as the
    // insurance claim's XML14 looks it up, with the letter number derived from the visit.
    const followUps = await w.sys.get(
      `ServiceRequest?encounter=${encounterRef}&code=${encodeURIComponent(`${FOLLOW_UP_CODE.system}|${FOLLOW_UP_CODE.code}`)}`,
    );
    const followUpEntries = (followUps.body.entry ?? []) as { resource: Record<string, unknown> }[];
    expect(followUpEntries).toHaveLength(1);
    const followUpId = stableUuid(`follow-up|${visitId}`);
    expect(followUpEntries[0]!.resource).toMatchObject({
      resourceType: 'ServiceRequest',
      id: followUpId,
      status: 'active',
      intent: 'order',
      identifier: [
        {
          system: FOLLOW_UP_LETTER_SYSTEM,
          value: `HKL-${followUpId.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
        },
      ],
      code: { coding: [{ ...FOLLOW_UP_CODE }], text: 'Hẹn khám lại' },
      subject: { reference: `Patient/${w.ids.A}` },
      encounter: { reference: encounterRef },
      occurrenceDateTime: comeBack,
      authoredOn: (encounter.period as { end: string }).end,
      requester: { reference: `Practitioner/${w.ids.doctor}` },
      note: [{ text: 'Mang theo kết quả điện tâm đồ gắng sức.' }],
    });
    expect(
      (followUpEntries[0]!.resource.identifier as { value: string }[])[0]!.value.length,
    ).toBeLessThanOrEqual(50);
    const transcript = await mine.get(`Communication?encounter=${encounterRef}`);
    expect(JSON.stringify(transcript.body)).toContain('Chào bác sĩ, em nghe rõ ạ');
    // Re-running the write-back (a retried job) changes nothing.
    const count = async (): Promise<unknown> =>
      (await w.sys.get(`Condition?encounter=${encounterRef}&_summary=count`)).body.total;
    expect(await count()).toBe(1);

    // The doctor's signature over each entry (issue 21 part 4): a Provenance with a detached JWS
    // per version, checked by $verify; a later change to the signed content is detected.
    type P = { name: string; valueBoolean?: boolean; valueString?: string };
    const verify = async (ref: string): Promise<Record<string, P>> => {
      const r = await w.sys.get(`${ref}/$verify`);
      expect(r.status).toBe(200);
      return Object.fromEntries((r.body.parameter as P[]).map((p) => [p.name, p]));
    };
    const cond = (
      (await w.sys.get(`Condition?encounter=${encounterRef}`)).body.entry as { resource: { id: string } }[]
    )[0]!.resource.id;
    for (const ref of [encounterRef, `Condition/${cond}`, `ServiceRequest/${followUpId}`]) {
      const v = await verify(ref);
      expect([ref, v.result?.valueBoolean, v.signer?.valueString]).toEqual([
        ref,
        true,
        `Practitioner/${w.ids.doctor}`,
      ]);
    }
    // this server has no SIGNING_TRUST_ANCHORS (an ephemeral test key): $verify says what it rests on
    expect((await verify(encounterRef)).trust?.valueString).toMatch(/no trust anchors configured/);
    const current = (await w.sys.get(`Condition/${cond}`)).body;
    expect(
      (await w.sys.put(`Condition/${cond}`, { ...current, note: [{ text: 'sửa sau khi ký' }] })).status,
    ).toBe(200);
    const changed = await verify(`Condition/${cond}`);
    expect(changed.result?.valueBoolean).toBe(false);
    expect(changed.message?.valueString).toMatch(/Changed after signing: version 1 is signed/);
  });

  it('a dropped participant keeps their place during the grace period; after it the others are told', async () => {
    const id = await appointment(9);
    const doctor = await client(w.as.doctor!.token);
    await doctor.request('join', { appointmentId: id });
    const patient = await client(w.as['patient.a']!.token);
    await patient.request('join', { appointmentId: id });
    const queue = await doctor.next('queue');
    void queue;
    const q2 = (await doctor.next('queue')).waiting as { participantId: string }[];
    await doctor.request('admit', { participantId: q2[0]!.participantId });
    await patient.next('admitted');
    patient.close();
    // Back within the grace period: admitted at once, no new admission.
    const again = await client(w.as['patient.a']!.token);
    expect(await again.request('join', { appointmentId: id })).toMatchObject({ ok: true, state: 'admitted' });
    expect(await doctor.next('participantReconnected')).toMatchObject({
      participantId: q2[0]!.participantId,
    });
    again.close();
    const left = await doctor.next('participantLeft', 8000);
    expect(left).toMatchObject({ participantId: q2[0]!.participantId, reason: 'connection-lost' });
  });

  it('the doctor invites a second specialist ("hội chẩn"): they wait, are admitted, and appear in the Encounter, also after leaving', async () => {
    const id = await appointment(13);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ ok: true });
    const specialist = await client(w.as['doctor.other']!.token);
    expect(await specialist.request('join', { appointmentId: id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTICIPANT' },
    });
    expect(await doctor.request('invite', { actor: 'Patient/x', role: 'specialist' })).toMatchObject({
      ok: false,
    });
    const patientClient = await client(w.as['patient.a']!.token);
    await patientClient.request('join', { appointmentId: id });
    expect(
      await patientClient.request('invite', { actor: `Practitioner/${w.ids.other}`, role: 'specialist' }),
    ).toMatchObject({ ok: false, error: { code: 'WAITING' } });
    expect(
      await doctor.request('invite', { actor: `Practitioner/${w.ids.other}`, role: 'specialist' }),
    ).toMatchObject({
      ok: true,
    });
    expect(await specialist.request('join', { appointmentId: id })).toMatchObject({
      ok: true,
      state: 'waiting',
      role: 'guest',
    });
    let waiting: { participantId: string; role: string }[] = [];
    for (let i = 0; i < 20 && waiting.length < 2; i++)
      waiting = (await doctor.next('queue')).waiting as { participantId: string; role: string }[];
    expect(waiting.map((x) => x.role).sort()).toEqual(['guest', 'patient']);
    for (const x of waiting)
      expect(await doctor.request('admit', { participantId: x.participantId })).toMatchObject({ ok: true });
    await specialist.next('admitted');
    expect(await specialist.request('chat', { text: 'Đồng ý hướng điều trị' })).toMatchObject({ ok: true });
    // Without the patient's consent, nothing shared goes into the record.
    const noConsent = await fetch(`${t.url}/consultation/visits/${id}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${w.as['doctor.other']!.token}`, 'Content-Type': 'application/pdf' },
      body: Buffer.from('%PDF-1.4\n%%EOF'),
    });
    expect(noConsent.status).toBe(409);
    // The specialist leaves before the end: they took part, so they are in the Encounter.
    expect(await specialist.request('leave', {})).toMatchObject({ ok: true });
    const ended = await doctor.request('end', { notes: 'Hội chẩn tim mạch' });
    const encounterRef = (ended as unknown as { encounter: string }).encounter;
    const encounter = await w.sys.until(encounterRef, (_, status) => status === 200);
    // No consent in this visit: its chat stays out of the record.
    expect((await w.sys.get(`Communication?encounter=${encounterRef}&_summary=count`)).body.total).toBe(0);
    const people = (encounter?.participant as { individual: { reference: string } }[]).map(
      (p) => p.individual.reference,
    );
    expect(people.sort()).toEqual([`Practitioner/${w.ids.doctor}`, `Practitioner/${w.ids.other}`].sort());
  });

  it('an invitation link lets someone without an account join that visit only, as a guest who waits to be admitted', async () => {
    const id = await appointment(19);
    const other = await appointment(22);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ ok: true });
    // Bad invitations change nothing: unknown practitioner, neither actor nor name, a bad role.
    expect(
      await doctor.request('invite', { actor: 'Practitioner/nobody', role: 'specialist' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_PRACTITIONER' },
    });
    expect(await doctor.request('invite', { role: 'interpreter' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await doctor.request('invite', { name: 'Sa Rây', role: 'driver' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    const invited = (await doctor.request('invite', { name: 'Thạch Thị Sa Rây', role: 'interpreter' })) as {
      ok: true;
      joinToken: string;
      joinPath: string;
      expiresAt: string;
    };
    expect(invited).toMatchObject({
      ok: true,
      role: 'interpreter',
      joinPath: `/visit/${id}#join=${invited.joinToken}`,
    });
    expect(new Date(invited.expiresAt).getTime()).toBeGreaterThan(Date.now());

    // A made-up token is refused at the handshake.
    const forged = new VisitClient(t.url, { joinToken: 'x'.repeat(32) });
    clients.push(forged);
    expect(await forged.next('error')).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });

    // The real one opens this visit, not another.
    const guest = await client({ joinToken: invited.joinToken });
    expect(await guest.request('join', { appointmentId: other })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_PARTICIPANT' },
    });
    expect(await guest.request('createTransport', { direction: 'send' })).toMatchObject({ ok: false });
    const joined = await guest.request('join', { appointmentId: id });
    expect(joined).toMatchObject({ ok: true, state: 'waiting', role: 'guest' });
    let waiting: { participantId: string; role: string }[] = [];
    for (let i = 0; i < 20 && waiting.length < 1; i++)
      waiting = (await doctor.next('queue')).waiting as { participantId: string; role: string }[];
    expect(waiting).toEqual([
      expect.objectContaining({ role: 'guest', actor: 'interpreter:Thạch Thị Sa Rây' }),
    ]);
    // A guest cannot do what only the doctor does.
    expect(await doctor.request('admit', { participantId: waiting[0]!.participantId })).toMatchObject({
      ok: true,
    });
    expect(await guest.next('admitted')).toMatchObject({ rtpCapabilities: expect.any(Object) });
    expect(await guest.request('invite', { name: 'Another', role: 'interpreter' })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' }, // the one guard: a guest's events are marked @GuestAllowed
    });
    expect(await guest.request('end', {})).toMatchObject({ ok: false, error: { code: 'AUTH.FORBIDDEN' } });
    expect(await guest.request('consent', { granted: true })).toMatchObject({
      ok: false,
      error: { code: 'AUTH.FORBIDDEN' },
    });
    expect(await guest.request('createTransport', { direction: 'recv' })).toMatchObject({ ok: true });

    // The patient keeps the chat: the guest's message goes into the record under their name (a
    // guest without an account has no resource to reference).
    const patient = await client(w.as['patient.a']!.token);
    expect(await patient.request('join', { appointmentId: id })).toMatchObject({ state: 'waiting' });
    let patientWaiting: { participantId: string; role: string }[] = [];
    for (let i = 0; i < 20 && !patientWaiting.some((x) => x.role === 'patient'); i++)
      patientWaiting = (await doctor.next('queue')).waiting as { participantId: string; role: string }[];
    const patientEntry = patientWaiting.find((x) => x.role === 'patient')!;
    expect(await doctor.request('admit', { participantId: patientEntry.participantId })).toMatchObject({
      ok: true,
    });
    expect(await patient.request('consent', { granted: true })).toMatchObject({ ok: true });
    expect(await guest.request('chat', { text: 'Tôi sẽ dịch sang tiếng Khmer.' })).toMatchObject({
      ok: true,
    });

    // Once the visit ends the link is dead.
    const ended = (await doctor.request('end', {})) as unknown as { ok: boolean; encounter: string };
    expect(ended).toMatchObject({ ok: true });
    const chat = await w.sys.until(
      `Communication?encounter=${ended.encounter}`,
      (body) => ((body.entry as unknown[] | undefined) ?? []).length > 0,
    );
    expect(
      ((chat.entry as { resource: { sender?: unknown; payload?: unknown } }[] | undefined) ?? []).map(
        (e) => ({ sender: e.resource.sender, payload: e.resource.payload }),
      ),
    ).toEqual([
      {
        sender: { display: 'Thạch Thị Sa Rây (interpreter)' },
        payload: [{ contentString: 'Tôi sẽ dịch sang tiếng Khmer.' }],
      },
    ]);
    const late = new VisitClient(t.url, { joinToken: invited.joinToken });
    clients.push(late);
    expect(await late.next('error')).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });
  });

  it('a room everyone left is swept after a while: its router and transports are freed; a later join opens a fresh room', async () => {
    const id = await appointment(25);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({
      ok: true,
      state: 'admitted',
    });
    expect(await doctor.request('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    const rooms = t.app.get(RoomsService);
    const media = rooms.get(id)!.media!;
    expect(media.closed).toBe(false);
    doctor.close();
    await sleep(2500); // the reconnect grace (2 s here) passes: the doctor is gone
    const now = new Date();
    expect(rooms.sweep(now)).not.toContain(id); // noticed empty, kept for someone to come back
    expect(rooms.get(id)).toBeDefined();
    expect(rooms.sweep(new Date(now.getTime() + EMPTY_ROOM_MS))).toContain(id);
    expect(rooms.get(id)).toBeUndefined();
    expect(media.closed).toBe(true);
    const again = await client(w.as.doctor!.token);
    expect(await again.request('join', { appointmentId: id })).toMatchObject({ ok: true, state: 'admitted' });
    expect(rooms.get(id)!.media!.closed).toBe(false);
    expect(await again.request('end', {})).toMatchObject({ ok: true });
  });

  it('a killed media worker: the room is told, a new worker takes over and media is set up again', async () => {
    const id = await appointment(16);
    const doctor = await client(w.as.doctor!.token);
    expect(await doctor.request('join', { appointmentId: id })).toMatchObject({ ok: true });
    expect(await doctor.request('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    const pool = t.app.get(MediaWorkerPool);
    const [pid] = pool.pids();
    process.kill(pid!, 'SIGKILL');
    expect(await doctor.next('mediaReset')).toMatchObject({ reason: 'media-server-restarted' });
    for (let i = 0; i < 40 && !(pool.pids().length > 0 && !pool.pids().includes(pid!)); i++) await sleep(250);
    expect(pool.pids()).not.toContain(pid);
    expect(pool.pids().length).toBeGreaterThan(0);
    const again = await doctor.request('rejoinMedia');
    expect(again).toMatchObject({ ok: true, rtpCapabilities: expect.any(Object) });
    expect(await doctor.request('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    expect(await doctor.request('end', {})).toMatchObject({ ok: true });
  });
});
