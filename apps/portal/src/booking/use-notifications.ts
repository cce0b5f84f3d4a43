/**
 * Live in-app notifications (docs/notifications.md): socket.io namespace `/notifications`, the
 * access token in the handshake (`auth: { token }`, fetched fresh on every (re)connection).
 * Events: `ready`, `notification` (payload below), `error` ({code: AUTH.INVALID_TOKEN}).
 */
import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { session } from '../shell/session-store';
import { keepSocketAuthenticated } from '../shell/socket-auth';
import type { InAppNotification } from '../../../../libs/contracts/src';

/** The `notification` event's payload: the shared contract (libs/contracts), the server's own type. */
export type MekongNotification = InAppNotification;

export type Connection = 'connecting' | 'live' | 'offline' | 'signed-out';

export function useNotifications(onNotification?: (n: MekongNotification) => void): {
  connection: Connection;
  notifications: MekongNotification[];
} {
  const [connection, setConnection] = useState<Connection>('connecting');
  const [notifications, setNotifications] = useState<MekongNotification[]>([]);
  const handler = useRef(onNotification);
  useEffect(() => {
    handler.current = onNotification;
  }, [onNotification]);

  useEffect(() => {
    const socket = io('/notifications', {
      auth: (cb) => {
        void session.accessToken().then((token) => cb({ token: token ?? '' }));
      },
      reconnectionDelayMax: 30_000,
    });
    const stopAuth = keepSocketAuthenticated(socket, () => session.accessToken());
    socket.on('ready', () => setConnection('live'));
    socket.on('notification', (n: MekongNotification) => {
      setNotifications((list) => (list.some((x) => x.id === n.id) ? list : [n, ...list]));
      handler.current?.(n);
    });
    socket.on('error', (e: { code?: string } | undefined) => {
      if (e?.code === 'AUTH.INVALID_TOKEN') setConnection('signed-out');
    });
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('disconnect', () => setConnection((c) => (c === 'signed-out' ? c : 'offline')));
    return () => {
      stopAuth();
      socket.disconnect();
    };
  }, []);

  return { connection, notifications };
}
