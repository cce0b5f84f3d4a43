/**
 * Whether a remote participant's camera or microphone is off, as their tile says it.
 *
 * The label once said "camera off" while video flowed: the consumer's `producerPaused` (a snapshot
 * taken when the server created it) was applied after the consumer was resumed, i.e. after a
 * `producerResumed` that had arrived meanwhile (the patient's held producers are resumed right
 * on admission, while the doctor is still receiving them), and a `producerResumed` for a consumer
 * not yet received was dropped. It was also kept by participant across a reconnect.
 *
 * Here the state is kept per producer, in the order the socket delivered it: the creation
 * snapshot is recorded when its message arrives (never later), every `producerPaused` /
 * `producerResumed` is recorded whether or not its consumer exists yet, and media actually
 * arriving (the received track's `unmute`) means the sender is sending. The labels are derived
 * from the consumers present, so a closed consumer or a departed participant leaves no label.
 */
export type Source = 'camera' | 'mic';

export interface ReceivedStream {
  producerId: string;
  participantId: string;
  /** 'camera', 'mic' or 'screen' (a screen has no off label). */
  source?: unknown;
}

export type RemoteOff = Record<string, { camera?: boolean; mic?: boolean }>;

export class SenderStates {
  private readonly paused = new Map<string, boolean>();

  /** The consumer's creation said its producer is (not) paused: applies when the message arrives. */
  snapshot(producerId: string, producerPaused: boolean | undefined): void {
    this.paused.set(producerId, producerPaused === true);
  }

  /** `producerPaused` / `producerResumed`: newer than any snapshot taken before it. */
  event(producerId: string, paused: boolean): void {
    this.paused.set(producerId, paused);
  }

  /** The received track unmuted: packets arrive, so its sender is sending. */
  flowing(producerId: string): void {
    this.paused.set(producerId, false);
  }

  isPaused(producerId: string): boolean {
    return this.paused.get(producerId) === true;
  }

  forget(producerId: string): void {
    this.paused.delete(producerId);
  }

  clear(): void {
    this.paused.clear();
  }

  /** Who has their camera or microphone off, from the streams received now. */
  remoteOff(streams: Iterable<ReceivedStream>): RemoteOff {
    const off: RemoteOff = {};
    for (const s of streams) {
      if (s.source !== 'camera' && s.source !== 'mic') continue;
      if (!this.isPaused(s.producerId)) continue;
      off[s.participantId] = { ...off[s.participantId], [s.source]: true };
    }
    return off;
  }
}
