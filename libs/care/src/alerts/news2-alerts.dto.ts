import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { BookingOverrideBody, News2AlertsStatus } from '@mekong/contracts';

/** GET /care/alerts?status=open|all (default open). */
export class News2AlertsQuery {
  @IsOptional() @IsIn(['open', 'all']) status?: News2AlertsStatus;
}

export class News2AlertParams {
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'id must be a uuid' })
  id!: string;
}

/** POST /care/alerts/:id/booking-override: why a video booking is safe despite the alert. */
export class BookingOverrideDto implements BookingOverrideBody {
  @IsString() @Length(5, 500) reason!: string;
}
