import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import { AccessService, AuditService, FhirStore } from '@mekong/health-record';
import { CredentialCipher } from './credential-cipher';
import { CredentialsRepository } from './credentials.repository';
import type { CredentialsDto } from './eprescription.dto';
import { EprescriptionConfig } from './eprescription-config';
import { type PrescriptionStatus, PrescriptionRepository } from './prescription.repository';

/** One prescription as the doctor sees it. */
export interface PrescriptionView {
  readonly code: string;
  readonly type: string;
  readonly status: PrescriptionStatus;
  readonly medicationRequests: readonly string[];
  readonly attempts: number;
  /** The system's reasons when refused; the last transient error while retrying. */
  readonly reasons: readonly string[];
  readonly issuedAt?: string;
}

const NOT_FOUND = (): DomainError =>
  new DomainError(
    'EPRESCRIPTION.NOT_FOUND',
    404,
    'No prescriptions for this visit / Không có đơn thuốc của buổi khám này',
  );

@Injectable()
export class EprescriptionService {
  constructor(
    private readonly config: EprescriptionConfig,
    private readonly credentials: CredentialsRepository,
    private readonly prescriptions: PrescriptionRepository,
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async setCredentials(p: Principal, body: CredentialsDto, address?: string): Promise<void> {
    const s = this.config.settings;
    if (!s)
      throw new DomainError(
        'EPRESCRIPTION.NOT_CONFIGURED',
        503,
        'National e-prescriptions are not configured / Chưa cấu hình liên thông đơn thuốc',
      );
    const practitioner = p.fhirUser;
    if (!practitioner?.startsWith('Practitioner/'))
      throw new DomainError(
        'EPRESCRIPTION.NOT_A_PRESCRIBER',
        403,
        'Only a practitioner sets their own sign-in / Chỉ bác sĩ khai báo tài khoản của mình',
      );
    await this.credentials.upsert(
      {
        practitioner,
        facilityCode: body.facilityCode,
        facilityLinkCode: body.facilityLinkCode,
        doctorLinkCode: body.doctorLinkCode,
        passwordEncrypted: new CredentialCipher(s.secretKey).encrypt(body.password, practitioner),
      },
      p.subject,
    );
    const access = await this.access.contextFor(p, address);
    // No patient's data: the entity is the practitioner whose sign-in changed (never the values).
    await this.audit.record(access.audit('U', 'update', `${practitioner}/eprescription-credentials`, []));
  }

  /**
   * A visit's prescriptions: to a practitioner of the visit (the prescriber or a participant of the
   * Encounter) or the staff of the prescriber's facility; anyone else gets 404, as for a visit
   * without prescriptions. The read is audited in the patient's trail.
   */
  async ofEncounter(encounter: string, p: Principal, address?: string): Promise<PrescriptionView[]> {
    const rows = await this.prescriptions.ofEncounter(encounter);
    if (rows.length === 0) throw NOT_FOUND();
    const access = await this.access.contextFor(p, address);
    let allowed = false;
    if (p.role === 'clinic-staff')
      allowed = !!p.organization && rows.every((r) => r.organization === p.organization);
    else if (p.fhirUser && rows.every((r) => r.practitioner === p.fhirUser)) allowed = true;
    else if (p.fhirUser) {
      const enc = await this.store.read('Encounter', encounter, access).catch(() => undefined);
      const participants = (
        (enc?.content?.participant ?? []) as { individual?: { reference?: string } }[]
      ).map((x) => x.individual?.reference);
      allowed = participants.includes(p.fhirUser);
    }
    if (!allowed) throw NOT_FOUND();
    await this.audit.recordRead(access, {
      route: 'GET /eprescription/prescriptions',
      patients: [...new Set(rows.map((r) => r.patient))],
      address,
    });
    return rows.map((r) => ({
      code: r.code,
      type: r.type,
      status: r.status,
      medicationRequests: r.medicationRequests.map((id) => `MedicationRequest/${id}`),
      attempts: r.attempts,
      reasons: r.reasons ?? [],
      ...(r.issuedAt ? { issuedAt: r.issuedAt } : {}),
    }));
  }
}
