import type { ContextDatabase } from '@mekong/database';

export const CONSULTATION_CONTEXT = 'consultation';

/** The consultation schema; its tables (rooms, participants, chat) arrive with the visit features. */
export const CONSULTATION_DATABASE: ContextDatabase = {
  name: CONSULTATION_CONTEXT,
  schema: 'consultation',
  entities: [],
  migrations: [],
};
