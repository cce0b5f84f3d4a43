import { stableUuid } from '@mekong/common';
import type { FhirStore, SystemReason } from '@mekong/health-record';
import type { EntityManager } from 'typeorm';

/** The identifier system of the NEWS2 alert (care.news2_alert id) an on-call CareTeam serves. */
export const NEWS2_ALERT_ID_SYSTEM = 'https://fhir.mekong.health/identifier/news2-alert';

/** LOINC answer "Event-focused care team" (FHIR ValueSet care-team-category). */
const EVENT_FOCUSED = { system: 'http://loinc.org', code: 'LA27975-4', display: 'Event-focused care team' };

/** One CareTeam per alert and on-call practitioner: routing the same alert again writes no second one. */
export function onCallCareTeamId(alertId: string, practitioner: string): string {
  return stableUuid(`news2-oncall-careteam|${alertId}|${practitioner}`);
}

export interface OnCallGrant {
  alertId: string;
  patientId: string;
  /** The NEWS2 Observation that raised the alert. */
  observationId: string;
  /** `Practitioner/…` the alert was routed or escalated to as on call. */
  practitioner: string;
  /** `Organization/…` that recorded the vitals (the CareTeam's managingOrganization). */
  facility?: string;
  start: Date;
  end: Date;
}

interface CareTeamLike {
  status?: string;
  period?: { start?: string; end?: string };
}

/**
 * The on-call doctor's time-limited care relationship with the patient of a NEWS2 alert (docs/care.md
 * § The on-call doctor's access; docs/access-control.md "Facts that grant access"): a CareTeam the
 * server writes under `reason` (recorded-by `system`, audited `system:<reason>` in the patient's
 * trail), status active, `period` [start, end), the practitioner its one member. The access rules
 * count it like any CareTeam an entitled writer recorded — only while active and in its period, and
 * never against the patient's deny Consent.
 *
 * Idempotent: absent, it is created; present, it is left as it is, except that `extend` (an
 * escalation reaching the doctor again later) moves the end of an active one forward. A
 * CareTeam the station's staff ended (not active) stays ended. A practitioner or facility that no
 * longer exists gets none (the vitals' transaction must not fail for it): false.
 */
export async function grantOnCallAccess(
  store: FhirStore,
  em: EntityManager,
  reason: SystemReason,
  g: OnCallGrant,
  opts: { extend?: boolean } = {},
): Promise<boolean> {
  if (!g.practitioner.startsWith('Practitioner/')) return false;
  const member = await store.current(em, 'Practitioner', g.practitioner.slice(13), reason);
  if (!member || member.deleted) return false;
  const id = onCallCareTeamId(g.alertId, g.practitioner);
  const existing = await store.current(em, 'CareTeam', id, reason, { forUpdate: true });
  if (existing && !existing.deleted) {
    const content = existing.content as CareTeamLike & Record<string, unknown>;
    const end = Date.parse(content.period?.end ?? '');
    if (!opts.extend || content.status !== 'active' || end >= g.end.getTime()) return true;
    await store.update(
      em,
      'CareTeam',
      id,
      { ...content, period: { ...content.period, end: g.end.toISOString() } },
      { access: reason },
    );
    return true;
  }
  if (existing?.deleted) return false;
  const org = g.facility?.startsWith('Organization/')
    ? await store.current(em, 'Organization', g.facility.slice(13), reason)
    : undefined;
  await store.update(
    em,
    'CareTeam',
    id,
    {
      resourceType: 'CareTeam',
      id,
      identifier: [{ system: NEWS2_ALERT_ID_SYSTEM, value: g.alertId }],
      status: 'active',
      category: [{ coding: [EVENT_FOCUSED], text: 'Cảnh báo NEWS2 / NEWS2 alert' }],
      name: 'Bác sĩ trực xử lý cảnh báo NEWS2 / On-call doctor for a NEWS2 alert',
      subject: { reference: `Patient/${g.patientId}` },
      period: { start: g.start.toISOString(), end: g.end.toISOString() },
      participant: [
        { role: [{ text: 'Bác sĩ trực / On-call doctor' }], member: { reference: g.practitioner } },
      ],
      reasonCode: [{ text: `Cảnh báo NEWS2 / NEWS2 alert: Observation/${g.observationId}` }],
      ...(org && !org.deleted ? { managingOrganization: [{ reference: g.facility }] } : {}),
      note: [
        {
          text:
            'Ghi tự động khi cảnh báo NEWS2 được chuyển đến bác sĩ trực: bác sĩ được xem và ghi hồ sơ trong thời hạn này. / ' +
            'Written by the server when the NEWS2 alert was routed to the on-call doctor: they may read and write the record for this period.',
        },
      ],
    },
    { access: reason },
  );
  return true;
}
