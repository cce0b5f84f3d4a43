import { Injectable } from '@nestjs/common';
import { DutyRosterRepository } from '@mekong/care';
import {
  type FhirResource,
  parseSearchRequest,
  type RecordCaller,
  SearchService,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import type { EntityManager } from 'typeorm';

export const ECONSULT = SystemReason.of(SYSTEM_REASONS.econsult);
export const SNOMED = 'http://snomed.info/sct';

interface RoleLike {
  active?: boolean;
  practitioner?: { reference?: string };
  organization?: { reference?: string };
  specialty?: { coding?: { system?: string; code?: string }[] }[];
}

const specialtiesOf = (r: RoleLike): string[] =>
  (r.specialty ?? []).flatMap((s) =>
    (s.coding ?? []).filter((c) => c.system === SNOMED).map((c) => c.code ?? ''),
  );

/** Every current match of a FHIR search (all pages), through the record's search API. */
async function searchAll(
  search: SearchService,
  em: EntityManager,
  type: string,
  params: readonly [string, string][],
  caller: RecordCaller,
): Promise<FhirResource[]> {
  const out: FhirResource[] = [];
  let cursor: string | undefined;
  do {
    const request = parseSearchRequest([
      ...params,
      ['_count', '500'],
      ...(cursor ? ([['_cursor', cursor]] as [string, string][]) : []),
    ]);
    const { matches, next } = await search.search(type, request, { lenient: false, em, caller });
    out.push(...matches);
    cursor = next;
  } while (cursor);
  return out;
}

/**
 * Who is on duty for a specialty (docs/econsult.md § Who sees a case): on call at the receiving
 * hospital now (care's duty roster, docs/decisions/018-duty-roster.md) and holding an active
 * PractitionerRole there with that specialty (directory data, written by administrators).
 */
@Injectable()
export class EconsultDuty {
  constructor(
    private readonly roster: DutyRosterRepository,
    private readonly search: SearchService,
  ) {}

  /** `Practitioner/…` of `specialty` on duty at `hospital` at `at`, sorted. */
  async onDuty(em: EntityManager, hospital: string, specialty: string, at: Date): Promise<string[]> {
    const onCall = new Set(await this.roster.onCall(em, hospital, at));
    if (onCall.size === 0) return [];
    const roles = (await searchAll(
      this.search,
      em,
      'PractitionerRole',
      [
        ['organization', hospital],
        ['specialty', `${SNOMED}|${specialty}`],
      ],
      ECONSULT,
    )) as RoleLike[];
    return [
      ...new Set(
        roles
          .filter((r) => r.active !== false && specialtiesOf(r).includes(specialty))
          .map((r) => r.practitioner?.reference ?? '')
          .filter((p) => onCall.has(p)),
      ),
    ].sort();
  }

  /** Every practitioner on call at `hospital` at `at`, whatever their specialty (the fallback of an escalation). */
  onCall(em: EntityManager, hospital: string, at: Date): Promise<string[]> {
    return this.roster.onCall(em, hospital, at);
  }

  /** The queues (`hospital specialty`) `practitioner` is on duty for at `at`. */
  async queuesOf(em: EntityManager, practitioner: string, at: Date): Promise<string[]> {
    const roles = (await searchAll(
      this.search,
      em,
      'PractitionerRole',
      [['practitioner', practitioner]],
      ECONSULT,
    )) as RoleLike[];
    const queues: string[] = [];
    const onCallAt = new Map<string, boolean>();
    for (const r of roles) {
      const org = r.organization?.reference;
      if (r.active === false || !org?.startsWith('Organization/')) continue;
      if (!onCallAt.has(org))
        onCallAt.set(org, (await this.roster.onCall(em, org, at)).includes(practitioner));
      if (!onCallAt.get(org)) continue;
      for (const s of specialtiesOf(r)) queues.push(`${org} ${s}`);
    }
    return [...new Set(queues)];
  }
}
