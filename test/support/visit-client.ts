import { io, type Socket } from 'socket.io-client';

export type Ack =
  { ok: true; [k: string]: unknown } | { ok: false; error: { code: string; message: string } };

/** A signaling client for /consultation (what the portal's visit page does, minus media). */
export class VisitClient {
  readonly socket: Socket;
  readonly events: { event: string; payload: Record<string, unknown> }[] = [];
  readonly ready: Promise<void>;

  /** `token`: an access token; or `{ joinToken }`: an invitation's join token (guest without an account). */
  constructor(url: string, token: string | { joinToken: string }) {
    this.socket = io(`${url}/consultation`, {
      auth: typeof token === 'string' ? { token } : token,
      transports: ['websocket'],
      reconnection: false,
    });
    this.ready = new Promise((resolve) => this.socket.once('ready', () => resolve()));
    this.socket.onAny((event: string, payload: Record<string, unknown>) =>
      this.events.push({ event, payload }),
    );
  }

  request(event: string, body: Record<string, unknown> = {}): Promise<Ack> {
    return this.socket.timeout(10000).emitWithAck(event, body) as Promise<Ack>;
  }

  /** Resolves with the first event of this name (already received or future). */
  next(event: string, timeoutMs = 10000): Promise<Record<string, unknown>> {
    const seen = this.events.find((e) => e.event === event);
    if (seen) {
      this.events.splice(this.events.indexOf(seen), 1);
      return Promise.resolve(seen.payload);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      const handler = (payload: Record<string, unknown>): void => {
        clearTimeout(timer);
        const i = this.events.findIndex((e) => e.payload === payload);
        if (i >= 0) this.events.splice(i, 1);
        resolve(payload);
      };
      this.socket.once(event, handler);
    });
  }

  close(): void {
    this.socket.close();
  }
}
