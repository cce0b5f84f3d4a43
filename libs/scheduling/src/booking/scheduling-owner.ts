import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type OwnedTypeCapability,
  FhirError,
  type FhirResponse,
  type RequestContext,
  type ResourceOwner,
  ResourceOwners,
} from '@mekong/health-record';
import { BookingService } from './booking.service';
import { OWNER } from './booking-errors';
import { FindService } from './find.service';
import { SlotService } from './slot.service';

/** Scheduling's rules for Slot and Appointment writes under /fhir (reads stay generic). */
@Injectable()
export class SchedulingOwner implements ResourceOwner, OnModuleInit {
  readonly name = OWNER;
  readonly types = ['Slot', 'Appointment'] as const;

  constructor(
    private readonly owners: ResourceOwners,
    private readonly slots: SlotService,
    private readonly bookings: BookingService,
    private readonly finder: FindService,
  ) {}

  capability(type: string): OwnedTypeCapability | undefined {
    if (type === 'Slot')
      return {
        documentation:
          'Writes follow the scheduling rules: the schedule must exist and belong to the writer (its practitioner or an administrator), end after start, within Schedule.planningHorizon, no overlap with another slot of the practitioner (409); busy/busy-tentative are set by bookings. Generated slots come from availability rules (/scheduling/schedules/{id}/rules). Find free ones with status=free&start=ge…&schedule.actor=…&specialty=…&service-type=….',
      };
    if (type === 'Appointment')
      return {
        documentation:
          "Booking: POST with status booked (or pending: a hold that expires) and exactly one free Slot; one booking per slot under any concurrency (database exclusion constraint), others 409; Idempotency-Key supported. Lifecycle transitions per FHIR (illegal: 422); cancelling frees the slot; changing slot reschedules atomically. Station staff book with the patient's Consent in supportingInformation. Appointments are never deleted (405).",
        operations: [
          {
            name: 'find',
            definition: 'http://fhir.org/guides/argonaut/scheduling/OperationDefinition/appointment-find',
            documentation:
              'GET/POST Appointment/$find?specialty=&organization=&practitioner=&service-type=&start=&end=&_count= — free times as proposed Appointments',
          },
        ],
      };
    return undefined;
  }

  onModuleInit(): void {
    this.owners.register(this);
  }

  create(type: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    return type === 'Slot' ? this.slots.create(body, ctx) : this.bookings.book(body, ctx);
  }

  update(type: string, id: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    return type === 'Slot' ? this.slots.update(id, body, ctx) : this.bookings.update(id, body, ctx);
  }

  delete(type: string, id: string, ctx: RequestContext): Promise<FhirResponse> {
    if (type === 'Slot') return this.slots.delete(id, ctx);
    throw new FhirError(
      405,
      'not-supported',
      'Appointments are never deleted: cancel them (status cancelled) or mark them entered-in-error / Không xoá lịch hẹn, hãy huỷ',
    );
  }

  /** `Appointment/$find` (GET or POST). */
  async operation(
    type: string,
    id: string | undefined,
    op: string,
    body: unknown,
    ctx: RequestContext,
  ): Promise<FhirResponse | undefined> {
    if (type === 'Appointment' && id === undefined && op === '$find') return this.finder.find(body, ctx);
    return undefined;
  }
}
