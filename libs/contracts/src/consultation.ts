/**
 * The consultation's socket protocol (`/consultation`, docs/consultation-protocol.md) and the
 * waiting room over HTTP (`GET /consultation/waiting`).
 */

/** A participant's role in a visit's room. */
export type RoomRole = 'host' | 'patient' | 'guest';

/** Someone waiting in a room's waiting queue (the `queue` event). */
export interface QueueEntry {
  participantId: string;
  /** `Patient/…`, `Practitioner/…`, or `Guest/…`. */
  actor: string;
  role: RoomRole;
  reason: string;
  /** Triage priority: 1 is the most urgent; 0 means not triaged. */
  priority: number;
  /** ISO date-time they started waiting. */
  since: string;
  /** The patient's latest NEWS2 total reflected by their NEWS2 Flag. */
  news2?: number;
  /** Their NEWS2 Flag is active: they are seen first. */
  alert?: boolean;
}

/** One entry of `GET /consultation/waiting`: a queue entry with its appointment. */
export interface WaitingEntry extends QueueEntry {
  appointmentId: string;
}

/** What a client emits (each answered by an ack `{ ok: true, … }` or `{ ok: false, error }`). */
export const CONSULTATION_REQUESTS = [
  'join',
  'admit',
  'invite',
  'revokeInvitation',
  'decline',
  'rejoinMedia',
  'createTransport',
  'connectTransport',
  'restartIce',
  'produce',
  'consume',
  'resumeConsumer',
  'pauseConsumer',
  'setPreferredLayer',
  'pauseProducer',
  'resumeProducer',
  'closeProducer',
  'chat',
  'consent',
  'leave',
  'end',
] as const;
export type ConsultationRequest = (typeof CONSULTATION_REQUESTS)[number];

/** A refused request's ack. */
export interface ConsultationAckError {
  ok: false;
  error: { code: ConsultationErrorCode | string; message: string };
}

/** Codes of refused consultation requests (the portal has a sentence for each it can meet). */
export type ConsultationErrorCode =
  | 'BAD_REQUEST'
  | 'FORBIDDEN'
  | 'MEDIA_UNAVAILABLE'
  | 'NOT_INVITED'
  | 'NOT_JOINED'
  | 'NOT_WAITING'
  | 'WAITING'
  | 'NOT_A_PARTICIPANT'
  | 'OUTSIDE_WINDOW'
  | 'UNKNOWN_PRACTITIONER'
  | 'VISIT_NOT_ACTIVE';

/** What the server pushes to a client, by event name, with its payload. */
export interface ConsultationEvents {
  ready: Record<string, never>;
  error: { code?: string; message: string };
  queue: { waiting: QueueEntry[] };
  admitted: { participantId: string; [key: string]: unknown };
  declined: { message: string };
  participantJoined: { participantId: string; actor?: string; role?: string; name?: string };
  participantReconnected: { participantId: string };
  participantLeft: { participantId: string; reason: 'left' | 'connection-lost' | 'revoked' };
  invitationRevoked: { message: string };
  newProducer: { producerId: string; participantId: string; [key: string]: unknown };
  newConsumers: { consumers: unknown[] };
  producerPaused: { producerId: string };
  producerResumed: { producerId: string };
  consumerClosed: { consumerId: string; producerId: string };
  networkQuality: { consumerId: string; score: number; producerScore: number };
  sendQuality: { producerId: string; score: unknown };
  suggestAudioOnly: Record<string, unknown>;
  mediaReset: { reason: string };
  chat: { [key: string]: unknown };
  file: { [key: string]: unknown };
  recordingConsent: { granted: boolean; consent: string };
  ended: { visitId: string; by: string };
}
export type ConsultationEvent = keyof ConsultationEvents;
