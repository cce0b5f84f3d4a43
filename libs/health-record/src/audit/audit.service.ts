import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  CLIENT_NAMES,
  type ClientNames,
  type Principal,
  type RecordRead,
  type RecordReadAudit,
} from '@mekong/auth';
import { InjectDataSource } from '@mekong/database';
import { dateRange } from '@mekong/fhir';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessContext } from '../access/access-context';
import { AccessService } from '../access/access.service';
import { FhirError } from '../fhir-error';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import type { FhirResource } from '../store/resource.repository';
import { SqlParams } from '../search/query-builder';
import { assertSearchText, parseCount } from '../search/search-request';
import { decodeCursor } from '../search/cursor';
import { type AuditRecord, auditInsertSql } from './audit-record';

interface AuditRow {
  id: string;
  recorded: Date;
  action: string;
  subtype: string;
  outcome: string;
  agent: string;
  agent_role: string;
  agent_who: string | null;
  patient_ids: string[];
  entity: string | null;
  source_address: string | null;
  purpose: string | null;
  detail: string | null;
}

const S = 'health_record';

/**
 * The audit trail: records every access (reads and searches here; writes inside their own
 * statement, see ResourceRepository.write) and serves it read-only as FHIR AuditEvent. Patients see
 * the events about their own record ("who viewed my record"); administrators and system clients
 * see all; clinicians none. The table itself refuses UPDATE/DELETE (migration trigger).
 */
@Injectable()
export class AuditService implements RecordReadAudit {
  constructor(
    @InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource,
    private readonly access: AccessService,
    @Optional() @Inject(CLIENT_NAMES) private readonly clients?: ClientNames,
  ) {}

  /** The registered names of the system clients acting in `rows` (shown as the agent's display). */
  private async clientNames(rows: readonly AuditRow[]): Promise<ReadonlyMap<string, string>> {
    const ids = rows.filter((r) => r.agent_role === 'system' && !r.agent_who).map((r) => r.agent);
    return ids.length > 0 && this.clients ? this.clients.names(ids) : new Map<string, string>();
  }

  /** Inserts a record; `em` to insert it inside a running transaction (a read in a transaction Bundle). */
  async record(a: AuditRecord, em: EntityManager = this.db.manager): Promise<void> {
    const p = new SqlParams();
    await em.query(
      auditInsertSql(a, (v, c) => p.add(v, c)),
      p.values,
    );
  }

