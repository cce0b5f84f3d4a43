import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import type { NotificationTopic } from '@mekong/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFY_CONTEXT } from '../notify.database';
import { messageIdCandidates, type ReceiptStatus } from './deliver-sm';

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
   * A delivery receipt: the part's status, then — once the delivery job has marked the delivery
   * `submitted` — the delivery itself (settle). While the job is still running the delivery row is
   * left to it: it settles from the parts when it finishes. The delivery row is locked first, so a
   * receipt and the job's finish never overwrite each other. False when no part has that
   * message_id (yet).
   */
  /** Applies a receipt to its part (and the delivery); the notification's id, or undefined for an unknown message_id. */
  async recordReceipt(messageId: string, status: ReceiptStatus, detail: string): Promise<string | undefined> {
    return this.db.transaction(async (em) => {
      // The exact id first; else its decimal/hexadecimal twin (SMSCs differ in how receipts write it).
      const found: { notification_id: string; message_id: string }[] = await em.query(
        `SELECT notification_id, message_id FROM notify.sms_message WHERE message_id = ANY($1::text[])
          ORDER BY (message_id = $2) DESC LIMIT 1`,
        [messageIdCandidates(messageId), messageId],
      );
      const notificationId = found[0]?.notification_id;
      if (notificationId === undefined) return undefined;
      const delivery: { status: string }[] = await em.query(
        `SELECT status FROM notify.delivery WHERE notification_id = $1 AND channel = 'sms' FOR UPDATE`,
        [notificationId],
      );
      await em.query(
        `UPDATE notify.sms_message SET status = $2, delivered_at = CASE WHEN $2::text = 'delivered' THEN now() END,
                error = CASE WHEN $2::text = 'delivered' THEN NULL ELSE $3::text END
          WHERE message_id = $1 AND status IN ('submitted', 'unknown')`,
        [found[0]!.message_id, status, detail],
      );
      if (delivery[0]?.status === 'submitted') await this.settle(em, notificationId);
      return String(notificationId);
    });
  }

  /**
   * The SMS delivery of a notification from its parts (inside the caller's transaction, the
   * delivery row locked): failed with the receipt's words when a part was not delivered, delivered
   * when every part was, otherwise unchanged (`submitted`).
   */
  async settle(em: EntityManager, notificationId: string): Promise<void> {
    const parts: {
      part: number;
      parts: number;
      status: ReceiptStatus | 'submitted';
      error: string | null;
    }[] = await em.query(
      `SELECT part, parts, status, error FROM notify.sms_message WHERE notification_id = $1 ORDER BY part`,
      [notificationId],
    );
    const failed = parts.find((p) => FAILED.includes(p.status as ReceiptStatus));
    if (failed)
      await em.query(
        `UPDATE notify.delivery SET status = 'failed', last_error = $2 WHERE notification_id = $1 AND channel = 'sms'`,
        [
          notificationId,
          `SMS part ${failed.part}/${failed.parts} not delivered: ${failed.error ?? failed.status}`,
        ],
      );
    else if (
      parts.length > 0 &&
      parts.length === Number(parts[0]!.parts) &&
      parts.every((p) => p.status === 'delivered')
    )
      await em.query(
        `UPDATE notify.delivery SET status = 'delivered', delivered_at = now(), last_error = NULL
          WHERE notification_id = $1 AND channel = 'sms'`,
        [notificationId],
      );
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

  /** The recipient and topic of the last SMS sent to `phone` (what a STOP/HUY reply answers). */
  async lastMessageTo(phone: string): Promise<{ recipient: string; topic: NotificationTopic } | undefined> {
    const rows: { recipient: string; topic: NotificationTopic }[] = await this.db.query(
      `SELECT n.recipient, n.topic FROM notify.sms_message m JOIN notify.notification n ON n.id = m.notification_id
        WHERE m.phone = $1 ORDER BY m.submitted_at DESC, m.notification_id DESC LIMIT 1`,
      [phone],
    );
    return rows[0];
  }

  async allOptedOut(): Promise<string[]> {
    const rows: { phone: string }[] = await this.db.query(`SELECT phone FROM notify.sms_opt_out`);
    return rows.map((r) => r.phone);
  }
}
