import { Injectable } from '@nestjs/common';
import { NotificationService } from '@mekong/notify';
import type { EntityManager } from 'typeorm';
import type { EconsultCase } from './econsult-case.repository';

export type CaseEvent = 'new' | 'answered' | 'escalated' | 'escalated-to-you' | 'not-answered';

/**
 * The words of each notice. They leave the app (SMS, email, push) and so name no clinical content:
 * no question, specialty, diagnosis or reply — only that something happened to a case; the case
 * itself is read in the app, under its access rules.
 */
const WORDS: Record<CaseEvent, { title: string; vi: string; en: string }> = {
  new: {
    title: 'Yêu cầu tư vấn từ xa mới / New e-consultation',
    vi: 'Có một yêu cầu tư vấn từ xa mới chờ bác sĩ chuyên khoa. Mở ứng dụng để xem.',
    en: 'A new e-consultation is waiting for a specialist. Open the app to see it.',
  },
  answered: {
    title: 'Đã có trả lời tư vấn từ xa / E-consultation answered',
    vi: 'Bác sĩ chuyên khoa đã trả lời yêu cầu tư vấn từ xa. Mở ứng dụng để xem.',
    en: 'The specialist answered the e-consultation. Open the app to see it.',
  },
  escalated: {
    title: 'Tư vấn từ xa đã được chuyển tiếp / E-consultation escalated',
    vi: 'Yêu cầu tư vấn từ xa chưa được trả lời đúng hạn và đã được chuyển cho bác sĩ khác. Mở ứng dụng để xem.',
    en: 'An e-consultation was not answered in time and was passed to another doctor. Open the app to see it.',
  },
  'escalated-to-you': {
    title: 'Tư vấn từ xa quá hạn được chuyển cho bạn / Overdue e-consultation passed to you',
    vi: 'Một yêu cầu tư vấn từ xa quá hạn đã được chuyển cho bạn. Mở ứng dụng để xem.',
    en: 'An overdue e-consultation was passed to you. Open the app to see it.',
  },
  'not-answered': {
    title: 'Tư vấn từ xa chưa có bác sĩ nhận / E-consultation not taken',
    vi: 'Yêu cầu tư vấn từ xa quá hạn và chưa có bác sĩ trực nhận. Hãy gọi bệnh viện tuyến trên nếu cần.',
    en: 'An e-consultation is overdue and no doctor on duty took it. Call the referral hospital if needed.',
  },
};

/** Notices about a case, through the one notification service (topic `econsult`). */
@Injectable()
export class EconsultNotices {
  constructor(private readonly notifications: NotificationService) {}

  /** Sends `event` to each recipient once (dedup per case, event, round and recipient), in `em`'s transaction. */
  async send(
    em: EntityManager,
    c: EconsultCase,
    event: CaseEvent,
    recipients: readonly string[],
  ): Promise<void> {
    const w = WORDS[event];
    for (const recipient of new Set(recipients)) {
      await this.notifications.notify(em, {
        dedupKey: `econsult:${c.id}:${event}:${c.escalations}:${recipient}`,
        topic: 'econsult',
        recipient,
        subject: `Patient/${c.patientId}`,
        about: `Task/${c.taskId}`,
        title: w.title,
        text: { vi: w.vi, en: w.en },
        category: event === 'new' || event === 'answered' ? 'notification' : 'alert',
      });
    }
  }
}
