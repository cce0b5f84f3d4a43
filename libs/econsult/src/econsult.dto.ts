import {
  type CreateEconsultBody,
  ECONSULT_PRIORITIES,
  ECONSULT_REPLY_KINDS,
  type EconsultReplyBody,
  type EconsultReplyKind,
} from '@mekong/contracts';
import { ArrayMaxSize, Equals, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export const PRIORITIES = ECONSULT_PRIORITIES;
export const REPLY_KINDS = ECONSULT_REPLY_KINDS;
export type ReplyKind = EconsultReplyKind;

/** POST /econsult/cases: a station sends a patient's case to a specialty of its referral hospital. */
export class CreateCaseDto implements CreateEconsultBody {
  /** The Patient's id. */
  @Matches(FHIR_ID, { message: 'patient must be a Patient id' }) patient!: string;
  /** The receiving specialty: a SNOMED CT code, as in PractitionerRole.specialty. */
  @Matches(/^\d{6,18}$/, { message: 'specialty must be a SNOMED CT code' }) specialty!: string;
  @IsString() @Length(5, 4000) question!: string;
  @IsIn(PRIORITIES) priority!: (typeof PRIORITIES)[number];
  /** The patient (or their guardian) agreed to share the case with the specialist. */
  @Equals(true, { message: 'consent must be true: the patient agreed to share the case' }) consent!: boolean;
  /** Observations (vitals) of the patient to send with it. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(FHIR_ID, { each: true, message: 'observations must be Observation ids' })
  observations?: string[];
}

export class CaseParams {
  @Matches(UUID, { message: 'id must be a uuid' }) id!: string;
}

export class UploadParams extends CaseParams {
  @Matches(/^[0-9a-f]{32}$/, { message: 'uploadId is not an upload' }) uploadId!: string;
}

/** POST /econsult/cases/:id/reply: the specialist's answer, which completes the case. */
export class ReplyDto implements EconsultReplyBody {
  @IsIn(REPLY_KINDS) kind!: ReplyKind;
  @IsString() @Length(1, 4000) text!: string;
}
