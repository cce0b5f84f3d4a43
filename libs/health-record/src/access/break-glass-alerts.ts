import type { EntityManager } from 'typeorm';

/** One emergency opening, as the facility that oversees the practitioner is told of it. */
export interface BreakGlassOpening {
  /** The grant's id: the alert is recorded and sent once per grant and facility. */
  readonly grant: string;
  readonly patient: string;
  /** `Practitioner/<id>` who opened the record. */
  readonly practitioner: string;
  /** `Organization/<id>` of the practitioner's facilities (token organization, PractitionerRoles). */
  readonly facilities: readonly string[];
  readonly reason: string;
  readonly expiresAt: Date;
}

/**
 * The record's extension point for alerting on break-glass (BreakGlassService.useAlerts): called
 * inside the transaction that records the grant, so the alert commits (durably, once) with the
 * opening or not at all. The notify context registers it; without it (a deployable without
 * notifications) the audit trail is the only trace.
 */
export interface BreakGlassAlerts {
  opened(em: EntityManager, opening: BreakGlassOpening): Promise<void>;
}

/** The category of the patient's break-glass notice (written by the server; nobody else changes it). */
export const BREAK_GLASS_NOTICE_SYSTEM = 'https://fhir.mekong.health/CodeSystem/record-notice';

/** Whether this content is a break-glass notice the server wrote (recorded-by `system`). */
export function isBreakGlassNotice(
  type: string,
  content: Record<string, unknown> | null | undefined,
  recordedBy: string | undefined,
): boolean {
  if (type !== 'Communication' || recordedBy !== 'system') return false;
  const categories =
    (content?.category as { text?: string; coding?: { system?: string; code?: string }[] }[]) ?? [];
  return categories.some(
    (c) =>
      c?.text === 'break-glass' ||
      (c?.coding ?? []).some((x) => x.system === BREAK_GLASS_NOTICE_SYSTEM && x.code === 'break-glass'),
  );
}
