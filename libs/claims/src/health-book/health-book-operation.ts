import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  FhirError,
  FhirRestService,
  type FhirResource,
  type RequestContext,
  ResourceOwners,
} from '@mekong/health-record';
import { CCCD_SYSTEM, errorDetails, operationOutcome } from '@mekong/fhir';
import { ICD10_SYSTEM } from '@mekong/terminology';
import { ClaimMapper } from '../claim-mapper';
import { SigningService } from '@mekong/signing';
import { buildEnvelope } from '../xml130/build-claim';

/** The book takes each visit's summary from XML8, whatever the type of care (docs/health-book.md §5). */
const BOOK_BUILD = { includeSummary: true } as const;
import { bookTables, type BookRecord, type HealthBook, identityOf, visitOf } from './health-book';

type Ref = { reference?: string };
type Bundle = { entry?: { resource?: FhirResource }[] };
const bodyOf = <T>(r: { body?: unknown; text?: string }): T =>
  (r.body !== undefined ? r.body : JSON.parse(r.text ?? 'null')) as T;

const notFound = (type: string, id: string) =>
  FhirError.coded(404, 'not-found', 'HEALTH_BOOK.NOT_FOUND', `${type}/${id} không tìm thấy / not found`);

/** yyyyMMdd in Vietnam time of a FHIR date or dateTime. */
const ymd = (s: string | undefined): string => {
  if (!s) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s.replace(/-/g, '');
  const t = new Date(s).getTime();
  return Number.isNaN(t) ? '' : new Date(t + 7 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
};
const textOf = (cc: unknown): string => {
  const c = cc as { text?: string; coding?: { display?: string; code?: string }[] } | undefined;
  return c?.text ?? c?.coding?.[0]?.display ?? c?.coding?.[0]?.code ?? '';
};

/**
 * The VNeID electronic health book ("Sổ sức khỏe điện tử", docs/health-book.md):
 * - `GET /fhir/Encounter/{id}/$health-book`: the visit's book = the claim tables QĐ 2733 Phụ lục 02
 *   maps (XML1, 2, 3, 4, 8 — whichever the visit's claim holds) in the GIAMDINHHS envelope the
 *   BHXH gateway takes, application/xml, made by ClaimMapper/buildClaim (not re-derived);
 * - `GET /fhir/Patient/{id}/$health-book`: the whole-record summary, JSON, QĐ 31 Điều 2 k3 groups.
 * Who: the patient (their own book), the visit's practitioners and its facility's staff (for the
 * whole record: staff of the managing facility or of a facility that saw them, practitioners of
 * one of their visits), system clients. Everything is read with the caller's access; anyone else
 * gets a 404 like a read of a record they cannot reach.
 */
@Injectable()
export class HealthBookOperation implements OnModuleInit {
  constructor(
    private readonly owners: ResourceOwners,
    private readonly fhir: FhirRestService,
    private readonly mapper: ClaimMapper,
    private readonly signing: SigningService,
  ) {}

  onModuleInit(): void {
    this.owners.registerOperation({
      type: 'Encounter',
      name: '$health-book',
      level: 'instance',
      definition: 'https://fhir.mekong.health/OperationDefinition/Encounter-health-book',
      documentation:
        'The visit’s electronic health book data (Sổ sức khỏe điện tử VNeID: QĐ 1332, 2733, 31/QĐ-BYT) — the QĐ 130 tables 1, 2, 3, 4, 8 in the GIAMDINHHS envelope, application/xml; the patient, the visit’s practitioners, its facility’s staff or a system client',
      invoke: (id, _body, ctx) => this.visit(id!, ctx),
    });
    this.owners.registerOperation({
      type: 'Patient',
      name: '$health-book',
      level: 'instance',
      definition: 'https://fhir.mekong.health/OperationDefinition/Patient-health-book',
      documentation:
        'The patient’s electronic health book summary (identity, history, every visit), JSON with the decisions’ element names; the patient, their facilities’ staff and practitioners, or a system client',
      invoke: (id, _body, ctx) => this.record(id!, ctx),
    });
  }

  private async read(type: string, id: string, ctx: RequestContext): Promise<FhirResource> {
    return bodyOf<FhirResource>(await this.fhir.read(type, id, ctx));
  }

  private async search(
    type: string,
    query: [string, string][],
    ctx: RequestContext,
  ): Promise<FhirResource[]> {
    try {
      const b = bodyOf<Bundle>(
        await this.fhir.searchType(type, { ...ctx, query: [...query, ['_count', '200']] }),
      );
      return (b.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is FhirResource => r?.resourceType === type);
    } catch (e) {
      // A type the token may not search is left out, like a withheld section; other errors stand.
      if ((e as { getStatus?: () => number }).getStatus?.() === 403) return [];
      throw e;
    }
  }

  /** Whether the caller may have this visit's book (after their read of it succeeded). */
  private mayHaveVisit(enc: FhirResource, ctx: RequestContext): boolean {
    const p = ctx.access.principal;
    if (p.role === 'system') return true;
    const subject = (enc.subject as Ref | undefined)?.reference;
    if (p.role === 'patient') return !!subject && (subject === p.fhirUser || subject === p.patient);
    const participants = ((enc.participant ?? []) as { individual?: Ref }[]).map(
      (x) => x.individual?.reference,
    );
    const provider = (enc.serviceProvider as Ref | undefined)?.reference;
    return (
      (!!p.fhirUser && participants.includes(p.fhirUser)) || (!!p.organization && p.organization === provider)
    );
  }

  async visit(id: string, ctx: RequestContext) {
    const enc = await this.read('Encounter', id, ctx);
    if (!this.mayHaveVisit(enc, ctx)) throw notFound('Encounter', id);
    const r = await this.mapper.claimOf(id, ctx, new Date(), BOOK_BUILD);
    if (!r.ok)
      return {
        status: 422,
        body: operationOutcome(
          ...r.problems.map((pr) => ({
            severity: 'error' as const,
            code: 'required' as const,
            diagnostics: pr.message,
            expression: [pr.field],
            details: errorDetails('HEALTH_BOOK.INCOMPLETE', pr.field),
          })),
        ),
      };
    const tables = bookTables(r.claim.tables);
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/xml; charset=utf-8',
        'X-Claim-MA-LK': r.claim.maLk,
        'X-Health-Book-Tables': Object.keys(tables).join(','),
      },
      // Signed by the facility like the claim (QĐ 2733 Phụ lục 01 Điều 4 k3 [unverified]).
      text: await this.signing.signClaimXml(buildEnvelope(r.facilityCode, new Date(), tables)),
    };
  }

  async record(id: string, ctx: RequestContext) {
    const pat = await this.read('Patient', id, ctx);
    const p = ctx.access.principal;
    const me = `Patient/${id}`;
    const visits = (await this.search('Encounter', [['subject', me]], ctx)).sort((a, b) =>
      String((a.period as { start?: string } | undefined)?.start ?? '').localeCompare(
        String((b.period as { start?: string } | undefined)?.start ?? ''),
      ),
    );
    const allowed =
      p.role === 'system' ||
      (p.role === 'patient'
        ? p.fhirUser === me || p.patient === me
        : (!!p.organization && p.organization === (pat.managingOrganization as Ref | undefined)?.reference) ||
          visits.some((v) => this.mayHaveVisit(v, ctx)));
    if (!allowed) throw notFound('Patient', id);

    const DOT_KCB: BookRecord[] = [];
    const incomplete: string[] = [];
    let newestXml1: string | undefined;
    for (const v of visits.filter((x) => x.status === 'finished')) {
      const r = await this.mapper.claimOf(String(v.id), ctx, new Date(), BOOK_BUILD);
      if (!r.ok) {
        incomplete.push(String(v.id));
        continue;
      }
      DOT_KCB.push(visitOf(r.claim.tables));
      newestXml1 = r.claim.tables.XML1 ?? newestXml1;
    }
    const HANH_CHINH = identityOf(newestXml1);
    if (!newestXml1) {
      // No visit could be claimed: the identity the record holds, under the same element names.
      const name = ((pat.name ?? []) as { text?: string; family?: string; given?: string[] }[])[0];
      HANH_CHINH.HO_TEN = name?.text ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
      HANH_CHINH.SO_CCCD =
        ((pat.identifier ?? []) as { system?: string; value?: string }[]).find(
          (i) => i.system === CCCD_SYSTEM,
        )?.value ?? '';
    }
    const [allergies, conditions, immunizations] = await Promise.all([
      this.search('AllergyIntolerance', [['patient', me]], ctx),
      this.search('Condition', [['subject', me]], ctx),
      this.search('Immunization', [['patient', me]], ctx),
    ]);
    const book: HealthBook = {
      HANH_CHINH,
      TIEN_SU: {
        DI_UNG: allergies.map((a) => ({ TAC_NHAN: textOf(a.code) })),
        // Illnesses of the history: conditions not recorded within a visit (a visit's own
        // diagnoses are in its DOT_KCB). Only ICD-10 codes (WHO system) are copied as MA_BENH.
        BENH_TAT: conditions
          .filter((c) => !c.encounter)
          .map((c) => ({
            MA_BENH:
              ((c.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).find(
                (x) => x.system === ICD10_SYSTEM,
              )?.code ?? '',
            TEN_BENH: textOf(c.code),
          })),
        TIEM_CHUNG: immunizations
          .filter((i) => i.status !== 'entered-in-error' && i.status !== 'not-done')
          .map((i) => ({
            VAC_XIN: textOf(i.vaccineCode),
            NGAY_TIEM: ymd(i.occurrenceDateTime as string | undefined),
            MUI_THU: String(
              (
                (i.protocolApplied ?? []) as { doseNumberPositiveInt?: number; doseNumberString?: string }[]
              )[0]?.doseNumberPositiveInt ??
                ((i.protocolApplied ?? []) as { doseNumberString?: string }[])[0]?.doseNumberString ??
                '',
            ),
          })),
      },
      DOT_KCB,
    };
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        ...(incomplete.length > 0 ? { 'X-Health-Book-Incomplete': incomplete.join(',') } : {}),
      },
      body: book,
    };
  }
}
