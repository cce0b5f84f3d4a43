import { Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { TerminologyNotFound, TerminologyService } from '@mekong/terminology';
import { CredentialsRepository } from './credentials.repository';
import { DRUG_SYSTEM, ISSUED_TYPES } from './eprescription.constants';
import { EprescriptionConfig } from './eprescription-config';
import { prescribingProblems, type StructuredPrescription } from './rules/prescribing-rules';

/**
 * The checks at prescribing (the end of a visit answers BAD_REQUEST with these messages) and again
 * when the MedicationRequests are written: duration (Circular 26/2025/TT-BYT art. 6(8) and
 * Appendix VII), the drug code in the national drug list when that list is loaded, the type, and
 * the prescriber's national-system sign-in being set.
 */
@Injectable()
export class EprescriptionChecks {
  constructor(
    private readonly terminology: TerminologyService,
    private readonly credentials: CredentialsRepository,
    private readonly config: EprescriptionConfig,
  ) {}

  /** Problems with drug codes (empty when the list is not loaded: then nothing can be checked). */
  drugCodeProblems(codes: readonly { code: string; field: string }[]): string[] {
    const out: string[] = [];
    for (const { code, field } of codes) {
      try {
        const r = this.terminology.validateCode({ system: DRUG_SYSTEM, code });
        if (!r.result)
          out.push(
            `${field}: ${code} is not in the national drug list / mã thuốc không có trong danh mục (${r.message ?? ''})`,
          );
      } catch (err) {
        if (err instanceof TerminologyNotFound) return [];
        throw err;
      }
    }
    return out;
  }

  /** Everything wrong with a visit's prescriptions, as messages naming rule and field (empty: fine). */
  async checkVisit(
    author: Principal,
    prescriptions: readonly StructuredPrescription[],
    diagnoses: readonly { code: string }[],
  ): Promise<string[]> {
    if (prescriptions.length === 0) return [];
    const problems: string[] = [];
    prescriptions.forEach((p, i) => {
      if (!(ISSUED_TYPES as readonly string[]).includes(p.type))
        problems.push(
          `prescriptions[${i}].type: only c (ordinary) prescriptions are issued here; narcotic (n) and psychotropic (h) ones need Circular 26/2025/TT-BYT art. 7–9, not implemented / chỉ kê đơn thuốc thường (c)`,
        );
    });
    problems.push(...prescribingProblems(prescriptions, diagnoses));
    problems.push(
      ...this.drugCodeProblems(
        prescriptions.map((p, i) => ({ code: p.drugCode, field: `prescriptions[${i}].drugCode` })),
      ),
    );
    if (this.config.settings) {
      const practitioner = author.fhirUser;
      if (!practitioner?.startsWith('Practitioner/') || !(await this.credentials.find(practitioner)))
        problems.push(
          'prescriptions: set your national prescription system sign-in first (PUT /eprescription/credentials) / hãy khai báo tài khoản liên thông đơn thuốc quốc gia trước',
        );
    }
    return problems;
  }
}
