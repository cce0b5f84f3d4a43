import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  FhirError,
  FhirRestService,
  type FhirResource,
  type RequestContext,
  ResourceOwners,
} from '@mekong/health-record';
import { errorDetails, operationOutcome } from '@mekong/fhir';
import { ClaimMapper } from './claim-mapper';

const bodyOf = (r: { body?: unknown; text?: string }): FhirResource =>
  (r.body !== undefined ? r.body : JSON.parse(r.text ?? 'null')) as FhirResource;

/**
 * `GET /fhir/Encounter/{id}/$bhyt-claim` → the visit's claim (QĐ 130 tables in the GIAMDINHHS
 * envelope, application/xml). Who: a system client, a practitioner of the visit, or staff of the
 * facility that gave it (Encounter.serviceProvider); a patient's own token is refused (403) — the
 * claim is the facility's paperwork, the patient reads the record itself. A visit the caller
 * cannot reach is a 404 like any read; a claim that cannot be made is a 422 naming every field.
 */
@Injectable()
export class ClaimsOperation implements OnModuleInit {
  constructor(
    private readonly owners: ResourceOwners,
    private readonly fhir: FhirRestService,
    private readonly mapper: ClaimMapper,
  ) {}

  onModuleInit(): void {
    this.owners.registerOperation({
      type: 'Encounter',
      name: '$bhyt-claim',
      level: 'instance',
      definition: 'https://fhir.mekong.health/OperationDefinition/Encounter-bhyt-claim',
      documentation:
        'The visit’s health-insurance claim (Decision 130/QĐ-BYT as amended by 4750 and 3176), application/xml; practitioner of the visit, the facility’s staff or a system client',
      invoke: (id, _body, ctx) => this.claim(id!, ctx),
    });
  }

  async claim(id: string, ctx: RequestContext) {
    const p = ctx.access.principal;
    if (p.role === 'patient')
      throw FhirError.coded(
        403,
        'forbidden',
        'CLAIMS.NOT_FOR_PATIENTS',
        'The insurance claim is the facility’s; read your visit in your record / Hồ sơ BHYT do cơ sở lập',
      );
    const enc = bodyOf(await this.fhir.read('Encounter', id, ctx));
    if (p.role !== 'system') {
      const participants = ((enc.participant ?? []) as { individual?: { reference?: string } }[]).map(
        (x) => x.individual?.reference,
      );
      const provider = (enc.serviceProvider as { reference?: string } | undefined)?.reference;
      const mine =
        (p.fhirUser && participants.includes(p.fhirUser)) || (p.organization && p.organization === provider);
      if (!mine)
        throw FhirError.coded(
          403,
          'forbidden',
          'CLAIMS.NOT_YOUR_FACILITY',
          'Only the visit’s practitioners and its facility’s staff make its claim / Chỉ cơ sở của lượt khám lập hồ sơ BHYT',
        );
    }
    const r = await this.mapper.claimOf(id, ctx);
    if (!r.ok)
      return {
        status: 422,
        body: operationOutcome(
          ...r.problems.map((pr) => ({
            severity: 'error' as const,
            code: 'required' as const,
            diagnostics: pr.message,
            expression: [pr.field],
            details: errorDetails('CLAIMS.INCOMPLETE', pr.field),
          })),
        ),
      };
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml; charset=utf-8', 'X-Claim-MA-LK': r.claim.maLk },
      text: r.claim.envelope,
    };
  }
}
