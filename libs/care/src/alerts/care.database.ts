import type { ContextDatabase } from '@mekong/database';
import { CareAlerts1796500000000 } from './migrations/1796500000000-care-alerts';

export const CARE_CONTEXT = 'care';

/** Care's own tables: the duty roster and the NEWS2 alerts' workflow (docs/decisions/018-duty-roster.md). */
export const CARE_DATABASE: ContextDatabase = {
  name: CARE_CONTEXT,
  schema: 'care',
  entities: [],
  migrations: [CareAlerts1796500000000],
};
