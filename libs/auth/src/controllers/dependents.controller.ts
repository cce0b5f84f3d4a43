import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import {
  type Dependent,
  PATIENT_CONTEXT_AUTHORIZER,
  type PatientContextAuthorizer,
} from '../patient-context';
import { RECORD_READ_AUDIT, type RecordReadAudit } from '../record-read-audit';
import type { Principal } from '../roles';

/**
 * GET /auth/dependents — the children a parent may act for (Patient.link → RelatedPerson.patient),
 * so a client can offer "my record / my child's record" and then ask the token endpoint for that
 * child's context (`patient=<id>`). Only the caller's own guardianships; empty for everyone else.
 */
@Controller('auth/dependents')
export class DependentsController {
  constructor(
    @Inject(PATIENT_CONTEXT_AUTHORIZER) private readonly guardians: PatientContextAuthorizer,
    @Inject(RECORD_READ_AUDIT) private readonly audit: RecordReadAudit,
  ) {}

  @Get()
  @RequireScope('Patient.rs')
  @Roles('patient')
  async list(@CurrentPrincipal() me: Principal, @Req() req: Request): Promise<{ dependents: Dependent[] }> {
    const dependents = (await this.guardians?.dependentsOf(me.fhirUser)) ?? [];
    // Each child's name and birth date come from their record: in the child's audit trail.
    await this.audit?.recordRead(me, {
      route: 'GET /auth/dependents',
      patients: dependents.map((d) => d.patient),
      address: req.ip,
    });
    return { dependents };
  }
}
