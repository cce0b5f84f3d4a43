import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { News2Alert as SharedNews2Alert } from '@mekong/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { CARE_CONTEXT } from './care.database';

/**
 * A NEWS2 alert's workflow (care.news2_alert) as stored: the shared contract's alert, whose
 * `response` column is text (the service narrows it to the contract's levels).
 */
export type News2Alert = Omit<SharedNews2Alert, 'response'> & { response: string };

interface Row {
  id: string;
  patient_id: string;
  observation_id: string;
  facility: string | null;
  hospital: string | null;
  score: number | null;
  response: string;
  raised_at: Date;
  notified: string[];
  on_call: string[];
  status: 'open' | 'acknowledged';
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  escalate_at: Date;
  escalated_at: Date | null;
  escalated_to: string[] | null;
  override_by: string | null;
  override_at: Date | null;
  override_reason: string | null;
}

const iso = (d: Date | null): string | undefined => (d ? new Date(d).toISOString() : undefined);

const toAlert = (r: Row): News2Alert => ({
  id: r.id,
  patientId: r.patient_id,
  observationId: r.observation_id,
  ...(r.facility ? { facility: r.facility } : {}),
  ...(r.hospital ? { hospital: r.hospital } : {}),
  ...(r.score !== null ? { score: r.score } : {}),
  response: r.response,
  raisedAt: iso(r.raised_at) as string,
  notified: r.notified,
  onCall: r.on_call,
  status: r.status,
  ...(r.acknowledged_by ? { acknowledgedBy: r.acknowledged_by, acknowledgedAt: iso(r.acknowledged_at) } : {}),
  escalateAt: iso(r.escalate_at) as string,
  ...(r.escalated_at ? { escalatedAt: iso(r.escalated_at), escalatedTo: r.escalated_to ?? [] } : {}),
  ...(r.override_by
    ? { override: { by: r.override_by, at: iso(r.override_at) as string, reason: r.override_reason ?? '' } }
    : {}),
});

const COLUMNS = `id, patient_id, observation_id, facility, hospital, score, response, raised_at, notified,
  on_call, status, acknowledged_by, acknowledged_at, escalate_at, escalated_at, escalated_to, override_by,
  override_at, override_reason`;

@Injectable()
export class News2AlertRepository {
  constructor(@InjectDataSource(CARE_CONTEXT) private readonly db: DataSource) {}

  /** Records a new alert in the caller's transaction; false when it already exists (a recomputation). */
  async insert(
    em: EntityManager,
    a: Omit<
      News2Alert,
      'status' | 'acknowledgedBy' | 'acknowledgedAt' | 'escalatedAt' | 'escalatedTo' | 'override'
    >,
  ): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await em.query(
        `INSERT INTO care.news2_alert (id, patient_id, observation_id, facility, hospital, score, response,
                raised_at, notified, on_call, escalate_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          a.id,
          a.patientId,
          a.observationId,
          a.facility ?? null,
          a.hospital ?? null,
          a.score ?? null,
          a.response,
          a.raisedAt,
          a.notified,
          a.onCall,
          a.escalateAt,
        ],
      ),
    );
    return rows.length > 0;
  }

  async get(id: string, em?: EntityManager, forUpdate = false): Promise<News2Alert | undefined> {
    const rows = rowsOf<Row>(
      await (em ?? this.db).query(
        `SELECT ${COLUMNS} FROM care.news2_alert WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      ),
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  /**
   * Alerts whose recording facility, notified or escalated recipients include one of `who`
   * (`Practitioner/…`, `Organization/…`), newest first.
   */
  async visibleTo(who: string[], openOnly: boolean, limit = 100): Promise<News2Alert[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT ${COLUMNS} FROM care.news2_alert
          WHERE (facility = ANY ($1) OR notified && $1 OR coalesce(escalated_to, '{}') && $1)
            AND ($2 = false OR status = 'open')
          ORDER BY raised_at DESC, id LIMIT $3`,
        [who, openOnly, limit],
      ),
    );
    return rows.map(toAlert);
  }

  /** Sets acknowledged once; undefined when it already was (someone else came first). */
  async acknowledge(id: string, by: string, account: string): Promise<News2Alert | undefined> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `UPDATE care.news2_alert SET status = 'acknowledged', acknowledged_by = $2, acknowledged_account = $3,
                acknowledged_at = now()
          WHERE id = $1 AND status = 'open' RETURNING ${COLUMNS}`,
        [id, by, account],
      ),
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async override(id: string, by: string, account: string, reason: string): Promise<News2Alert | undefined> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `UPDATE care.news2_alert SET override_by = $2, override_account = $3, override_at = now(), override_reason = $4
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, by, account, reason],
      ),
    );
    return rows[0] ? toAlert(rows[0]) : undefined;
  }

  async markEscalated(em: EntityManager, id: string, to: string[]): Promise<void> {
    await em.query(`UPDATE care.news2_alert SET escalated_at = now(), escalated_to = $2 WHERE id = $1`, [
      id,
      to,
    ]);
  }
}

/**
 * A clinician's booking override on an alert of the patient raised since `since` (the Flag's
 * episode), read in the booking's transaction `em` (the booking gate has no DataSource of care's).
 */
export async function bookingOverrideSince(
  em: EntityManager,
  patientId: string,
  since: string,
): Promise<News2Alert | undefined> {
  const rows = rowsOf<Row>(
    await em.query(
      `SELECT ${COLUMNS} FROM care.news2_alert
        WHERE patient_id = $1 AND raised_at >= $2 AND override_at IS NOT NULL
        ORDER BY override_at DESC LIMIT 1`,
      [patientId, since],
    ),
  );
  return rows[0] ? toAlert(rows[0]) : undefined;
}
