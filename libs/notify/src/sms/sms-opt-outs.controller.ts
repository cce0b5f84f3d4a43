import { Controller, Get, Header, Query } from '@nestjs/common';
import { RequireScope, Roles } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import { IsString, Length } from 'class-validator';
import { InvalidPhoneNumberError, normalisePhone } from '../phone/vn-phone';
import { SmsRepository } from './sms.repository';

export class SmsOptOutQuery {
  @IsString() @Length(1, 40) phone!: string;
}

/** Whether a number opted out of SMS, and when. */
export interface SmsOptOutView {
  readonly phone: string;
  readonly optedOut: boolean;
  readonly keyword?: string;
  readonly at?: string;
}

/**
 * GET /notify/opt-outs?phone=… (docs/notifications-sms.md): administrators and system clients
 * (a clinic's records system) see whether a number replied STOP/HUY. The number is normalised as
 * SMS sends to it; an invalid one is a 400.
 */
@Controller('notify/opt-outs')
export class SmsOptOutsController {
  constructor(private readonly repo: SmsRepository) {}

  @Get()
  @RequireScope('Communication.rs')
  @Roles('admin', 'system')
  @Header('Cache-Control', 'no-store')
  async get(@Query() q: SmsOptOutQuery): Promise<SmsOptOutView> {
    let phone: string;
    try {
      phone = normalisePhone(q.phone);
    } catch (err) {
      if (err instanceof InvalidPhoneNumberError) throw new DomainError(err.code, 400, err.message);
      throw err;
    }
    const o = await this.repo.optedOut(phone);
    return o ? { phone, optedOut: true, keyword: o.keyword, at: o.at } : { phone, optedOut: false };
  }
}
