import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { SCHEDULING_DATABASE } from './scheduling.database';

/** Availability, slots and booking bounded context. */
@Module({ imports: [DatabaseModule.forContext(SCHEDULING_DATABASE)] })
export class SchedulingModule {}
