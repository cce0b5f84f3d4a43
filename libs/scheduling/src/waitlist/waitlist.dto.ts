import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { ServiceType, WaitlistBody } from '@mekong/contracts';

/** POST /scheduling/waitlist: wait for a slot of a practitioner, or of a specialty. */
export class JoinWaitlistDto implements WaitlistBody {
  @Matches(/^Patient\/[A-Za-z0-9\-.]{1,64}$/, { message: 'patient must be Patient/<id>' }) patient!: string;
  @IsOptional()
  @Matches(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, { message: 'practitioner must be Practitioner/<id>' })
  practitioner?: string;
  /** A specialty code (SNOMED CT, as in PractitionerRole.specialty / Slot.specialty). */
  @IsOptional() @IsString() @Length(1, 64) specialty?: string;
  @IsOptional() @IsIn(['video', 'in-person']) serviceType?: ServiceType;
  @IsOptional() @IsString() @Length(1, 500) note?: string;
}
