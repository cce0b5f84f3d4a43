import type { ContextDatabase } from '@mekong/database';
import { SchedulingInit1763830200000 } from './migrations/1763830200000-scheduling-init';
import { SchedulingBooking1763830500000 } from './migrations/1763830500000-booking';
import { SchedulingAvailability1763830600000 } from './migrations/1763830600000-availability';
import { SchedulingWaitlistCalendar1763830800000 } from './migrations/1763830800000-waitlist-calendar';
import { SchedulingActionLinks1765000000000 } from './migrations/1765000000000-action-links';

export const SCHEDULING_CONTEXT = 'scheduling';

export const SCHEDULING_DATABASE: ContextDatabase = {
  name: SCHEDULING_CONTEXT,
  schema: 'scheduling',
  entities: [],
  migrations: [
    SchedulingInit1763830200000,
    SchedulingBooking1763830500000,
    SchedulingAvailability1763830600000,
    SchedulingWaitlistCalendar1763830800000,
    SchedulingActionLinks1765000000000,
  ],
};
