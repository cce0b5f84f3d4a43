/**
 * A socket stays authenticated only while its access token is valid: the server closes it at the
 * token's expiry (AUTH.TOKEN_EXPIRED) unless the client re-authenticates in band. This sends
 * `reauth` with a fresh token shortly before each expiry — inside the session's refresh window, so
 * the token is a new one — and so a video visit or the live inbox runs on across token refreshes.
 */
import type { Socket } from 'socket.io-client';
import { decodeClaims } from './session-store';

/** Re-authenticate this long before the token expires (the session refreshes at 60 s). */
const AHEAD_MS = 45_000;
const RETRY_MS = 5_000;

export function keepSocketAuthenticated(socket: Socket, token: () => Promise<string | null>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (expSeconds: number | undefined, fallbackMs = RETRY_MS): void => {
    clearTimeout(timer);
    if (stopped) return;
    const ms = expSeconds ? Math.max(1_000, expSeconds * 1000 - Date.now() - AHEAD_MS) : fallbackMs;
    timer = setTimeout(() => void renew(), ms);
  };
  const renew = async (): Promise<void> => {
    const fresh = await token().catch(() => null);
    if (stopped || !fresh || !socket.connected) return schedule(undefined);
    socket.emit('reauth', { token: fresh }, (ack: { ok?: boolean; expiresAt?: number } | undefined) =>
      schedule(ack?.ok ? ack.expiresAt : undefined),
    );
  };
  const onReady = (): void => {
    void token().then((t) => schedule(decodeClaims(t)?.exp));
  };
  socket.on('ready', onReady);
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket.off('ready', onReady);
  };
}
