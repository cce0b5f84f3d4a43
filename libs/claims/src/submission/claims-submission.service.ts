import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import { AccessService, AuditService } from '@mekong/health-record';
import {
  type ClaimReason,
  type ClaimRow,
  ClaimRepository,
  type ClaimStatus,
  type SubmissionOutcome,
} from './claim.repository';
import { ClaimCheckIn, type CheckInStatus } from './claim-check-in';
import { ClaimSubmission, NOT_CONFIGURED } from './claim-submission';
import { ClaimsGatewayConfig } from './gateway-config';

/** A claim as the facility's staff see it. */
export interface ClaimView {
  readonly encounter: string;
  /** `Patient/<id>`: whose visit (the list shows the name; the reading is audited). */
  readonly patient?: string;
  readonly maLk?: string;
  readonly facilityCode?: string;
  readonly status: ClaimStatus;
  /** `queued` without a gateway configured: why it waits. */
  readonly waiting?: string;
  readonly attempts: number;
  readonly lastError?: string;
  readonly reasons: readonly ClaimReason[];
  readonly finishedAt: string;
  readonly updatedAt: string;
  /** The last day a corrected claim may be sent again (docs/claims-submission.md "Correction window"). */
  readonly correctableUntil: string;
}

export interface ClaimDetail extends ClaimView {
  /** The visit's check-in (XML0), sent when it started; absent when the visit sent none. */
  readonly checkIn?: {
    readonly status: CheckInStatus;
    readonly attempts: number;
    readonly startedAt: string;
    readonly documentSha256?: string;
    readonly reasons: readonly ClaimReason[];
    /** why it waits or why there is none (uninsured) */
    readonly note?: string;
    readonly transactionId?: string;
    readonly updatedAt: string;
  };
  readonly submissions: readonly {
    readonly attempt: number;
    readonly sentAt: string;
    readonly outcome: SubmissionOutcome;
    readonly envelopeSha256: string;
    readonly httpStatus?: number;
    readonly answeredAt?: string;
    readonly transactionId?: string;
    readonly message?: string;
  }[];
}

/** TT 48/2017/TT-BYT Điều 7 k1 (secondary reading [unverified]): 07 working days after the visit ends. */
export const CORRECTION_WORKING_DAYS = 7;

/** End of the 7th working day (Mon–Fri; public holidays not counted [limitation]) after `finished`, Viet Nam time. */
export function correctableUntil(finished: string, days = CORRECTION_WORKING_DAYS): Date {
  const vn = new Date(new Date(finished).getTime() + 7 * 3600_000);
  const d = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth(), vn.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  // 23:59:59.999 of that day in Viet Nam.
  return new Date(d.getTime() + 24 * 3600_000 - 1 - 7 * 3600_000);
}

const NOT_FOUND = (): DomainError =>
  new DomainError(
    'CLAIMS.NOT_FOUND',
    404,
    'No claim for this visit / Không có hồ sơ thanh toán của lượt khám này',
  );

