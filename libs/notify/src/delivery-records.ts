import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFY_CONTEXT } from './notify.database';

const NOTIFICATION = SystemReason.of(SYSTEM_REASONS.notification);

/** Our code system of notification channels (the medium of a delivery's Communication). */
export const CHANNEL_SYSTEM = 'https://mekong.health/fhir/CodeSystem/notification-channel';
const PARTICIPATION_MODE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationMode';

/** The v3 ParticipationMode of a channel: email is EMAILWRIT; SMS, Zalo and webhooks are ELECTRONIC (v3 has no SMS code). */
const MODE: Record<string, string> = { email: 'EMAILWRIT' };

type DeliveryStatus = 'pending' | 'submitted' | 'delivered' | 'failed' | 'refused';

/**
 * A delivery's status as a FHIR Communication status: waiting → preparation; accepted by a gateway,
 * receipt awaited → in-progress; delivered → completed; never sent (invalid number, opt-out) →
 * not-done; failed (an undeliverable receipt, or an attempt that failed and will be retried) →
 * stopped, with the reason. A later success moves it on: every version stays in the history.
 */
const FHIR_STATUS: Record<DeliveryStatus, string> = {
  pending: 'preparation',
  submitted: 'in-progress',
  delivered: 'completed',
  refused: 'not-done',
  failed: 'stopped',
};

interface DeliveryRow {
  status: DeliveryStatus;
  last_error: string | null;
  communication_id: string | null;
  sent_text: string | null;
  delivered_at: Date | null;
}

/**
 * The record of each delivery through a channel (SMS, email, Zalo, webhook) as a Communication in the
 * patient's record, partOf the notification's own Communication (the in-app inbox): created when the
 * delivery is planned, and brought up to date with the delivery's status (`sync`) after every change
 * — the job's outcome, a delivery receipt.
 */
@Injectable()
export class DeliveryRecords {
  constructor(
    private readonly store: FhirStore,
    @InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource,
  ) {}

  /** Inside the notification's transaction: the delivery's Communication (status preparation). */
  async create(
    em: EntityManager,
    n: {
      notificationId: string;
      channel: string;
      recipient: string;
      subject?: string;
      about?: string;
      category: string;
      communication: string;
    },
  ): Promise<void> {
    const { version } = await this.store.create(
      em,
      'Communication',
      {
        resourceType: 'Communication',
        status: 'preparation',
        partOf: [{ reference: `Communication/${n.communication}` }],
        category: [
          {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: n.category },
            ],
          },
        ],
        medium: [
          {
            coding: [
              { system: CHANNEL_SYSTEM, code: n.channel },
              { system: PARTICIPATION_MODE, code: MODE[n.channel] ?? 'ELECTRONIC' },
            ],
            text: n.channel,
          },
        ],
        ...(n.subject ? { subject: { reference: n.subject } } : {}),
        recipient: [{ reference: n.recipient }],
        ...(n.about ? { about: [{ reference: n.about }] } : {}),
      },
      { access: NOTIFICATION },
    );
    await em.query(
      `UPDATE notify.delivery SET communication_id = $3 WHERE notification_id = $1 AND channel = $2`,
      [n.notificationId, n.channel, version.id],
    );
  }

  /**
   * Brings the delivery's Communication to the delivery's status (a new version when it changed):
   * status, statusReason, when it was sent and received, and the text that was sent. The delivery
   * row is locked while it is read and written, so two syncs cannot write an older status last.
   */
  async sync(notificationId: string, channel: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const rows: DeliveryRow[] = await em.query(
        `SELECT status, last_error, communication_id, sent_text, delivered_at FROM notify.delivery
          WHERE notification_id = $1 AND channel = $2 FOR UPDATE`,
        [notificationId, channel],
      );
      const d = rows[0];
      if (!d?.communication_id) return;
      const current = await this.store.read('Communication', d.communication_id, NOTIFICATION, em);
      const c = current.content as Record<string, unknown>;
      const status = FHIR_STATUS[d.status];
      const reason =
        d.status === 'refused' || d.status === 'failed' ? (d.last_error ?? undefined) : undefined;
      const sentAt = typeof c.sent === 'string' ? c.sent : undefined;
      const next: Record<string, unknown> = { ...c, status };
      delete next.statusReason;
      if (reason) next.statusReason = { text: reason };
      if (d.status !== 'pending' && d.status !== 'refused' && !sentAt) next.sent = new Date().toISOString();
      if (d.status === 'delivered') next.received = new Date(d.delivered_at ?? Date.now()).toISOString();
      if (d.sent_text) next.payload = [{ contentString: d.sent_text }];
      if (JSON.stringify(next) === JSON.stringify(c)) return;
      await this.store.update(em, 'Communication', d.communication_id, next, {
        access: NOTIFICATION,
        ifMatch: current.versionId,
      });
    });
  }
}
