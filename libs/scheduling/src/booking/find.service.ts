import { Injectable } from '@nestjs/common';
import {
  bundle,
  FhirError,
  type FhirResource,
  type FhirResponse,
  FhirRestService,
  type RequestContext,
} from '@mekong/health-record';

const ALLOWED = new Set([
  'specialty',
  'organization',
  'practitioner',
  'service-type',
  'start',
  'end',
  '_count',
]);

/** Parameters of GET (query) or POST (a Parameters resource) as name/value pairs. */
function pairsOf(body: unknown, ctx: RequestContext): [string, string][] {
  const params =
    (body as { resourceType?: string; parameter?: Record<string, unknown>[] } | undefined) ?? undefined;
  if (params?.resourceType !== 'Parameters') return ctx.query;
  return (params.parameter ?? []).flatMap((p) => {
    const value = Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];
    const v =
      typeof value === 'object' && value !== null
        ? ((value as { reference?: string; code?: string }).reference ?? (value as { code?: string }).code)
        : value;
    return typeof p.name === 'string' && v !== undefined ? [[p.name, String(v)] as [string, string]] : [];
  });
}

/**
 * `Appointment/$find` (after the Argonaut Scheduling IG): the next free times matching specialty,
 * organization, practitioner and service type, as proposed Appointments the client can book by
 * POSTing one back with status booked. Built on the ordinary Slot search, so it sees exactly
 * what `GET /fhir/Slot` would.
 */
@Injectable()
export class FindService {
  constructor(private readonly fhir: FhirRestService) {}

  async find(body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    const pairs = pairsOf(body, ctx);
    for (const [k] of pairs)
      if (!ALLOWED.has(k))
        throw new FhirError(
          400,
          'not-supported',
          `$find does not take ${k} (allowed: ${[...ALLOWED].join(', ')})`,
        );
    const get = (k: string): string | undefined => pairs.find(([n]) => n === k)?.[1];
    const start = get('start') ?? new Date().toISOString();
    const count = Math.min(Math.max(Number(get('_count') ?? 10) || 10, 1), 100);
    const query: [string, string][] = [
      ['status', 'free'],
      ['start', `ge${start}`],
      ['_sort', 'start'],
      ['_count', String(count)],
      ['_include', 'Slot:schedule'],
    ];
    const end = get('end');
    if (end) query.push(['start', `lt${end}`]);
    const specialty = get('specialty');
    if (specialty) query.push(['specialty', specialty]);
    const serviceType = get('service-type');
    if (serviceType) query.push(['service-type', serviceType]);
    const actors: string[] = [];
    const practitioner = get('practitioner');
    if (practitioner) actors.push(practitioner.includes('/') ? practitioner : `Practitioner/${practitioner}`);
    const organization = get('organization');
    if (organization) {
      // Practitioners working at the organization (PractitionerRole.organization).
      const roles = (
        await this.fhir.searchType('PractitionerRole', {
          ...ctx,
          query: [
            ['organization', organization.includes('/') ? organization : `Organization/${organization}`],
            ['_count', '1000'],
          ],
        })
      ).body as { entry?: { resource: FhirResource & { practitioner?: { reference?: string } } }[] };
      const found = (roles.entry ?? []).flatMap((e) => [
        `PractitionerRole/${String(e.resource.id)}`,
        ...(e.resource.practitioner?.reference ? [e.resource.practitioner.reference] : []),
      ]);
      if (found.length === 0) return { status: 200, body: bundle('searchset', [], { total: 0 }) };
      actors.push(...(practitioner ? found.filter((a) => a === actors[0]) : found));
      if (practitioner && actors.length === 1)
        return { status: 200, body: bundle('searchset', [], { total: 0 }) };
    }
    if (actors.length > 0) query.push(['schedule.actor', [...new Set(actors)].join(',')]);
    const result = (await this.fhir.searchType('Slot', { ...ctx, query })).body as {
      entry?: { resource: FhirResource; search?: { mode?: string } }[];
    };
    const entries = result.entry ?? [];
    const schedules = new Map(
      entries
        .filter((e) => e.resource.resourceType === 'Schedule')
        .map((e) => [`Schedule/${String(e.resource.id)}`, e.resource]),
    );
    const proposals = entries
      .filter((e) => e.resource.resourceType === 'Slot')
      .map(({ resource: slot }) => {
        const schedule = schedules.get(String((slot.schedule as { reference?: string }).reference));
        const scheduleActors = ((schedule?.actor as { reference?: string }[] | undefined) ?? []).filter((a) =>
          /^(Practitioner|PractitionerRole)\//.test(a.reference ?? ''),
        );
        return {
          fullUrl: `urn:uuid:${String(slot.id)}`,
          resource: {
            resourceType: 'Appointment',
            status: 'proposed',
            ...(slot.serviceType ? { serviceType: slot.serviceType } : {}),
            ...(slot.specialty ? { specialty: slot.specialty } : {}),
            start: slot.start,
            end: slot.end,
            slot: [{ reference: `Slot/${String(slot.id)}` }],
            participant: scheduleActors.map((a) => ({
              actor: { reference: a.reference },
              status: 'needs-action',
            })),
          },
          search: { mode: 'match' },
        };
      });
    return { status: 200, body: bundle('searchset', proposals, { total: proposals.length }) };
  }
}
