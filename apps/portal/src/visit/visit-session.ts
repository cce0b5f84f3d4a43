import { Device, type types } from 'mediasoup-client';

type Consumer = types.Consumer;
type Producer = types.Producer;
type Transport = types.Transport;
import { io, type Socket } from 'socket.io-client';
import { keepSocketAuthenticated } from '../shell/socket-auth';
import { type Downlink, preferredLayer } from './layer-policy';
import { SenderStates } from './remote-media';

type Ack = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

/** Someone in the room's waiting queue (the `queue` event): the shared contract. */
export type { QueueEntry } from '../../../../libs/contracts/src';
import type { QueueEntry } from '../../../../libs/contracts/src';

export interface ChatMessage {
  from: string;
  role: string;
  text: string;
  at: string;
}

export interface SessionView {
  phase: 'connecting' | 'waiting' | 'in-call' | 'declined' | 'ended' | 'left' | 'error';
  role?: 'host' | 'patient' | 'guest';
  error?: string;
  /** The server's code for the error (OUTSIDE_WINDOW, VISIT_NOT_ACTIVE, …): the page shows its own sentence. */
  errorCode?: string;
  queue: QueueEntry[];
  /** Who else is admitted, by participant id (role, and a guest's name). */
  people: Record<string, { role: string; actor: string; name?: string }>;
  /** One tile per participant (camera and microphone), and one per shared screen. */
  remotes: { participantId: string; stream: MediaStream; screen: boolean }[];
  local?: MediaStream;
  chat: ChatMessage[];
  muted: boolean;
  cameraOff: boolean;
  audioOnly: boolean;
  /** Lowest score (0–10) of what we receive, reported by the server: our downlink. */
  quality?: number;
  /** Lowest score (0–10) of what we send, as it reaches the server: our uplink. */
  sendQuality?: number;
  /** Participants whose own uplink is poor (score ≤ 4): their picture may stutter, not ours. */
  weakSenders: string[];
  /** The patient agreed to keep the chat in the record. */
  chatKept?: boolean;
  /** The participant speaking now (active speaker). */
  speaker?: string;
  /** The server saw our incoming video stay poor and proposes audio-only. */
  suggestAudioOnly?: boolean;
  /** The signaling connection dropped and is being re-established (our place is kept). */
  reconnecting?: boolean;
  /** How many times media was set up (1 on admission, more after reconnects or a media reset). */
  mediaStarts: number;
  /** Our screen is being shared. */
  sharing?: boolean;
  /** Who has turned their camera off or muted themselves, by participant id. */
  remoteOff: Record<string, { camera?: boolean; mic?: boolean }>;
  /** Neither camera nor microphone could be opened: this participant only sees and hears. */
  noDevices?: boolean;
}

export interface VisitStats {
  framesDecoded: number;
  audioPacketsReceived: number;
  /** Video RTP packets received and key frames decoded (diagnosis of a stalled picture). */
  videoPacketsReceived: number;
  keyFramesDecoded: number;
  /** Key-frame requests (PLI) this page's decoders sent. */
  pliCount: number;
  byParticipant: Record<string, { framesDecoded: number; audioPacketsReceived: number; producers: string[] }>;
}

/** Someone else's producer: whose, and what it carries ('mic', 'camera' or 'screen'). */
interface Announced {
  producerId: string;
  participantId: string;
  source?: string;
}
/** A consumer the server created for us (`newConsumers`, or in `admitted`). */
interface Pushed extends Announced {
  consumer: ConsumerParams;
}

/** A participant's camera and microphone share one tile; a shared screen gets its own. */
const tileOf = (participantId: string, source: unknown): string =>
  source === 'screen' ? `${participantId}#screen` : participantId;
type ConsumerParams = {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: never;
  /** 'simulcast' for a camera sent in three layers. */
  type?: string;
  /** Its sender has it paused (muted, camera off). */
  producerPaused?: boolean;
};

/** The Network Information API where the browser has it (Chromium, Android). */
const connection = (): (Downlink & EventTarget) | undefined =>
  (navigator as { connection?: Downlink & EventTarget }).connection;

interface Person {
  participantId: string;
  role: string;
  actor: string;
  name?: string;
}

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One video visit from the browser's side: signaling over socket.io `/consultation` and media
 * with mediasoup-client (docs/consultation-protocol.md). The React page renders `view`.
 */
