import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import type { DataSource } from 'typeorm';
import { NOTIFY_CONTEXT } from '../notify.database';

export interface SentEmail {
  readonly address: string;
  readonly messageId: string;
  readonly acceptedAt: string;
}

/** The email channel's table (notify.email_message): what an SMTP server accepted, per notification. */
@Injectable()
export class EmailRepository {
  constructor(@InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource) {}

  /** The email of a notification an SMTP server already accepted: never sent again. */
  async accepted(notificationId: string): Promise<SentEmail | undefined> {
    const rows: { address: string; message_id: string; accepted_at: Date }[] = await this.db.query(
      `SELECT address, message_id, accepted_at FROM notify.email_message WHERE notification_id = $1`,
      [notificationId],
    );
    const r = rows[0];
    return r
      ? { address: r.address, messageId: r.message_id, acceptedAt: new Date(r.accepted_at).toISOString() }
      : undefined;
  }

  /** Records the server's acceptance (right after its 250, before the delivery job may finish). */
  async recordAccepted(
    notificationId: string,
    address: string,
    messageId: string,
    response: string | undefined,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO notify.email_message (notification_id, address, message_id, response)
       VALUES ($1, $2, $3, $4) ON CONFLICT (notification_id) DO NOTHING`,
      [notificationId, address, messageId, response?.slice(0, 500) ?? null],
    );
  }
}
