import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  FhirError,
  type FhirResponse,
  type RequestContext,
  type ResourceOwner,
  ResourceOwners,
} from '@mekong/health-record';
import { BookingService } from './booking.service';
import { OWNER } from './booking-errors';
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
  ) {}

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
}
