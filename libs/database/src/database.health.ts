import type { ComponentHealth, HealthContributor } from '@mekong/common';
import type { DatabaseEngine } from './database-engine';

/** /health "database": every context DataSource answers a trivial query. */
export function databaseHealth(engine: DatabaseEngine): HealthContributor {
  return {
    name: 'database',
    critical: true,
    async check(): Promise<ComponentHealth> {
      const contexts: Record<string, string> = {};
      for (const ds of engine.tracked()) {
        await ds.query('SELECT 1');
        contexts[ds.name] = 'up';
      }
      return { status: 'up', engine: engine.kind, contexts };
    },
  };
}

/** /health "migrations": starting until every context is migrated, then the applied counts. */
export class MigrationState implements HealthContributor {
  readonly name = 'migrations';
  readonly critical = true;
  private readonly applied = new Map<string, number>();
  private readonly expected = new Set<string>();

  expect(schema: string): void {
    this.expected.add(schema);
  }

  done(schema: string, newlyApplied: number): void {
    this.applied.set(schema, newlyApplied);
  }

  check(): Promise<ComponentHealth> {
    const pending = [...this.expected].filter((s) => !this.applied.has(s));
    if (pending.length > 0) return Promise.resolve({ status: 'starting', pending });
    return Promise.resolve({ status: 'up', schemas: [...this.expected] });
  }
}
