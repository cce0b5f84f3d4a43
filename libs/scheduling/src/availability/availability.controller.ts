import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope } from '@mekong/auth';
import type {
  AvailabilityException,
  AvailabilityExceptionAdded,
  AvailabilityRule,
  AvailabilityRuleAdded,
  SlotsWithdrawn,
} from '@mekong/contracts';
import { CreateExceptionDto, CreateRuleDto } from './availability.dto';
import { AvailabilityService } from './availability.service';

/**
 * Availability of a Schedule (docs/scheduling.md): weekly rules and exceptions, in
 * Asia/Ho_Chi_Minh. Writes: the schedule's practitioner or an administrator.
 */
@Controller('scheduling/schedules/:scheduleId')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get('rules')
  @RequireScope('Schedule.rs')
  rules(@Param('scheduleId') scheduleId: string): Promise<AvailabilityRule[]> {
    return this.availability.rules(scheduleId);
  }

  @Post('rules')
  @RequireScope('Schedule.c')
  addRule(
    @Param('scheduleId') scheduleId: string,
    @Body() dto: CreateRuleDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<AvailabilityRuleAdded> {
    return this.availability.addRule(scheduleId, dto, p);
  }

  @Delete('rules/:ruleId')
  @RequireScope('Schedule.d')
  @HttpCode(200)
  endRule(
    @Param('scheduleId') scheduleId: string,
    @Param('ruleId') ruleId: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<SlotsWithdrawn> {
    return this.availability.endRule(scheduleId, ruleId, p);
  }

  @Get('exceptions')
  @RequireScope('Schedule.rs')
  exceptions(@Param('scheduleId') scheduleId: string): Promise<AvailabilityException[]> {
    return this.availability.exceptions(scheduleId);
  }

  @Post('exceptions')
  @RequireScope('Schedule.c')
  addException(
    @Param('scheduleId') scheduleId: string,
    @Body() dto: CreateExceptionDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<AvailabilityExceptionAdded> {
    return this.availability.addException(scheduleId, dto, p);
  }
}
