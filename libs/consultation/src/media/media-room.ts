import type { types as ms } from 'mediasoup';
import { PoorLinkWatch } from './poor-link-watch';

/** Codecs every room's router offers: Opus, VP8 (simulcast-friendly, decoded everywhere), H264. */
export const MEDIA_CODECS: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 300 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown;
  dtlsParameters: unknown;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: string;
  rtpParameters: unknown;
  type: string;
  /** Its sender has it paused (muted, camera off) right now; `producerPaused`/`producerResumed` follow. */
  producerPaused: boolean;
}

export interface MediaListenConfig {
  readonly listenIp: string;
  readonly announcedIp?: string;
}

/**
 * One room's media on one mediasoup router (3.8.4). Everything the consultation does with media
 * goes through this class and MediaWorkerPool, so a mediasoup upgrade touches these two files.
 * Transports are WebRTC (UDP preferred, ICE-TCP allowed); producers and consumers are keyed by id
 * and owned by a participant.
 */
export class MediaRoom {
  private readonly transports = new Map<string, { t: ms.WebRtcTransport; owner: string }>();
  /** `held`: produced in the waiting room; paused, not listed, not consumable until released. */
  private readonly producers = new Map<string, { p: ms.Producer; owner: string; held: boolean }>();
  private readonly consumers = new Map<string, { c: ms.Consumer; owner: string }>();
  /** Each participant's receive transport and device capabilities, to push consumers to them. */
  private readonly receivers = new Map<string, { transportId: string; rtpCapabilities: unknown }>();

  constructor(
    private readonly router: ms.Router,
    private readonly listen: MediaListenConfig,
    private readonly events: {
      /** A consumer's network score / layers changed: forwarded to its owner as network quality. */
      consumerScore(owner: string, consumerId: string, score: number, producerScore: number): void;
      /** How well a producer's media reaches the server (its owner's uplink), 0–10. */
      producerScore?(owner: string, producerId: string, score: number): void;
      /** A consumer was closed because its producer went away. */
      consumerClosed(owner: string, consumerId: string, producerId: string): void;
      /** The loudest speaker changed (audio producers only). */
      activeSpeaker?(owner: string, producerId: string): void;
      /** A participant's incoming video stayed poor: propose audio-only to them. */
      poorVideo?(owner: string, consumerId: string): void;
      /**
       * A producer its owner asked to resume while it waited for its viewers (a camera just
       * released from the waiting room, see GATE_MS) has really resumed: now `producerResumed`.
       */
      producerResumed?(owner: string, producerId: string): void;
      /** The router's worker died: every transport of the room is gone. */
      mediaLost?(): void;
    },
  ) {
    router.on('workerclose', () => this.events.mediaLost?.());
  }

  private speakers?: ms.ActiveSpeakerObserver;
  /** A consumer score at or below this is poor (mediasoup scores 0–10). */
  static readonly POOR_SCORE = 4;
  static readonly POOR_FOR_MS = 8000;
  /** Video consumers whose score stays poor (see onPoorVideo). */
  private readonly poorVideo = new PoorLinkWatch(
    MediaRoom.POOR_SCORE,
    MediaRoom.POOR_FOR_MS,
    (id) => void this.onPoorVideo(id),
  );

  /** Active-speaker detection over the room's audio producers. */
  private async observeSpeakers(): Promise<ms.ActiveSpeakerObserver> {
    if (!this.speakers) {
      this.speakers = await this.router.createActiveSpeakerObserver({ interval: 300 });
      this.speakers.on('dominantspeaker', ({ producer }: { producer: ms.Producer }) => {
        const owner = (producer.appData as { owner?: string }).owner;
        if (owner) this.events.activeSpeaker?.(owner, producer.id);
      });
    }
    return this.speakers;
  }

  /**
   * A video consumer's score stayed poor for POOR_FOR_MS: step its simulcast layer down and
   * propose audio-only to the viewer (rural links: voice matters more than a frozen picture).
   */
  private async onPoorVideo(consumerId: string): Promise<void> {
    const entry = this.consumers.get(consumerId);
    if (!entry || entry.c.closed) return;
    if (entry.c.type === 'simulcast') await this.prefer(entry.c, 0).catch(() => undefined);
    this.events.poorVideo?.(entry.owner, consumerId);
  }

