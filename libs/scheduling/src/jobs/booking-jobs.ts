import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import type { FhirResource } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CLINIC_ZONE } from '../availability/rule-expansion';
import { bookingRequest } from '../booking/appointment-rules';
import type { BookingEvents } from '../booking/booking.service';
import type { SlotRow } from '../booking/slot.service';

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

export interface ReminderJob {
  appointmentId: string;
  start: string;
  kind: string;
}

export const when = (iso: string): { vi: string; en: string } => {
  const t = DateTime.fromISO(iso).setZone(CLINIC_ZONE);
  return {
    vi: t.setLocale('vi').toFormat("HH:mm 'ngày' dd/MM/yyyy"),
    en: t.setLocale('en').toFormat("HH:mm 'on' d LLL yyyy"),
  };
};

/**
 * Booking's extension point (BOOKING_EVENTS), inside the booking's transaction: enqueue the timed
 * work a booking, a hold or a release starts (reminders, the no-show check, hold expiry, a waitlist
 * offer) and notify who a cancellation concerns. It needs no booking service, so booking depends
 * on it without a cycle; SchedulingJobs runs the jobs.
 */
@Injectable()
export class BookingJobs implements BookingEvents {
  private readonly graceMs: number;

  constructor(
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.graceMs = config.scheduling.noShowGraceMinutes * 60_000;
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
    // The confirmation goes out at once (issue 20), through the person's channels — a child's to
    // its guardians — and says when, never why.
    const req = bookingRequest(appointment);
    if (req.patientId) {
      const t = when(start.toISOString());
      await this.notifications.notify(em, {
        dedupKey: `appointment:${id}:booked:${start.toISOString()}`,
        topic: 'appointment-booked',
        recipient: `Patient/${req.patientId}`,
        subject: `Patient/${req.patientId}`,
        about: `Appointment/${id}`,
        title: 'Đã đặt lịch khám / Appointment booked',
        text: {
          vi: `Lịch khám từ xa lúc ${t.vi} (giờ Việt Nam) đã được đặt.`,
          en: `Your video consultation at ${t.en} (Vietnam time) is booked.`,
        },
        category: 'notification',
      });
    }
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
}
