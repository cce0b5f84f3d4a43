import { Controller, Get, Query, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, Roles, RequireScope } from '@mekong/auth';
import {
  type AccessContext,
  AccessService,
  AuditService,
  FhirStore,
  SearchService,
} from '@mekong/health-record';
import type { Request } from 'express';
import type { EntityManager } from 'typeorm';
import { vnDay } from '../common/dates';
import { ImmunizationDueQuery } from './immunization-due.dto';
import { searchAll, searchByPatients } from '../common/record-search';
import { CLOSED_STATUSES } from './forecast';
import {
  displayName,
  forecastFor,
  immunizationsOf,
  type NotCounted,
  pregnancyRecordsOf,
  vnToday,
} from './immunization-record';

export interface DueEntry {
  patient: { id: string; name: string; birthDate: string };
  antigen: string;
  dose: number;
  /** As of today: due, overdue, or upcoming (due later in the month asked for). */
  status: 'due' | 'overdue' | 'upcoming';
  due: string;
  overdue: string;
  earliest: string;
  /**
   * The child's Immunizations the forecast could not count (unknown vaccine code, a code no series
   * takes, no or impossible date), with why — on every row of the child, never silently dropped.
   */
  notCounted: NotCounted[];
}

/**
 * The station's vaccination list (`GET /care/immunizations/due?month=YYYY-MM`, clinic staff):
 * every child (and pregnant woman: tetanus) managed by the caller's facility (Patient.managingOrganization) with a dose still to
 * give whose due date is in that month or earlier (still outstanding, not aged out), computed from
 * the record as of today, sorted by due date. Audited like a search of those children's records.
 */
@Controller('care/immunizations')
export class ImmunizationDueController {
  constructor(
    private readonly store: FhirStore,
    private readonly search: SearchService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  @Get('due')
  @RequireScope('Immunization.rs')
  @Roles('clinic-staff')
  async due(
    @Query() q: ImmunizationDueQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
  ): Promise<DueEntry[]> {
    const org = principal.organization?.startsWith('Organization/') ? principal.organization.slice(13) : '';
    const monthEnd = vnDay(`${q.month}-01`).endOf('month');
    const today = vnToday();
    // Computed once, and every search of the list runs under it: the station sees only its reach.
    const context = await this.access.contextFor(principal, req.ip);
    const entries = await this.store.transaction(async (em) =>
      this.list(em, org, monthEnd.toISODate() ?? '', today, context),
    );
    const patients = [...new Set(entries.map((e) => e.patient.id))].filter((p) => context.canReachPatient(p));
    await this.audit.record(context.audit('E', 'search-type', 'ImmunizationRecommendation?month', patients));
    return entries.filter((e) => patients.includes(e.patient.id));
  }

  private async list(
    em: EntityManager,
    org: string,
    lastDay: string,
    today: string,
    access: AccessContext,
  ): Promise<DueEntry[]> {
    if (org === '') return [];
    // Children of the facility that have a current forecast (the observer keeps one per child in scope).
    const children = await searchAll(
      this.search,
      em,
      'Patient',
      [['organization', `Organization/${org}`]],
      access,
    );
    const recommendations = await searchByPatients(
      this.search,
      em,
      'ImmunizationRecommendation',
      children.map((p) => String(p.id)),
      access,
    );
    const withForecast = new Set(
      recommendations.map((rec) => String((rec.patient as { reference?: string } | undefined)?.reference)),
    );
    const rows = children
      .filter((p) => withForecast.has(`Patient/${String(p.id)}`))
      .map((p) => ({ id: String(p.id), content: p }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const imms = await immunizationsOf(
      this.search,
      em,
      rows.map((r) => r.id),
      access,
    );
    const pregnancies = await pregnancyRecordsOf(
      this.search,
      em,
      rows.map((r) => r.id),
      access,
    );
    const out: DueEntry[] = [];
    for (const r of rows) {
      const pf = forecastFor(r.id, r.content, imms.get(r.id) ?? [], today, pregnancies.get(r.id) ?? []);
      if (!pf) continue;
      for (const f of pf.result.forecasts) {
        // Closed (complete, too-old, not-applicable) series have nothing to give.
        if (CLOSED_STATUSES.has(f.status)) continue;
        if (f.status !== 'due' && f.status !== 'overdue' && f.status !== 'upcoming') continue;
        if (!f.doseNumber || !f.due || !f.overdue || !f.earliest || f.due > lastDay) continue;
        out.push({
          patient: { id: r.id, name: displayName(r.content), birthDate: String(r.content.birthDate) },
          antigen: f.antigen,
          dose: f.doseNumber,
          status: f.status,
          due: f.due,
          overdue: f.overdue,
          earliest: f.earliest,
          notCounted: pf.notCounted,
        });
      }
    }
    return out.sort(
      (a, b) =>
        a.due.localeCompare(b.due) ||
        a.patient.name.localeCompare(b.patient.name, 'vi') ||
        a.patient.id.localeCompare(b.patient.id) ||
        a.antigen.localeCompare(b.antigen),
    );
  }
}