  get rtpCapabilities(): unknown {
    return this.router.rtpCapabilities;
  }

  get closed(): boolean {
    return this.router.closed;
  }

  /** A participant needs two (send, receive); a few more cover a reconnect's overlap. */
  static readonly MAX_TRANSPORTS_PER_PARTICIPANT = 4;

  async createTransport(owner: string): Promise<TransportInfo> {
    if (
      [...this.transports.values()].filter((x) => x.owner === owner).length >=
      MediaRoom.MAX_TRANSPORTS_PER_PARTICIPANT
    )
      throw new Error('too many transports for one participant');
    const t = await this.router.createWebRtcTransport({
      listenIps: [
        {
          ip: this.listen.listenIp,
          ...(this.listen.announcedIp ? { announcedIp: this.listen.announcedIp } : {}),
        },
      ],
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      // Rural 3G/4G: start modest; the estimator raises it when the link allows.
      initialAvailableOutgoingBitrate: 300_000,
    });
    this.transports.set(t.id, { t, owner });
    return {
      id: t.id,
      iceParameters: t.iceParameters,
      iceCandidates: t.iceCandidates,
      dtlsParameters: t.dtlsParameters,
    };
  }

  /** `owner` receives on `transportId` with these device capabilities (validated by mediasoup). */
  setReceiver(owner: string, transportId: string, rtpCapabilities: unknown): void {
    this.transport(owner, transportId);
    this.receivers.set(owner, { transportId, rtpCapabilities });
  }

  /**
   * A consumer of `producerId` for `owner` on their receive transport, created by the server
   * (paused, like any consumer); undefined when `owner` has not told us how they receive, or their
   * device cannot take this producer.
   */
  async consumeFor(owner: string, producerId: string): Promise<ConsumerInfo | undefined> {
    const r = this.receivers.get(owner);
    if (!r || !this.transports.has(r.transportId)) return undefined;
    return this.consume(owner, r.transportId, producerId, r.rtpCapabilities).catch(() => undefined);
  }

  private transport(owner: string, id: string): ms.WebRtcTransport {
    const entry = this.transports.get(id);
    if (!entry || entry.owner !== owner) throw new Error('unknown transport');
    return entry.t;
  }

  async connectTransport(owner: string, id: string, dtlsParameters: unknown): Promise<void> {
    await this.transport(owner, id).connect({ dtlsParameters: dtlsParameters as ms.DtlsParameters });
  }

  async restartIce(owner: string, id: string): Promise<unknown> {
    return this.transport(owner, id).restartIce();
  }

  /**
   * A producer of `owner`. `held` (someone in the waiting room setting up ahead of admission): it
   * is created paused, so nothing it receives is forwarded, and it stays out of the room (not
   * listed, not consumable, not resumable, no active speaker) until `release(owner)`.
   */
  async produce(
    owner: string,
    transportId: string,
    kind: string,
    rtpParameters: unknown,
    appData: Record<string, unknown>,
    held = false,
  ): Promise<string> {
    const p = await this.transport(owner, transportId).produce({
      kind: kind as ms.MediaKind,
      rtpParameters: rtpParameters as ms.RtpParameters,
      appData: { ...appData, owner },
      paused: held,
    });
    this.producers.set(p.id, { p, owner, held });
    // One score per encoding (simulcast: three); the best one says whether the uplink carries video.
    p.on('score', (scores: ms.ProducerScore[]) => {
      if (scores.length > 0)
        this.events.producerScore?.(owner, p.id, Math.max(...scores.map((x) => x.score)));
    });
    if (p.kind === 'video') await this.watchKeyFrameRequests(p);
    p.on('transportclose', () => this.producers.delete(p.id));
    if (!held) await this.observeAudio(p);
    return p.id;
  }

  /**
   * When mediasoup last asked each video producer's browser for a key frame. WebRTC honours one
   * request per KEY_FRAME_INTERVAL_MS and ignores the others (libwebrtc's minimum key-frame
   * interval, 300 ms), and mediasoup repeats an unanswered request only after 1 s.
   */
  private readonly keyFrameAsked = new Map<string, number>();
  static readonly KEY_FRAME_INTERVAL_MS = 340;