@Injectable()
export class ClaimsSubmissionService {
  constructor(
    private readonly claims: ClaimRepository,
    private readonly submission: ClaimSubmission,
    private readonly checkIns: ClaimCheckIn,
    private readonly config: ClaimsGatewayConfig,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Staff see their facility's claims, a practitioner the visits they took part in, a system client all. */
  private narrow(p: Principal): { organization?: string; participant?: string } | 'all' | 'none' {
    if (p.role === 'system') return 'all';
    if (p.role === 'clinic-staff') return p.organization ? { organization: p.organization } : 'none';
    if (p.role === 'practitioner') return p.fhirUser ? { participant: p.fhirUser } : 'none';
    return 'none';
  }

  private visible(c: ClaimRow, p: Principal): boolean {
    const n = this.narrow(p);
    if (n === 'all') return true;
    if (n === 'none') return false;
    if (n.organization) return c.organization === n.organization;
    return !!n.participant && c.participants.includes(n.participant);
  }

  private view(c: ClaimRow): ClaimView {
    return {
      encounter: `Encounter/${c.encounterId}`,
      ...(c.patient ? { patient: c.patient } : {}),
      ...(c.maLk ? { maLk: c.maLk } : {}),
      ...(c.facilityCode ? { facilityCode: c.facilityCode } : {}),
      status: c.status,
      ...(c.status === 'queued' && !this.config.settings ? { waiting: NOT_CONFIGURED } : {}),
      attempts: c.attempts,
      ...(c.lastError ? { lastError: c.lastError } : {}),
      reasons: c.reasons,
      finishedAt: c.finishedAt,
      updatedAt: c.updatedAt,
      correctableUntil: correctableUntil(c.finishedAt).toISOString(),
    };
  }

  async list(
    q: { status?: ClaimStatus; from?: string; to?: string },
    p: Principal,
    address?: string,
  ): Promise<ClaimView[]> {
    const n = this.narrow(p);
    if (n === 'none') return [];
    const rows = await this.claims.list({ ...q, ...(n === 'all' ? {} : n), limit: 500 });
    await this.audit.recordRead(p, {
      route: 'GET /claims',
      patients: rows.map((r) => r.patient),
      address,
    });
    return rows.map((r) => this.view(r));
  }

  private async visibleClaim(encounterId: string, p: Principal): Promise<ClaimRow> {
    const c = await this.claims.find(encounterId);
    if (!c || !this.visible(c, p)) throw NOT_FOUND();
    return c;
  }

  async get(encounterId: string, p: Principal, address?: string): Promise<ClaimDetail> {
    const c = await this.visibleClaim(encounterId, p);
    const subs = await this.claims.submissions(encounterId);
    const ci = await this.checkIns.find(encounterId);
    await this.audit.recordRead(p, { route: 'GET /claims/:encounterId', patients: [c.patient], address });
    const ciAnswer = (ci?.response ?? {}) as { maGiaoDich?: string };
    return {
      ...this.view(c),
      ...(ci
        ? {
            checkIn: {
              status: ci.status,
              attempts: ci.attempts,
              startedAt: ci.startedAt,
              ...(ci.documentSha256 ? { documentSha256: ci.documentSha256 } : {}),
              reasons: ci.reasons,
              ...(ci.lastError ? { note: ci.lastError } : {}),
              ...(ciAnswer.maGiaoDich ? { transactionId: String(ciAnswer.maGiaoDich) } : {}),
              updatedAt: ci.updatedAt,
            },
          }
        : {}),
      submissions: subs.map((s) => {
        const answer = (s.response ?? {}) as { maGiaoDich?: string; thongDiep?: string; error?: string };
        return {
          attempt: s.attempt,
          sentAt: s.sentAt,
          outcome: s.outcome,
          envelopeSha256: s.envelopeSha256,
          ...(s.httpStatus !== undefined ? { httpStatus: s.httpStatus } : {}),
          ...(s.answeredAt ? { answeredAt: s.answeredAt } : {}),
          ...(answer.maGiaoDich ? { transactionId: String(answer.maGiaoDich) } : {}),
          ...(answer.thongDiep || answer.error ? { message: String(answer.thongDiep ?? answer.error) } : {}),
        };
      }),
    };
  }

  /**
   * The facility's staff send a claim again, made anew from the record as corrected, within the
   * correction window (else 409 CLAIMS.WINDOW_CLOSED). A claim being sent cannot be resent (409
   * CLAIMS.IN_PROGRESS).
   */
  async resend(encounterId: string, p: Principal, address?: string, now = new Date()): Promise<ClaimView> {
    const c = await this.visibleClaim(encounterId, p);
    if (p.role === 'practitioner')
      throw new DomainError(
        'CLAIMS.STAFF_ONLY',
        403,
        "Only the facility's staff resend claims / Chỉ nhân viên cơ sở gửi lại hồ sơ",
      );
    if (c.status === 'queued' || c.status === 'sending')
      throw new DomainError(
        'CLAIMS.IN_PROGRESS',
        409,
        'The claim is waiting to be sent / Hồ sơ đang chờ gửi',
      );
    if (now > correctableUntil(c.finishedAt))
      throw new DomainError(
        'CLAIMS.WINDOW_CLOSED',
        409,
        'The correction window of this visit has closed / Đã quá thời hạn điều chỉnh hồ sơ của lượt khám này',
      );
    await this.claims.requeue(encounterId);
    await this.submission.enqueueJob(encounterId);
    const access = await this.access.contextFor(p, address);
    const patients = c.patient ? [c.patient.replace(/^Patient\//, '')] : [];
    await this.audit.record(
      access.audit(
        'U',
        'update',
        `Encounter/${encounterId}`,
        patients,
        '0',
        'claim resent to the BHXH gateway',
      ),
    );
    return this.view((await this.claims.find(encounterId))!);
  }
}
