import { Equals, IsIn, Matches } from 'class-validator';

/**
 * Body of POST /auth/patients/{id}/reset-password: the staff member attests the identity check made
 * in person — which document, and the last four digits they read on it (matched against the
 * Patient's CCCD in the record).
 */
export class ResetPatientPasswordDto {
  @Equals(true, { message: 'checkedInPerson must be true: the patient was identified at the station' })
  checkedInPerson!: true;

  @IsIn(['cccd'], { message: 'document must be cccd (citizen identity card)' })
  document!: 'cccd';

  @Matches(/^\d{4}$/, { message: 'cccdLast4 must be the last 4 digits of the CCCD number checked' })
  cccdLast4!: string;
}
