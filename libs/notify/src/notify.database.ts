import type { ContextDatabase } from '@mekong/database';
import { NotifyDeliveryCommunication1796591000000 } from './migrations/1796591000000-notify-delivery-communication';
import { NotifyPreferences1796592000000 } from './migrations/1796592000000-notify-preferences';
import { NotifyInit1763830700000 } from './migrations/1763830700000-notify-init';
import { NotifySms1796571800000 } from './migrations/1796571800000-notify-sms';
import { NotifyEmail1796581000000 } from './migrations/1796581000000-notify-email';
import { NotifyZalo1796601000000 } from './migrations/1796601000000-notify-zalo';

export const NOTIFY_CONTEXT = 'notify';

/**
 * Notifications sent (one row per notification, deduplicated), their deliveries per channel, the
 * SMS parts submitted, the numbers that opted out of SMS, the emails an SMTP server accepted, the
 * Zalo messages sent and the Zalo OA's tokens (encrypted).
 */
export const NOTIFY_DATABASE: ContextDatabase = {
  name: NOTIFY_CONTEXT,
  schema: 'notify',
  entities: [],
  migrations: [
    NotifyInit1763830700000,
    NotifySms1796571800000,
    NotifyEmail1796581000000,
    NotifyDeliveryCommunication1796591000000,
    NotifyPreferences1796592000000,
    NotifyZalo1796601000000,
  ],
};
