import { Injectable } from '@nestjs/common';

export type ComponentStatus = 'up' | 'down' | 'degraded' | 'starting';

export interface ComponentHealth {
  readonly status: ComponentStatus;
  /** How to fix a component that is not up, in words an operator can act on. */
  readonly fix?: string;
  readonly [detail: string]: unknown;
}

/**
 * A part of the system that reports on /health. A critical component that is not `up` makes
 * /health answer 503; a non-critical one (e.g. media workers) only marks the status `degraded`.
 */
export interface HealthContributor {
  readonly name: string;
  readonly critical: boolean;
  check(): Promise<ComponentHealth>;
}

@Injectable()
export class HealthRegistry {
  private readonly contributors = new Map<string, HealthContributor>();

  register(contributor: HealthContributor): void {
    this.contributors.set(contributor.name, contributor);
  }

  all(): HealthContributor[] {
    return [...this.contributors.values()];
  }
}
