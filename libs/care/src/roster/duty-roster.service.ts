import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import type { DutyShift as DutyShiftContract, DutyShiftView } from '@mekong/contracts';
import { FhirStore, SearchService, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { displayName } from '../alerts/news2-alerts.service';
import { searchAll } from '../common/record-search';
import type { DutyShiftDto } from './duty-roster.dto';
import { type DutyShift, DutyRosterRepository } from './duty-roster.repository';

/** LOCAL POLICY: one roster row is at most a week (a longer cover is several rows, reviewed weekly). */
export const MAX_SHIFT_HOURS = 7 * 24;
/** GET without `to`: this many days ahead of `from`. */
const DEFAULT_WINDOW_DAYS = 7;

/** Checks a roster row's practitioner and facilities: audited under this reason. */
const ROSTER = SystemReason.of(SYSTEM_REASONS.news2Alerts);

const fail = (code: string, status: number, en: string, vi: string): DomainError =>
  new DomainError(code, status, `${en} / ${vi}`);

/**
 * The duty roster (docs/decisions/018-duty-roster.md): who is on call for which facilities when.
 * A row belongs to a facility (the practitioner's workplace); that facility's clinic staff and the
 * administrators edit it; every clinician reads any facility's roster (directory data, like a
 * Schedule). A row covers the owning facility and/or the stations whose Organization.partOf is it.
 */
@Injectable()
export class DutyRosterService {
  constructor(
    private readonly rows: DutyRosterRepository,
    private readonly store: FhirStore,
    private readonly search: SearchService,
  ) {}

  /** The rows owned by or covering `facility` in [from, to), with the names of whom and what they cover. */
  async list(facility: string, from?: string, to?: string): Promise<DutyShiftView[]> {
    const start = from ? new Date(from) : new Date();
    const end = to ? new Date(to) : new Date(start.getTime() + DEFAULT_WINDOW_DAYS * 86400_000);
    if (!(end > start))
      throw fail(
        'CARE.ROSTER_BAD_PERIOD',
        400,
        'to must be after from',
        'Thời điểm kết thúc phải sau bắt đầu',
      );
    const rows = await this.rows.forFacility(facility, start, end);
    return this.store.transaction(async (em) => {
      const names = new Map<string, string | undefined>();
      const out: DutyShiftView[] = [];
      for (const r of rows) {
        const shown: Record<string, string> = {};
        for (const ref of [r.practitioner, r.facility, ...r.covers]) {
          if (!names.has(ref)) {
            const [type, id] = ref.split('/') as [string, string];
            const v = await this.store.current(em, type, id, ROSTER);
            names.set(ref, v && !v.deleted ? displayName(v.content) : undefined);
          }
          const n = names.get(ref);
          if (n) shown[ref] = n;
        }
        out.push({ ...r, names: shown });
      }
      return out;
    });
  }

  async create(dto: DutyShiftDto, by: Principal): Promise<DutyShiftContract> {
    this.mayEdit(dto.facility, by);
    await this.validate(dto);
    return this.rows.insert({
      id: randomUUID(),
      facility: dto.facility,
      practitioner: dto.practitioner,
      covers: [...new Set(dto.covers)].sort(),
      start: new Date(dto.start).toISOString(),
      end: new Date(dto.end).toISOString(),
      ...(dto.note ? { note: dto.note } : {}),
      createdBy: by.subject,
    });
  }

  async replace(id: string, dto: DutyShiftDto, by: Principal): Promise<DutyShiftContract> {
    const row = await this.existing(id, by);
    if (dto.facility !== row.facility)
      throw fail(
        'CARE.ROSTER_FACILITY_FIXED',
        422,
        'A roster row cannot move to another facility: delete it and create one there',
        'Không thể chuyển dòng lịch trực sang cơ sở khác: xoá và tạo mới ở cơ sở đó',
      );
    await this.validate(dto);
    const updated = await this.rows.update({
      id,
      facility: row.facility,
      practitioner: dto.practitioner,
      covers: [...new Set(dto.covers)].sort(),
      start: new Date(dto.start).toISOString(),
      end: new Date(dto.end).toISOString(),
      ...(dto.note ? { note: dto.note } : {}),
      updatedBy: by.subject,
    });
    if (!updated) throw this.notFound();
    return updated;
  }

  async remove(id: string, by: Principal): Promise<void> {
    await this.existing(id, by);
    await this.rows.remove(id);
  }

  private notFound(): DomainError {
    return fail('CARE.ROSTER_NOT_FOUND', 404, 'No such roster row', 'Không có dòng lịch trực này');
  }

  private async existing(id: string, by: Principal): Promise<DutyShift> {
    const row = await this.rows.get(id);
    if (!row) throw this.notFound();
    this.mayEdit(row.facility, by);
    return row;
  }

  /** Clinic staff edit their own facility's rows; administrators any. */
  private mayEdit(facility: string, by: Principal): void {
    if (by.role === 'admin') return;
    if (by.role === 'clinic-staff' && by.organization === facility) return;
    throw fail(
      'CARE.ROSTER_NOT_YOUR_FACILITY',
      403,
      "Only the facility's own staff (or an administrator) edit its duty roster",
      'Chỉ nhân viên của cơ sở (hoặc quản trị viên) được sửa lịch trực của cơ sở',
    );
  }

  private async validate(dto: DutyShiftDto): Promise<void> {
    const start = Date.parse(dto.start);
    const end = Date.parse(dto.end);
    if (!(end > start))
      throw fail(
        'CARE.ROSTER_BAD_PERIOD',
        422,
        'The shift must end after it starts',
        'Ca trực phải kết thúc sau khi bắt đầu',
      );
    if (end - start > MAX_SHIFT_HOURS * 3600_000)
      throw fail(
        'CARE.ROSTER_BAD_PERIOD',
        422,
        `A roster row is at most ${MAX_SHIFT_HOURS} hours`,
        `Một dòng lịch trực dài tối đa ${MAX_SHIFT_HOURS} giờ`,
      );
    await this.store.transaction(async (em) => {
      // The practitioner must work at the facility: an active PractitionerRole there (directory
      // data only administrators write), so a facility cannot put another facility's doctor on call.
      const roles = await searchAll(
        this.search,
        em,
        'PractitionerRole',
        [
          ['practitioner', dto.practitioner],
          ['organization', dto.facility],
        ],
        ROSTER,
      );
      if (!roles.some((r) => r.active !== false))
        throw fail(
          'CARE.ROSTER_NOT_AFFILIATED',
          422,
          `${dto.practitioner} has no active PractitionerRole at ${dto.facility}`,
          `${dto.practitioner} không có vai trò đang hoạt động tại ${dto.facility}`,
        );
      for (const cover of new Set(dto.covers)) {
        if (cover === dto.facility) continue;
        const org = await this.store.current(em, 'Organization', cover.slice('Organization/'.length), ROSTER);
        const partOf = (org?.content as { partOf?: { reference?: string } } | null | undefined)?.partOf
          ?.reference;
        if (!org || org.deleted || partOf !== dto.facility)
          throw fail(
            'CARE.ROSTER_BAD_COVERAGE',
            422,
            `${cover} is neither ${dto.facility} nor one of its stations (Organization.partOf)`,
            `${cover} không phải ${dto.facility} hay trạm trực thuộc (Organization.partOf)`,
          );
      }
    });
  }
}
