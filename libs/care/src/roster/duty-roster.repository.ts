import { Injectable } from '@nestjs/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { DataSource, EntityManager } from 'typeorm';
import { CARE_CONTEXT } from '../alerts/care.database';

/** One on-call shift: `practitioner` is on call for `covers` from `start` to `end`; `facility` owns the row. */
export interface DutyShift {
  id: string;
  facility: string;
  practitioner: string;
  covers: string[];
  start: string;
  end: string;
  note?: string;
  createdBy: string;
  updatedBy: string;
}

interface Row {
  id: string;
  facility: string;
  practitioner: string;
  covers: string[];
  starts_at: Date;
  ends_at: Date;
  note: string | null;
  created_by: string;
  updated_by: string;
}

const toShift = (r: Row): DutyShift => ({
  id: r.id,
  facility: r.facility,
  practitioner: r.practitioner,
  covers: r.covers,
  start: new Date(r.starts_at).toISOString(),
  end: new Date(r.ends_at).toISOString(),
  ...(r.note ? { note: r.note } : {}),
  createdBy: r.created_by,
  updatedBy: r.updated_by,
});

const COLUMNS = 'id, facility, practitioner, covers, starts_at, ends_at, note, created_by, updated_by';

/** The duty roster in care's own table (care.duty_shift). */
@Injectable()
export class DutyRosterRepository {
  constructor(@InjectDataSource(CARE_CONTEXT) private readonly db: DataSource) {}

  /** Shifts owned by or covering `facility` that overlap [from, to). */
  async forFacility(facility: string, from: Date, to: Date): Promise<DutyShift[]> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `SELECT ${COLUMNS} FROM care.duty_shift
          WHERE (facility = $1 OR $1 = ANY (covers)) AND starts_at < $3 AND ends_at > $2
          ORDER BY starts_at, practitioner, id`,
        [facility, from, to],
      ),
    );
    return rows.map(toShift);
  }

  async get(id: string): Promise<DutyShift | undefined> {
    const rows = rowsOf<Row>(
      await this.db.query(`SELECT ${COLUMNS} FROM care.duty_shift WHERE id = $1`, [id]),
    );
    return rows[0] ? toShift(rows[0]) : undefined;
  }

  async insert(s: Omit<DutyShift, 'updatedBy'>): Promise<DutyShift> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `INSERT INTO care.duty_shift (id, facility, practitioner, covers, starts_at, ends_at, note, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${COLUMNS}`,
        [s.id, s.facility, s.practitioner, s.covers, s.start, s.end, s.note ?? null, s.createdBy],
      ),
    );
    return toShift(rows[0] as Row);
  }

  async update(s: Omit<DutyShift, 'createdBy'>): Promise<DutyShift | undefined> {
    const rows = rowsOf<Row>(
      await this.db.query(
        `UPDATE care.duty_shift SET practitioner = $2, covers = $3, starts_at = $4, ends_at = $5, note = $6,
                updated_by = $7, updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [s.id, s.practitioner, s.covers, s.start, s.end, s.note ?? null, s.updatedBy],
      ),
    );
    return rows[0] ? toShift(rows[0]) : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.db.query(`DELETE FROM care.duty_shift WHERE id = $1`, [id]);
  }

  /**
   * The practitioners on call for `facility` at `at` (`Practitioner/…`, sorted), read in the
   * caller's transaction `em` (the NEWS2 observer's, or the escalation job's).
   */
  async onCall(em: EntityManager, facility: string, at: Date): Promise<string[]> {
    const rows = rowsOf<{ practitioner: string }>(
      await em.query(
        `SELECT DISTINCT practitioner FROM care.duty_shift
          WHERE $1 = ANY (covers) AND starts_at <= $2 AND ends_at > $2
          ORDER BY practitioner`,
        [facility, at],
      ),
    );
    return rows.map((r) => r.practitioner);
  }
}
