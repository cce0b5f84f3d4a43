import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import type { DutyShiftBody } from '@mekong/contracts';

const ORG = /^Organization\/[A-Za-z0-9\-.]{1,64}$/;

/** POST /care/duty-roster and PUT /care/duty-roster/:id: one on-call shift. */
export class DutyShiftDto implements DutyShiftBody {
  @Matches(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, { message: 'practitioner must be Practitioner/<id>' })
  practitioner!: string;
  /** The facility that owns the row (its clinic staff edit it); the practitioner works there. */
  @Matches(ORG, { message: 'facility must be Organization/<id>' })
  facility!: string;
  /** The facilities the practitioner is on call for: the owning facility and/or its stations (partOf). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(ORG, { each: true, message: 'covers must be a list of Organization/<id>' })
  covers!: string[];
  @IsISO8601({ strict: true }) start!: string;
  @IsISO8601({ strict: true }) end!: string;
  @IsOptional() @IsString() @Length(1, 500) note?: string;
}

/** GET /care/duty-roster?facility=Organization/…&from=…&to=… (default: now to 7 days ahead). */
export class DutyRosterQuery {
  @Matches(ORG, { message: 'facility must be Organization/<id>' }) facility!: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

/** :id of a roster row. */
export class DutyShiftParams {
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'id must be a uuid' })
  id!: string;
}
