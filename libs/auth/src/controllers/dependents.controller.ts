import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { CurrentPrincipal, Roles, RequireScope } from '../guard/auth.decorators';
import {
  type Dependent,
  PATIENT_CONTEXT_AUTHORIZER,
  type PatientContextAuthorizer,
} from '../patient-context';
import type { Principal } from '../roles';

/**
 * GET /auth/dependents — the children a parent may act for (Patient.link → RelatedPerson.patient),
 * so a client can offer "my record / my child's record" and then ask the token endpoint for that
 * child's context (`patient=<id>`). Only the caller's own guardianships; empty for everyone else.
 */
@Controller('auth/dependents')
export class DependentsController {
  constructor(
    @Optional() @Inject(PATIENT_CONTEXT_AUTHORIZER) private readonly guardians?: PatientContextAuthorizer,
  ) {}

  @Get()
  @RequireScope('Patient.rs')
  @Roles('patient')
  async list(@CurrentPrincipal() me: Principal): Promise<{ dependents: Dependent[] }> {
    return { dependents: (await this.guardians?.dependentsOf(me.fhirUser)) ?? [] };
  }
}
