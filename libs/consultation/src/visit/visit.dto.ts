import { Type, plainToInstance } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { RoomError } from './rooms.service';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MEDIA_ID = /^[A-Za-z0-9-]{1,64}$/;

export class JoinDto {
  @Matches(FHIR_ID) appointmentId!: string;
}

export class ParticipantDto {
  @IsString() @Length(1, 200) participantId!: string;
}

export class ConsentDto {
  @IsIn([true]) granted!: true;
}

export class ChatDto {
  @IsString() @Length(1, 2000) text!: string;
}

export class TransportDto {
  @IsIn(['send', 'recv']) direction!: 'send' | 'recv';
  /**
   * With `recv`: the device's RTP capabilities, so the server can push consumers (`newConsumers`)
   * instead of waiting for a `consume` request (mediasoup checks them in depth).
   */
  @IsOptional() @IsObject() rtpCapabilities?: Record<string, unknown>;
}

export class TransportRefDto {
  @Matches(MEDIA_ID) transportId!: string;
}

export class ProducerRefDto {
  @Matches(MEDIA_ID) producerId!: string;
}

export class ConsumerRefDto {
  @Matches(MEDIA_ID) consumerId!: string;
}

export class LayerDto {
  @Matches(MEDIA_ID) consumerId!: string;
  @IsInt() @Min(0) @Max(2) spatialLayer!: number;
}

export class ProduceDto {
  @Matches(MEDIA_ID) transportId!: string;
  @IsIn(['audio', 'video']) kind!: 'audio' | 'video';
  @IsIn(['camera', 'mic', 'screen']) source!: 'camera' | 'mic' | 'screen';
}

export class DiagnosisDto {
  /** ICD-10 code, e.g. I20.9. */
  @Matches(/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, { message: 'code must be an ICD-10 code such as I20.9' })
  code!: string;
  @IsOptional() @IsString() @MaxLength(300) display?: string;
}

/**
 * One drug of the visit's prescription, structured for the national prescription system
 * (docs/eprescription.md; Circular 26/2025/TT-BYT art. 6(5)–(8)). The rule that needs the visit's
 * diagnoses (over 30 days only for Appendix VII) is checked with them (EprescriptionChecks).
 */
export class PrescriptionDto {
  /** Drug name as prescribed: INN, or INN + (brand) (art. 6(5)). */
  @IsString({ message: 'prescriptions.medication: the drug name is required' })
  @Length(1, 300, { message: 'prescriptions.medication: 1 to 300 characters' })
  medication!: string;
  /** Dose, times a day, route, when (art. 6(6)). */
  @IsString({
    message: 'prescriptions.dosage: how to take it is required (Circular 26/2025/TT-BYT art. 6(6))',
  })
  @Length(1, 500, { message: 'prescriptions.dosage: 1 to 500 characters' })
  dosage!: string;
  /** National drug list code (MA_THUOC), checked against the list when it is loaded. */
  @IsString({ message: 'prescriptions.drugCode: the national drug list code is required' })
  @Matches(/^[0-9A-Za-z][0-9A-Za-z.\-_/]{0,49}$/, { message: 'prescriptions.drugCode: not a drug list code' })
  drugCode!: string;
  @IsNumber({ maxDecimalPlaces: 3 }, { message: 'prescriptions.quantity: a number is required' })
  @Min(0.001, { message: 'prescriptions.quantity: above 0' })
  @Max(100000, { message: 'prescriptions.quantity: at most 100000' })
  quantity!: number;
  /** Unit of the quantity: viên, ống, gói, chai… */
  @IsString({ message: 'prescriptions.unit: the unit is required' })
  @Length(1, 50, { message: 'prescriptions.unit: 1 to 50 characters' })
  unit!: string;
  /** Days of use: at most 30, up to 90 for a diagnosis of Appendix VII (art. 6(8)). */
  @IsInt({ message: 'prescriptions.days: the days of use are required (Circular 26/2025/TT-BYT art. 6(6))' })
  @Min(1, { message: 'prescriptions.days: at least 1' })
  @Max(90, { message: 'prescriptions.days: at most 90 (Circular 26/2025/TT-BYT art. 6(8)(b))' })
  days!: number;
  /** Prescription type: c, ordinary (n and h need art. 7–9, not implemented). */
  @IsOptional()
  @IsIn(['c'], {
    message:
      'prescriptions.type: only c (ordinary) is issued; narcotic (n) and psychotropic (h) prescriptions are not supported',
  })
  type = 'c' as const;
}

