import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Socket } from 'socket.io-client';
import { keepSocketAuthenticated } from './socket-auth';

/** An unsigned token expiring `inSeconds` from now (the portal only reads its claims). */
const token = (n: number, inSeconds: number): string =>
  `x.${btoa(JSON.stringify({ sub: 'acc1', n, exp: Math.floor(Date.now() / 1000) + inSeconds }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')}.y`;

/** The part of a socket.io socket the helper uses, recording what it sends. */
function fakeSocket(answer: (token: string) => { ok: boolean; expiresAt?: number }) {
  const handlers = new Map<string, () => void>();
  const sent: string[] = [];
  const socket = {
    connected: true,
    on: (event: string, h: () => void) => handlers.set(event, h),
    off: (event: string) => handlers.delete(event),
    emit: (event: string, body: { token: string }, ack: (a: unknown) => void) => {
      sent.push(`${event}:${body.token}`);
      ack(answer(body.token));
    },
  };
  return { socket: socket as unknown as Socket, sent, ready: () => handlers.get('ready')?.() };
}

describe('keepSocketAuthenticated', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends reauth with a fresh token 45 s before each expiry, and again after each renewal', async () => {
    let n = 0;
    let current = token(n, 60);
    const tokens = vi.fn(() => Promise.resolve(current));
    const s = fakeSocket(() => ({ ok: true, expiresAt: Math.floor(Date.now() / 1000) + 60 }));
    const stop = keepSocketAuthenticated(s.socket, tokens);
    s.ready();
    await vi.advanceTimersByTimeAsync(14_000);
    expect(s.sent).toEqual([]);
    const renewed = token(++n, 60);
    current = renewed;
    await vi.advanceTimersByTimeAsync(2_000); // 15 s: 60 − 45
    expect(s.sent).toEqual([`reauth:${renewed}`]);
    current = token(++n, 60);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(s.sent).toHaveLength(2);
    stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(s.sent).toHaveLength(2); // stopped: nothing more
  });

  it('retries soon when a reauth is refused or no token could be had', async () => {
    let refuse = true;
    const s = fakeSocket(() =>
      refuse ? { ok: false } : { ok: true, expiresAt: Math.floor(Date.now() / 1000) + 900 },
    );
    keepSocketAuthenticated(s.socket, () => Promise.resolve(token(0, 46)));
    s.ready();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(s.sent).toHaveLength(2);
    refuse = false;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(s.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000); // accepted, valid for 15 minutes: quiet until then
    expect(s.sent).toHaveLength(3);
  });
});