export class VisitSession {
  private readonly socket: Socket;
  /** Stops re-authenticating the socket in band (signed-in users only; a guest has no token). */
  private readonly stopAuth: () => void;
  private device?: Device;
  private sendTransport?: Transport;
  private recvTransport?: Transport;
  private readonly producers = new Map<string, Producer>();
  private readonly consumers = new Map<string, Consumer>();
  /** The remote tiles, by `tileOf`. */
  private readonly streams = new Map<string, SessionView['remotes'][number]>();
  /** By consumer: its score (our downlink) and its producer's (the sender's uplink). */
  private readonly scores = new Map<string, { score: number; producerScore: number }>();
  /** By our producer: how it reaches the server. */
  private readonly sendScores = new Map<string, number>();
  /** Whether each remote producer is paused (camera off, muted): remote-media.ts. */
  private readonly senders = new SenderStates();
  view: SessionView = {
    phase: 'connecting',
    queue: [],
    people: {},
    remotes: [],
    chat: [],
    muted: false,
    cameraOff: false,
    audioOnly: false,
    mediaStarts: 0,
    weakSenders: [],
    remoteOff: {},
  };

  /**
   * `token`: gives the signed-in user's access token, refreshed when due; or `joinToken`: an
   * invitation link's token (a guest without an account, for this visit only).
   */
  constructor(
    private readonly appointmentId: string,
    private readonly credentials: { token: () => Promise<string | null> } | { joinToken: string },
    private readonly onChange: (view: SessionView) => void,
  ) {
    // A signed-in user's token is fetched fresh on every (re)connection: a visit outlasts an
    // access token (15 minutes), and a reconnect with an expired one would be refused.
    const token = 'token' in credentials ? credentials.token : undefined;
    this.socket = io('/consultation', {
      auth: token
        ? (cb) =>
            void token().then(
              (t) => cb({ token: t ?? '' }),
              () => cb({ token: '' }),
            )
        : credentials,
      transports: ['websocket'],
    });
    // The server closes a socket at its token's expiry unless it re-authenticates in band.
    this.stopAuth = token ? keepSocketAuthenticated(this.socket, token) : () => undefined;
    connection()?.addEventListener('change', this.onNetworkChange);
    this.socket.on('ready', () => void this.join());
    // Signaling dropped (weak link): our place is kept for the grace period while socket.io
    // reconnects; `ready` then joins again.
    this.socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect' && !['ended', 'left'].includes(this.view.phase))
        this.update({ reconnecting: true });
    });
    this.socket.on('error', (e: { message?: string }) => this.fail(e.message ?? 'error'));
    this.socket.on('queue', (q: { waiting: QueueEntry[] }) => this.update({ queue: q.waiting }));
    this.socket.on(
      'admitted',
      (a: {
        rtpCapabilities: unknown;
        producers: { producerId: string; participantId: string }[];
        consumers?: Pushed[];
        participants?: Person[];
      }) => {
        this.meet(a.participants ?? []);
        for (const p of a.consumers ?? []) this.senders.snapshot(p.producerId, p.consumer.producerPaused);
        this.admitted = true;
        void this.enterCall(a.producers, a.consumers ?? []).catch((err: unknown) => this.fail(String(err)));
      },
    );
    this.socket.on('declined', () => {
      this.teardownMedia();
      this.stopDevices();
      this.update({ phase: 'declined' });
    });
    this.socket.on('newProducer', (p: Announced) => {
      void this.consume(p);
    });
    this.socket.on('newConsumers', ({ consumers }: { consumers: Pushed[] }) => {
      // Their senders' state as of now: a later producerResumed (e.g. the patient's held camera
      // resumed on admission while these are still being received) must win over it.
      for (const p of consumers) this.senders.snapshot(p.producerId, p.consumer.producerPaused);
      // One after the other, in the order sent (microphone first, which connects the transport):
      // in bench/visit.bench.ts no slower to the first video frame than one batch, with fewer
      // outliers.
      void (async () => {
        for (const p of consumers) await this.accept(p);
      })().catch((err: unknown) => this.fail(String(err)));
    });
    this.socket.on('producerPaused', ({ producerId }: { producerId: string }) =>
      this.senderPaused(producerId, true),
    );
    this.socket.on('producerResumed', ({ producerId }: { producerId: string }) =>
      this.senderPaused(producerId, false),
    );
    this.socket.on('consumerClosed', ({ consumerId }: { consumerId: string }) =>
      this.dropConsumer(consumerId),
    );
    this.socket.on('participantLeft', ({ participantId }: { participantId: string }) => {
      this.streams.delete(tileOf(participantId, 'camera'));
      this.streams.delete(tileOf(participantId, 'screen'));
      const people = { ...this.view.people };
      delete people[participantId];
      this.update({ people });
      this.publishRemotes();
    });
    this.socket.on('participantJoined', (p: Person) => this.meet([p]));
    this.socket.on(
      'networkQuality',
      ({
        consumerId,
        score,
        producerScore,
      }: {
        consumerId: string;
        score: number;
        producerScore: number;
      }) => {
        this.scores.set(consumerId, { score, producerScore });
        this.publishQuality();
      },
    );
    this.socket.on('sendQuality', ({ producerId, score }: { producerId: string; score: number }) => {
      this.sendScores.set(producerId, score);
      this.publishQuality();
    });
    this.socket.on('chat', (m: ChatMessage) => this.update({ chat: [...this.view.chat, m] }));
    // The server tells the room before it answers the doctor's `end`: that answer (the record's
    // Encounter) is awaited, not cut off by closing the socket (see `end`).
    this.socket.on('ended', () => {
      if (this.ending) this.endedMeanwhile = true;
      else this.finish('ended');
    });
    this.socket.on('file', (f: { title: string; from: string }) =>
      this.update({
        chat: [
          ...this.view.chat,
          { from: f.from, role: 'file', text: `📎 ${f.title}`, at: new Date().toISOString() },
        ],
      }),
    );
    this.socket.on('recordingConsent', () => this.update({ chatKept: true }));
    this.socket.on('activeSpeaker', ({ participantId }: { participantId: string }) =>
      this.update({ speaker: participantId }),
    );
    this.socket.on('suggestAudioOnly', () => this.update({ suggestAudioOnly: true }));
    this.socket.on(
      'mediaReset',
      () => void this.resetMedia().catch((err: unknown) => this.fail(String(err))),
    );
    // Ask for the camera and microphone now: the waiting room shows the preview, and admission
    // does not wait for the devices.
    void this.acquireLocalMedia();
  }

  private meet(list: Person[]): void {
    const people = { ...this.view.people };
    for (const p of list)
      people[p.participantId] = { role: p.role, actor: p.actor, ...(p.name ? { name: p.name } : {}) };
    this.update({ people });
  }

  private update(patch: Partial<SessionView>): void {
    this.view = { ...this.view, ...patch };
    this.onChange(this.view);
  }

  private fail(message: string, errorCode?: string): void {
    this.update({ phase: 'error', error: message, ...(errorCode !== undefined ? { errorCode } : {}) });
  }

  private async request<T = Record<string, unknown>>(
    event: string,
    body: Record<string, unknown> = {},
  ): Promise<T> {
    const ack = (await this.socket.timeout(15000).emitWithAck(event, body)) as Ack;
    if (!ack.ok) throw new RequestError(ack.error.code, ack.error.message);
    return ack as unknown as T;
  }

  private async join(): Promise<void> {
    try {
      const r = await this.request<{
        state: string;
        role: SessionView['role'];
        rtpCapabilities?: unknown;
        producers?: { producerId: string; participantId: string }[];
        participants?: Person[];
      }>('join', { appointmentId: this.appointmentId });
      this.meet(r.participants ?? []);
      // Back after a dropped connection: the server closed our old transports, so media is set
      // up again on the same router without a new admission (docs/consultation-protocol.md).
      if (this.device) this.teardownMedia();
      this.admitted = r.state === 'admitted';
      this.update({
        role: r.role,
        phase: r.state === 'waiting' ? 'waiting' : 'connecting',
        reconnecting: false,
      });
      if (this.admitted) await this.startMedia(r.rtpCapabilities, r.producers ?? []);
      else if (r.rtpCapabilities) await this.prepare(r.rtpCapabilities);
    } catch (err) {
      this.fail(
        err instanceof Error ? err.message : String(err),
        err instanceof RequestError ? err.code : undefined,
      );
    }
  }

  /** Wires a transport's DTLS connect, produce and ICE-restart events to signaling. */
  private wire(transport: Transport, direction: 'send' | 'recv'): Transport {
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.request('connectTransport', { transportId: transport.id, dtlsParameters }).then(
        () => callback(),
        errback,
      );
    });
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.request<{ producerId: string }>('produce', {
          transportId: transport.id,
          kind,
          rtpParameters,
          source: (appData as { source: string }).source,
        }).then(({ producerId }) => callback({ id: producerId }), errback);
      });
    }
    transport.on('connectionstatechange', (state) => {
      if (state === 'failed' || state === 'disconnected') {
        // Network change on a phone: ask for new ICE credentials and restart ICE in place.
        this.request<{ iceParameters: types.IceParameters }>('restartIce', { transportId: transport.id })
          .then(({ iceParameters }) => transport.restartIce({ iceParameters }))
          .catch(() => undefined);
      }
    });
    return transport;
  }

  /**
   * The camera and microphone, asked for once when the page opens (the waiting room shows the
   * preview) so admission does not wait for the devices. Without a camera the visit goes on with
   * the microphone; without either, the participant still sees and hears the others. The preview
   * (`view.local`) shows copies of the video tracks: the sent ones stay disabled, sending nothing
   * of the camera, until the doctor admits.
   */
  private devices?: MediaStream;
  private acquiring?: Promise<MediaStream | undefined>;

  private acquireLocalMedia(): Promise<MediaStream | undefined> {
    const kept = this.devices;
    if (kept && kept.getTracks().every((t) => t.readyState === 'live')) return Promise.resolve(kept);
    this.acquiring ??= (async () => {
      const devices = navigator.mediaDevices;
      if (!devices?.getUserMedia) return undefined;
      for (const constraints of [
        { audio: true, video: { width: 640, height: 360, frameRate: 24 } },
        { audio: true },
      ]) {
        try {
          return await devices.getUserMedia(constraints);
        } catch {
          // next: fewer devices
        }
      }
      return undefined;
    })().then((stream) => {
      this.acquiring = undefined;
      if (this.closed || ['ended', 'left', 'declined'].includes(this.view.phase)) {
        stream?.getTracks().forEach((t) => t.stop());
        return undefined;
      }
      this.devices = stream;
      this.view.local?.getTracks().forEach((t) => t.stop()); // an earlier preview of dead devices
      const video = stream?.getVideoTracks().map((t) => {
        const copy = t.clone();
        copy.enabled = !this.view.cameraOff;
        return copy;
      });
      this.update({
        local: video && video.length > 0 ? new MediaStream(video) : undefined,
        noDevices: stream === undefined,
      });
      return stream;
    });
    return this.acquiring;
  }

  private stopDevices(): void {
    this.devices?.getTracks().forEach((t) => t.stop());
    this.view.local?.getTracks().forEach((t) => t.stop());
    this.devices = undefined;
    this.update({ local: undefined });
  }

  /** Admitted (on join, or by the doctor): media goes into the room. */
  private admitted = false;
  /** The media set up while waiting, if under way. */
  private setup?: Promise<void>;

  /**
   * In the waiting room: transports connected and our producers created but held (paused by the
   * server, tracks disabled here, nothing forwarded), so admission only has to resume them and
   * consume the others. A failure here is not fatal: admission sets media up from scratch.
   */
  private prepare(rtpCapabilities: unknown): Promise<void> {
    this.setup = this.startMedia(rtpCapabilities, [], false).catch(() => this.teardownMedia());
    return this.setup;
  }

  private async enterCall(producers: Announced[], pushed: Pushed[]): Promise<void> {
    if (this.setup) await this.setup;
    this.setup = undefined;
    if (!this.device || !this.sendTransport || !this.recvTransport) {
      // Nothing usable from the waiting room: set media up afresh (the server drops what was left).
      await this.resetMedia();
      return;
    }
    this.update({ phase: 'in-call' });
    this.ready = true;
    const made = new Set(pushed.map((p) => p.producerId));
    await Promise.all([
      ...pushed.map((p) => this.accept(p)),
      ...[...producers.filter((p) => !made.has(p.producerId)), ...this.early.splice(0)].map((p) =>
        this.consume(p),
      ),
      // Ours, held since the waiting room: resumed unless muted there.
      ...[...this.producers.entries()].map(async ([source, producer]) => {
        if (this.isOff(source)) return;
        producer.resume();
        await this.request('resumeProducer', { producerId: producer.id });
      }),
    ]);
  }

  /** Not sending: muted, camera turned off, or the camera while in audio-only mode. */
  private isOff(source: string): boolean {
    if (source === 'mic') return this.view.muted;
    if (source === 'camera') return this.view.cameraOff || this.view.audioOnly;
    return false;
  }

  /**
   * Media after admission (docs/consultation-protocol.md): the device's capabilities, both
   * transports and the local devices are set up at once; then the others' producers are consumed
   * while ours are produced, so nobody waits for the slower side.
   */
  private async startMedia(
    rtpCapabilities: unknown,
    producers: { producerId: string; participantId: string }[],
    admitted = true,
  ): Promise<void> {
    if (this.device) return;
    const device = new Device();
    this.device = device;
    this.update({ mediaStarts: this.view.mediaStarts + 1 });
    type TransportInfo = { transport: Parameters<Device['createSendTransport']>[0] };
    const loaded = device.load({
      routerRtpCapabilities: rtpCapabilities as Parameters<Device['load']>[0]['routerRtpCapabilities'],
    });
    const [send, recv, local] = await Promise.all([
      this.request<TransportInfo>('createTransport', { direction: 'send' }),
      // With our capabilities the server can create our consumers itself (`newConsumers`).
      loaded.then(() =>
        this.request<TransportInfo>('createTransport', {
          direction: 'recv',
          rtpCapabilities: device.rtpCapabilities,
        }),
      ),
      this.acquireLocalMedia(),
      loaded,
    ]);
    if (this.device !== device) return; // torn down meanwhile (reconnect, media reset)
    this.sendTransport = this.wire(device.createSendTransport(send.transport), 'send');
    this.recvTransport = this.wire(device.createRecvTransport(recv.transport), 'recv');
    if (!admitted) {
      await this.produceLocal(local, true);
      return;
    }
    this.update({ phase: 'in-call' });
    this.ready = true;
    await Promise.all([
      ...this.earlyPushed.splice(0).map((p) => this.accept(p)),
      ...[...producers, ...this.early.splice(0)].map((p) => this.consume(p)),
      this.produceLocal(local, false),
    ]);
  }

  /**
   * Produces the microphone and camera. A track that is off (muted, camera off, or `held` in the
   * waiting room) is disabled first, so its producer starts paused and sends only silence or black
   * frames; the server pauses it too.
   */
  private async produceLocal(local: MediaStream | undefined, held: boolean): Promise<void> {
    const transport = this.sendTransport;
    if (!local || !transport) return;
    for (const [source, track] of [
      ['mic', local.getAudioTracks()[0]],
      ['camera', local.getVideoTracks()[0]],
    ] as const) {
      if (!track || transport.closed) continue;
      const off = this.isOff(source);
      track.enabled = !(held || off);
      const producer = await transport.produce({
        track,
        // The devices outlive a reconnect's new transports (no second permission prompt).
        stopTracks: false,
        appData: { source },
        ...(source === 'camera'
          ? {
              // Three simulcast layers: a weak 3G link still gets the lowest one.
              encodings: [
                { maxBitrate: 100_000, scaleResolutionDownBy: 4 },
                { maxBitrate: 300_000, scaleResolutionDownBy: 2 },
                { maxBitrate: 900_000 },
              ],
              codecOptions: { videoGoogleStartBitrate: 300 },
            }
          : {}),
      });
      this.producers.set(source, producer);
      // Mute and camera-off survive a reconnect (held producers are paused by the server already).
      if (off && !held) await this.request('pauseProducer', { producerId: producer.id });
    }
  }

  /** Producers announced before our receive transport existed, consumed once it does. */
  private readonly early: Announced[] = [];
  private readonly consumedProducers = new Set<string>();
  private readonly earlyPushed: Pushed[] = [];
  private ready = false;

  /**
   * Receives someone's producer. One stream that cannot be received — its sender left or
   * reconnected meanwhile ("unknown consumer") — is skipped, not the end of the call: the call
   * goes on, and a new announcement of that producer is taken again.
   */
  private async consume(p: Announced): Promise<void> {
    await this.consumeOnce(p).catch(() => this.consumedProducers.delete(p.producerId));
  }

  private async consumeOnce(p: Announced): Promise<void> {
    if (!this.ready || !this.device || !this.recvTransport) {
      this.early.push(p);
      return;
    }
    if (this.consumedProducers.has(p.producerId)) return;
    this.consumedProducers.add(p.producerId);
    const { consumer: info } = await this.request<{ consumer: ConsumerParams }>('consume', {
      transportId: this.recvTransport.id,
      producerId: p.producerId,
      rtpCapabilities: this.device.rtpCapabilities,
    });
    this.senders.snapshot(info.producerId, info.producerPaused);
    await this.receive(info, p);
  }

  /** A consumer the server made for us: receive it (once per producer; skipped if it fails, see `consume`). */
  private async accept(p: Pushed): Promise<void> {
    await this.acceptOnce(p).catch(() => this.consumedProducers.delete(p.producerId));
  }

  private async acceptOnce(p: Pushed): Promise<void> {
    if (!this.recvTransport) {
      this.earlyPushed.push(p); // our receive transport is being set up: taken once it is
      return;
    }
    if (this.consumedProducers.has(p.producerId)) return;
    this.consumedProducers.add(p.producerId);
    await this.receive(p.consumer, p);
  }

  private async receive(info: ConsumerParams, from: Announced): Promise<void> {
    const transport = this.recvTransport;
    if (!transport) return;
    const consumer = await transport.consume(info);
    consumer.appData.participantId = from.participantId;
    consumer.appData.source = from.source;
    this.consumers.set(consumer.id, consumer);
    // Media arriving on the track means its sender is sending, whatever was said before.
    consumer.track.addEventListener('unmute', () => {
      if (consumer.closed) return;
      this.senders.flowing(consumer.producerId);
      this.publishRemotes();
    });
    // A new MediaStream object each time, so the <video> element takes the changed track set.
    const tile = tileOf(from.participantId, from.source);
    const stream = new MediaStream([...(this.streams.get(tile)?.stream.getTracks() ?? []), consumer.track]);
    this.streams.set(tile, { participantId: from.participantId, stream, screen: from.source === 'screen' });
    // In audio-only mode a new video stays paused, on the server too: nothing of it is sent.
    if (consumer.kind === 'video' && this.view.audioOnly) consumer.pause();
    else
      await this.request('resumeConsumer', { consumerId: consumer.id }).catch((err: unknown) => {
        this.dropConsumer(consumer.id); // gone on the server (its sender left): not kept here
        throw err;
      });
    consumer.appData.simulcast = info.type === 'simulcast';
    await this.askLayer(consumer);
    this.publishRemotes();
  }

  /** Someone muted or turned their camera off (or back on): their tile says so. */
  private senderPaused(producerId: string, paused: boolean): void {
    // Kept even if its consumer is not received yet (it is being set up): applies once it is.
    this.senders.event(producerId, paused);
    this.publishRemotes();
  }

  /** Rendered height (CSS pixels) of each remote participant's video tile. */
  private readonly tileHeights = new Map<string, number>();
  /** The simulcast layer last asked for, by consumer. */
  private readonly askedLayers = new Map<string, number>();

  /** The page laid a participant's video out `height` CSS pixels high (on load, resize, a new tile). */
  viewTile(participantId: string, height: number): void {
    this.tileHeights.set(participantId, height);
    for (const c of this.consumers.values())
      if (c.appData.participantId === participantId) void this.askLayer(c);
  }

  /** The browser's estimate of its connection changed (e.g. 4G to 3G): every layer is reconsidered. */
  private readonly onNetworkChange = (): void => {
    for (const c of this.consumers.values()) void this.askLayer(c);
  };

  /**
   * A camera's layer: the lowest that fills its tile, no more than the network allows
   * (layer-policy.ts); asked again only when that changes.
   */
  private async askLayer(c: Consumer): Promise<void> {
    if (c.kind !== 'video' || !c.appData.simulcast || c.closed) return;
    const layer = preferredLayer(
      this.tileHeights.get(String(c.appData.participantId)),
      window.devicePixelRatio,
      connection(),
    );
    if (this.askedLayers.get(c.id) === layer) return;
    this.askedLayers.set(c.id, layer);
    await this.request('setPreferredLayer', { consumerId: c.id, spatialLayer: layer }).catch(() =>
      this.askedLayers.delete(c.id),
    );
  }

  private dropConsumer(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (!c) return;
    c.close();
    this.consumers.delete(consumerId);
    this.askedLayers.delete(consumerId);
    const tile = tileOf(String(c.appData.participantId), c.appData.source);
    const remote = this.streams.get(tile);
    const rest = remote?.stream.getTracks().filter((t) => t !== c.track) ?? [];
    if (remote && rest.length > 0) this.streams.set(tile, { ...remote, stream: new MediaStream(rest) });
    else this.streams.delete(tile);
    this.scores.delete(consumerId);
    this.publishQuality();
    this.publishRemotes();
  }

  /** The network indicator: our downlink, our uplink, and whose uplink is poor. */
  private publishQuality(): void {
    const lowest = (scores: number[]): number | undefined =>
      scores.length > 0 ? Math.min(...scores) : undefined;
    const weak = new Set<string>();
    for (const [consumerId, { producerScore }] of this.scores) {
      const who = this.consumers.get(consumerId)?.appData.participantId;
      if (producerScore <= 4 && who !== undefined) weak.add(String(who));
    }
    this.update({
      quality: lowest([...this.scores.values()].map((x) => x.score)),
      sendQuality: lowest([...this.sendScores.values()]),
      weakSenders: [...weak],
    });
  }

  /** The tiles, and what each says is off: derived from the consumers received now. */
  private publishRemotes(): void {
    const shown = [...this.consumers.values()].filter(
      (c) => !c.closed && this.streams.has(tileOf(String(c.appData.participantId), c.appData.source)),
    );
    this.update({
      remotes: [...this.streams.values()],
      remoteOff: this.senders.remoteOff(
        shown.map((c) => ({
          producerId: c.producerId,
          participantId: String(c.appData.participantId),
          source: c.appData.source,
        })),
      ),
    });
  }

  /** The media server restarted: drop transports and set everything up again on a new router. */
  private async resetMedia(): Promise<void> {
    this.teardownMedia();
    if (this.admitted) this.update({ phase: 'connecting' });
    // The replacement media server may take a moment: try a few times before giving up.
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.request<{
          rtpCapabilities: unknown;
          producers?: { producerId: string; participantId: string }[];
        }>('rejoinMedia');
        if (this.admitted) await this.startMedia(r.rtpCapabilities, r.producers ?? []);
        else await this.prepare(r.rtpCapabilities);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        this.teardownMedia();
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  /** Closes transports, producers and consumers (the camera stays on for the next setup). */
  private teardownMedia(): void {
    for (const c of this.consumers.values()) c.close();
    // A shared screen is not shared again after a reconnect: the capture ends with it.
    this.producers.get('screen')?.track?.stop();
    for (const p of this.producers.values()) p.close();
    this.consumers.clear();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.sendTransport = undefined;
    this.recvTransport = undefined;
    this.streams.clear();
    this.scores.clear();
    this.sendScores.clear();
    this.askedLayers.clear();
    this.consumedProducers.clear();
    this.senders.clear();
    this.early.splice(0);
    this.earlyPushed.splice(0);
    this.ready = false;
    this.device = undefined;
    this.update({ remotes: [], remoteOff: {}, sharing: false });
    this.publishQuality();
  }

  /** Shares a JPEG, PNG or PDF (≤ 5 MB) into the patient's record; the room sees it in the chat. */
  async shareFile(file: File): Promise<void> {
    if (!('token' in this.credentials)) throw new Error('sign in to share files');
    const res = await fetch(`/consultation/visits/${this.appointmentId}/files`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${(await this.credentials.token()) ?? ''}`,
        'Content-Type': file.type,
        'X-File-Name': encodeURIComponent(file.name),
      },
      body: file,
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      throw new Error(body.message ?? `upload failed (${res.status})`);
    }
  }

  /** The patient agrees to keep this visit's chat in their record. */
  async consentToChatRecord(): Promise<void> {
    await this.request('consent', { granted: true });
  }

  /** Invites a practitioner (by reference) or someone without an account (by name); answers the join link. */
  async invite(
    who: { actor?: string; name?: string },
    role: 'specialist' | 'station-staff' | 'interpreter',
  ): Promise<string> {
    const r = await this.request<{ joinPath: string }>('invite', { ...who, role });
    return `${window.location.origin}${r.joinPath}`;
  }

  admit(participantId: string): Promise<unknown> {
    return this.request('admit', { participantId });
  }

  decline(participantId: string): Promise<unknown> {
    return this.request('decline', { participantId });
  }

  async sendChat(text: string): Promise<void> {
    await this.request('chat', { text });
  }

  /** Mute or unmute; in the waiting room the choice applies on admission. */
  async toggleMute(): Promise<void> {
    const muted = !this.view.muted;
    this.update({ muted });
    await this.applyPaused('mic', muted);
  }

  /** Camera off or on (the preview follows); in the waiting room the choice applies on admission. */
  async toggleCamera(): Promise<void> {
    const cameraOff = !this.view.cameraOff;
    this.update({ cameraOff });
    // In audio-only mode the camera stays off whatever is chosen here (applied when leaving it).
    this.view.local?.getVideoTracks().forEach((t) => (t.enabled = !this.isOff('camera')));
    await this.applyPaused('camera', this.isOff('camera'));
  }

  private async applyPaused(source: 'mic' | 'camera', off: boolean): Promise<void> {
    const p = this.producers.get(source);
    if (!p || this.view.phase !== 'in-call') return;
    if (off) p.pause();
    else p.resume();
    await this.request(off ? 'pauseProducer' : 'resumeProducer', { producerId: p.id });
  }

  /**
   * Audio only, for a weak link: the server stops forwarding the others' video (and screen) to
   * us and our camera stops sending, so the link carries voice alone. Back: both resume (our
   * camera unless it was turned off).
   */
  async toggleAudioOnly(): Promise<void> {
    const audioOnly = !this.view.audioOnly;
    this.update({ audioOnly });
    const videos = [...this.consumers.values()].filter((c) => c.kind === 'video' && !c.closed);
    await Promise.all([
      ...videos.map(async (c) => {
        if (audioOnly) {
          c.pause();
          await this.request('pauseConsumer', { consumerId: c.id });
        } else {
          await this.request('resumeConsumer', { consumerId: c.id });
          c.resume();
        }
      }),
      this.view.cameraOff ? undefined : this.applyPaused('camera', audioOnly),
    ]);
  }

  /** Shares the screen (a tile of its own for the others), or stops sharing it. */
  async shareScreen(): Promise<void> {
    if (this.producers.has('screen')) {
      await this.stopSharing();
      return;
    }
    if (!this.sendTransport) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const [track] = display.getVideoTracks();
    if (!track) return;
    const producer = await this.sendTransport.produce({ track, appData: { source: 'screen' } });
    this.producers.set('screen', producer);
    this.update({ sharing: true });
    // Stopped from the browser's own "stop sharing" bar.
    track.onended = () => void this.stopSharing();
  }

  private async stopSharing(): Promise<void> {
    const producer = this.producers.get('screen');
    this.producers.delete('screen');
    this.update({ sharing: false });
    if (!producer) return;
    producer.track?.stop();
    producer.close();
    this.sendScores.delete(producer.id);
    this.publishQuality();
    await this.request('closeProducer', { producerId: producer.id }).catch(() => undefined);
  }

  async end(record: {
    notes?: string;
    diagnoses?: { code: string; display?: string }[];
    /** Structured for the national e-prescription system (libs/consultation PrescriptionDto). */
    prescriptions?: {
      medication: string;
      dosage: string;
      drugCode: string;
      quantity: number;
      unit: string;
      days: number;
      type?: 'c';
    }[];
    /** The re-visit appointment (libs/consultation FollowUpDto): `at` with its offset, e.g. +07:00. */
    followUp?: { at: string; note?: string };
  }): Promise<string | undefined> {
    this.ending = true;
    let r: { encounter?: string };
    try {
      r = await this.request<{ encounter?: string }>('end', record);
    } catch (err) {
      this.ending = false;
      if (!this.endedMeanwhile) throw err;
      this.finish('ended');
      return undefined;
    }
    this.ending = false;
    this.finish('ended');
    // `Encounter/<id>` of the record being written: where its national prescriptions are looked up.
    return r.encounter;
  }

  async leave(): Promise<void> {
    await this.request('leave').catch(() => undefined);
    this.finish('left');
  }

  private finish(phase: 'ended' | 'left'): void {
    for (const p of this.producers.values()) p.close();
    for (const c of this.consumers.values()) c.close();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.stopDevices();
    this.update({ phase, remotes: [] });
    this.close();
  }

  /**
   * Decoding statistics of what this page receives, in total and per participant with the ids of
   * the producers consumed (for the device check, the network indicator and tests).
   */
  async stats(): Promise<VisitStats> {
    const total: VisitStats = {
      framesDecoded: 0,
      audioPacketsReceived: 0,
      videoPacketsReceived: 0,
      keyFramesDecoded: 0,
      pliCount: 0,
      byParticipant: {},
    };
    for (const c of this.consumers.values()) {
      const who = String(c.appData.participantId);
      const mine = (total.byParticipant[who] ??= {
        framesDecoded: 0,
        audioPacketsReceived: 0,
        producers: [],
      });
      mine.producers.push(c.producerId);
      const report = await c.getStats();
      report.forEach(
        (s: {
          type?: string;
          kind?: string;
          framesDecoded?: number;
          packetsReceived?: number;
          keyFramesDecoded?: number;
          pliCount?: number;
        }) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'video') {
            total.framesDecoded += s.framesDecoded ?? 0;
            total.videoPacketsReceived += s.packetsReceived ?? 0;
            total.keyFramesDecoded += s.keyFramesDecoded ?? 0;
            total.pliCount += s.pliCount ?? 0;
            mine.framesDecoded += s.framesDecoded ?? 0;
          }
          if (s.kind === 'audio') {
            total.audioPacketsReceived += s.packetsReceived ?? 0;
            mine.audioPacketsReceived += s.packetsReceived ?? 0;
          }
        },
      );
    }
    return total;
  }

  private closed = false;
  /** Our `end` awaits its answer; `ended` arrived meanwhile. */
  private ending = false;
  private endedMeanwhile = false;

  /**
   * The page is left or closed (without "Leave"): signaling, media, and the camera and
   * microphone are all released — the devices are not held by a page nobody looks at.
   */
  close(): void {
    this.closed = true;
    connection()?.removeEventListener('change', this.onNetworkChange);
    this.stopAuth();
    this.socket.close();
    this.teardownMedia();
    this.stopDevices();
  }
}
