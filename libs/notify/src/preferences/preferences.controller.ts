import { Body, Controller, Get, Header, Put, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope, Roles } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import {
  NOTIFICATION_TOPICS,
  type NotificationPreferences,
  type NotificationPreferencesUpdate,
  type NotificationTopic,
  PERSON_CHANNELS,
  type PersonChannel,
} from '@mekong/contracts';
import { type AccessContext, AccessService, AuditService, FhirStore } from '@mekong/health-record';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { Request } from 'express';
import { PreferencesRepository } from './preferences.repository';

const PERSON = /^(Patient|RelatedPerson)\/[A-Za-z0-9.-]{1,64}$/;

export class PreferencesQuery {
  @Matches(PERSON, { message: 'person must be Patient/<id> or RelatedPerson/<id>' }) person!: string;
}

export class OptOutDto {
  @IsIn(PERSON_CHANNELS) channel!: PersonChannel;
  @IsIn(NOTIFICATION_TOPICS) topic!: NotificationTopic;
}

export class PreferencesUpdateDto implements NotificationPreferencesUpdate {
  @Matches(PERSON, { message: 'person must be Patient/<id> or RelatedPerson/<id>' }) person!: string;
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(3)
  @IsIn(PERSON_CHANNELS, { each: true })
  channels?: PersonChannel[];
  @IsOptional() @IsIn(['vi', 'en']) language?: 'vi' | 'en';
  @IsOptional() @IsBoolean() quietHours?: boolean;
  @IsOptional() @IsBoolean() zaloOptIn?: boolean;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => OptOutDto)
  optOuts?: OptOutDto[];
}

/**
 * GET/PUT /notify/preferences (docs/notifications.md): a person's channels in order, language,
 * quiet hours, Zalo opt-in and opt-outs per channel and kind of message. Whoever may read the
 * person's record may read them — the patient, a guardian, the clinic's staff, a system client —
 * and change them (not an administrator, who sees no records). Reads and changes are audited.
 */
@Controller('notify/preferences')
export class PreferencesController {
  constructor(
    private readonly repo: PreferencesRepository,
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequireScope('Communication.rs')
  @Roles('patient', 'clinic-staff', 'practitioner', 'system')
  @Header('Cache-Control', 'no-store')
  async get(
    @Query() q: PreferencesQuery,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<NotificationPreferences> {
    const { patients } = await this.visible(q.person, p, req.ip);
    const prefs = await this.repo.get(q.person);
    await this.audit.recordRead(p, { route: 'GET /notify/preferences', patients, address: req.ip });
    return prefs;
  }

  @Put()
  @RequireScope('Communication.u')
  @Roles('patient', 'clinic-staff', 'practitioner', 'system')
  async put(
    @Body() body: PreferencesUpdateDto,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
  ): Promise<NotificationPreferences> {
    const { patients, access } = await this.visible(body.person, p, req.ip);
    const current = await this.repo.get(body.person);
    const channels = body.channels ?? current.channels;
    const zaloOptIn = body.zaloOptIn ?? current.zaloOptIn;
    if (channels.includes('zalo') && !zaloOptIn)
      throw new DomainError(
        'NOTIFY.ZALO_NOT_OPTED_IN',
        400,
        'Zalo is a third party: it can be a channel only with the person’s opt-in (zaloOptIn: true)',
      );
    const optOuts = body.optOuts
      ? body.optOuts.map((o) => ({
          channel: o.channel,
          topic: o.topic,
          via: current.optOuts.find((c) => c.channel === o.channel && c.topic === o.topic)?.via ?? 'api',
          at: new Date().toISOString(),
        }))
      : current.optOuts;
    const language = body.language ?? current.language;
    await this.repo.save(
      {
        person: body.person,
        channels,
        ...(language ? { language } : {}),
        quietHours: body.quietHours ?? current.quietHours,
        zaloOptIn,
        optOuts,
      },
      p.fhirUser ?? p.subject,
    );
    if (patients.length > 0)
      await this.audit.record(access.audit('U', 'update', 'PUT /notify/preferences', patients));
    return this.repo.get(body.person);
  }

  /** The patients whose record the person belongs to; 404 when the caller may not read the person. */
  private async visible(
    person: string,
    p: Principal,
    ip: string | undefined,
  ): Promise<{ patients: string[]; access: AccessContext }> {
    const [type, id] = person.split('/') as [string, string];
    const access = await this.access.contextFor(p, ip);
    const v = await this.store.read(type, id, access).catch(() => undefined);
    if (!v) throw new DomainError('NOTIFY.PERSON_NOT_FOUND', 404, `${person} not found`);
    if (type === 'Patient') return { patients: [id], access };
    const ref = (v.content as { patient?: { reference?: unknown } }).patient?.reference;
    return { patients: typeof ref === 'string' && ref.startsWith('Patient/') ? [ref.slice(8)] : [], access };
  }
}
