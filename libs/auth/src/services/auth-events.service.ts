import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { IDENTITY_CONTEXT } from '../identity.database';

export type AuthEventName =
  | 'login'
  | 'refresh'
  | 'logout'
  | 'password-change'
  | 'account-create'
  | 'account-disabled'
  | 'mfa-enrolled'
  | 'mfa-reset'
  | 'password-reset'
  | 'switch-patient'
  | 'client-create'
  | 'client-revoked';

/** Append-only record of sign-ins (successful and failed) and account security changes. */
@Injectable()
export class AuthEvents {
  constructor(@InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource) {}

  async record(e: {
    event: AuthEventName;
    outcome: 'success' | 'failure';
    accountId?: string;
    username?: string;
    address?: string;
    detail?: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO identity.auth_event (event, outcome, account_id, username, source_address, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        e.event,
        e.outcome,
        e.accountId ?? null,
        e.username?.toLowerCase() ?? null,
        e.address ?? null,
        e.detail ?? null,
      ],
    );
  }

  /** The newest events as FHIR AuditEvents (DICOM "User Authentication"), for administrators. */
  async list(limit: number): Promise<Record<string, unknown>> {
    const rows: AuthEventRow[] = await this.db.query(
      `SELECT id, recorded, event, outcome, account_id, username, source_address, detail
       FROM identity.auth_event ORDER BY recorded DESC LIMIT $1`,
      [limit],
    );
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: rows.map((r) => ({ resource: toAuditEvent(r) })),
    };
  }
}

interface AuthEventRow {
  id: string;
  recorded: Date;
  event: AuthEventName;
  outcome: 'success' | 'failure';
  account_id: string | null;
  username: string | null;
  source_address: string | null;
  detail: string | null;
}

/** DICOM DCM codes for authentication events (used by IHE ATNA / FHIR BALP). */
const SUBTYPE: Record<AuthEventName, { code: string; display: string }> = {
  login: { code: '110122', display: 'Login' },
  logout: { code: '110123', display: 'Logout' },
  refresh: { code: '110122', display: 'Login' },
  'password-change': { code: '110137', display: 'User security Attributes Changed' },
  'account-create': { code: '110137', display: 'User security Attributes Changed' },
  'account-disabled': { code: '110137', display: 'User security Attributes Changed' },
  'mfa-enrolled': { code: '110137', display: 'User security Attributes Changed' },
  'mfa-reset': { code: '110137', display: 'User security Attributes Changed' },
  'password-reset': { code: '110137', display: 'User security Attributes Changed' },
  'client-create': { code: '110137', display: 'User security Attributes Changed' },
  'client-revoked': { code: '110137', display: 'User security Attributes Changed' },
  // Signed into another patient's context (a parent opening a child's record): a login there.
  'switch-patient': { code: '110122', display: 'Login' },
};

function toAuditEvent(r: AuthEventRow): Record<string, unknown> {
  return {
    resourceType: 'AuditEvent',
    id: r.id,
    type: {
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110114',
      display: 'User Authentication',
    },
    subtype: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', ...SUBTYPE[r.event] }],
    action: 'E',
    recorded: r.recorded.toISOString(),
    outcome: r.outcome === 'success' ? '0' : '4',
    ...(r.detail ? { outcomeDesc: r.detail } : {}),
    // Whose record a context switch was to.
    ...(r.event === 'switch-patient' && r.detail?.startsWith('Patient/')
      ? { entity: [{ what: { reference: r.detail } }] }
      : {}),
    agent: [
      {
        who: { identifier: { system: 'urn:mekong:account', value: r.account_id ?? r.username ?? 'unknown' } },
        ...(r.username ? { name: r.username } : {}),
        requestor: true,
        ...(r.source_address ? { network: { address: r.source_address, type: '2' } } : {}),
      },
    ],
    source: { observer: { display: 'Mekong Health identity' } },
  };
}