  /**
   * A read of patient data through a route outside the FHIR API (the waitlist, the waiting room, the
   * vaccination list, a parent's dependents...), recorded before the answer is sent like a FHIR
   * search: action E, the route as its entity (`GET /scheduling/waitlist`, never query values),
   * naming every patient whose data the answer shows — each sees it in their own AuditEvent list.
   * Purpose ETREAT when the caller reaches one of them only by break-glass. A read that shows no
   * patient's data records nothing. `who`: the caller, or the AccessContext already computed for it.
   */
  async recordRead(who: Principal | AccessContext, read: RecordRead): Promise<void> {
    const patients = [...new Set(read.patients.map((p) => p?.replace(/^Patient\//, '')))].filter(
      (p): p is string => !!p,
    );
    if (patients.length === 0) return;
    const access = who instanceof AccessContext ? who : await this.access.contextFor(who, read.address);
    await this.record(access.audit('E', 'search-type', read.route, patients));
  }

  /** GET /fhir/AuditEvent: newest first, keyset-paged; `patient`, `date=ge…`/`le…` and `_count`. */
  async search(access: AccessContext, query: [string, string][], base: string): Promise<FhirResource> {
    const q = new Map(query);
    const p = new SqlParams();
    const add = (v: unknown, cast: string): string => p.add(v, cast);
    const where = [this.visibility(access, add)];
    const shown = shownPatients(access);
    for (const [k, v] of query) assertSearchText(k, v);
    const patient = q.get('patient')?.replace(/^Patient\//, '');
    // A patient asking for someone else's events gets none, not the events they share with them.
    if (patient && shown && !shown.has(patient)) where.push('FALSE');
    else if (patient) where.push(`patient_ids @> ARRAY[${add(patient, 'text')}]`);
    for (const [k, v] of query) {
      if (k !== 'date') continue;
      const m = /^(ge|le|gt|lt)?(\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)$/.exec(v);
      // A real calendar date (2026-02-30 is none: JavaScript rolls it over, PostgreSQL refuses it).
      if (!m || !dateRange(m[2] as string))
        throw new FhirError(400, 'invalid', `date: '${v}' is not a valid date`);
      const op = { ge: '>=', gt: '>', le: '<=', lt: '<' }[(m[1] ?? 'ge') as 'ge'];
      where.push(`recorded ${op} ${add(m[2], 'timestamptz')}`);
    }
    const unknown = query
      .map(([k]) => k)
      .filter((k) => !['patient', 'date', '_count', '_cursor', '_format'].includes(k));
    if (unknown.length > 0)
      throw new FhirError(
        400,
        'not-supported',
        `AuditEvent search supports patient, date and _count, not ${unknown.join(', ')}`,
      );
    const count = parseCount(q.get('_count'), 50, 1);
    const cursor = q.get('_cursor');
    if (cursor) {
      const key = decodeCursor(cursor, ['timestamptz', 'uuid']);
      if (!key) throw new FhirError(400, 'invalid', '_cursor is not valid');
      const [recorded, id] = key as [string, string];
      where.push(`(recorded, id) < (${add(recorded, 'timestamptz')}, ${add(id, 'uuid')})`);
    }
    const rows: AuditRow[] = await this.db.query(
      `SELECT * FROM ${S}.audit_event WHERE ${where.join(' AND ')} ORDER BY recorded DESC, id DESC LIMIT ${add(count + 1, 'int')}`,
      p.values,
    );
    const page = rows.slice(0, count);
    const names = await this.clientNames(page);
    const last = page[page.length - 1];
    const link = [{ relation: 'self', url: `${base}/AuditEvent` }];
    if (rows.length > count && last) {
      const c = Buffer.from(JSON.stringify([last.recorded.toISOString(), last.id])).toString('base64url');
      const next = new URLSearchParams([...query.filter(([k]) => k !== '_cursor'), ['_cursor', c]]);
      link.push({ relation: 'next', url: `${base}/AuditEvent?${next.toString()}` });
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      link,
      entry: page.map((r) => ({
        fullUrl: `${base}/AuditEvent/${r.id}`,
        resource: toAuditEvent(r, shown, names),
        search: { mode: 'match' },
      })),
    };
  }

  async read(access: AccessContext, id: string): Promise<FhirResource> {
    const p = new SqlParams();
    const add = (v: unknown, cast: string): string => p.add(v, cast);
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new FhirError(404, 'not-found', `AuditEvent/${id} not found`);
    const rows: AuditRow[] = await this.db.query(
      `SELECT * FROM ${S}.audit_event WHERE id = ${add(id, 'uuid')} AND ${this.visibility(access, add)}`,
      p.values,
    );
    if (!rows[0]) throw new FhirError(404, 'not-found', `AuditEvent/${id} not found`);
    return toAuditEvent(rows[0], shownPatients(access), await this.clientNames(rows));
  }

  private visibility(access: AccessContext, add: (v: unknown, cast: string) => string): string {
    const role = access.principal.role;
    if (role === 'system' || role === 'admin') return 'TRUE';
    if (role === 'patient' && access.patients !== 'all')
      return `patient_ids && ${add([...access.patients], 'text[]')}`;
    throw new FhirError(
      403,
      'forbidden',
      'The audit trail is open to patients (their own record) and administrators',
    );
  }
}

/**
 * The patients a viewer may see named in an event: a patient (or a parent acting for a child) only
 * their own — a search by a doctor that returned two patients must not tell one about the other.
 * Undefined: all (administrators, system clients).
 */
function shownPatients(access: AccessContext): ReadonlySet<string> | undefined {
  const role = access.principal.role;
  if (role === 'system' || role === 'admin' || access.patients === 'all') return undefined;
  return new Set(access.patients);
}

/**
 * An audit row as a FHIR R4 AuditEvent, naming only the patients in `shown` (all if undefined); a
 * system client's agent carries its registered name (`who.display`) from `clientNames`.
 */
function toAuditEvent(
  r: AuditRow,
  shown: ReadonlySet<string> | undefined,
  clientNames: ReadonlyMap<string, string> = new Map(),
): FhirResource {
  const clientName = r.agent_who ? undefined : clientNames.get(r.agent);
  return {
    resourceType: 'AuditEvent',
    id: r.id,
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
      display: 'RESTful Operation',
    },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: r.subtype }],
    action: r.action,
    recorded: r.recorded.toISOString(),
    outcome: r.outcome,
    ...(r.detail ? { outcomeDesc: r.detail } : {}),
    ...(r.purpose
      ? {
          purposeOfEvent: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: r.purpose }] },
          ],
        }
      : {}),
    agent: [
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
              code: 'humanuser',
              display: r.agent_role,
            },
          ],
        },
        who: r.agent_who
          ? { reference: r.agent_who }
          : { identifier: { value: r.agent }, ...(clientName ? { display: clientName } : {}) },
        requestor: true,
        ...(r.source_address ? { network: { address: r.source_address, type: '2' } } : {}),
      },
    ],
    source: { observer: { display: 'Mekong Health' } },
    entity: [
      // A route outside the FHIR API (`GET /scheduling/waitlist`) is named, not referenced.
      ...(r.entity
        ? [r.entity.includes(' ') ? { what: { display: r.entity } } : { what: { reference: r.entity } }]
        : []),
      ...r.patient_ids
        .filter((p) => !shown || shown.has(p))
        .map((p) => ({
          what: { reference: `Patient/${p}` },
          role: {
            system: 'http://terminology.hl7.org/CodeSystem/object-role',
            code: '1',
            display: 'Patient',
          },
        })),
    ],
  } as FhirResource;
}