  private async watchKeyFrameRequests(p: ms.Producer): Promise<void> {
    await p.enableTraceEvent(['pli', 'fir']);
    p.on('trace', (t: ms.ProducerTraceEventData) => {
      if (t.direction === 'out') this.keyFrameAsked.set(p.id, Date.now());
    });
    p.observer.once('close', () => this.keyFrameAsked.delete(p.id));
  }

  /** Audio producers take part in active-speaker detection once they are in the room. */
  private async observeAudio(p: ms.Producer): Promise<void> {
    if (p.kind === 'audio')
      await (await this.observeSpeakers()).addProducer({ producerId: p.id }).catch(() => undefined);
  }

  /**
   * `owner` was admitted: their held producers join the room (still paused until the owner
   * resumes them, so mute chosen in the waiting room is kept). Answers the released producers.
   */
  async release(owner: string): Promise<{ id: string; kind: string; source: unknown }[]> {
    const released: { id: string; kind: string; source: unknown }[] = [];
    for (const entry of this.producers.values()) {
      if (entry.owner !== owner || !entry.held) continue;
      entry.held = false;
      if (entry.p.kind === 'video') this.gate(entry.p.id);
      await this.observeAudio(entry.p);
      released.push({
        id: entry.p.id,
        kind: entry.p.kind,
        source: (entry.p.appData as { source?: unknown }).source,
      });
    }
    return released;
  }

  /**
   * A video producer just released from the waiting room resumes only once the consumers created
   * for its viewers are resumed (or after GATE_MS): its resume forces a key frame, and a viewer's
   * own key frame request arriving within WebRTC's minimum interval after it would be ignored by
   * the browser and repeated by mediasoup only a second later (measured: the doctor's first frame
   * of the admitted patient came ≈ 1 s late half of the time).
   */
  static readonly GATE_MS = 1500;
  private readonly gates = new Map<
    string,
    { viewers: Set<string>; sealed: boolean; resumeAsked: boolean; timer: NodeJS.Timeout }
  >();

  private gate(producerId: string): void {
    const timer = setTimeout(() => this.openGate(producerId), MediaRoom.GATE_MS);
    timer.unref();
    this.gates.set(producerId, { viewers: new Set(), sealed: false, resumeAsked: false, timer });
  }

  /** Every viewer of `owner`'s released producers has been given a consumer: they are all known. */
  sealGates(owner: string): void {
    for (const [id, gate] of this.gates) {
      if (this.producers.get(id)?.owner !== owner) continue;
      gate.sealed = true;
      this.mayOpenGate(id);
    }
  }

  private mayOpenGate(producerId: string): void {
    const gate = this.gates.get(producerId);
    if (gate?.sealed && gate.viewers.size === 0) this.openGate(producerId);
  }

  private openGate(producerId: string): void {
    const gate = this.gates.get(producerId);
    if (!gate) return;
    clearTimeout(gate.timer);
    this.gates.delete(producerId);
    const entry = this.producers.get(producerId);
    if (gate.resumeAsked && entry && !entry.p.closed)
      void entry.p
        .resume()
        .then(() => this.events.producerResumed?.(entry.owner, producerId))
        .catch(() => undefined);
  }

  /** The producers in the room (held ones are not). */
  producerList(): { id: string; owner: string; kind: string; source: unknown; paused: boolean }[] {
    return [...this.producers.values()]
      .filter(({ held }) => !held)
      .map(({ p, owner }) => ({
        id: p.id,
        owner,
        kind: p.kind,
        source: (p.appData as { source?: unknown }).source,
        paused: p.paused,
      }));
  }

  /**
   * Pauses or resumes `owner`'s producer. Answers whether that happened now (`producerPaused` /
   * `producerResumed` can be told); false when the resume waits for the viewers of a camera just
   * released from the waiting room — `events.producerResumed` then says when it really resumed.
   */
  async setProducerPaused(owner: string, id: string, paused: boolean): Promise<boolean> {
    const entry = this.producers.get(id);
    if (!entry || entry.owner !== owner) throw new Error('unknown producer');
    if (entry.held && !paused) throw new Error('not admitted yet: the producer stays paused');
    const gate = this.gates.get(id);
    if (gate) {
      // Just released (still paused): resumed when its viewers are ready (see GATE_MS).
      gate.resumeAsked = !paused;
      if (!paused) this.mayOpenGate(id);
      // A pause is told now; a resume by events.producerResumed when the gate opens (maybe just now).
      return paused;
    }
    if (paused) await entry.p.pause();
    else await entry.p.resume();
    return true;
  }

