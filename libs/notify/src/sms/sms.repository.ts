import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource } from 'typeorm';
import { NOTIFY_CONTEXT } from '../notify.database';
import type { ReceiptStatus } from './deliver-sm';

export interface SmsOptOut {
  readonly phone: string;
  readonly keyword: string;
  readonly at: string;
}

const FAILED: ReceiptStatus[] = ['undeliverable', 'expired', 'rejected', 'deleted', 'unknown'];

/** The SMS channel's tables (notify.sms_message, notify.sms_opt_out) and its deliveries' status. */
@Injectable()
export class SmsRepository {
  constructor(@InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource) {}

  /** Parts of a notification whose submit_sm_resp is recorded: never submitted again. */
  async submittedParts(notificationId: string): Promise<Set<number>> {
    const rows: { part: number }[] = await this.db.query(
      `SELECT part FROM notify.sms_message WHERE notification_id = $1`,
      [notificationId],
    );
    return new Set(rows.map((r) => Number(r.part)));
  }

  /** Records a part's submit_sm_resp (before the delivery job may finish). */
  async recordSubmitted(
    notificationId: string,
    part: number,
    parts: number,
    phone: string,
    messageId: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO notify.sms_message (notification_id, part, parts, phone, message_id, status)
       VALUES ($1, $2, $3, $4, $5, 'submitted') ON CONFLICT (notification_id, part) DO NOTHING`,
      [notificationId, part, parts, phone, messageId],
    );
  }

  /**
   * A delivery receipt: the part's status, then the notification's SMS delivery — delivered when
   * every part is, failed (with the receipt's words) when one is not. False when no part has that
   * message_id (yet).
   */
  async recordReceipt(messageId: string, status: ReceiptStatus, detail: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const updated = rowsOf<{ notification_id: string; part: number; parts: number }>(
        await em.query(
          `UPDATE notify.sms_message SET status = $2, delivered_at = CASE WHEN $2::text = 'delivered' THEN now() END,
                error = CASE WHEN $2::text = 'delivered' THEN NULL ELSE $3::text END
          WHERE message_id = $1 AND status IN ('submitted', 'unknown') RETURNING notification_id, part, parts`,
          [messageId, status, detail],
        ),
      );
      const hit = updated[0];
      if (!hit) {
        const known: unknown[] = await em.query(`SELECT 1 FROM notify.sms_message WHERE message_id = $1`, [
          messageId,
        ]);
        return known.length > 0; // a repeated receipt of a final state: nothing to change
      }
      const all: { status: ReceiptStatus | 'submitted' }[] = await em.query(
        `SELECT status FROM notify.sms_message WHERE notification_id = $1`,
        [hit.notification_id],
      );
      if (FAILED.includes(status))
        await em.query(
          `UPDATE notify.delivery SET status = 'failed', last_error = $2 WHERE notification_id = $1 AND channel = 'sms'`,
          [hit.notification_id, `SMS part ${hit.part}/${hit.parts} not delivered: ${detail}`],
        );
      else if (all.length === Number(hit.parts) && all.every((r) => r.status === 'delivered'))
        await em.query(
          `UPDATE notify.delivery SET status = 'delivered', delivered_at = now(), last_error = NULL
            WHERE notification_id = $1 AND channel = 'sms' AND status IN ('pending', 'submitted', 'failed')`,
          [hit.notification_id],
        );
      return true;
    });
  }

  async optOut(phone: string, keyword: string): Promise<void> {
    await this.db.query(
      `INSERT INTO notify.sms_opt_out (phone, keyword) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING`,
      [phone, keyword],
    );
  }

  async optedOut(phone: string): Promise<SmsOptOut | undefined> {
    const rows: { phone: string; keyword: string; created_at: Date }[] = await this.db.query(
      `SELECT phone, keyword, created_at FROM notify.sms_opt_out WHERE phone = $1`,
      [phone],
    );
    const r = rows[0];
    return r ? { phone: r.phone, keyword: r.keyword, at: new Date(r.created_at).toISOString() } : undefined;
  }

  async allOptedOut(): Promise<string[]> {
    const rows: { phone: string }[] = await this.db.query(`SELECT phone FROM notify.sms_opt_out`);
    return rows.map((r) => r.phone);
  }
}
