import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { AvailabilityExceptionBody, AvailabilityRuleBody } from '@mekong/contracts';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** An instant with an explicit offset (Z or ±hh:mm): a time without one is ambiguous and refused. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const SERVICE_TYPES = ['video', 'in-person'] as const;

/** POST /scheduling/schedules/{id}/rules: weekly hours in Asia/Ho_Chi_Minh. */
export class CreateRuleDto implements AvailabilityRuleBody {
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  daysOfWeek!: number[];

  @Matches(HHMM, { message: 'startTime must be HH:mm (Asia/Ho_Chi_Minh)' }) startTime!: string;
  @Matches(HHMM, { message: 'endTime must be HH:mm (Asia/Ho_Chi_Minh)' }) endTime!: string;
  @IsInt() @Min(5) @Max(240) slotMinutes!: number;
  @IsIn(SERVICE_TYPES) serviceType!: (typeof SERVICE_TYPES)[number];
  // strict ISO 8601: a real calendar day (2026-02-30 matches DATE but PostgreSQL refuses it).
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validFrom must be a real date YYYY-MM-DD' })
  @Matches(DATE, { message: 'validFrom must be YYYY-MM-DD' })
  validFrom?: string;
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'validTo must be a real date YYYY-MM-DD' })
  @Matches(DATE, { message: 'validTo must be YYYY-MM-DD' })
  validTo?: string;
}

/** POST /scheduling/schedules/{id}/exceptions: a closed period (holiday, leave) or one-off extra hours. */
export class CreateExceptionDto implements AvailabilityExceptionBody {
  @IsIn(['closed', 'extra']) kind!: 'closed' | 'extra';
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'start must carry an offset (Z or +07:00)' })
  start!: string;
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'end must carry an offset (Z or +07:00)' })
  end!: string;
  @IsString() @Length(1, 500) reason!: string;
  @IsOptional() @IsInt() @Min(5) @Max(240) slotMinutes?: number;
  @IsOptional() @IsIn(SERVICE_TYPES) serviceType?: (typeof SERVICE_TYPES)[number];
}