/**
 * A FHIR dateTime to the second with its offset (`2026-12-20T08:00:00+07:00`): a time of day means
 * nothing without the zone it is in. Whether the day exists is checked by `followUpProblems`.
 */
const DATE_TIME_WITH_OFFSET =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;
/** How far ahead a re-visit may be appointed. */
export const FOLLOW_UP_MAX_DAYS = 365;

/**
 * The re-visit appointment given at the end of the visit ("giấy hẹn khám lại"): written as a
 * ServiceRequest of the Encounter (libs/fhir follow-up.ts), which the claim's XML14 is made from.
 */
export class FollowUpDto {
  // A missing or non-string value fails this too: one message, not two.
  @Matches(DATE_TIME_WITH_OFFSET, {
    message:
      'followUp.at: a date and time to the second with its offset is required, e.g. 2026-12-20T08:00:00+07:00 / ngày giờ hẹn khám lại không hợp lệ',
  })
  at!: string;
  @IsOptional()
  @IsString({ message: 'followUp.note: text is required' })
  @MaxLength(500, { message: 'followUp.note: at most 500 characters / ghi chú tối đa 500 ký tự' })
  note?: string;
}

/**
 * What is wrong with a re-visit appointment given at `end` (the visit's end, ISO 8601); empty: fine.
 * The date must exist (no 30 February), be after the end and at most FOLLOW_UP_MAX_DAYS later.
 */
export function followUpProblems(followUp: { at: string } | undefined, end: string): string[] {
  if (!followUp) return [];
  const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})T/.exec(followUp.at) ?? [];
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const at = Date.parse(followUp.at);
  if (!y || Number.isNaN(at) || day.getUTCDate() !== Number(d) || day.getUTCMonth() !== Number(m) - 1)
    return [`followUp.at: ${followUp.at} is not a date that exists / ngày hẹn khám lại không tồn tại`];
  const ended = Date.parse(end);
  if (at <= ended)
    return [
      `followUp.at: ${followUp.at} is not after the end of the visit (${end}) / ngày giờ hẹn khám lại phải sau khi kết thúc buổi khám`,
    ];
  if (at - ended > FOLLOW_UP_MAX_DAYS * 86_400_000)
    return [
      `followUp.at: ${followUp.at} is more than ${FOLLOW_UP_MAX_DAYS} days after the visit / ngày hẹn khám lại tối đa ${FOLLOW_UP_MAX_DAYS} ngày sau buổi khám`,
    ];
  return [];
}

export class EndDto {
  @IsOptional() @IsString() @MaxLength(20000) notes?: string;
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DiagnosisDto)
  diagnoses?: DiagnosisDto[];
  @IsOptional()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => PrescriptionDto)
  prescriptions?: PrescriptionDto[];
  @IsOptional()
  @IsObject({ message: 'followUp: an object {at, note?} is required' })
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp?: FollowUpDto;
}

/**
 * class-validator for socket payloads: a missing or malformed field is a BAD_REQUEST; fields a
 * DTO does not know are dropped, not refused — one body is read by several DTOs (`consume`: the
 * transport and the producer), and the media parameters in it (`rtpParameters`, `dtlsParameters`,
 * `rtpCapabilities`) are checked by mediasoup's own validation, whose errors are error acks.
 */
export function parse<T extends object>(cls: new () => T, body: unknown): T {
  const value = plainToInstance(cls, typeof body === 'object' && body !== null ? body : {});
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length > 0) {
    // Nested DTOs (a prescription's fields) say their own messages, not "prescriptions is invalid".
    const flat = (es: readonly ValidationError[]): string[] =>
      es.flatMap((e) => [
        ...Object.values(
          e.constraints ?? (e.children?.length ? {} : { [e.property]: `${e.property} is invalid` }),
        ),
        ...flat(e.children ?? []),
      ]);
    const problems = flat(errors);
    throw new RoomError('BAD_REQUEST', problems.join('; '));
  }
  return value;
}

export class InviteDto {
  /** Who, in the directory; may be left out for someone without a record (e.g. an interpreter) when `name` is given. */
  @ValidateIf((o: InviteDto) => o.name === undefined || o.actor !== undefined)
  @Matches(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, { message: 'actor must be Practitioner/<id>' })
  actor?: string;
  @IsOptional() @IsString() @Length(1, 100) name?: string;
  @IsIn(['specialist', 'station-staff', 'interpreter']) role!: 'specialist' | 'station-staff' | 'interpreter';
}
