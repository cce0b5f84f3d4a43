import { IsString, Length, Matches } from 'class-validator';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * PUT /eprescription/credentials: the doctor's own sign-in at the national prescription system
 * (`ma_lien_thong_co_so_kham_chua_benh`, `ma_lien_thong_bac_si`, password) and the facility's
 * 5-character code that starts each prescription code (Circular 26/2025/TT-BYT Appendix I note 1).
 * Never returned; the password is stored only encrypted.
 */
export class CredentialsDto {
  @Matches(/^[0-9A-Za-z]{5}$/, {
    message: 'facilityCode must be the facility’s 5-character code (letters or digits)',
  })
  facilityCode!: string;
  @IsString()
  @Length(1, 64)
  @Matches(/^[\x21-\x7e]+$/, { message: 'facilityLinkCode must be printable, without spaces' })
  facilityLinkCode!: string;
  @IsString()
  @Length(1, 64)
  @Matches(/^[\x21-\x7e]+$/, { message: 'doctorLinkCode must be printable, without spaces' })
  doctorLinkCode!: string;
  @IsString() @Length(1, 200) password!: string;
}

export class PrescriptionsQuery {
  @Matches(FHIR_ID, { message: 'encounter must be an Encounter id' }) encounter!: string;
}
