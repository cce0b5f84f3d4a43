import { Injectable } from '@nestjs/common';
import type { BreakGlassAlerts, BreakGlassOpening } from '@mekong/health-record';
import type { EntityManager } from 'typeorm';
import { NotificationService } from './notification.service';

/**
 * The record's port for break-glass alerts: each opening is an alert to the clinic staff of the
 * practitioner's facilities (in-app to their `Organization/…` room, and the webhook), recorded in
 * the opening's own transaction and once per grant and facility (dedup key). The alert names the
 * practitioner and the reason but is kept outside the patient's record (no subject): the staff
 * oversee their colleague, they do not gain the patient.
 */
@Injectable()
export class BreakGlassAlertsService implements BreakGlassAlerts {
  constructor(private readonly notifications: NotificationService) {}

  async opened(em: EntityManager, o: BreakGlassOpening): Promise<void> {
    const until = o.expiresAt.toISOString();
    for (const facility of o.facilities) {
      await this.notifications.notify(em, {
        dedupKey: `break-glass:${o.grant}:${facility}`,
        topic: 'break-glass',
        recipient: facility,
        about: o.practitioner,
        title: 'Truy cập khẩn cấp hồ sơ / Emergency record access',
        text: {
          vi: `${o.practitioner} đã mở khẩn cấp hồ sơ Patient/${o.patient} đến ${until}. Lý do: ${o.reason}`,
          en: `${o.practitioner} opened the record of Patient/${o.patient} in an emergency until ${until}. Reason: ${o.reason}`,
        },
        category: 'alert',
      });
    }
  }
}