  closeProducer(owner: string, id: string): void {
    const entry = this.producers.get(id);
    if (!entry || entry.owner !== owner) throw new Error('unknown producer');
    entry.p.close();
    this.producers.delete(id);
  }

  async consume(
    owner: string,
    transportId: string,
    producerId: string,
    rtpCapabilities: unknown,
  ): Promise<ConsumerInfo> {
    const source = this.producers.get(producerId);
    if (!source || source.held) throw new Error('unknown producer');
    if (!this.router.canConsume({ producerId, rtpCapabilities: rtpCapabilities as ms.RtpCapabilities }))
      throw new Error('cannot consume this producer with these capabilities');
    const c = await this.transport(owner, transportId).consume({
      producerId,
      rtpCapabilities: rtpCapabilities as ms.RtpCapabilities,
      paused: true,
      // Simulcast starts at the lowest layer (see startLow).
      preferredLayers: { spatialLayer: 0 },
    });
    this.consumers.set(c.id, { c, owner });
    if (c.type === 'simulcast') this.startLow(c);
    if (c.kind === 'video') this.watchStalls(c);
    this.gates.get(producerId)?.viewers.add(c.id);
    const gone = (): void => {
      this.consumers.delete(c.id);
      if (this.gates.get(producerId)?.viewers.delete(c.id)) this.mayOpenGate(producerId);
    };
    c.on('transportclose', gone);
    c.on('producerclose', () => {
      gone();
      this.events.consumerClosed(owner, c.id, producerId);
    });
    c.on('score', (s: ms.ConsumerScore) => {
      this.events.consumerScore(owner, c.id, s.score, s.producerScore);
      if (c.kind === 'video') this.poorVideo.score(c.id, s.score);
    });
    c.observer.once('close', () => this.poorVideo.forget(c.id));
    return {
      id: c.id,
      producerId,
      kind: c.kind,
      rtpParameters: c.rtpParameters,
      type: c.type,
      producerPaused: c.producerPaused,
    };
  }

  /** Simulcast spatial layers: 0 (lowest, ≈ 100 kbit/s) to TOP_LAYER (the three encodings). */
  static readonly TOP_LAYER = 2;
  /** The layer each simulcast consumer is raised to once its lowest layer flows. */
  private readonly wanted = new Map<string, number>();
  /** After the first frames, before asking the sender for a key frame of the higher layer. */
  static readonly RAISE_AFTER_MS = 400;

  /**
   * A simulcast consumer starts at the lowest layer and is raised to the viewer's layer once that
   * one flows. The lowest layer is always sent, while a camera just resumed (admitted from the
   * waiting room) has its higher layers only once the sender's bandwidth estimate allows them:
   * targeted first, such a layer left the viewer without a picture until mediasoup found it
   * inactive, 1.5 s later (bench/visit.bench.ts, docs/benchmarks/visit-join.md). Raising waits
   * RAISE_AFTER_MS so its key frame request does not fall inside WebRTC's minimum interval after
   * the first one (ignored, repeated by mediasoup only after 1 s).
   */
  private startLow(c: ms.Consumer): void {
    this.wanted.set(c.id, MediaRoom.TOP_LAYER);
    const raise = (layers?: ms.ConsumerLayers): void => {
      if (!layers) return;
      c.removeListener('layerschange', raise);
      const timer = setTimeout(() => {
        const spatialLayer = this.wanted.get(c.id);
        this.wanted.delete(c.id);
        if (spatialLayer !== undefined && spatialLayer > 0 && !c.closed)
          void c.setPreferredLayers({ spatialLayer }).catch(() => undefined);
      }, MediaRoom.RAISE_AFTER_MS);
      timer.unref();
    };
    c.on('layerschange', raise);
    c.observer.once('close', () => this.wanted.delete(c.id));
  }

  /** After a video consumer starts or changes layer: how long before checking that it still forwards. */
  static readonly STALL_CHECK_MS = MediaRoom.KEY_FRAME_INTERVAL_MS;
  /** Key frames asked for one stall before giving up until the next layer change. */
  static readonly STALL_RETRIES = 3;
  private readonly stallChecks = new Map<string, NodeJS.Timeout>();

