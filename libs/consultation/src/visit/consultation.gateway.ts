import { Logger, UseFilters, UseGuards } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { AuthGuard, GuestAllowed, type Principal, RequireScope, SocketAuth, WsAckFilter } from '@mekong/auth';
import type { Namespace, Socket } from 'socket.io';
import {
  hashToken,
  invitationParticipantId,
  type Participant,
  type Room,
  RoomError,
  RoomsService,
} from './rooms.service';
import {
  ChatDto,
  ConsentDto,
  ConsumerRefDto,
  EndDto,
  followUpProblems,
  InviteDto,
  JoinDto,
  LayerDto,
  parse,
  ParticipantDto,
  ProduceDto,
  ProducerRefDto,
  TransportDto,
  TransportRefDto,
} from './visit.dto';
import { ClaimCheckIn } from '@mekong/claims';
import { EprescriptionChecks } from '@mekong/eprescription';
import { WritebackService } from './writeback.service';

type Ack = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

interface SocketData {
  principal?: Principal;
  /** A guest who came with an invitation's join token (no account): that room only. */
  invitation?: { appointmentId: string; tokenHash: string };
  appointmentId?: string;
}

/** The participant id of the socket's caller: their account, or their invitation. */
function callerId(data: SocketData): string | undefined {
  return (
    data.principal?.subject ??
    (data.invitation ? invitationParticipantId(data.invitation.tokenHash) : undefined)
  );
}

const roomKey = (room: Room): string => `visit:${room.appointmentId}`;

const REVOKED_MESSAGE = 'The doctor withdrew the invitation / Bác sĩ đã thu hồi lời mời';

/** What a token needs to connect to a visit (each event declares its own on top). */
const VISIT_SCOPE = 'Encounter.r';

/**
 * Signaling for video visits, socket.io namespace `/consultation` (docs/consultation-protocol.md).
 * The handshake carries the access token (`auth.token`); every request is acknowledged with
 * `{ ok: true, … }` or `{ ok: false, error: { code, message } }`.
 */
