import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { APP_CONFIG, type AppConfig, DomainError } from '@mekong/common';
import { AccessService, FhirRestService } from '@mekong/health-record';
import ical, { ICalEventStatus } from 'ical-generator';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CLINIC_ZONE } from '../availability/rule-expansion';
import { SCHEDULING_PRINCIPAL } from '../waitlist/waitlist.service';
import { InjectDataSource, rowsOf } from '@mekong/database';
import { SCHEDULING_CONTEXT } from '../scheduling.database';

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

const STATUS: Record<string, ICalEventStatus> = {
  booked: ICalEventStatus.CONFIRMED,
  arrived: ICalEventStatus.CONFIRMED,
  'checked-in': ICalEventStatus.CONFIRMED,
  fulfilled: ICalEventStatus.CONFIRMED,
  pending: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

/**
 * A practitioner's appointments as an iCalendar feed behind an unguessable token URL (calendar
 * apps cannot send bearer tokens). Only the token's hash is stored; the feed carries times,
 * status and a link, never the patient's name or reason — a leaked URL reveals no health data.
 */
@Injectable()
export class CalendarService {
  private readonly publicUrl: string;

  constructor(
    @InjectDataSource(SCHEDULING_CONTEXT) private readonly db: DataSource,
    private readonly fhir: FhirRestService,
    private readonly access: AccessService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = config.publicUrl;
  }

  async create(principal: Principal): Promise<{ url: string; createdAt: string }> {
    if (principal.role !== 'practitioner' || !principal.fhirUser?.startsWith('Practitioner/'))
      throw new DomainError(
        'AUTH.FORBIDDEN',
        403,
        'Calendar feeds are for practitioners / Chỉ dành cho bác sĩ',
      );
    const token = randomBytes(24).toString('base64url');
    const rows: { created_at: Date }[] = await this.db.query(
      `INSERT INTO scheduling.calendar_feed (token_hash, practitioner_id, created_by) VALUES ($1, $2, $3) RETURNING created_at`,
      [hash(token), principal.fhirUser.slice(13), principal.subject],
    );
    return {
      url: `${this.publicUrl}/scheduling/calendar/${token}.ics`,
      createdAt: new Date((rows[0] as { created_at: Date }).created_at).toISOString(),
    };
  }

  async revokeAll(principal: Principal): Promise<{ revoked: number }> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE scheduling.calendar_feed SET revoked_at = now() WHERE created_by = $1 AND revoked_at IS NULL RETURNING 1`,
        [principal.subject],
      ),
    );
    return { revoked: rows.length };
  }

  async feed(token: string): Promise<string> {
    const rows: { practitioner_id: string }[] = await this.db.query(
      `SELECT practitioner_id FROM scheduling.calendar_feed WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hash(token)],
    );
    const practitioner = rows[0]?.practitioner_id;
    if (!practitioner) throw new DomainError('not-found', 404, 'No such calendar feed');
    const since = new Date(Date.now() - 30 * 86400_000).toISOString();
    const ctx = {
      query: [
        ['practitioner', `Practitioner/${practitioner}`],
        ['date', `ge${since}`],
        ['_sort', 'date'],
        ['_count', '1000'],
      ] as [string, string][],
      lenient: false,
      access: await this.access.contextFor(SCHEDULING_PRINCIPAL),
    };
    const bundle = (await this.fhir.searchType('Appointment', ctx)).body as {
      entry?: {
        resource: {
          id: string;
          status: string;
          start?: string;
          end?: string;
          meta?: { lastUpdated?: string };
        };
      }[];
    };
    const cal = ical({
      name: 'Mekong Health — lịch khám / consultations',
      timezone: CLINIC_ZONE,
      prodId: '//Mekong Health//Scheduling//VI',
    });
    for (const { resource: a } of bundle.entry ?? []) {
      if (!a.start || !a.end || !(a.status in STATUS)) continue;
      cal.createEvent({
        id: `${a.id}@mekong.health`,
        start: new Date(a.start),
        end: new Date(a.end),
        timezone: CLINIC_ZONE,
        summary: 'Khám từ xa / Video consultation',
        status: STATUS[a.status] as ICalEventStatus,
        url: `${this.publicUrl}/visits/${a.id}`,
        ...(a.meta?.lastUpdated ? { lastModified: new Date(a.meta.lastUpdated) } : {}),
      });
    }
    return cal.toString();
  }
}
