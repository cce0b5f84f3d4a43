import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import type { QueueEntry, RoomRole, WaitingEntry } from '@mekong/contracts';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { type FhirResource, FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { MediaRoom } from '../media/media-room';
import { MediaWorkerPool } from '../media/media-worker-pool';

/** How often stale rooms are looked for, and how long an empty room is kept for someone to come back. */
const SWEEP_EVERY_MS = 60_000;
export const EMPTY_ROOM_MS = 10 * 60_000;

/** The room's roles and queue entries: the shared contract (libs/contracts). */
export type { QueueEntry, RoomRole, WaitingEntry };

export type InviteRole = 'specialist' | 'station-staff' | 'interpreter';

/** An invitation the doctor made: its join token works for this room only, until the room closes. */
export interface Invitation {
  readonly tokenHash: string;
  readonly actor?: string;
  readonly name?: string;
  readonly role: InviteRole;
  readonly invitedBy: string;
  readonly expiresAt: Date;
}

export interface Participant {
  readonly id: string;
  /** The signed-in account; absent for a guest who came with an invitation's join token. */
  readonly principal?: Principal;
  readonly name?: string;
  readonly role: RoomRole;
  readonly actor: string;
  state: 'waiting' | 'admitted';
  readonly since: Date;
  socketId?: string;
  graceTimer?: NodeJS.Timeout;
}

export interface Room {
  readonly appointmentId: string;
  readonly visitId: string;
  readonly patientId: string;
  readonly practitioners: readonly string[];
  readonly reason: string;
  readonly reasonCode?: unknown[];
  readonly priority: number;
  readonly start: Date;
  readonly end: Date;
  startedAt?: Date;
  media?: MediaRoom;
  /** The router being created (see RoomsService.ensureMedia). */
  mediaStarting?: Promise<MediaRoom>;
  readonly participants: Map<string, Participant>;
  /** Everyone who was in the visit itself (admitted), also if they left: the Encounter's participants. */
  readonly attended: Set<string>;
  /** Invitations by token hash (second specialist, station staff, interpreter): they join as guests. */
  readonly invited: Map<string, Invitation>;
  /** The chat so far; kept in the record at the end only if the patient consented (`consentId`). */
  readonly chat: { actor: string; text: string; at: string }[];
  consentId?: string;
  ended: boolean;
  /** Since when nobody has been connected (the sweeper closes rooms left empty). */
  emptySince?: Date;
}

/** A refusal the client is told about (error code + bilingual message). */
export class RoomError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RoomEvents {
  toParticipant(room: Room, participantId: string, event: string, payload: unknown): void;
  toRoom(room: Room, event: string, payload: unknown, except?: string): void;
  /** These invitations' join tokens died (revoked, or the visit ended): their sockets are closed. */
  invitationsEnded(room: Room, tokenHashes: readonly string[], reason: 'revoked' | 'ended'): void;
}

/**
 * Video-visit rooms, one per appointment, in this process's memory: who may join (the
 * appointment's participants), the waiting room, admission, the media router, and the grace
 * period of a dropped participant. docs/consultation-protocol.md describes the events.
 */
/** The waiting room reads the Appointment and the directory for itself. */
const WAITING_ROOM = SystemReason.of(SYSTEM_REASONS.waitingRoom);

@Injectable()
export class RoomsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Rooms');
  private readonly rooms = new Map<string, Room>();
  private readonly marginMs: number;
  private readonly graceMs: number;
  events?: RoomEvents;

  constructor(
    private readonly store: FhirStore,
    private readonly media: MediaWorkerPool,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.marginMs = config.consultation.marginMinutes * 60_000;
    this.graceMs = config.consultation.reconnectGraceSeconds * 1000;
  }

  /** Who tells the waiting room how urgent a patient is (the extension point; care's NEWS2). */
  private readonly urgency: WaitingRoomUrgency[] = [];

  /** Registers another context's urgency source (at its module init, before any room opens). */
  addUrgency(source: WaitingRoomUrgency): void {
    this.urgency.push(source);
  }

  /** What the registered sources say of a waiting patient (answered from their caches). */
  private urgencyOf(patientId: string): PatientUrgency {
    return Object.assign({}, ...this.urgency.map((u) => u.urgencyOf(patientId))) as PatientUrgency;
  }

  get(appointmentId: string): Room | undefined {
    return this.rooms.get(appointmentId);
  }

  /** The room of an appointment, checked: active, within its window, the caller a participant. */
  async join(
    appointmentId: string,
    principal: Principal,
    socketId: string,
  ): Promise<{ room: Room; me: Participant; rejoined: boolean }> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(appointmentId))
      throw new RoomError('BAD_REQUEST', 'appointmentId is not a FHIR id');
    const v = await this.store.read('Appointment', appointmentId, WAITING_ROOM).catch(() => undefined);
    const a = v?.content as
      | (FhirResource & {
          status?: string;
          start?: string;
          end?: string;
          priority?: number;
          reasonCode?: { text?: string; coding?: { display?: string }[] }[];
          description?: string;
          participant?: { actor?: { reference?: string } }[];
        })
      | undefined;
    const actors = (a?.participant ?? [])
      .map((p) => p.actor?.reference)
      .filter((r): r is string => typeof r === 'string');
    const patient = actors.find((r) => r.startsWith('Patient/'));
    const me = principal.fhirUser;
    const invited =
      me !== undefined &&
      [...(this.rooms.get(appointmentId)?.invited.values() ?? [])].some((i) => i.actor === me);
    const role: RoomRole | undefined =
      me && actors.includes(me) && me.startsWith('Practitioner/')
        ? 'host'
        : (me && actors.includes(me)) ||
            (principal.role === 'patient' && patient === `Patient/${principal.patient}`)
          ? 'patient'
          : invited
            ? 'guest'
            : undefined;
    // Not found and not yours look the same: ids of other people's visits cannot be probed.
    if (!a || !patient || !role)
      throw new RoomError(
        'NOT_A_PARTICIPANT',
        'You are not a participant of this visit / Bạn không tham gia buổi khám này',
      );
    if (!['booked', 'arrived', 'checked-in'].includes(String(a.status)))
      throw new RoomError(
        'VISIT_NOT_ACTIVE',
        `This appointment is ${String(a.status)} / Lịch hẹn không còn hiệu lực`,
      );
    const start = new Date(String(a.start));
    const end = new Date(String(a.end));
    const now = Date.now();
    if (now < start.getTime() - this.marginMs || now > end.getTime() + this.marginMs)
      throw new RoomError(
        'OUTSIDE_WINDOW',
        `The room opens ${this.marginMs / 60000} minutes before ${start.toISOString()} / Phòng khám mở trước giờ hẹn ${this.marginMs / 60000} phút`,
      );
    let room = this.rooms.get(appointmentId);
    if (!room || room.ended) {
      room = {
        appointmentId,
        visitId: randomUUID(),
        patientId: patient.slice(8),
        practitioners: actors.filter((r) => r.startsWith('Practitioner/')),
        reason: a.reasonCode?.[0]?.text ?? a.reasonCode?.[0]?.coding?.[0]?.display ?? a.description ?? '',
        reasonCode: a.reasonCode,
        priority: typeof a.priority === 'number' ? a.priority : 5,
        start,
        end,
        participants: new Map(),
        attended: new Set(),
        invited: new Map(),
        chat: [],
        ended: false,
      };
      this.rooms.set(appointmentId, room);
    }
    for (const u of this.urgency) await u.watch(room.patientId);
    const id = principal.subject;
    const existing = room.participants.get(id);
    if (existing) return { room, me: this.rejoin(room, existing, socketId), rejoined: true };
    const participant: Participant = {
      id,
      principal,
      role,
      actor: me ?? `Patient/${principal.patient ?? ''}`,
      state: role === 'host' ? 'admitted' : 'waiting',
      since: new Date(),
      socketId,
    };
    room.participants.set(id, participant);
    if (participant.state === 'admitted') {
      room.attended.add(participant.actor);
      await this.ensureMedia(room);
    }
    return { room, me: participant, rejoined: false };
  }

  /**
   * The room's router, created once: concurrent callers (everyone rejoining after a media reset)
   * share one creation, so they all land on the same router.
   */
  ensureMedia(room: Room): Promise<MediaRoom> {
    if (room.media && !room.media.closed) return Promise.resolve(room.media);
    room.mediaStarting ??= this.createMedia(room).finally(() => {
      room.mediaStarting = undefined;
    });
    return room.mediaStarting;
  }

  private async createMedia(room: Room): Promise<MediaRoom> {
    if (!this.media.available)
      throw new RoomError('MEDIA_UNAVAILABLE', 'Video is unavailable right now / Tạm thời không có video');
    room.media = await this.media.createRoom({
      consumerScore: (owner, consumerId, score, producerScore) =>
        this.events?.toParticipant(room, owner, 'networkQuality', { consumerId, score, producerScore }),
      producerScore: (owner, producerId, score) =>
        this.events?.toParticipant(room, owner, 'sendQuality', { producerId, score }),
      consumerClosed: (owner, consumerId, producerId) =>
        this.events?.toParticipant(room, owner, 'consumerClosed', { consumerId, producerId }),
      producerResumed: (owner, producerId) =>
        this.events?.toRoom(
          room,
          'producerResumed',
          { producerId, participantId: owner },
          room.participants.get(owner)?.socketId,
        ),
      activeSpeaker: (owner, producerId) =>
        this.events?.toRoom(room, 'activeSpeaker', { participantId: owner, producerId }),
      mediaLost: () => {
        // The worker died (the pool replaces it): a new router on a live worker on request.
        room.media = undefined;
        this.logger.warn(`media of visit ${room.appointmentId} lost with its worker; participants reconnect`);
        this.events?.toRoom(room, 'mediaReset', { reason: 'media-server-restarted' });
        // Those waiting had set media up ahead of admission: they set it up again too.
        for (const p of room.participants.values())
          if (p.state === 'waiting')
            this.events?.toParticipant(room, p.id, 'mediaReset', { reason: 'media-server-restarted' });
      },
      poorVideo: (owner, consumerId) =>
        this.events?.toParticipant(room, owner, 'suggestAudioOnly', {
          consumerId,
          message: 'Your connection is weak: switch to audio only? / Mạng yếu: chuyển sang chỉ âm thanh?',
        }),
    });
    return room.media;
  }

  /**
   * The waiting queue the host sees: reason, triage priority (1 = most urgent), since when, and
   * the patient's NEWS2 (`news2`, `alert`: their NEWS2 Flag, when there is one). Order: an active
   * NEWS2 alert first (higher score first), then priority, then since.
   */
  queue(room: Room): QueueEntry[] {
    const early = this.urgencyOf(room.patientId);
    return [...room.participants.values()]
      .filter((p) => p.state === 'waiting')
      .map((p) => ({
        participantId: p.id,
        actor: p.actor,
        role: p.role,
        reason: room.reason,
        priority: room.priority,
        since: p.since.toISOString(),
        ...early,
      }))
      .sort(byUrgency);
  }

  /**
   * Everyone waiting now in the rooms where `practitionerRef` (`Practitioner/<id>`) is a
   * practitioner of the appointment: the HTTP view of the queue (GET /consultation/waiting).
   */
  waitingFor(practitionerRef: string): WaitingEntry[] {
    return [...this.rooms.values()]
      .filter((room) => !room.ended && room.practitioners.includes(practitionerRef))
      .flatMap((room) => this.queue(room).map((q) => ({ appointmentId: room.appointmentId, ...q })))
      .sort(byUrgency);
  }

  /**
   * The doctor invites someone (a second specialist for a "hội chẩn", the commune station's
   * staff, an interpreter): by FHIR reference, so they can join with their own sign-in, and with a
   * join token scoped to this room (valid until the room's window closes or the visit ends) for
   * those who have no account. Either way they wait to be admitted like anyone else.
   */
  async invite(
    room: Room,
    host: Participant,
    who: { actor?: string; name?: string; role: InviteRole },
  ): Promise<{ joinToken: string; participantId: string; expiresAt: Date }> {
    if (host.role !== 'host')
      throw new RoomError('FORBIDDEN', 'Only the doctor invites / Chỉ bác sĩ được mời');
    // The Encounter will name them: the reference must exist in the directory.
    if (
      who.actor &&
      !(await this.store.read('Practitioner', who.actor.slice(13), WAITING_ROOM).catch(() => undefined))
    )
      throw new RoomError(
        'UNKNOWN_PRACTITIONER',
        `${who.actor} is not in the directory / không có trong danh bạ`,
      );
    const joinToken = randomBytes(24).toString('base64url');
    const invitation: Invitation = {
      tokenHash: hashToken(joinToken),
      ...(who.actor ? { actor: who.actor } : {}),
      ...(who.name ? { name: who.name } : {}),
      role: who.role,
      invitedBy: host.actor,
      expiresAt: new Date(room.end.getTime() + this.marginMs),
    };
    room.invited.set(invitation.tokenHash, invitation);
    return {
      joinToken,
      participantId: invitationParticipantId(invitation.tokenHash),
      expiresAt: invitation.expiresAt,
    };
  }

  /**
   * The doctor takes an invitation back (named by the participant id its guest has, or would
   * have): its join token stops working at once, its guest leaves the room (waiting or admitted)
   * and its sockets are closed. Answers the participant who was in the room, if any.
   */
  revokeInvitation(room: Room, host: Participant, participantId: string): Participant | undefined {
    if (host.role !== 'host')
      throw new RoomError(
        'FORBIDDEN',
        'Only the doctor revokes an invitation / Chỉ bác sĩ được thu hồi lời mời',
      );
    // Named by the invitation's id, or by the guest in the queue (a practitioner invited by
    // reference who came with their own sign-in has their account as participant id).
    const named = room.participants.get(participantId);
    const invitation = [...room.invited.values()].find(
      (i) =>
        invitationParticipantId(i.tokenHash) === participantId ||
        (named?.role === 'guest' && named.principal !== undefined && i.actor === named.actor),
    );
    if (!invitation) throw new RoomError('NOT_INVITED', 'No such invitation / Không có lời mời này');
    room.invited.delete(invitation.tokenHash);
    const guests = [...room.participants.values()].filter(
      (p) =>
        p.role === 'guest' &&
        (p.id === invitationParticipantId(invitation.tokenHash) ||
          (invitation.actor !== undefined && p.principal !== undefined && p.actor === invitation.actor)),
    );
    for (const p of guests) this.leave(room, p);
    this.events?.invitationsEnded(room, [invitation.tokenHash], 'revoked');
    return guests[0];
  }

  /** The room and invitation a join token opens, if it is still valid. */
  findInvitation(joinToken: string): { room: Room; invitation: Invitation } | undefined {
    const hash = hashToken(joinToken);
    for (const room of this.rooms.values()) {
      const invitation = room.invited.get(hash);
      if (invitation && !room.ended && invitation.expiresAt.getTime() > Date.now())
        return { room, invitation };
    }
    return undefined;
  }

  /** A guest with a join token enters the waiting room (or gets their place back). */
  joinWithInvitation(
    appointmentId: string,
    tokenHash: string,
    socketId: string,
  ): { room: Room; me: Participant; rejoined: boolean } {
    const room = this.rooms.get(appointmentId);
    const invitation = room?.invited.get(tokenHash);
    if (!room || room.ended || !invitation || invitation.expiresAt.getTime() <= Date.now())
      throw new RoomError(
        'NOT_A_PARTICIPANT',
        'This invitation is not valid for this visit / Lời mời không còn hiệu lực cho buổi khám này',
      );
    const id = invitationParticipantId(tokenHash);
    const existing = room.participants.get(id);
    if (existing) return { room, me: this.rejoin(room, existing, socketId), rejoined: true };
    const participant: Participant = {
      id,
      role: 'guest',
      actor: invitation.actor ?? `${invitation.role}:${invitation.name ?? 'guest'}`,
      ...(invitation.name ? { name: invitation.name } : {}),
      state: 'waiting',
      since: new Date(),
      socketId,
    };
    room.participants.set(id, participant);
    return { room, me: participant, rejoined: false };
  }

  private rejoin(room: Room, existing: Participant, socketId: string): Participant {
    // Back within the grace period (or a second tab): keep the place, no re-admission; the old
    // transports are closed and the client sets media up again.
    if (existing.graceTimer) clearTimeout(existing.graceTimer);
    existing.graceTimer = undefined;
    existing.socketId = socketId;
    room.media?.closeParticipant(existing.id);
    return existing;
  }

  async admit(room: Room, host: Participant, participantId: string): Promise<Participant> {
    if (host.role !== 'host')
      throw new RoomError('FORBIDDEN', 'Only the doctor admits / Chỉ bác sĩ được cho vào');
    const p = room.participants.get(participantId);
    // Only someone waiting: admitting twice (a double click) or oneself would announce them again.
    if (!p || p.state !== 'waiting') throw new RoomError('NOT_WAITING', 'No such participant is waiting');
    p.state = 'admitted';
    room.attended.add(p.actor);
    room.startedAt ??= new Date(); // the visit itself begins with the first admission
    await this.ensureMedia(room);
    return p;
  }

  decline(room: Room, host: Participant, participantId: string): Participant {
    if (host.role !== 'host') throw new RoomError('FORBIDDEN', 'Only the doctor declines');
    const p = room.participants.get(participantId);
    if (!p || p.state !== 'waiting') throw new RoomError('NOT_WAITING', 'No such participant is waiting');
    room.participants.delete(participantId);
    room.media?.closeParticipant(participantId); // what they set up while waiting
    return p;
  }

  /** A socket dropped: the participant keeps their place for the grace period, then leaves. */
  disconnected(room: Room, p: Participant, socketId: string, onGone: () => void): void {
    if (p.socketId !== socketId) return; // an older socket of someone who already rejoined
    p.socketId = undefined;
    p.graceTimer = setTimeout(() => {
      this.leave(room, p);
      onGone();
    }, this.graceMs);
    p.graceTimer.unref();
  }

  leave(room: Room, p: Participant): void {
    if (p.graceTimer) clearTimeout(p.graceTimer);
    room.media?.closeParticipant(p.id);
    room.participants.delete(p.id);
  }

  end(room: Room): void {
    if (room.ended) return;
    room.ended = true;
    for (const p of room.participants.values()) if (p.graceTimer) clearTimeout(p.graceTimer);
    room.media?.close();
    room.media = undefined;
    this.rooms.delete(room.appointmentId);
    // Join tokens die with the visit: also the sockets of guests who came with one.
    if (room.invited.size > 0) this.events?.invitationsEnded(room, [...room.invited.keys()], 'ended');
    room.invited.clear();
  }

  private sweeper?: NodeJS.Timeout;

  onModuleInit(): void {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /**
   * Closes stale rooms and frees their routers and transports: a room nobody has been connected
   * to for EMPTY_ROOM_MS (everyone left or dropped without the doctor ending), or one whose window
   * (end + margin) has passed with nobody connected. A visit still in progress past its window is
   * never cut off. An unended visit writes nothing back (there is no doctor's note to keep); the
   * appointment's no-show and lifecycle rules stay with scheduling. Answers the closed rooms' ids.
   */
  sweep(now: Date = new Date()): string[] {
    const closed: string[] = [];
    for (const room of [...this.rooms.values()]) {
      const connected = [...room.participants.values()].some((p) => p.socketId !== undefined);
      if (connected) {
        room.emptySince = undefined;
        continue;
      }
      room.emptySince ??= now;
      const windowOver = now.getTime() > room.end.getTime() + this.marginMs;
      if (windowOver || now.getTime() - room.emptySince.getTime() >= EMPTY_ROOM_MS) {
        this.end(room);
        closed.push(room.appointmentId);
      }
    }
    if (closed.length > 0) this.logger.log(`closed ${closed.length} stale visit room(s)`);
    return closed;
  }

  /** Rooms close before the media workers do (their closing is not a worker lost). */
  beforeApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const room of this.rooms.values()) this.end(room);
    this.logger.debug('rooms closed');
  }
}

