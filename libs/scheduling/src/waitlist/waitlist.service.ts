import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { APP_CONFIG, type AppConfig, DomainError } from '@mekong/common';
import {
  AccessService,
  type FhirResource,
  FhirStore,
  type RequestContext,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import { InjectDataSource, rowsOf } from '@mekong/database';
import type { ServiceType, WaitlistEntry, WaitlistStatus } from '@mekong/contracts';
import type { DataSource } from 'typeorm';
import { SCHEDULING_CONTEXT } from '../scheduling.database';
import { NotificationService } from '@mekong/notify';
import { BookingService } from '../booking/booking.service';
import { SlotService } from '../booking/slot.service';
import type { JoinWaitlistDto } from './waitlist.dto';

/** Scheduling acting on its own (offering a freed slot): a system principal, audited as such. */
export const SCHEDULING_PRINCIPAL: Principal = {
  subject: 'mekong-scheduling',
  role: 'system',
  scopes: ['system/Appointment.cruds'],
  tokenId: 'internal',
  expiresAt: Number.MAX_SAFE_INTEGER,
};

/**
 * Break-glass is read-only (docs/access-control.md): a waitlist entry made under it would later
 * have scheduling offer the practitioner's freed slot — a relationship outliving the grant.
 */
function assertNotBreakGlass(reasons: ReadonlyMap<string, string>, patientId: string): void {
  if (reasons.get(patientId) === 'break-glass')
    throw new DomainError(
      'BREAK_GLASS.READ_ONLY',
      403,
      'Break-glass access is read-only: nothing is written under it / Truy cập khẩn cấp chỉ được xem',
    );
}

interface Row {
  id: string;
  patient_id: string;
  practitioner_id: string | null;
  specialty: string | null;
  service_type: ServiceType | null;
  note: string | null;
  status: WaitlistStatus;
  offered_appointment_id: string | null;
  created_at: Date;
}

const view = (r: Row): WaitlistEntry => ({
  id: r.id,
  patient: `Patient/${r.patient_id}`,
  ...(r.practitioner_id ? { practitioner: `Practitioner/${r.practitioner_id}` } : {}),
  ...(r.specialty ? { specialty: r.specialty } : {}),
  ...(r.service_type ? { serviceType: r.service_type } : {}),
  ...(r.note ? { note: r.note } : {}),
  status: r.status,
  ...(r.offered_appointment_id ? { offeredAppointment: `Appointment/${r.offered_appointment_id}` } : {}),
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Waitlist per practitioner or specialty: when a slot frees, the first waiting patient it fits
 * gets it offered as a pending hold (WAITLIST_OFFER_MINUTES) and is notified; confirming the hold
 * books it, letting it lapse releases it to the next.
 */
@Injectable()
export class WaitlistService {
  private readonly offerSeconds: number;

  constructor(
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly slots: SlotService,
    private readonly notifications: NotificationService,
    private readonly bookings: BookingService,
    /** Scheduling's own tables, outside a unit of work of the record. */
    @InjectDataSource(SCHEDULING_CONTEXT) private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.offerSeconds = config.scheduling.waitlistOfferMinutes * 60;
  }

  private async assertReach(principal: Principal, patientId: string, writing = false): Promise<void> {
    const ctx = await this.access.contextFor(principal);
    if (!ctx.canReachPatient(patientId))
      throw new DomainError(
        'AUTH.FORBIDDEN',
        403,
        'You may act only for yourself or patients in your care / Không có quyền',
      );
    if (writing) assertNotBreakGlass(ctx.reasons, patientId);
  }

  async join(dto: JoinWaitlistDto, principal: Principal): Promise<WaitlistEntry> {
    if (!dto.practitioner && !dto.specialty)
      throw new DomainError(
        'SCHEDULING.INVALID_WAITLIST',
        400,
        'Name a practitioner or a specialty to wait for',
      );
    const patientId = dto.patient.slice(8);
    // Someone else's patient is answered exactly like a missing one: no probing which ids exist.
    const ctx = await this.access.contextFor(principal);
    const exists =
      ctx.canReachPatient(patientId) &&
      (await this.store.read('Patient', patientId, ctx).then(
        () => true,
        () => false,
      ));
    if (!exists)
      throw new DomainError(
        'SCHEDULING.UNKNOWN_PATIENT',
        422,
        `${dto.patient} is unknown or not yours to act for / Không tìm thấy bệnh nhân hoặc bạn không có quyền`,
      );
    assertNotBreakGlass(ctx.reasons, patientId);
    const rows: Row[] = await this.db.query(
      `INSERT INTO scheduling.waitlist (patient_id, practitioner_id, specialty, service_type, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        patientId,
        dto.practitioner?.slice(13) ?? null,
        dto.specialty ?? null,
        dto.serviceType ?? null,
        dto.note ?? null,
        principal.fhirUser ?? principal.subject,
      ],
    );
    return view(rows[0] as Row);
  }

  async list(patient: string | undefined, principal: Principal): Promise<WaitlistEntry[]> {
    const patientId = patient?.replace(/^Patient\//, '') ?? principal.patient;
    if (!patientId)
      throw new DomainError('SCHEDULING.INVALID_WAITLIST', 400, 'patient=Patient/<id> is required');
    await this.assertReach(principal, patientId);
    const rows: Row[] = await this.db.query(
      `SELECT * FROM scheduling.waitlist WHERE patient_id = $1 ORDER BY created_at`,
      [patientId],
    );
    return rows.map(view);
  }

  async leave(id: string, principal: Principal): Promise<WaitlistEntry> {
    const rows: Row[] = await this.db.query(`SELECT * FROM scheduling.waitlist WHERE id::text = $1`, [id]);
    const row = rows[0];
    // Someone else's entry is answered exactly like a missing one: entry ids cannot be probed.
    const ctx = row ? await this.access.contextFor(principal) : undefined;
    if (!row || !ctx?.canReachPatient(row.patient_id))
      throw new DomainError(
        'SCHEDULING.WAITLIST_NOT_FOUND',
        404,
        'No such waitlist entry / Không tìm thấy mục trong danh sách chờ',
      );
    assertNotBreakGlass(ctx.reasons, row.patient_id);
    const updated = rowsOf<Row>(
      await this.db.query(
        `UPDATE scheduling.waitlist SET status = 'cancelled' WHERE id = $1 AND status IN ('waiting', 'offered') RETURNING *`,
        [row.id],
      ),
    );
    return view(updated[0] ?? row);
  }

  /** Offers a freed slot to the first waiting patient it fits; no-op if the slot is taken or nobody waits. */
  async offer(slotId: string): Promise<void> {
    const em = this.db.manager;
    const slot = await this.slots.row(em, slotId);
    if (!slot || slot.end.getTime() <= Date.now()) return;
    const fhirSlot = (
      await this.store
        .read('Slot', slotId, SystemReason.of(SYSTEM_REASONS.waitlistOffer))
        .catch(() => undefined)
    )?.content as
      | (FhirResource & {
          status?: string;
          specialty?: { coding?: { code?: string }[] }[];
          serviceType?: { coding?: { code?: string }[] }[];
        })
      | undefined;
    if (fhirSlot?.status !== 'free') return;
    const specialties = (fhirSlot.specialty ?? []).flatMap((s) => (s.coding ?? []).map((c) => c.code ?? ''));
    const serviceType = fhirSlot.serviceType?.[0]?.coding?.[0]?.code ?? null;
    // Claim the first fitting entry (SKIP LOCKED: two workers never offer to the same person).
    const claimed = rowsOf<Row>(
      await this.db.query(
        `UPDATE scheduling.waitlist SET status = 'offered', offered_at = now()
        WHERE id = (SELECT id FROM scheduling.waitlist
                     WHERE status = 'waiting' AND (practitioner_id = $1 OR specialty = ANY($2::text[]))
                       AND (service_type IS NULL OR $3::text IS NULL OR service_type = $3)
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
        [slot.practitionerId, specialties, serviceType],
      ),
    );
    const entry = claimed[0];
    if (!entry) return;
    const ctx: RequestContext = {
      query: [],
      lenient: false,
      access: await this.access.contextFor(SCHEDULING_PRINCIPAL),
    };
    try {
      await this.bookings.book(
        {
          resourceType: 'Appointment',
          status: 'pending',
          slot: [{ reference: `Slot/${slotId}` }],
          // The slot's kind (video or in-person) travels with the offer: the portal asks a video
          // offer's reason from the remote-care list when it is confirmed.
          ...(fhirSlot.serviceType ? { serviceType: fhirSlot.serviceType } : {}),
          description: 'Offered from the waitlist / Khung giờ trống dành cho bạn từ danh sách chờ',
          participant: [
            { actor: { reference: `Patient/${entry.patient_id}` }, status: 'needs-action' },
            { actor: { reference: `Practitioner/${slot.practitionerId}` }, status: 'accepted' },
          ],
        },
        ctx,
        {
          holdSeconds: this.offerSeconds,
          after: async (tx, appointment) => {
            await tx.query(`UPDATE scheduling.waitlist SET offered_appointment_id = $2 WHERE id = $1`, [
              entry.id,
              appointment.id,
            ]);
            await this.notifications.notify(tx, {
              dedupKey: `waitlist:${entry.id}:offer:${String(appointment.id)}`,
              topic: 'waitlist-offer',
              recipient: `Patient/${entry.patient_id}`,
              subject: `Patient/${entry.patient_id}`,
              about: `Appointment/${String(appointment.id)}`,
              title: 'Có lịch khám trống / A consultation time is free',
              text: {
                vi: `Có một khung giờ khám trống cho bạn. Hãy xác nhận trong ${this.offerSeconds / 60} phút.`,
                en: `A consultation time opened up for you. Confirm it within ${this.offerSeconds / 60} minutes.`,
              },
              category: 'notification',
            });
          },
        },
      );
    } catch (err) {
      // The slot went to someone else meanwhile: the patient keeps their place in the queue.
      await this.db.query(
        `UPDATE scheduling.waitlist SET status = 'waiting', offered_at = NULL WHERE id = $1`,
        [entry.id],
      );
      if (!(
        err instanceof Error &&
        'getStatus' in err &&
        (err as { getStatus(): number }).getStatus() === 409
      ))
        throw err;
    }
  }
}
