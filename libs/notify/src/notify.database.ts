import type { ContextDatabase } from '@mekong/database';
import { NotifyInit1763830700000 } from './migrations/1763830700000-notify-init';

export const NOTIFY_CONTEXT = 'notify';

/** Notifications sent (one row per notification, deduplicated) and their deliveries per channel. */
export const NOTIFY_DATABASE: ContextDatabase = {
  name: NOTIFY_CONTEXT,
  schema: 'notify',
  entities: [],
  migrations: [NotifyInit1763830700000],
};