/** How urgent a waiting patient is, as another context knows it (care: their NEWS2 Flag). */
export interface PatientUrgency {
  /** The patient's latest early-warning score (NEWS2 total). */
  news2?: number;
  /** An active early-warning alert: they are seen first. */
  alert?: boolean;
}

/**
 * The consultation's extension point for the waiting room's order (RoomsService.addUrgency): a
 * source watches the patients of open rooms and answers at once from what it knows.
 */
export interface WaitingRoomUrgency {
  /** A room for this patient opened here: load what is known (awaited before the first answer). */
  watch(patientId: string): Promise<void>;
  urgencyOf(patientId: string): PatientUrgency;
}

/** Active NEWS2 alert first (higher NEWS2 first among them), then priority (1 first), then since. */
function byUrgency(x: QueueEntry, y: QueueEntry): number {
  const ax = x.alert === true ? 1 : 0;
  const ay = y.alert === true ? 1 : 0;
  if (ax !== ay) return ay - ax;
  if (ax === 1 && (x.news2 ?? 0) !== (y.news2 ?? 0)) return (y.news2 ?? 0) - (x.news2 ?? 0);
  if (x.priority !== y.priority) return x.priority - y.priority;
  return Date.parse(x.since) - Date.parse(y.since);
}
// --- end NEWS2

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A token guest's participant id: stable across reconnects, reveals nothing of the token. */
export const invitationParticipantId = (tokenHash: string): string => `invite:${tokenHash.slice(0, 16)}`;
