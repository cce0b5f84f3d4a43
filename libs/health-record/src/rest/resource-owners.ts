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

/**
 * An operation another context adds to a type it does not own (e.g. claims' `Encounter/$bhyt-claim`):
 * it reads through the caller's RequestContext like any interaction, and decides who may call it.
 */
export interface FhirOperation {
  readonly type: string;
  /** With its `$`, e.g. `$bhyt-claim`. */
  readonly name: string;
  readonly level: 'type' | 'instance';
  readonly definition: string;
  readonly documentation?: string;
  invoke(id: string | undefined, body: unknown, ctx: RequestContext): Promise<FhirResponse>;
}

@Injectable()
export class ResourceOwners {
  private readonly owners = new Map<string, ResourceOwner>();
  private readonly operations = new Map<string, FhirOperation>();

  /** Adds an operation on a type (owned or not); one context per type, level and name. */
  registerOperation(op: FhirOperation): void {
    const key = `${op.type}|${op.level}|${op.name}`;
    if (this.operations.has(key)) throw new Error(`${op.type}/${op.name} is already registered`);
    this.operations.set(key, op);
  }

  operationOf(type: string, level: 'type' | 'instance', name: string): FhirOperation | undefined {
    return this.operations.get(`${type}|${level}|${name}`);
  }

  /** The registered operations of `type` (for the CapabilityStatement). */
  operationsOf(type: string): FhirOperation[] {
    return [...this.operations.values()].filter((o) => o.type === type);
  }

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
