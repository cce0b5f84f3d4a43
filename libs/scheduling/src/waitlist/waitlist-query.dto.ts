import { IsOptional, Matches } from 'class-validator';

/**
 * GET /scheduling/waitlist: whose waitlist (a repeated `patient=` arrives as an array and is refused
 * here, not in the service).
 */
export class WaitlistQuery {
  @IsOptional()
  @Matches(/^(Patient\/)?[A-Za-z0-9\-.]{1,64}$/, { message: 'patient must be Patient/<id>' })
  patient?: string;
}
