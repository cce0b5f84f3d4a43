import { Injectable } from '@nestjs/common';
import type { AccountNotices } from '@mekong/auth';
import { InjectDataSource } from '@mekong/database';
import type { DataSource } from 'typeorm';
import { NotificationService } from './notification.service';
import { NOTIFY_CONTEXT } from './notify.database';

/**
 * The identity context's port for telling people about changes to their sign-in: an in-app
 * notification, kept in the patient's record as a Communication (their inbox), once per reset.
 */
@Injectable()
export class AccountNoticesService implements AccountNotices {
  constructor(
    private readonly notifications: NotificationService,
    @InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource,
  ) {}

  async passwordReset(patientId: string, facility: string, resetId: string): Promise<void> {
    const patient = `Patient/${patientId}`;
    await this.db.transaction((em) =>
      this.notifications.notify(em, {
        dedupKey: `account:password-reset:${resetId}`,
        topic: 'account-security',
        recipient: patient,
        subject: patient,
        about: facility,
        title: 'Mật khẩu đã được đặt lại / Your password was reset',
        text: {
          vi: 'Mật khẩu đăng nhập của bạn vừa được nhân viên trạm y tế đặt lại sau khi đối chiếu CCCD. Mọi phiên đăng nhập cũ đã kết thúc. Nếu bạn không yêu cầu việc này, hãy liên hệ trạm y tế ngay.',
          en: 'Your sign-in password was just reset by your health station’s staff after checking your CCCD. All earlier sessions were ended. If you did not ask for this, contact your health station at once.',
        },
        category: 'alert',
      }),
    );
  }
}
