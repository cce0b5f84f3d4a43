import { Injectable, type OnModuleInit } from '@nestjs/common';
import { type FhirResource, FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { AvailabilityService } from '../availability/availability.service';
import { bookingRequest } from '../booking/appointment-rules';
import { OWNER, STATE } from '../booking/booking-errors';
import { AppointmentActionLinks } from '../action-links/appointment-action-links';
import { BookingService } from '../booking/booking.service';
import { WaitlistService } from '../waitlist/waitlist.service';
import { QUEUES, type ReminderJob, when } from './booking-jobs';

export { QUEUES, REMINDERS } from './booking-jobs';

/**
 * Timed work of scheduling on the durable queue (enqueued by BookingJobs inside the booking's transaction):
 * reminders 24 h and 1 h before, the no-show check after start + grace, hold expiry, offering a
 * freed slot to the waitlist, and the nightly slot materialisation. Every handler re-reads the
 * appointment and does nothing when it no longer applies (cancelled, rescheduled, already done).
 */
@Injectable()
export class SchedulingJobs implements OnModuleInit {
  constructor(
    private readonly jobs: JobQueue,
    private readonly notifications: NotificationService,
    private readonly store: FhirStore,
    private readonly availability: AvailabilityService,
    private readonly waitlist: WaitlistService,
    private readonly bookings: BookingService,
    private readonly links: AppointmentActionLinks,
  ) {}

  onModuleInit(): void {
    this.jobs.work<ReminderJob>(QUEUES.reminder, (d) => this.remind(d));
    this.jobs.work<{ appointmentId: string; start: string }>(QUEUES.noShow, (d) =>
      this.noShow(d.appointmentId, d.start),
    );
    this.jobs.work(QUEUES.holdExpiry, () =>
      this.store.transaction((em) => this.bookings.releaseExpiredHolds(em)).then(() => undefined),
    );
    this.jobs.work<{ slotId: string }>(QUEUES.waitlistOffer, (d) => this.waitlist.offer(d.slotId));
    this.jobs.work(QUEUES.materialise, () => this.availability.materialiseAll().then(() => undefined));
    // Every night at 00:05 in Vietnam the planning horizon moves one day forward.
    this.jobs.cron(QUEUES.materialise, '5 0 * * *');
  }

  private async remind(d: ReminderJob): Promise<void> {
    await this.store.transaction(async (em) => {
      const v = await this.store
        .read('Appointment', d.appointmentId, SystemReason.of(SYSTEM_REASONS.reminders), em)
        .catch(() => undefined);
      const a = v?.content as FhirResource | undefined;
      // Cancelled or moved since: this reminder no longer applies (the new time has its own).
      if (!a || a.status !== 'booked' || new Date(String(a.start)).getTime() !== new Date(d.start).getTime())
        return;
      const req = bookingRequest(a);
      if (!req.patientId) return;
      const t = when(d.start);
      // The day before, the patient is asked to confirm or cancel: a single-use link that needs no
      // account (issue 20). No link when there is no live booking to act on.
      const link =
        d.kind === '24h'
          ? await this.links.issue(em, d.appointmentId, 'confirm').then(
              (l) => l.url,
              () => undefined,
            )
          : undefined;
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
        ...(link ? { link } : {}),
      });
    });
  }

  private async noShow(appointmentId: string, start: string): Promise<void> {
    await this.store.transaction(async (em) => {
      const v = await this.store.read('Appointment', appointmentId, STATE, em).catch(() => undefined);
      const a = v?.content as FhirResource | undefined;
      if (!a || a.status !== 'booked' || new Date(String(a.start)).getTime() !== new Date(start).getTime())
        return;
      await this.store.update(
        em,
        'Appointment',
        appointmentId,
        { ...a, status: 'noshow' },
        { asOwner: OWNER, access: STATE },
      );
    });
  }
}