  /**
   * The worker (Debian's mediasoup 3.8.4) can stop forwarding a VP8 simulcast stream right after
   * the key frame it synced on: when the frames that follow belong to a higher temporal layer
   * without the layer-sync bit, it drops them and marks their TL0PICIDX as dropped, and then drops
   * every base-layer frame carrying that index too — nothing reaches the viewer until the next key
   * frame (fixed upstream in 3.9.13, "VP8: Do not discard TL0PICIDX from Temporal Layers higher
   * than 0"; this worker cannot be patched here). Seen in consumer RTP traces: the viewer got the
   * one key-frame packet, then nothing for 2 s (the next layer switch) or 3 s (the browser's own
   * key-frame request) while the producer received that layer at 20 packets/s.
   *
   * So after each layer change the consumer's forwarded packet count is checked
   * STALL_CHECK_MS later (beyond WebRTC's minimum key-frame interval); if it has not moved while
   * its producer sends, a key frame is asked for, which resynchronises the stream
   * (bench/visit.bench.ts, docs/benchmarks/visit-join.md).
   */
  private watchStalls(c: ms.Consumer): void {
    c.on('layerschange', (layers?: ms.ConsumerLayers) => {
      if (layers) this.checkStallLater(c, MediaRoom.STALL_RETRIES);
    });
    c.on('producerresume', () => this.checkFirstFrameLater(c, MediaRoom.STALL_RETRIES));
    c.observer.once('close', () => {
      clearTimeout(this.stallChecks.get(c.id));
      this.stallChecks.delete(c.id);
    });
  }

  private checkStallLater(c: ms.Consumer, retries: number): void {
    clearTimeout(this.stallChecks.get(c.id));
    const before = MediaRoom.packetsSent(c);
    const timer = setTimeout(() => {
      this.stallChecks.delete(c.id);
      void Promise.all([before, MediaRoom.packetsSent(c)])
        .then(async ([then, now]) => {
          if (c.closed || c.paused || c.producerPaused || c.currentLayers === undefined) return;
          if (then === undefined || now === undefined || now > then) return;
          await this.askKeyFrame(c);
          if (retries > 1) this.checkStallLater(c, retries - 1);
        })
        .catch(() => undefined);
    }, MediaRoom.STALL_CHECK_MS);
    timer.unref();
    this.stallChecks.set(c.id, timer);
  }

  /**
   * A simulcast consumer that became active (resumed by its viewer, or its producer resumed) but
   * has forwarded no key frame yet — the one its start asked for was lost: answered while the
   * released camera was still paused, or ignored inside the sender's minimum interval, and
   * mediasoup would repeat it only a second later — gets another request (issue 19 item 2).
   */
  private checkFirstFrameLater(c: ms.Consumer, retries: number): void {
    if (c.type !== 'simulcast' || c.kind !== 'video') return;
    clearTimeout(this.stallChecks.get(c.id));
    const timer = setTimeout(() => {
      this.stallChecks.delete(c.id);
      if (c.closed || c.paused || c.producerPaused || c.currentLayers !== undefined) return;
      void this.askKeyFrame(c)
        .then(() => {
          if (retries > 1 && !c.closed && c.currentLayers === undefined)
            this.checkFirstFrameLater(c, retries - 1);
        })
        .catch(() => undefined);
    }, MediaRoom.FIRST_FRAME_CHECK_MS);
    timer.unref();
    this.stallChecks.set(c.id, timer);
  }

  /** After a video consumer becomes active: how long its first key frame may take before asking again. */
  static readonly FIRST_FRAME_CHECK_MS = 400;

  /** RTP packets the consumer has sent to its viewer (undefined: closed or no stats). */
  private static async packetsSent(c: ms.Consumer): Promise<number | undefined> {
    if (c.closed) return undefined;
    const stats = await c.getStats().catch(() => []);
    const out = stats.find((s) => s.type === 'outbound-rtp');
    return out?.packetCount;
  }

  /** A key frame for `c`, once its sender takes requests again (see KEY_FRAME_INTERVAL_MS). */
  private async askKeyFrame(c: ms.Consumer): Promise<void> {
    const asked = this.keyFrameAsked.get(c.producerId);
    const wait = asked === undefined ? 0 : asked + MediaRoom.KEY_FRAME_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (!c.closed) await c.requestKeyFrame();
  }

