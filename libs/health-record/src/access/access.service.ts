import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { InjectDataSource } from '@mekong/database';
import { CCCD_SYSTEM } from '@mekong/fhir';
import { DataSource, type EntityManager } from 'typeorm';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import { RECORDED_BY_SYSTEM } from '../store/recorded-by';
import { AccessContext, GUARDIAN_CODES, GUARDIAN_ID_SYSTEM, ROLE_CODE } from './access-context';

const S = 'health_record';

/** How recent an Encounter or Appointment must be to count as a care relationship. */
export const CARE_RELATIONSHIP_DAYS = 180;

/**
 * Decides, per request, which patients a caller reaches — from the record itself (index tables),
 * so relationships and consents are always current:
 * - patient: the token's patient (a parent gets a token for a child only as its guardian);
 * - practitioner: general practitioner, active CareTeam member, an Encounter or Appointment with
 *   them in the last CARE_RELATIONSHIP_DAYS (or upcoming), an active Consent naming them or their
 *   organization, or an unexpired break-glass grant — each fact counting only with its meaning
 *   (periods, statuses) and when its current version was written by someone entitled to grant it
 *   (docs/access-control.md "Facts that grant access");
 * - clinic-staff: patients managed by their facility, or an active Consent naming it or them;
 * - admin: none (directory data only); system clients: all (their SMART system/ scopes apply).
 */
@Injectable()
export class AccessService {
  constructor(@InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource) {}

  async contextFor(
    principal: Principal,
    sourceAddress?: string,
    em: EntityManager = this.db.manager,
  ): Promise<AccessContext> {
    switch (principal.role) {
      case 'system':
        return new AccessContext(principal, 'all', new Map(), sourceAddress);
      case 'admin':
        return new AccessContext(principal, [], new Map(), sourceAddress);
      case 'patient': {
        const self = principal.patient ? [principal.patient] : [];
        return new AccessContext(principal, self, new Map(self.map((p) => [p, 'self'])), sourceAddress);
      }
      case 'practitioner':
      case 'clinic-staff': {
        const rows = await this.relationships(principal, em);
        // A Consent whose provision denies the caller (or their organization) ends every regular
        // relationship with that patient; only an emergency (break-glass) still opens the record.
        const denied = new Set(rows.filter((r) => r.reason === 'denied').map((r) => r.patient));
        const reasons = new Map<string, string>();
        // Break-glass sorts last in the query: a regular relationship, when there is one, is the reason recorded.
        for (const r of rows) {
          if (r.reason === 'denied' || (denied.has(r.patient) && r.reason !== 'break-glass')) continue;
          if (!reasons.has(r.patient)) reasons.set(r.patient, r.reason);
        }
        return new AccessContext(principal, [...reasons.keys()], reasons, sourceAddress);
      }
    }
  }

  /** Whether the account behind `fhirUser` (a Patient) may act for `patientId`: itself or as guardian. */
  async mayActFor(fhirUser: string | undefined, patientId: string): Promise<boolean> {
    const self = fhirUser?.startsWith('Patient/') ? fhirUser.slice(8) : undefined;
    if (!self) return false;
    if (self === patientId) return true;
    return (await this.children(self, patientId)).length > 0;
  }

