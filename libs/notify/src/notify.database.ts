import type { ContextDatabase } from '@mekong/database';
import { NotifyInit1763830700000 } from './migrations/1763830700000-notify-init';
import { NotifySms1796571800000 } from './migrations/1796571800000-notify-sms';

export const NOTIFY_CONTEXT = 'notify';

/**
 * Notifications sent (one row per notification, deduplicated), their deliveries per channel, the
 * SMS parts submitted and the numbers that opted out of SMS.
 */
export const NOTIFY_DATABASE: ContextDatabase = {
  name: NOTIFY_CONTEXT,
  schema: 'notify',
  entities: [],
  migrations: [NotifyInit1763830700000, NotifySms1796571800000],
};
