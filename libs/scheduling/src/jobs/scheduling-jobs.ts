import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { type FhirResource, FhirStore } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CLINIC_ZONE } from '../availability/rule-expansion';
import { AvailabilityService } from '../availability/availability.service';
import { bookingRequest } from '../booking/appointment-rules';
import { OWNER } from '../booking/booking-errors';
import type { BookingEvents } from '../booking/booking.service';
import { BookingService } from '../booking/booking.service';
import type { SlotRow } from '../booking/slot.service';
import { WaitlistService } from '../waitlist/waitlist.service';

export const QUEUES = {
  reminder: 'scheduling.reminder',
  noShow: 'scheduling.noshow',
  holdExpiry: 'scheduling.hold-expiry',
  waitlistOffer: 'scheduling.waitlist-offer',
  materialise: 'scheduling.materialise',
} as const;

/** Reminders are sent this long before a booked consultation (issue 5: 24 h and 1 h). */
export const REMINDERS = [
  { kind: '24h', before: 24 * 3600_000 },
  { kind: '1h', before: 3600_000 },
] as const;

interface ReminderJob {
  appointmentId: string;
  start: string;
  kind: string;
}

const when = (iso: string): { vi: string; en: string } => {
  const t = DateTime.fromISO(iso).setZone(CLINIC_ZONE);
  return {
    vi: t.setLocale('vi').toFormat("HH:mm 'ngày' dd/MM/yyyy"),
    en: t.setLocale('en').toFormat("HH:mm 'on' d LLL yyyy"),
  };
};

/**
 * Timed work of scheduling on the durable queue, enqueued inside the booking's transaction:
 * reminders 24 h and 1 h before, the no-show check after start + grace, hold expiry, offering a
 * freed slot to the waitlist, and the nightly slot materialisation. Every handler re-reads the
 * appointment and does nothing when it no longer applies (cancelled, rescheduled, already done).
 */
@Injectable()
export class SchedulingJobs implements BookingEvents, OnModuleInit {
  private readonly graceMs: number;

  constructor(
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
    private readonly store: FhirStore,
    private readonly availability: AvailabilityService,
    private readonly waitlist: WaitlistService,
    private readonly modules: ModuleRef,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.graceMs = config.scheduling.noShowGraceMinutes * 60_000;
  }

  onModuleInit(): void {
    this.jobs.work<ReminderJob>(QUEUES.reminder, (d) => this.remind(d));
    this.jobs.work<{ appointmentId: string; start: string }>(QUEUES.noShow, (d) =>
      this.noShow(d.appointmentId, d.start),
    );
    this.jobs.work(QUEUES.holdExpiry, () =>
      this.store
        .transaction((em) => this.modules.get(BookingService, { strict: false }).releaseExpiredHolds(em))
        .then(() => undefined),
    );
    this.jobs.work<{ slotId: string }>(QUEUES.waitlistOffer, (d) => this.waitlist.offer(d.slotId));
    this.jobs.work(QUEUES.materialise, () => this.availability.materialiseAll().then(() => undefined));
    // Every night at 00:05 in Vietnam the planning horizon moves one day forward.
    this.jobs.cron(QUEUES.materialise, '5 0 * * *');
  }

  async booked(em: EntityManager, appointment: FhirResource): Promise<void> {
    const start = new Date(String(appointment.start));
    const now = Date.now();
    const id = String(appointment.id);
    for (const r of REMINDERS) {
      const at = start.getTime() - r.before;
      // A reminder whose time has passed at booking is skipped, except the last one before start.
      if (start.getTime() <= now || (at < now && r.kind !== '1h')) continue;
      await this.jobs.send(
        QUEUES.reminder,
        { appointmentId: id, start: start.toISOString(), kind: r.kind },
        { startAfter: new Date(Math.max(at, now)), em },
      );
    }
    await this.jobs.send(
      QUEUES.noShow,
      { appointmentId: id, start: start.toISOString() },
      { startAfter: new Date(start.getTime() + this.graceMs), em },
    );
    await em.query(
      `UPDATE scheduling.waitlist SET status = 'booked' WHERE offered_appointment_id = $1 AND status = 'offered'`,
      [id],
    );
  }

  async held(em: EntityManager, appointment: FhirResource, expiresAt: Date): Promise<void> {
    await this.jobs.send(
      QUEUES.holdExpiry,
      { appointmentId: appointment.id },
      { startAfter: new Date(expiresAt.getTime() + 1000), em },
    );
  }

  async released(em: EntityManager, appointment: FhirResource, slot: SlotRow, reason: string): Promise<void> {
    const id = String(appointment.id);
    if (reason === 'hold-expired')
      await em.query(
        `UPDATE scheduling.waitlist SET status = 'expired' WHERE offered_appointment_id = $1 AND status = 'offered'`,
        [id],
      );
    if (reason === 'cancelled') {
      const req = bookingRequest(appointment);
      const t = when(slot.start.toISOString());
      for (const recipient of req.actors.filter(
        (a) => a.startsWith('Patient/') || a.startsWith('Practitioner/'),
      )) {
        await this.notifications.notify(em, {
          dedupKey: `appointment:${id}:cancelled:${recipient}`,
          topic: 'appointment-cancelled',
          recipient,
          subject: req.patientId ? `Patient/${req.patientId}` : undefined,
          about: `Appointment/${id}`,
          title: 'Lịch khám đã huỷ / Appointment cancelled',
          text: {
            vi: `Lịch khám từ xa lúc ${t.vi} (giờ Việt Nam) đã bị huỷ.`,
            en: `The video consultation at ${t.en} (Vietnam time) was cancelled.`,
          },
          category: 'notification',
        });
      }
    }
    if (slot.end.getTime() > Date.now())
      await this.jobs.send(QUEUES.waitlistOffer, { slotId: slot.slotId }, { em });
  }

  private async remind(d: ReminderJob): Promise<void> {
    await this.store.transaction(async (em) => {
      const v = await this.store.read('Appointment', d.appointmentId, em).catch(() => undefined);
      const a = v?.content as FhirResource | undefined;
      // Cancelled or moved since: this reminder no longer applies (the new time has its own).
      if (!a || a.status !== 'booked' || new Date(String(a.start)).getTime() !== new Date(d.start).getTime())
        return;
      const req = bookingRequest(a);
      if (!req.patientId) return;
      const t = when(d.start);
      await this.notifications.notify(em, {
        dedupKey: `appointment:${d.appointmentId}:reminder-${d.kind}:${d.start}`,
        topic: 'appointment-reminder',
        recipient: `Patient/${req.patientId}`,
        subject: `Patient/${req.patientId}`,
        about: `Appointment/${d.appointmentId}`,
        title: 'Nhắc lịch khám / Appointment reminder',
        text: {
          vi: `Bạn có lịch khám từ xa lúc ${t.vi} (giờ Việt Nam). Hãy vào trước vài phút để kiểm tra camera và micro.`,
          en: `You have a video consultation at ${t.en} (Vietnam time). Join a few minutes early to check your camera and microphone.`,
        },
        category: 'reminder',
      });
    });
  }

  private async noShow(appointmentId: string, start: string): Promise<void> {
    await this.store.transaction(async (em) => {
      const v = await this.store.read('Appointment', appointmentId, em).catch(() => undefined);
      const a = v?.content as FhirResource | undefined;
      if (!a || a.status !== 'booked' || new Date(String(a.start)).getTime() !== new Date(start).getTime())
        return;
      await this.store.update(
        em,
        'Appointment',
        appointmentId,
        { ...a, status: 'noshow' },
        { asOwner: OWNER },
      );
    });
  }
}