  /** Preferred simulcast layer: kept for later while the consumer still starts low. */
  private async prefer(c: ms.Consumer, spatialLayer: number): Promise<void> {
    if (this.wanted.has(c.id)) this.wanted.set(c.id, spatialLayer);
    else await c.setPreferredLayers({ spatialLayer });
  }

  private consumer(owner: string, id: string): ms.Consumer {
    const entry = this.consumers.get(id);
    if (!entry || entry.owner !== owner) throw new Error('unknown consumer');
    return entry.c;
  }

  /**
   * Resuming a video consumer asks the sender for a key frame. If mediasoup asked that sender for
   * one moments ago (a new simulcast layer starting, another viewer), this request would be
   * ignored and the viewer would wait a second for mediasoup's retry: it is sent once the
   * browser takes requests again (bench/visit.bench.ts: the patient saw the doctor 1–1.5 s late
   * in 2 visits of 48 when the doctor's camera had just started its upper layer).
   */
  async resumeConsumer(owner: string, id: string): Promise<void> {
    const c = this.consumer(owner, id);
    if (c.kind === 'video') {
      const asked = this.keyFrameAsked.get(c.producerId);
      const wait = asked === undefined ? 0 : asked + MediaRoom.KEY_FRAME_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (c.closed) throw new Error('unknown consumer');
    }
    await c.resume();
    if (c.kind === 'video' && !c.producerPaused) this.checkFirstFrameLater(c, MediaRoom.STALL_RETRIES);
    if (this.gates.get(c.producerId)?.viewers.delete(c.id)) this.mayOpenGate(c.producerId);
  }

  async pauseConsumer(owner: string, id: string): Promise<void> {
    await this.consumer(owner, id).pause();
  }

  /**
   * Simulcast layer for a viewer: 0 = lowest, TOP_LAYER = highest. The client asks from its
   * window size and measured bandwidth; the server lowers it when the consumer's score stays low.
   */
  async setPreferredLayer(owner: string, id: string, spatialLayer: number): Promise<void> {
    const c = this.consumer(owner, id);
    if (c.type === 'simulcast')
      await this.prefer(c, Math.max(0, Math.min(MediaRoom.TOP_LAYER, spatialLayer)));
  }

  /** How many transports, producers and consumers `owner` has here (operations and tests). */
  countOf(owner: string): { transports: number; producers: number; consumers: number } {
    const n = (m: Map<string, { owner: string }>): number =>
      [...m.values()].filter((x) => x.owner === owner).length;
    return { transports: n(this.transports), producers: n(this.producers), consumers: n(this.consumers) };
  }

  /**
   * `owner`'s simulcast consumers: the spatial layer preferred and the one forwarded now
   * (undefined: nothing yet). Operations and tests.
   */
  layersOf(
    owner: string,
  ): { consumerId: string; producerId: string; preferred?: number; current?: number }[] {
    return this.consumerList(owner)
      .filter((x) => x.type === 'simulcast')
      .map(({ consumerId, producerId, preferred, current }) => ({
        consumerId,
        producerId,
        preferred,
        current,
      }));
  }

  /** `owner`'s consumers and their state (operations, and a failing test's report). */
  consumerList(owner: string): {
    consumerId: string;
    producerId: string;
    kind: string;
    type: string;
    paused: boolean;
    producerPaused: boolean;
    score: number;
    preferred?: number;
    current?: number;
  }[] {
    return [...this.consumers.values()]
      .filter((x) => x.owner === owner)
      .map(({ c }) => ({
        consumerId: c.id,
        producerId: c.producerId,
        kind: c.kind,
        type: c.type,
        paused: c.paused,
        producerPaused: c.producerPaused,
        score: c.score.score,
        preferred: c.preferredLayers?.spatialLayer,
        current: c.currentLayers?.spatialLayer,
      }));
  }

  /** Closes everything a participant owns (leave, or grace period over). */
  closeParticipant(owner: string): void {
    this.receivers.delete(owner);
    for (const [id, { t, owner: o }] of this.transports) {
      if (o !== owner) continue;
      t.close();
      this.transports.delete(id);
    }
  }

  close(): void {
    for (const gate of this.gates.values()) clearTimeout(gate.timer);
    this.gates.clear();
    this.poorVideo.close();
    this.router.close();
  }
}