  /** The managing organization of each existing Patient among `ids` (absent: no such live Patient). */
  async managingOrganizations(ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; org: string | null }[] = await this.db.query(
      `SELECT id, content->'managingOrganization'->>'reference' AS org FROM ${S}.resource
        WHERE resource_type = 'Patient' AND id = ANY($1::text[]) AND NOT deleted`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.org]));
  }

  /**
   * Whether the live Patient's CCCD ends with `lastDigits` (undefined: no such Patient, or no CCCD):
   * the in-person check before a station resets a patient's password. Only the answer leaves.
   */
  async cccdEndsWith(patientId: string, lastDigits: string): Promise<boolean | undefined> {
    const rows: { value: string | null }[] = await this.db.query(
      `SELECT (SELECT i->>'value' FROM jsonb_array_elements(content->'identifier') i
                WHERE i->>'system' = $2 AND jsonb_typeof(i->'value') = 'string' LIMIT 1) AS value
         FROM ${S}.resource WHERE resource_type = 'Patient' AND id = $1 AND NOT deleted
              AND jsonb_typeof(content->'identifier') = 'array'`,
      [patientId, CCCD_SYSTEM],
    );
    const value = rows[0]?.value;
    if (!value) return undefined;
    return /^\d{4}$/.test(lastDigits) && value.endsWith(lastDigits);
  }

  /** The children whose guardian the Patient behind `fhirUser` is (the link of `children`). */
  async dependentsOf(
    fhirUser: string | undefined,
  ): Promise<{ patient: string; name?: string; birthDate?: string }[]> {
    const self = fhirUser?.startsWith('Patient/') ? fhirUser.slice(8) : undefined;
    if (!self) return [];
    return (await this.children(self)).map((r) => {
      const n = r.content.name?.[0];
      const name = n?.text ?? [n?.family, ...(n?.given ?? [])].filter(Boolean).join(' ');
      return {
        patient: r.id,
        ...(name ? { name } : {}),
        ...(r.content.birthDate ? { birthDate: r.content.birthDate } : {}),
      };
    });
  }

  /**
   * The children (current Patients) of the parent whose own Patient is `self`. A guardianship counts
   * only when every part of it holds (docs/access-control.md "Guardians"):
   * - the parent's Patient links (Patient.link.other) to a RelatedPerson whose patient is the child,
   * - whose relationship is a parent or legal guardian (GUARDIAN_CODES),
   * - which identifies the guardian: it carries the parent's own CCCD (unique per Patient), so a
   *   link written on another Patient's record leads nowhere,
   * - and whose current version was written by someone entitled to: a system client, an
   *   administrator, or clinic staff of the facility that manages the child (from the audit trail).
   * `only`: just that child, if so linked.
   */
  private children(
    self: string,
    only?: string,
  ): Promise<
    {
      id: string;
      content: { name?: { text?: string; family?: string; given?: string[] }[]; birthDate?: string };
    }[]
  > {
    const params: unknown[] = [self, GUARDIAN_CODES, GUARDIAN_ID_SYSTEM];
    if (only !== undefined) params.push(only);
    return this.db.query(
      `SELECT DISTINCT c.id, c.content FROM ${S}.idx_reference l
         JOIN ${S}.resource r ON r.resource_type = 'RelatedPerson' AND r.id = l.target_id AND NOT r.deleted
         JOIN ${S}.idx_reference rp ON rp.resource_type = 'RelatedPerson' AND rp.resource_id = r.id
           AND rp.param = 'patient' AND rp.target_type = 'Patient'
         JOIN ${S}.resource c ON c.resource_type = 'Patient' AND c.id = rp.target_id AND NOT c.deleted
         WHERE l.resource_type = 'Patient' AND l.resource_id = $1 AND l.param = 'link'
           AND l.target_type = 'RelatedPerson' AND rp.target_id <> $1${only === undefined ? '' : ' AND rp.target_id = $4'}
           AND EXISTS (SELECT 1 FROM ${S}.idx_token g WHERE g.resource_type = 'RelatedPerson' AND g.resource_id = r.id
             AND g.param = 'relationship' AND g.system = '${ROLE_CODE}' AND g.code = ANY($2::text[]))
           AND EXISTS (SELECT 1 FROM ${S}.idx_token gi JOIN ${S}.idx_token pi ON pi.resource_type = 'Patient'
               AND pi.resource_id = $1 AND pi.param = 'identifier' AND pi.system = gi.system AND pi.code = gi.code
             WHERE gi.resource_type = 'RelatedPerson' AND gi.resource_id = r.id AND gi.param = 'identifier' AND gi.system = $3)
           AND EXISTS (SELECT 1 FROM ${S}.audit_event a
             WHERE a.entity = 'RelatedPerson/' || r.id || '/_history/' || r.version_id AND a.action IN ('C', 'U') AND a.outcome = '0'
               AND (a.agent_role IN ('system', 'admin')
                 OR (a.agent_role = 'clinic-staff' AND a.agent_org = c.content->'managingOrganization'->>'reference')))
         ORDER BY c.id`,
      params,
    );
  }

  private relationships(
    principal: Principal,
    em: EntityManager,
  ): Promise<{ patient: string; reason: string }[]> {
    const practitioner = principal.fhirUser?.startsWith('Practitioner/')
      ? principal.fhirUser.slice(13)
      : null;
    const organization = principal.organization?.startsWith('Organization/')
      ? principal.organization.slice(13)
      : null;
    const ref = (alias: string, type: string, param: string): string =>
      `${alias}.resource_type = '${type}' AND ${alias}.param = '${param}'`;
    const tokenIs = (type: string, param: string, codes: string[]): string =>
      `EXISTS (SELECT 1 FROM ${S}.idx_token t WHERE t.resource_type = '${type}' AND t.resource_id = p.resource_id
         AND t.param = '${param}' AND t.code IN (${codes.map((c) => `'${c}'`).join(', ')}))`;
    const recent = (type: string): string =>
      `EXISTS (SELECT 1 FROM ${S}.idx_date d WHERE d.resource_type = '${type}' AND d.resource_id = p.resource_id AND d.param = 'date'
         AND coalesce(d.high, 'infinity') > now() - interval '${CARE_RELATIONSHIP_DAYS} days')`;
    const byPractitioner = (type: string, param: string): string =>
      `EXISTS (SELECT 1 FROM ${S}.idx_reference x WHERE ${ref('x', type, param)} AND x.resource_id = p.resource_id
         AND x.target_type = 'Practitioner' AND x.target_id = $1)`;
    // A Consent names the caller (or their organization), is active and in its period, and was
    // recorded by someone who may grant it (the patient, a guardian acting for them, their station's
    // staff, the server) — not by a practitioner passing access on.
    const consentNaming = (
      provision: 'permit' | 'deny',
    ): string => `EXISTS (SELECT 1 FROM ${S}.idx_reference x WHERE ${ref('x', 'Consent', 'actor')} AND x.resource_id = p.resource_id
         AND ((x.target_type = 'Practitioner' AND x.target_id = $1) OR (x.target_type = 'Organization' AND x.target_id = $2)))
       AND ${tokenIs('Consent', 'status', ['active'])}
       AND NOT EXISTS (SELECT 1 FROM ${S}.idx_date d WHERE d.resource_type = 'Consent' AND d.resource_id = p.resource_id
         AND d.param = 'period' AND (coalesce(d.high, 'infinity') <= now() OR coalesce(d.low, '-infinity') > now()))
       AND EXISTS (SELECT 1 FROM ${S}.resource c WHERE c.resource_type = 'Consent' AND c.id = p.resource_id
         AND c.content->'provision'->>'type' = '${provision}'
         AND NOT (coalesce(c.content->'meta'->'tag', '[]'::jsonb) @> ANY (ARRAY[
           jsonb_build_array(jsonb_build_object('system', '${RECORDED_BY_SYSTEM}', 'code', 'practitioner')),
           jsonb_build_array(jsonb_build_object('system', '${RECORDED_BY_SYSTEM}', 'code', 'admin'))])))`;
    const consentActor = consentNaming('permit');
    // Who wrote the current version of a granting fact (docs/access-control.md "Facts that grant
    // access"): the server or a system client — the recorded-by tag `system`, which no client can
    // send, read from the index of current versions (`_tag`) — or an audited writer meeting `who`
    // (a row `a` of the audit trail for that version).
    const bySystem = (type: string, id: string): string =>
      `EXISTS (SELECT 1 FROM ${S}.idx_token g WHERE g.resource_type = '${type}' AND g.resource_id = ${id}
         AND g.param = '_tag' AND g.system = '${RECORDED_BY_SYSTEM}' AND g.code = 'system')`;
    const audited = (type: string, row: string, who: string): string =>
      `EXISTS (SELECT 1 FROM ${S}.audit_event a WHERE a.entity = '${type}/' || ${row}.id || '/_history/' || ${row}.version_id
         AND a.action IN ('C', 'U') AND a.outcome = '0' AND (${who}))`;
    const writtenBy = (type: string, who: string): string =>
      `(${bySystem(type, 'p.resource_id')} OR EXISTS (SELECT 1 FROM ${S}.resource r
         WHERE r.resource_type = '${type}' AND r.id = p.resource_id AND ${audited(type, 'r', who)}))`;
    const staffOf = (org: string): string => `(a.agent_role = 'clinic-staff' AND a.agent_org = ${org})`;
    const managingOrgOf = (patient: string): string =>
      `(SELECT m.content->'managingOrganization'->>'reference' FROM ${S}.resource m
         WHERE m.resource_type = 'Patient' AND m.id = ${patient} AND NOT m.deleted)`;
    const me = `'Practitioner/' || $1::text`;
    // Another practitioner who wrote it while reaching the patient by a regular relationship (not
    // break-glass): a colleague's visit names the doctors invited to it; nobody relates themselves.
    const colleagueInCare = `(a.agent_role = 'practitioner' AND a.purpose IS DISTINCT FROM 'ETREAT'
      AND a.agent_who IS DISTINCT FROM ${me})`;
    const inPeriod = (type: string, param: string): string =>
      `NOT EXISTS (SELECT 1 FROM ${S}.idx_date d WHERE d.resource_type = '${type}' AND d.resource_id = p.resource_id
         AND d.param = '${param}' AND (coalesce(d.high, 'infinity') <= now() OR coalesce(d.low, '-infinity') > now()))`;
    // The general practitioner: named by the current version and by the latest version an entitled
    // writer recorded (staff of the facility that version names as managing it, or the server), so
    // the patient or a doctor editing other elements does not end it, and no one else can add one.
    const gpConfirmed = `(${bySystem('Patient', 'p.resource_id')} OR coalesce((SELECT v.content->'generalPractitioner' @> jsonb_build_array(jsonb_build_object('reference', ${me}))
         FROM ${S}.resource_version v WHERE v.resource_type = 'Patient' AND v.id = p.resource_id AND NOT v.deleted
           AND (coalesce(v.content->'meta'->'tag', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('system', '${RECORDED_BY_SYSTEM}', 'code', 'system'))
             OR ${audited('Patient', 'v', staffOf(`v.content->'managingOrganization'->>'reference'`))})
         ORDER BY v.version_id DESC LIMIT 1), false))`;
    // The practitioner's participation in the Appointment stands (not declined).
    const notDeclined = `EXISTS (SELECT 1 FROM ${S}.resource r
         CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(r.content->'participant') = 'array'
           THEN r.content->'participant' ELSE '[]'::jsonb END) pa
       WHERE r.resource_type = 'Appointment' AND r.id = p.resource_id
         AND pa->'actor'->>'reference' = ${me} AND pa->>'status' IS DISTINCT FROM 'declined')`;
    // An Appointment counts from the latest version an entitled writer recorded (the patient, a
    // guardian, clinic staff, a colleague, the server) when that version names the practitioner:
    // the doctor confirming or updating it afterwards (their own version) does not end it, and
    // adding oneself to it creates nothing (issue 17 item 8: the doctor confirms an "other" request).
    const appointmentWho = `a.agent_role IN ('patient', 'clinic-staff') OR ${colleagueInCare}`;
    const appointmentConfirmed = `(${bySystem('Appointment', 'p.resource_id')} OR coalesce((SELECT EXISTS (
           SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(v.content->'participant') = 'array'
             THEN v.content->'participant' ELSE '[]'::jsonb END) vp
           WHERE vp->'actor'->>'reference' = ${me})
         FROM ${S}.resource_version v WHERE v.resource_type = 'Appointment' AND v.id = p.resource_id AND NOT v.deleted
           AND (coalesce(v.content->'meta'->'tag', '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('system', '${RECORDED_BY_SYSTEM}', 'code', 'system'))
             OR ${audited('Appointment', 'v', appointmentWho)})
         ORDER BY v.version_id DESC LIMIT 1), false))`;
    const sql = `
      SELECT p.resource_id AS patient, 'general-practitioner' AS reason FROM ${S}.idx_reference p
        WHERE ${ref('p', 'Patient', 'general-practitioner')} AND p.target_type = 'Practitioner' AND p.target_id = $1
          AND ${gpConfirmed}
      UNION ALL
      SELECT p.resource_id, 'managing-organization' FROM ${S}.idx_reference p
        WHERE $3 AND ${ref('p', 'Patient', 'organization')} AND p.target_type = 'Organization' AND p.target_id = $2
      UNION ALL
      SELECT p.target_id, 'careteam' FROM ${S}.idx_reference p
        WHERE ${ref('p', 'CareTeam', 'patient')} AND p.target_type = 'Patient'
          AND ${byPractitioner('CareTeam', 'participant')} AND ${tokenIs('CareTeam', 'status', ['active'])}
          AND ${inPeriod('CareTeam', 'date')}
          AND ${writtenBy('CareTeam', staffOf(managingOrgOf('p.target_id')))}
      UNION ALL
      SELECT p.target_id, 'encounter' FROM ${S}.idx_reference p
        WHERE ${ref('p', 'Encounter', 'patient')} AND p.target_type = 'Patient'
          AND ${byPractitioner('Encounter', 'practitioner')} AND (${recent('Encounter')} OR ${tokenIs('Encounter', 'status', ['in-progress', 'arrived', 'triaged'])})
          AND NOT ${tokenIs('Encounter', 'status', ['cancelled', 'entered-in-error'])}
          AND ${writtenBy('Encounter', `${staffOf(managingOrgOf('p.target_id'))} OR ${colleagueInCare}`)}
      UNION ALL
      SELECT p.target_id, 'appointment' FROM ${S}.idx_reference p
        WHERE ${ref('p', 'Appointment', 'patient')} AND p.target_type = 'Patient'
          AND ${byPractitioner('Appointment', 'practitioner')} AND ${recent('Appointment')}
          AND ${tokenIs('Appointment', 'status', ['booked', 'arrived', 'checked-in', 'fulfilled', 'pending'])}
          AND ${notDeclined}
          AND ${appointmentConfirmed}
      UNION ALL
      SELECT p.target_id, 'consent' FROM ${S}.idx_reference p
        WHERE ${ref('p', 'Consent', 'patient')} AND p.target_type = 'Patient' AND ${consentActor}
      UNION ALL
      SELECT b.patient_id, 'break-glass' FROM ${S}.break_glass b
        WHERE b.practitioner = $1 AND b.expires_at > now()
      UNION ALL
      SELECT p.target_id, 'denied' FROM ${S}.idx_reference p
        WHERE ${ref('p', 'Consent', 'patient')} AND p.target_type = 'Patient' AND ${consentNaming('deny')}`;
    return em.query(sql, [practitioner ?? '', organization ?? '', principal.role === 'clinic-staff']);
  }
}
