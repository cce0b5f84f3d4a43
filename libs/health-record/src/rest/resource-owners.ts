import { Injectable } from '@nestjs/common';
import type { OwnedTypeCapability } from './capability';
import type { FhirResponse } from './fhir-response';
import type { RequestContext } from './fhir-rest.service';

/**
 * A bounded context that owns the business rules of some resource types stored in the record
 * (scheduling owns Slot and Appointment: one booking per slot, lifecycle, holds). Their writes
 * arriving at /fhir go to the owner; the owner writes through FhirStore with `asOwner` set, and
 * every other write path (batch and transaction entries, conditional update) is refused, so no
 * route around the rules exists. Reads and searches stay generic.
 */
export interface ResourceOwner {
  readonly name: string;
  readonly types: readonly string[];
  /** What the CapabilityStatement says about an owned type (its rules, its operations). */
  capability?(type: string): OwnedTypeCapability | undefined;
  create(type: string, body: unknown, ctx: RequestContext): Promise<FhirResponse>;
  update(type: string, id: string, body: unknown, ctx: RequestContext): Promise<FhirResponse>;
  delete(type: string, id: string, ctx: RequestContext): Promise<FhirResponse>;
  /** `$op` on the type (id undefined) or an instance; undefined when the owner has no such operation. */
  operation?(
    type: string,
    id: string | undefined,
    op: string,
    body: unknown,
    ctx: RequestContext,
  ): Promise<FhirResponse | undefined>;
}

/**
 * Types whose writes belong to another context, declared here so that a deployable without that
 * context (the health-record deployable alone) refuses them instead of bypassing the rules.
 */
export const DECLARED_OWNERS: Readonly<Record<string, string>> = {
  Slot: 'scheduling',
  Appointment: 'scheduling',
};

@Injectable()
export class ResourceOwners {
  private readonly owners = new Map<string, ResourceOwner>();

  /** The context owning writes of `type` (declared or registered), if any. */
  ownerNameOf(type: string): string | undefined {
    return this.owners.get(type)?.name ?? DECLARED_OWNERS[type];
  }

  register(owner: ResourceOwner): void {
    for (const t of owner.types) {
      const existing = this.owners.get(t);
      if (existing && existing !== owner)
        throw new Error(`${t} is already owned by ${existing.name}; ${owner.name} cannot own it too`);
      this.owners.set(t, owner);
    }
  }

  ownerOf(type: string): ResourceOwner | undefined {
    return this.owners.get(type);
  }
}
