import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FhirError, FhirStore, type RecordWrite } from '@mekong/health-record';
import { JobQueue } from '@mekong/notify';
import type { EntityManager } from 'typeorm';
import { CredentialsRepository } from './credentials.repository';
import { EprescriptionChecks } from './eprescription-checks.service';
import { ISSUED_TYPES, type PrescriptionType } from './eprescription.constants';
import { EprescriptionConfig } from './eprescription-config';
import { drugProblems, type PrescribedDrug, prescriptionTypeOf, readDrug } from './medication-request';
import { newPrescriptionCode } from './prescription-code';
import { PrescriptionRepository } from './prescription.repository';
import { prescribingProblems } from './rules/prescribing-rules';

export const SUBMIT_QUEUE = 'eprescription.submit';

export interface SubmitJob {
  readonly code: string;
}

/**
 * The outbox (decision 029): MedicationRequests created with an e-prescription type (category) —
 * a finished visit's write-back, or a prescriber writing through /fhir — become national
 * prescriptions in the SAME transaction: one per encounter, prescriber and type (Circular
 * 26/2025/TT-BYT art. 4(2): one prescription per visit), its code made once and stored with the
 * drugs, and one durable job keyed by that code. A prescription that breaks a rule is refused
 * (422) before anything is written.
 */
@Injectable()
export class PrescriptionOutbox implements OnModuleInit {
  constructor(
    private readonly store: FhirStore,
    private readonly jobs: JobQueue,
    private readonly checks: EprescriptionChecks,
    private readonly credentials: CredentialsRepository,
    private readonly prescriptions: PrescriptionRepository,
    private readonly config: EprescriptionConfig,
  ) {}

  onModuleInit(): void {
    this.store.observe({
      name: 'eprescription.outbox',
      types: ['MedicationRequest'],
      afterWrites: (em, writes) => this.afterWrites(em, writes),
    });
  }

  private async afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void> {
    // Only new national prescriptions: a later version (the code recorded, a status change) is not sent again.
    const created = writes.filter(
      (w) => w.content && !w.previous && prescriptionTypeOf(w.content) !== undefined,
    );
    if (created.length === 0) return;
    // Off (no EPRESCRIPTION_URL): the drugs are recorded as written, nothing is sent.
    const settings = this.config.settings;
    if (!settings) return;
    const groups = new Map<string, { drugs: PrescribedDrug[]; write: RecordWrite }>();
    const problems: string[] = [];
    for (const [i, w] of created.entries()) {
      const d = readDrug(w.content!);
      const label = `MedicationRequest/${w.id}`;
      if (!(ISSUED_TYPES as readonly string[]).includes(d.type ?? ''))
        problems.push(
          `${label}.category: only type c (ordinary) is issued here / chỉ kê đơn thuốc thường (c)`,
        );
      problems.push(...drugProblems(d, label));
      problems.push(
        ...prescribingProblems([{ days: d.days ?? 0, medication: d.medication ?? '' }], d.diagnoses).map(
          (m) => m.replace('prescriptions[0]', label),
        ),
      );
      if (d.drugCode)
        problems.push(...this.checks.drugCodeProblems([{ code: d.drugCode, field: `${label}.drugCode` }]));
      if (d.codes.length > 0)
        problems.push(`${label}.identifier: a new prescription carries no national code yet`);
      const prescriber = d.requester ?? w.author?.fhirUser;
      const key = `${d.patient}|${d.encounter ?? `single:${i}`}|${d.type}|${prescriber}`;
      const g = groups.get(key) ?? { drugs: [], write: w };
      g.drugs.push(d);
      groups.set(key, g);
    }
    if (problems.length > 0) throw new FhirError(422, 'business-rule', problems.join('; '));
    for (const { drugs, write } of groups.values()) {
      const first = drugs[0]!;
      const practitioner = first.requester ?? write.author?.fhirUser;
      // Only the prescriber's own write is sent under their national sign-in.
      if (
        !practitioner?.startsWith('Practitioner/') ||
        write.author?.role !== 'practitioner' ||
        write.author.fhirUser !== practitioner
      )
        throw new FhirError(
          422,
          'business-rule',
          `MedicationRequest/${first.id}.requester: a national prescription is written by its prescriber (the Practitioner signed in) / đơn thuốc do chính bác sĩ kê đơn ghi`,
        );
      const cred = await this.credentials.find(practitioner, em);
      if (!cred)
        throw new FhirError(
          422,
          'business-rule',
          `MedicationRequest/${first.id}.requester: ${practitioner} has no national prescription system sign-in (PUT /eprescription/credentials) / bác sĩ chưa khai báo tài khoản liên thông`,
        );
      const type = first.type as PrescriptionType;
      const code = newPrescriptionCode(cred.facilityCode, type, settings.suffix);
      await this.prescriptions.insert(em, {
        code,
        type,
        medicationRequests: drugs.map((d) => d.id),
        patient: first.patient!,
        ...(first.encounter ? { encounter: first.encounter } : {}),
        practitioner,
        ...(write.author.organization ? { organization: write.author.organization } : {}),
        authorRole: write.author.role,
        authoredOn: first.authoredOn ?? new Date().toISOString(),
        status: 'pending',
      });
      await this.jobs.send(SUBMIT_QUEUE, { code } satisfies SubmitJob, { key: code, em });
    }
  }
}
