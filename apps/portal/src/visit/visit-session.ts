import { Device, type types } from 'mediasoup-client';

type Consumer = types.Consumer;
type Producer = types.Producer;
type Transport = types.Transport;
import { io, type Socket } from 'socket.io-client';

type Ack = { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

export interface QueueEntry {
  participantId: string;
  actor: string;
  reason: string;
  priority: number;
  since: string;
}

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
  queue: QueueEntry[];
  remotes: { participantId: string; stream: MediaStream }[];
  local?: MediaStream;
  chat: ChatMessage[];
  muted: boolean;
  cameraOff: boolean;
  audioOnly: boolean;
  /** Lowest consumer score (0–10) reported by the server: the network-quality indicator. */
  quality?: number;
  /** The patient agreed to keep the chat in the record. */
  chatKept?: boolean;
  /** The participant speaking now (active speaker). */
  speaker?: string;
  /** The server saw our incoming video stay poor and proposes audio-only. */
  suggestAudioOnly?: boolean;
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
  private device?: Device;
  private sendTransport?: Transport;
  private recvTransport?: Transport;
  private readonly producers = new Map<string, Producer>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly streams = new Map<string, MediaStream>();
  private readonly scores = new Map<string, number>();
  view: SessionView = {
    phase: 'connecting',
    queue: [],
    remotes: [],
    chat: [],
    muted: false,
    cameraOff: false,
    audioOnly: false,
  };

  constructor(
    private readonly appointmentId: string,
    private readonly token: string,
    private readonly onChange: (view: SessionView) => void,
  ) {
    this.socket = io('/consultation', { auth: { token }, transports: ['websocket'] });
    this.socket.on('ready', () => void this.join());
    this.socket.on('error', (e: { message?: string }) => this.fail(e.message ?? 'error'));
    this.socket.on('queue', (q: { waiting: QueueEntry[] }) => this.update({ queue: q.waiting }));
    this.socket.on(
      'admitted',
      (a: { rtpCapabilities: unknown; producers: { producerId: string; participantId: string }[] }) => {
        void this.startMedia(a.rtpCapabilities, a.producers).catch((err: unknown) => this.fail(String(err)));
      },
    );
    this.socket.on('declined', () => this.update({ phase: 'declined' }));
    this.socket.on('newProducer', (p: { producerId: string; participantId: string }) => {
      void this.consume(p.producerId, p.participantId).catch((err: unknown) => this.fail(String(err)));
    });
    this.socket.on('consumerClosed', ({ consumerId }: { consumerId: string }) =>
      this.dropConsumer(consumerId),
    );
    this.socket.on('participantLeft', ({ participantId }: { participantId: string }) => {
      this.streams.delete(participantId);
      this.publishRemotes();
    });
    this.socket.on('networkQuality', ({ consumerId, score }: { consumerId: string; score: number }) => {
      this.scores.set(consumerId, score);
      this.update({ quality: Math.min(...this.scores.values()) });
    });
    this.socket.on('chat', (m: ChatMessage) => this.update({ chat: [...this.view.chat, m] }));
    this.socket.on('ended', () => this.finish('ended'));
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
  }

  private update(patch: Partial<SessionView>): void {
    this.view = { ...this.view, ...patch };
    this.onChange(this.view);
  }

  private fail(message: string): void {
    this.update({ phase: 'error', error: message });
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
      }>('join', { appointmentId: this.appointmentId });
      this.update({ role: r.role, phase: r.state === 'waiting' ? 'waiting' : 'connecting' });
      if (r.state === 'admitted') await this.startMedia(r.rtpCapabilities, r.producers ?? []);
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
  }

  private async transport(direction: 'send' | 'recv'): Promise<Transport> {
    const device = this.device as Device;
    const { transport: info } = await this.request<{
      transport: Parameters<Device['createSendTransport']>[0];
    }>('createTransport', { direction });
    const transport =
      direction === 'send' ? device.createSendTransport(info) : device.createRecvTransport(info);
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

  private async startMedia(
    rtpCapabilities: unknown,
    producers: { producerId: string; participantId: string }[],
  ): Promise<void> {
    if (this.device) return;
    this.device = new Device();
    await this.device.load({
      routerRtpCapabilities: rtpCapabilities as Parameters<Device['load']>[0]['routerRtpCapabilities'],
    });
    this.sendTransport = await this.transport('send');
    this.recvTransport = await this.transport('recv');
    const local = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: 640, height: 360, frameRate: 24 },
    });
    this.update({ phase: 'in-call', local });
    const [audio] = local.getAudioTracks();
    const [video] = local.getVideoTracks();
    if (audio)
      this.producers.set(
        'mic',
        await this.sendTransport.produce({ track: audio, appData: { source: 'mic' } }),
      );
    if (video)
      this.producers.set(
        'camera',
        await this.sendTransport.produce({
          track: video,
          // Three simulcast layers: a weak 3G link still gets the lowest one.
          encodings: [
            { maxBitrate: 100_000, scaleResolutionDownBy: 4 },
            { maxBitrate: 300_000, scaleResolutionDownBy: 2 },
            { maxBitrate: 900_000 },
          ],
          codecOptions: { videoGoogleStartBitrate: 300 },
          appData: { source: 'camera' },
        }),
      );
    this.ready = true;
    for (const p of [...producers, ...this.early.splice(0)])
      await this.consume(p.producerId, p.participantId);
  }

  /** Producers announced before our receive transport existed, consumed once it does. */
  private readonly early: { producerId: string; participantId: string }[] = [];
  private readonly consumedProducers = new Set<string>();
  private ready = false;

  private async consume(producerId: string, participantId: string): Promise<void> {
    if (!this.ready || !this.device || !this.recvTransport) {
      this.early.push({ producerId, participantId });
      return;
    }
    if (this.consumedProducers.has(producerId)) return;
    this.consumedProducers.add(producerId);
    const { consumer: info } = await this.request<{
      consumer: { id: string; producerId: string; kind: 'audio' | 'video'; rtpParameters: never };
    }>('consume', {
      transportId: this.recvTransport.id,
      producerId,
      rtpCapabilities: this.device.rtpCapabilities,
    });
    const consumer = await this.recvTransport.consume(info);
    consumer.appData.participantId = participantId;
    this.consumers.set(consumer.id, consumer);
    const stream = this.streams.get(participantId) ?? new MediaStream();
    stream.addTrack(consumer.track);
    this.streams.set(participantId, stream);
    await this.request('resumeConsumer', { consumerId: consumer.id });
    if (consumer.kind === 'video' && this.view.audioOnly) consumer.pause();
    // A small window or phone screen does not need the top layer.
    if (consumer.kind === 'video')
      await this.request('setPreferredLayer', {
        consumerId: consumer.id,
        spatialLayer: window.innerWidth < 600 ? 1 : 2,
      }).catch(() => undefined);
    this.publishRemotes();
  }

  private dropConsumer(consumerId: string): void {
    const c = this.consumers.get(consumerId);
    if (!c) return;
    c.close();
    this.consumers.delete(consumerId);
    const stream = this.streams.get(String(c.appData.participantId));
    stream?.removeTrack(c.track);
    this.publishRemotes();
  }

  private publishRemotes(): void {
    this.update({
      remotes: [...this.streams.entries()].map(([participantId, stream]) => ({ participantId, stream })),
    });
  }

  /** The media server restarted: drop transports and set everything up again on a new router. */
  private async resetMedia(): Promise<void> {
    for (const c of this.consumers.values()) c.close();
    this.consumers.clear();
    this.producers.clear();
    this.sendTransport?.close();
    this.recvTransport?.close();
    this.view.local?.getTracks().forEach((t) => t.stop());
    this.streams.clear();
    this.consumedProducers.clear();
    this.ready = false;
    this.device = undefined;
    this.update({ phase: 'connecting', remotes: [], local: undefined });
    const r = await this.request<{
      rtpCapabilities: unknown;
      producers: { producerId: string; participantId: string }[];
    }>('rejoinMedia');
    await this.startMedia(r.rtpCapabilities, r.producers);
  }

  /** Shares a JPEG, PNG or PDF (≤ 5 MB) into the patient's record; the room sees it in the chat. */
  async shareFile(file: File): Promise<void> {
    const res = await fetch(`/consultation/visits/${this.appointmentId}/files`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.token}`,
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

  invite(actor: string, role: 'specialist' | 'station-staff' | 'interpreter'): Promise<unknown> {
    return this.request('invite', { actor, role });
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

  async toggleMute(): Promise<void> {
    const p = this.producers.get('mic');
    if (!p) return;
    const muted = !this.view.muted;
    if (muted) p.pause();
    else p.resume();
    await this.request(muted ? 'pauseProducer' : 'resumeProducer', { producerId: p.id });
    this.update({ muted });
  }

  async toggleCamera(): Promise<void> {
    const p = this.producers.get('camera');
    if (!p) return;
    const cameraOff = !this.view.cameraOff;
    if (cameraOff) p.pause();
    else p.resume();
    await this.request(cameraOff ? 'pauseProducer' : 'resumeProducer', { producerId: p.id });
    this.update({ cameraOff });
  }

  /** Audio only: stop receiving video (saves the bandwidth a weak link needs for voice). */
  toggleAudioOnly(): void {
    const audioOnly = !this.view.audioOnly;
    for (const c of this.consumers.values()) {
      if (c.kind !== 'video') continue;
      if (audioOnly) c.pause();
      else c.resume();
    }
    this.update({ audioOnly });
  }

  async shareScreen(): Promise<void> {
    if (!this.sendTransport) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const [track] = display.getVideoTracks();
    if (!track) return;
    const producer = await this.sendTransport.produce({ track, appData: { source: 'screen' } });
    this.producers.set('screen', producer);
    track.onended = () => {
      producer.close();
      void this.request('closeProducer', { producerId: producer.id });
      this.producers.delete('screen');
    };
  }

  async end(record: {
    notes?: string;
    diagnoses?: { code: string; display?: string }[];
    prescriptions?: { medication: string; dosage: string }[];
  }): Promise<void> {
    await this.request('end', record);
    this.finish('ended');
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
    this.view.local?.getTracks().forEach((t) => t.stop());
    this.update({ phase, remotes: [], local: undefined });
    this.socket.close();
  }

  /** Decoding statistics of what this page receives (for the device check and for tests). */
  async stats(): Promise<{ framesDecoded: number; audioPacketsReceived: number }> {
    let framesDecoded = 0;
    let audioPacketsReceived = 0;
    for (const c of this.consumers.values()) {
      const report = await c.getStats();
      report.forEach(
        (s: { type?: string; kind?: string; framesDecoded?: number; packetsReceived?: number }) => {
          if (s.type !== 'inbound-rtp') return;
          if (s.kind === 'video') framesDecoded += s.framesDecoded ?? 0;
          if (s.kind === 'audio') audioPacketsReceived += s.packetsReceived ?? 0;
        },
      );
    }
    return { framesDecoded, audioPacketsReceived };
  }

  close(): void {
    this.socket.close();
  }
}
