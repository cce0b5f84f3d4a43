import { Logger, UseGuards } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { type OnGatewayConnection, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { AuthGuard, SocketAuth } from '@mekong/auth';
import type { Namespace, Socket } from 'socket.io';
import type { InAppNotification, NotificationTopic } from '@mekong/contracts';
import type { NotificationChannel, OutgoingNotification } from './channel';

/**
 * In-app notifications over socket.io, namespace `/notifications` (docs/notifications.md).
 * The handshake carries the access token (`auth.token`); a socket joins the rooms of its
 * fhirUser, its patient in context and (clinic staff) its facility's `Organization/…`, and
 * receives `notification` events for them. The Communication in the record is the durable
 * inbox; the socket is the live push.
 */
@WebSocketGateway({ namespace: '/notifications' })
// Nest applies global guards to HTTP only: any event this namespace gains passes the one AuthGuard.
@UseGuards(AuthGuard)
export class InAppGateway implements OnGatewayConnection, NotificationChannel {
  readonly name = 'in-app';
  private readonly logger = new Logger('InAppNotifications');
  @WebSocketServer() private readonly server!: Namespace;

  constructor(private readonly socketAuth: SocketAuth) {}

  async handleConnection(socket: Socket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    try {
      // Notifications are Communications: reading them needs that scope, like the inbox does.
      const p = await this.socketAuth.accept(socket, token, 'Communication.rs');
      // Clinic staff also receive what is addressed to their facility (e.g. a NEWS2 alert of
      // vitals their station recorded).
      const facility = p.role === 'clinic-staff' ? p.organization : undefined;
      const rooms = [p.fhirUser, p.patient ? `Patient/${p.patient}` : undefined, facility].filter(
        (r): r is string => typeof r === 'string',
      );
      await socket.join(rooms);
      socket.emit('ready', { rooms });
    } catch (err) {
      socket.emit('error', {
        code: err instanceof DomainError ? err.code : 'AUTH.INVALID_TOKEN',
        message: `Sign in again / Vui lòng đăng nhập lại (${err instanceof Error ? err.message : 'invalid token'})`,
      });
      socket.disconnect(true);
    }
  }

  accepts(): boolean {
    return true;
  }

  deliver(n: OutgoingNotification): Promise<void> {
    // The shared contract's payload (libs/contracts): what the portal builds against — never the
    // contact details the other channels use.
    const payload: InAppNotification = {
      id: n.id,
      topic: n.topic as NotificationTopic,
      recipient: n.recipient,
      ...(n.subject !== undefined ? { subject: n.subject } : {}),
      ...(n.about !== undefined ? { about: n.about } : {}),
      title: n.title,
      text: { vi: n.text.vi, en: n.text.en },
      ...(n.communication !== undefined ? { communication: n.communication } : {}),
      createdAt: n.createdAt,
    };
    this.server.to(n.recipient).emit('notification', payload);
    this.logger.debug(`notification ${n.id} → ${n.recipient}`);
    return Promise.resolve();
  }
}
