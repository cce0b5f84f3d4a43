import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { AccessService, type AccessContext, type FhirResource, FhirStore } from '@mekong/health-record';
import { JobQueue, NotificationService } from '@mekong/notify';
import { CredentialCipher } from './credential-cipher';
import { CredentialsRepository } from './credentials.repository';
import { SigningService } from '@mekong/signing';
import { CCCD_SYSTEM, E_PRESCRIPTION_CODE_SYSTEM } from './eprescription.constants';
import { EprescriptionConfig, type EprescriptionSettings } from './eprescription-config';
import { readDrug } from './medication-request';
import type { SubmitRequest } from './national/national-api';
import { isAlreadyHeld, NationalClient, TransientFailure } from './national/national-client';
import { SUBMIT_QUEUE, type SubmitJob } from './prescription-outbox';
import { type Prescription, PrescriptionRepository } from './prescription.repository';

/** yyyy-MM-dd HH:mm:ss in Viet Nam (UTC+7, no daylight saving). */
function vnDateTime(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

function nameOf(p: FhirResource): string {
  const n = ((p.name ?? []) as { text?: string; family?: string; given?: string[] }[])[0];
  return n?.text ?? [n?.family, ...(n?.given ?? [])].filter(Boolean).join(' ');
}

/**
 * The job of one prescription (decision 029): sign the prescriber in at the national system, send
 * the prescription with the patient's CCCD, record the outcome. Accepted: the code goes on each
 * MedicationRequest (a new version, written as the prescriber). Refused (422 and other 4xx): failed
 * with the system's reasons, not retried. Unreachable, 5xx, 429: retried with backoff. Never sent
 * twice: the attempt is committed before sending, and a retry whose code the system already holds
 * (the earlier attempt reached it, its answer was lost) counts as accepted.
 */
@Injectable()
export class PrescriptionSender implements OnModuleInit {
  private readonly logger = new Logger('Eprescription');

  constructor(
    private readonly jobs: JobQueue,
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly credentials: CredentialsRepository,
    private readonly prescriptions: PrescriptionRepository,
    private readonly config: EprescriptionConfig,
    private readonly signing: SigningService,
    private readonly notifications: NotificationService,
  ) {}

  onModuleInit(): void {
    const s = this.config.settings;
    if (!s) return;
    this.jobs.work<SubmitJob>(SUBMIT_QUEUE, (job) => this.send(job.code, s), {
      retryLimit: s.retryLimit,
      retryDelay: s.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: s.expireSeconds,
      retentionDays: 30,
      concurrency: s.concurrency,
    });
  }

  /** The prescriber's access (the writes and reads are theirs, audited as theirs). */
  private prescriberAccess(p: Prescription): Promise<AccessContext> {
    const principal: Principal = {
      subject: p.practitioner,
      role: 'practitioner',
      scopes: [],
      fhirUser: p.practitioner,
      ...(p.organization ? { organization: p.organization } : {}),
      tokenId: `eprescription:${p.code}`,
      expiresAt: 0,
    };
    return this.access.contextFor(principal);
  }

  async send(code: string, s: EprescriptionSettings): Promise<void> {
    const p = await this.prescriptions.find(code);
    if (!p || p.status === 'failed') return;
    const access = await this.prescriberAccess(p);
    if (p.status === 'issued') return this.recordCode(p, access);
    const cred = await this.credentials.find(p.practitioner);
    if (!cred) return this.prescriptions.markFailed(code, ['the prescriber has no national-system sign-in']);
    const password = new CredentialCipher(s.secretKey).decrypt(cred.passwordEncrypted, p.practitioner);
    const request = await this.request(p, access);
    const attempt = await this.prescriptions.markSending(code);
    if (attempt === 0) return;
    const client = new NationalClient(s.url, s.timeoutMs);
    try {
      const signIn = await client.signIn({
        ma_lien_thong_co_so_kham_chua_benh: cred.facilityLinkCode,
        ma_lien_thong_bac_si: cred.doctorLinkCode,
        password,
      });
      if (signIn.kind === 'refused') return this.prescriptions.markFailed(code, signIn.reasons);
      const outcome = await client.submit(request, signIn.token);
      if (outcome.kind === 'accepted' || (attempt > 1 && isAlreadyHeld(outcome.reasons)))
        return this.recordCode(p, access);
      this.logger.warn(
        `prescription ${code} refused (HTTP ${outcome.status}, ${outcome.reasons.length} reasons)`,
      );
      return this.prescriptions.markFailed(code, outcome.reasons);
    } catch (err) {
      if (!(err instanceof TransientFailure)) throw err;
      if (attempt > s.retryLimit)
        return this.prescriptions.markFailed(code, [`no answer after ${attempt} attempts: ${err.message}`]);
      await this.prescriptions.noteRetry(code, err.message);
      throw err;
    }
  }

  private async request(p: Prescription, access: AccessContext): Promise<SubmitRequest> {
    const patient: FhirResource = (await this.store.read('Patient', p.patient, access)).content ?? {
      resourceType: 'Patient',
    };
    const drugs = [];
    for (const id of p.medicationRequests) {
      const mr = (await this.store.read('MedicationRequest', id, access)).content;
      if (mr) drugs.push(readDrug(mr));
    }
    const cccd = ((patient.identifier ?? []) as { system?: string; value?: string }[]).find(
      (i) => i.system === CCCD_SYSTEM,
    )?.value;
    const gender = patient.gender === 'male' ? 1 : patient.gender === 'female' ? 2 : undefined;
    const diagnoses = new Map<string, string>();
    for (const d of drugs) for (const x of d.diagnoses) diagnoses.set(x.code, x.display ?? x.code);
    return {
      loai_don_thuoc: p.type,
      ma_don_thuoc: p.code,
      ho_ten_benh_nhan: nameOf(patient),
      ...(cccd ? { ma_dinh_danh_cong_dan: cccd } : {}),
      ...(typeof patient.birthDate === 'string' ? { ngay_sinh_benh_nhan: patient.birthDate } : {}),
      ...(gender ? { gioi_tinh: gender } : {}),
      chan_doan: [...diagnoses].map(([code, name]) => ({
        ma_chan_doan: code,
        ten_chan_doan: name,
        ket_luan: '',
      })),
      thong_tin_don_thuoc: drugs.map((d) => ({
        ma_thuoc: d.drugCode ?? '',
        ten_thuoc: d.medication ?? '',
        don_vi_tinh: d.unit ?? '',
        so_luong: d.quantity ?? 0,
        cach_dung: `${d.dosage ?? ''} — ${d.days ?? 0} ngày`,
      })),
      ngay_gio_ke_don: vnDateTime(p.authoredOn),
    };
  }

  /** The code on each MedicationRequest (idempotent) and the prescription issued, in one transaction. */
  private async recordCode(p: Prescription, access: AccessContext): Promise<void> {
    await this.store.transaction(async (em) => {
      for (const id of p.medicationRequests) {
        const current = (await this.store.read('MedicationRequest', id, access, em)).content;
        if (!current || readDrug(current).codes.includes(p.code)) continue;
        const identifier = [
          ...((current.identifier ?? []) as unknown[]),
          { system: E_PRESCRIPTION_CODE_SYSTEM, value: p.code },
        ];
        const written = await this.store.update(
          em,
          'MedicationRequest',
          id,
          { ...current, identifier },
          { access },
        );
        // Recorded on the prescriber's behalf: the new version is signed like the first (docs/signatures.md),
        // so $verify does not report the national code as a change after signing.
        const author = access.principal.fhirUser;
        if (author)
          await this.signing.signVersions(em, [written.version], author, (type, rid, body) =>
            this.store.update(em, type, rid, body, { access }),
          );
      }
      await this.prescriptions.markIssued(em, p.code);
      // The patient gets the code (issue 21 part 2): in the app with the code; SMS, email and Zalo
      // only say that it was sent (their words carry no code or drug, docs/notifications.md).
      await this.notifications.notify(em, {
        dedupKey: `e-prescription:${p.code}`,
        topic: 'e-prescription',
        recipient: `Patient/${p.patient}`,
        subject: `Patient/${p.patient}`,
        ...(p.medicationRequests[0] ? { about: `MedicationRequest/${p.medicationRequests[0]}` } : {}),
        title: 'Đơn thuốc điện tử / Electronic prescription',
        text: {
          vi: `Đơn thuốc của bạn đã được gửi lên hệ thống đơn thuốc quốc gia. Mã đơn thuốc: ${p.code}`,
          en: `Your prescription was sent to the national prescription system. Prescription code: ${p.code}`,
        },
        category: 'notification',
      });
    });
  }
}