@WebSocketGateway({ namespace: '/consultation' })
// Nest applies global guards to HTTP only: the one AuthGuard is named here for every event.
@UseGuards(AuthGuard)
@UseFilters(WsAckFilter)
export class ConsultationGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('Consultation');
  @WebSocketServer() private readonly server!: Namespace;

  constructor(
    private readonly socketAuth: SocketAuth,
    private readonly rooms: RoomsService,
    private readonly writeback: WritebackService,
    private readonly eprescriptions: EprescriptionChecks,
    private readonly checkIns: ClaimCheckIn,
  ) {
    this.rooms.events = {
      toParticipant: (room, participantId, event, payload) => {
        const socketId = room.participants.get(participantId)?.socketId;
        if (socketId) this.server.to(socketId).emit(event, payload);
      },
      toRoom: (room, event, payload, except) => {
        const target = this.server.to(roomKey(room));
        (except ? target.except(except) : target).emit(event, payload);
      },
      invitationsEnded: (room, tokenHashes, reason) => this.closeGuests(room, tokenHashes, reason),
    };
  }

  /** Closes the sockets that came with these join tokens (revoked, or the visit ended). */
  private closeGuests(room: Room, tokenHashes: readonly string[], reason: 'revoked' | 'ended'): void {
    const hashes = new Set(tokenHashes);
    for (const s of [...this.server.sockets.values()]) {
      const invitation = (s.data as SocketData).invitation;
      if (invitation?.appointmentId !== room.appointmentId || !hashes.has(invitation.tokenHash)) continue;
      s.emit('error', {
        code: reason === 'revoked' ? 'INVITATION_REVOKED' : 'VISIT_ENDED',
        message: reason === 'revoked' ? REVOKED_MESSAGE : 'The visit has ended / Buổi khám đã kết thúc',
      });
      s.disconnect(true);
    }
  }

  async handleConnection(socket: Socket): Promise<void> {
    const auth = socket.handshake.auth as { token?: unknown; joinToken?: unknown } | undefined;
    try {
      if (typeof auth?.token === 'string') {
        await this.socketAuth.accept(socket, auth.token, VISIT_SCOPE);
      } else if (typeof auth?.joinToken === 'string') {
        const found = this.rooms.findInvitation(auth.joinToken);
        if (!found) throw new Error('invitation expired or unknown');
        (socket.data as SocketData).invitation = {
          appointmentId: found.room.appointmentId,
          tokenHash: hashToken(auth.joinToken),
        };
      } else throw new Error('auth.token is required');
      socket.emit('ready', {});
    } catch (err) {
      socket.emit('error', {
        code: err instanceof DomainError ? err.code : 'AUTH.INVALID_TOKEN',
        message: `Sign in again / Vui lòng đăng nhập lại (${err instanceof Error ? err.message : 'invalid token'})`,
      });
      socket.disconnect(true);
    }
  }

  handleDisconnect(socket: Socket): void {
    const data = socket.data as SocketData;
    const room = data.appointmentId ? this.rooms.get(data.appointmentId) : undefined;
    const id = callerId(data);
    const p = room && id ? room.participants.get(id) : undefined;
    if (!room || !p) return;
    this.rooms.disconnected(room, p, socket.id, () => {
      this.server
        .to(roomKey(room))
        .emit('participantLeft', { participantId: p.id, reason: 'connection-lost' });
      this.pushQueue(room);
    });
  }

  private async guard(
    socket: Socket,
    work: () => Promise<Record<string, unknown>> | Record<string, unknown>,
  ): Promise<Ack> {
    try {
      return { ok: true, ...(await work()) };
    } catch (err) {
      const error =
        err instanceof RoomError
          ? { code: err.code, message: err.message }
          : { code: 'MEDIA_ERROR', message: err instanceof Error ? err.message : String(err) };
      if (!(err instanceof RoomError)) this.logger.warn(`${socket.id}: ${error.message}`);
      return { ok: false, error };
    }
  }

  /** The caller's room and participant; admitted ones only unless `waitingOk`. */
  private context(socket: Socket, waitingOk = false): { room: Room; me: Participant } {
    const data = socket.data as SocketData;
    const room = data.appointmentId ? this.rooms.get(data.appointmentId) : undefined;
    const id = callerId(data);
    const me = room && id ? room.participants.get(id) : undefined;
    if (!room || !me) throw new RoomError('NOT_JOINED', 'Join the visit first / Hãy vào phòng khám trước');
    if (!waitingOk && me.state !== 'admitted')
      throw new RoomError('WAITING', 'Waiting for the doctor / Đang chờ bác sĩ');
    return { room, me };
  }

  private pushQueue(room: Room): void {
    const queue = this.rooms.queue(room);
    for (const p of room.participants.values())
      if (p.role === 'host' && p.socketId) this.server.to(p.socketId).emit('queue', { waiting: queue });
  }

  private admittedView(room: Room, me: Participant): Record<string, unknown> {
    return {
      rtpCapabilities: room.media?.rtpCapabilities,
      participants: [...room.participants.values()]
        .filter((p) => p.state === 'admitted' && p.id !== me.id)
        .map((p) => ({ participantId: p.id, actor: p.actor, role: p.role, name: p.name })),
      producers: (room.media?.producerList() ?? [])
        .filter((x) => x.owner !== me.id)
        .map((x) => ({ producerId: x.id, participantId: x.owner, kind: x.kind, source: x.source })),
    };
  }

  /**
   * `owner`'s new producers reach everyone else admitted: as consumers the server created for
   * them, all in one `newConsumers` event (one round trip less on a slow link) when they told us
   * how they receive, or as `newProducer` for them to consume.
   */
  private async announce(
    room: Room,
    owner: Participant,
    producers: { id: string; kind: string; source: unknown }[],
  ): Promise<void> {
    const others = [...room.participants.values()].filter(
      (q) => q.id !== owner.id && q.state === 'admitted' && q.socketId,
    );
    await Promise.all(
      others.map(async (q) => {
        const made = await Promise.all(
          producers.map(async (x) => ({
            producerId: x.id,
            participantId: owner.id,
            kind: x.kind,
            source: x.source,
            consumer: await room.media?.consumeFor(q.id, x.id),
          })),
        );
        if (!q.socketId) return;
        const consumers = made.filter((x) => x.consumer);
        if (consumers.length > 0) this.server.to(q.socketId).emit('newConsumers', { consumers });
        for (const { consumer, ...about } of made)
          if (!consumer) this.server.to(q.socketId).emit('newProducer', about);
      }),
    );
  }

  /** On admission: the room as `admittedView`, plus consumers already created for the newcomer. */
  private async admittedPush(room: Room, me: Participant): Promise<Record<string, unknown>> {
    const view = this.admittedView(room, me);
    const consumers = await Promise.all(
      (view.producers as { producerId: string; participantId: string }[]).map(async (x) => ({
        ...x,
        consumer: await room.media?.consumeFor(me.id, x.producerId),
      })),
    );
    return { ...view, consumers: consumers.filter((x) => x.consumer) };
  }

  /** A file was shared (visit-files.controller.ts): everyone admitted sees it in the chat. */
  announceFile(room: Room, file: Record<string, unknown>): void {
    this.server.to(roomKey(room)).emit('file', file);
  }

  @SubscribeMessage('join')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  join(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const data = socket.data as SocketData;
      const { appointmentId } = parse(JoinDto, body);
      if (data.invitation && data.invitation.appointmentId !== appointmentId)
        throw new RoomError(
          'NOT_A_PARTICIPANT',
          'You are not a participant of this visit / Bạn không tham gia buổi khám này',
        );
      const { room, me, rejoined } = data.invitation
        ? this.rooms.joinWithInvitation(appointmentId, data.invitation.tokenHash, socket.id)
        : await this.rooms.join(appointmentId, data.principal as Principal, socket.id);
      data.appointmentId = appointmentId;
      if (me.role === 'patient' && !rejoined)
        await this.writeback
          .markArrived(appointmentId)
          .catch((err: unknown) =>
            this.logger.warn(`visit ${appointmentId} not marked arrived: ${String(err)}`),
          );
      if (me.state === 'admitted') {
        await socket.join(roomKey(room));
        if (!rejoined)
          socket.to(roomKey(room)).emit('participantJoined', {
            participantId: me.id,
            actor: me.actor,
            role: me.role,
            name: me.name,
          });
        else socket.to(roomKey(room)).emit('participantReconnected', { participantId: me.id });
        if (me.role === 'host') this.pushQueue(room);
        return { state: 'admitted', role: me.role, participantId: me.id, ...this.admittedView(room, me) };
      }
      this.pushQueue(room);
      // Set up media while waiting (held: nothing forwarded until admission); without a media
      // server the waiting room still works and media is set up on admission.
      const media = await this.rooms.ensureMedia(room).catch(() => undefined);
      return {
        state: 'waiting',
        role: me.role,
        participantId: me.id,
        doctorPresent: [...room.participants.values()].some((p) => p.role === 'host' && p.socketId),
        ...(media ? { rtpCapabilities: media.rtpCapabilities } : {}),
      };
    });
  }

  @SubscribeMessage('admit')
  @RequireScope('Encounter.u')
  admit(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      const { participantId } = parse(ParticipantDto, body);
      const starts = room.startedAt === undefined;
      const p = await this.rooms.admit(room, me, participantId);
      // The visit starts with the first admission: its first charge, so its insurance check-in.
      if (starts) await this.checkIn(room, me);
      const target = p.socketId ? this.server.sockets.get(p.socketId) : undefined;
      await target?.join(roomKey(room));
      // What they set up while waiting joins the room now.
      const released = (await room.media?.release(p.id)) ?? [];
      const view = await this.admittedPush(room, p);
      if (p.socketId) this.server.to(p.socketId).emit('admitted', { participantId: p.id, ...view });
      this.server
        .to(roomKey(room))
        .except(p.socketId ?? '')
        .emit('participantJoined', { participantId: p.id, actor: p.actor, role: p.role, name: p.name });
      await this.announce(room, p, released);
      room.media?.sealGates(p.id);
      this.pushQueue(room);
      return { participantId: p.id };
    });
  }

  /**
   * The visit's check-in (XML0) to the insurance gateway, queued by claims (its published API)
   * with the Encounter the visit will be written as. A failure is logged, never the visit's.
   */
  private async checkIn(room: Room, host: Participant): Promise<void> {
    const organization = (host.principal as Principal | undefined)?.organization;
    await this.checkIns
      .visitStarted({
        encounterId: this.writeback.encounterId(room.visitId),
        patient: `Patient/${room.patientId}`,
        ...(organization ? { organization } : {}),
        startedAt: (room.startedAt ?? new Date()).toISOString(),
      })
      .catch((err: unknown) =>
        this.logger.warn(`visit ${room.visitId}: check-in not queued: ${String(err)}`),
      );
  }

  @SubscribeMessage('invite')
  @RequireScope('Encounter.u')
  invite(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      const dto = parse(InviteDto, body);
      const { joinToken, participantId, expiresAt } = await this.rooms.invite(room, me, dto);
      return {
        invited: dto.actor ?? dto.name,
        role: dto.role,
        joinToken,
        participantId,
        joinPath: `/visit/${room.appointmentId}#join=${joinToken}`,
        expiresAt: expiresAt.toISOString(),
      };
    });
  }

  /**
   * The doctor withdraws an invitation (`participantId` from the `invite` ack or the queue): its
   * join token is refused from now on and its guest, waiting or admitted, is put out.
   */
  @SubscribeMessage('revokeInvitation')
  @RequireScope('Encounter.u')
  revokeInvitation(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      const gone = this.rooms.revokeInvitation(room, me, parse(ParticipantDto, body).participantId);
      // A practitioner invited by reference is signed in: their socket stays, out of the room.
      const signedIn = gone?.socketId ? this.server.sockets.get(gone.socketId) : undefined;
      if (signedIn && !(signedIn.data as SocketData).invitation) {
        await signedIn.leave(roomKey(room));
        (signedIn.data as SocketData).appointmentId = undefined;
        signedIn.emit('invitationRevoked', { message: REVOKED_MESSAGE });
      }
      if (gone?.state === 'admitted')
        this.server.to(roomKey(room)).emit('participantLeft', { participantId: gone.id, reason: 'revoked' });
      if (gone) this.pushQueue(room);
      return {};
    });
  }

  @SubscribeMessage('decline')
  @RequireScope('Encounter.u')
  decline(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, () => {
      const { room, me } = this.context(socket);
      const p = this.rooms.decline(room, me, parse(ParticipantDto, body).participantId);
      if (p.socketId)
        this.server
          .to(p.socketId)
          .emit('declined', { message: 'The doctor could not admit you / Bác sĩ chưa thể tiếp bạn' });
      this.pushQueue(room);
      return {};
    });
  }

  /**
   * After `mediaReset` (or a reconnect): a fresh router's capabilities and the current producers
   * (only the capabilities while waiting).
   */
  @SubscribeMessage('rejoinMedia')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  rejoinMedia(@ConnectedSocket() socket: Socket): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      // Setting media up again: what this participant had on the current router goes first.
      room.media?.closeParticipant(me.id);
      const media = await this.rooms.ensureMedia(room);
      return me.state === 'admitted'
        ? this.admittedView(room, me)
        : { rtpCapabilities: media.rtpCapabilities };
    });
  }

  @SubscribeMessage('createTransport')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  createTransport(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      const dto = parse(TransportDto, body);
      const media = await this.rooms.ensureMedia(room);
      const transport = await media.createTransport(me.id);
      if (dto.direction === 'recv' && dto.rtpCapabilities)
        media.setReceiver(me.id, transport.id, dto.rtpCapabilities);
      return { transport };
    });
  }

  @SubscribeMessage('connectTransport')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  connectTransport(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: { dtlsParameters?: unknown },
  ): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      const { transportId } = parse(TransportRefDto, body);
      await room.media?.connectTransport(me.id, transportId, body.dtlsParameters);
      return {};
    });
  }

  @SubscribeMessage('restartIce')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  restartIce(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      const { transportId } = parse(TransportRefDto, body);
      return { iceParameters: await room.media?.restartIce(me.id, transportId) };
    });
  }

  @SubscribeMessage('produce')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  produce(@ConnectedSocket() socket: Socket, @MessageBody() body: { rtpParameters?: unknown }): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      const dto = parse(ProduceDto, body);
      const media = await this.rooms.ensureMedia(room);
      // In the waiting room: held (paused, invisible) until the doctor admits (see `admit`).
      const held = me.state !== 'admitted';
      const producerId = await media.produce(
        me.id,
        dto.transportId,
        dto.kind,
        body.rtpParameters,
        { source: dto.source },
        held,
      );
      if (held && me.state === 'admitted') {
        // Admitted while the worker created it, after `admit` released what we had: it joins now
        // (unless `admit` found it already; then its gates are admit's to seal).
        const released = await media.release(me.id);
        if (released.length > 0) {
          await this.announce(room, me, released);
          media.sealGates(me.id);
        }
        return { producerId, held: false };
      }
      // Answered first: the producer's side does not wait for the others' consumers.
      if (!held)
        setImmediate(
          () => void this.announce(room, me, [{ id: producerId, kind: dto.kind, source: dto.source }]),
        );
      return { producerId, held };
    });
  }

  @SubscribeMessage('consume')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  consume(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: { rtpCapabilities?: unknown },
  ): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      const { transportId } = parse(TransportRefDto, body);
      const { producerId } = parse(ProducerRefDto, body);
      const media = await this.rooms.ensureMedia(room);
      return { consumer: await media.consume(me.id, transportId, producerId, body.rtpCapabilities) };
    });
  }

  @SubscribeMessage('resumeConsumer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  resumeConsumer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      await room.media?.resumeConsumer(me.id, parse(ConsumerRefDto, body).consumerId);
      return {};
    });
  }

  /** Stop receiving one stream (audio-only on a weak link): nothing of it is forwarded until resumed. */
  @SubscribeMessage('pauseConsumer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  pauseConsumer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      await room.media?.pauseConsumer(me.id, parse(ConsumerRefDto, body).consumerId);
      return {};
    });
  }

  @SubscribeMessage('setPreferredLayer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  setPreferredLayer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      const dto = parse(LayerDto, body);
      await room.media?.setPreferredLayer(me.id, dto.consumerId, dto.spatialLayer);
      return {};
    });
  }

  @SubscribeMessage('pauseProducer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  pauseProducer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.setPaused(socket, body, true);
  }

  @SubscribeMessage('resumeProducer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  resumeProducer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.setPaused(socket, body, false);
  }

  private setPaused(socket: Socket, body: unknown, paused: boolean): Promise<Ack> {
    return this.guard(socket, async () => {
      // Muting is allowed in the waiting room; resuming needs admission.
      const { room, me } = this.context(socket, paused);
      const { producerId } = parse(ProducerRefDto, body);
      // A camera just released from the waiting room resumes once its viewers are ready: the
      // others are told `producerResumed` then (MediaRoom events), not before its picture.
      const now = (await room.media?.setProducerPaused(me.id, producerId, paused)) ?? true;
      if (me.state === 'admitted' && now)
        socket
          .to(roomKey(room))
          .emit(paused ? 'producerPaused' : 'producerResumed', { producerId, participantId: me.id });
      return {};
    });
  }

  @SubscribeMessage('closeProducer')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  closeProducer(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, () => {
      const { room, me } = this.context(socket);
      const { producerId } = parse(ProducerRefDto, body);
      room.media?.closeProducer(me.id, producerId);
      return {};
    });
  }

  @SubscribeMessage('chat')
  @RequireScope('Communication.c')
  @GuestAllowed()
  chat(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, () => {
      const { room, me } = this.context(socket);
      const { text } = parse(ChatDto, body);
      const message = { from: me.id, actor: me.actor, role: me.role, text, at: new Date().toISOString() };
      room.chat.push({ actor: me.actor, text, at: message.at });
      this.server.to(roomKey(room)).emit('chat', message);
      return { message };
    });
  }

  /**
   * The patient agrees that this visit's chat goes into their record: a Consent resource is
   * written as theirs (audited), and the transcript is written back with the visit.
   */
  @SubscribeMessage('consent')
  @RequireScope('Consent.c')
  consent(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      parse(ConsentDto, body);
      if (me.role !== 'patient')
        throw new RoomError('FORBIDDEN', 'Only the patient consents / Chỉ bệnh nhân đồng ý');
      room.consentId ??= await this.writeback.recordConsent(
        room.patientId,
        room.appointmentId,
        me.principal as Principal,
      );
      this.server
        .to(roomKey(room))
        .emit('recordingConsent', { granted: true, consent: `Consent/${room.consentId}` });
      return { consent: `Consent/${room.consentId}` };
    });
  }

  @SubscribeMessage('leave')
  @RequireScope('Encounter.r')
  @GuestAllowed()
  leave(@ConnectedSocket() socket: Socket): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket, true);
      this.rooms.leave(room, me);
      await socket.leave(roomKey(room));
      (socket.data as SocketData).appointmentId = undefined;
      this.server.to(roomKey(room)).emit('participantLeft', { participantId: me.id, reason: 'left' });
      this.pushQueue(room);
      return {};
    });
  }

  /** The doctor ends the visit: everyone is told, media closes, the write-back job is enqueued. */
  @SubscribeMessage('end')
  @RequireScope('Encounter.u')
  end(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<Ack> {
    return this.guard(socket, async () => {
      const { room, me } = this.context(socket);
      if (me.role !== 'host')
        throw new RoomError('FORBIDDEN', 'Only the doctor ends the visit / Chỉ bác sĩ kết thúc buổi khám');
      const dto = parse(EndDto, body);
      const visit = {
        visitId: room.visitId,
        appointmentId: room.appointmentId,
        patientId: room.patientId,
        author: me.principal as Principal,
        // The appointment's practitioners and every practitioner admitted, also those who left
        // (not those invited who were never admitted).
        practitioners: [
          ...new Set([
            ...room.practitioners,
            ...[...room.attended].filter((a) => a.startsWith('Practitioner/')),
          ]),
        ],
        start: (room.startedAt ?? new Date()).toISOString(),
        end: new Date().toISOString(),
        reasonCode: room.reasonCode,
        notes: dto.notes,
        diagnoses: dto.diagnoses?.map((d) => ({
          code: d.code,
          ...(d.display ? { display: d.display } : {}),
        })),
        // Structured for the national prescription system (issue 21 part 2): nothing the doctor entered is dropped.
        prescriptions: dto.prescriptions?.map(
          ({ medication, dosage, drugCode, quantity, unit, days, type }) => ({
            medication,
            dosage,
            drugCode,
            quantity,
            unit,
            days,
            type,
          }),
        ),
        // The re-visit appointment ("giấy hẹn khám lại"), checked below against the end time.
        followUp: dto.followUp
          ? { at: dto.followUp.at, ...(dto.followUp.note?.trim() ? { note: dto.followUp.note.trim() } : {}) }
          : undefined,
        // The transcript goes into the record only with the patient's consent.
        chat: room.consentId ? room.chat : undefined,
      };
      // The re-visit date and the prescribing rules (Circular 26/2025/TT-BYT) are checked before the
      // visit closes: a refusal is said to the doctor now, not retried for ever by the write-back job.
      const problems = [
        ...followUpProblems(visit.followUp, visit.end),
        ...(await this.eprescriptions.checkVisit(
          me.principal as Principal,
          visit.prescriptions ?? [],
          visit.diagnoses ?? [],
        )),
      ];
      if (problems.length > 0) throw new RoomError('BAD_REQUEST', problems.join('; '));
      await this.writeback.enqueue(visit);
      this.server.to(roomKey(room)).emit('ended', { visitId: room.visitId, by: me.actor });
      this.rooms.end(room);
      return { visitId: visit.visitId, encounter: `Encounter/${this.writeback.encounterId(visit.visitId)}` };
    });
  }
}
