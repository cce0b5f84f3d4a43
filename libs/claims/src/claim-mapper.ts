import { Injectable } from '@nestjs/common';
import { BHYT_SYSTEM, CCCD_SYSTEM, FOLLOW_UP_CODE, FOLLOW_UP_LETTER_SYSTEM } from '@mekong/fhir';
import { FhirRestService, type FhirResource, type RequestContext } from '@mekong/health-record';
import { SigningService } from '@mekong/signing';
import { fold, ICD10_SYSTEM, TerminologyService } from '@mekong/terminology';
import type { CheckInRequest, CheckInResult, ClaimProblem, ClaimResult } from './claim-source';
import { ClaimsConfig, type FacilityClaimsConfig } from './claims-config';
import { buildCheckIn, buildClaim } from './xml130/build-claim';
import type {
  Appointment,
  ClaimInput,
  CodedName,
  Coverage,
  DrugLine,
  Patient,
  ResultLine,
  ServiceLine,
} from './xml130/model';
import { validateClaim } from './xml130/validate-claim';

/** Where the record keeps what a claim needs beyond FHIR's core elements (docs/claims-xml130.md). */
export const CLAIM_EXTENSIONS = {
  /** Patient: MA_QUOCTICH (valueCode). */
  nationality: 'https://fhir.mekong.health/StructureDefinition/nationality-code',
  /** Patient: MA_DANTOC (valueCode). */
  ethnicity: 'https://fhir.mekong.health/StructureDefinition/ethnicity-code',
  /** Patient: MA_NGHE_NGHIEP (valueCode). */
  occupation: 'https://fhir.mekong.health/StructureDefinition/occupation-code',
  /** Coverage: MA_DKBD, the primary-care facility registered on the card (valueString). */
  registeredFacility: 'https://fhir.mekong.health/StructureDefinition/bhyt-registered-facility',
} as const;
/** Organization.identifier: the facility's code issued for insurance claims (MA_CSKCB). */
export const MA_CSKCB_SYSTEM = 'https://fhir.mekong.health/sid/ma-cskcb';
/** Practitioner.identifier: the practising certificate number (MA_BAC_SI). */
export const CCHN_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cchn';
/** The administrative units in force (terminology data admin-units-2025). */
export const ADMIN_UNITS_SYSTEM = 'https://fhir.mekong.health/CodeSystem/vn-admin-unit';
/** The national drug list the claim's MA_THUOC comes from (terminology data drugs-bhyt). */
export const DRUG_LIST_SYSTEM = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
/**
 * ServiceRequest.code: a service's MA_DICH_VU (the common code set, QĐ 2010/QĐ-BYT PL 1 — not
 * loaded: the facility's claims configuration lists the ones it bills, `services`).
 */
export const SERVICE_CODE_SYSTEM = 'https://fhir.mekong.health/sid/ma-dich-vu';
/** Observation.code: a result item's MA_CHI_SO (QĐ 1227/QĐ-BYT [unverified]: not read). */
export const RESULT_ITEM_SYSTEM = 'https://fhir.mekong.health/sid/ma-chi-so';

/** Results that count: a result still preliminary is not claimed (nor is one entered in error). */
const FINAL_RESULT = new Set(['final', 'amended', 'corrected']);

type Bundle = { entry?: { resource?: FhirResource }[] };
type Ext = { url?: string; valueCode?: string; valueString?: string };
type Ident = { system?: string; value?: string; period?: { start?: string; end?: string } };

const bodyOf = <T>(r: { body?: unknown; text?: string }): T =>
  (r.body !== undefined ? r.body : JSON.parse(r.text ?? 'null')) as T;

const ext = (res: FhirResource | undefined, url: string): string | undefined => {
  const e = ((res?.extension ?? []) as Ext[]).find((x) => x.url === url);
  return e?.valueCode ?? e?.valueString;
};

const problem = (field: string, vi: string, en: string): ClaimProblem => ({
  field,
  message: `${vi} / ${en}`,
});

/** A billed service the facility's price list has no price for. */
const noServicePrice = (code: string): ClaimProblem =>
  problem(
    'XML3.DON_GIA_BV',
    `Bảng giá không có giá dịch vụ ${code}`,
    `The price list has no price for service ${code}`,
  );

/** Vietnam time calendar date of an instant. */
const vnDate = (iso: string): string =>
  new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * A finished visit's insurance claim from the record, read with the caller's access (the
 * `$bhyt-claim` operation) or a system caller (the submission queue): Encounter, Patient, its
 * card (Coverage), the visit's diagnoses (Encounter.diagnosis rank 1 = MA_BENH_CHINH), notes and
 * prescriptions, the facility's code (Organization identifier) and prices (ClaimsConfig). What is
 * missing or not on the national lists is returned as problems — never filled in.
 */
@Injectable()
export class ClaimMapper {
  constructor(
    private readonly fhir: FhirRestService,
    private readonly terms: TerminologyService,
    private readonly config: ClaimsConfig,
    private readonly signing: SigningService,
  ) {}

  private async read(type: string, id: string, ctx: RequestContext): Promise<FhirResource> {
    return bodyOf<FhirResource>(await this.fhir.read(type, id, ctx));
  }

  private async search(
    type: string,
    query: [string, string][],
    ctx: RequestContext,
  ): Promise<FhirResource[]> {
    const b = bodyOf<Bundle>(
      await this.fhir.searchType(type, { ...ctx, query: [...query, ['_count', '200']] }),
    );
    return (b.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => r?.resourceType === type);
  }

  /** The facility of a visit: Encounter.serviceProvider. */
  facilityOf(encounter: FhirResource): string | undefined {
    return (encounter.serviceProvider as { reference?: string } | undefined)?.reference;
  }

  /**
   * `build.includeSummary`: XML8 whatever the type of care — the health book takes the visit's
   * summary from it (QĐ 2733 Phụ lục 02 [unverified]); a claim sent to BHXH follows Bảng 8's note.
   */
  async claimOf(
    encounterId: string,
    ctx: RequestContext,
    createdAt = new Date(),
    build: { includeSummary?: boolean } = {},
  ): Promise<ClaimResult> {
    const enc = await this.read('Encounter', encounterId, ctx);
    const problems: ClaimProblem[] = [];
    if (enc.status !== 'finished')
      return {
        ok: false,
        problems: [problem('Encounter.status', 'Lượt khám chưa kết thúc', 'The visit has not ended')],
      };
    const orgRef = this.facilityOf(enc);
    const { facility, facilityCode } = await this.facilitySettings(orgRef, ctx, problems);
    const patientId =
      ((enc.subject as { reference?: string } | undefined)?.reference ?? '').split('/')[1] ?? '';
    const pat = await this.read('Patient', patientId, ctx);
    const period = (enc.period ?? {}) as { start?: string; end?: string };
    if (!period.start || !period.end)
      problems.push(
        problem('Encounter.period', 'Thiếu giờ bắt đầu hoặc kết thúc', 'The visit has no start or end time'),
      );
    const end = period.end ?? period.start ?? new Date().toISOString();

    const patient = this.patientOf(pat, problems);
    const coverage = await this.coverageOf(pat, end, ctx, problems);
    const diagnoses = await this.diagnosesOf(enc, encounterId, patient?.sex, ctx, problems);
    const [notes, meds, requests, observations] = await Promise.all([
      this.search('ClinicalImpression', [['encounter', `Encounter/${encounterId}`]], ctx),
      this.search('MedicationRequest', [['encounter', `Encounter/${encounterId}`]], ctx),
      this.search('ServiceRequest', [['encounter', `Encounter/${encounterId}`]], ctx),
      this.search('Observation', [['encounter', `Encounter/${encounterId}`]], ctx),
    ]);
    const participants = ((enc.participant ?? []) as { individual?: { reference?: string } }[])
      .map((p) => p.individual?.reference)
      .filter((r): r is string => !!r?.startsWith('Practitioner/'));
    const clinicianId = await this.clinicianId(participants[0], ctx, problems);
    if (!facility || !facilityCode || !patient || !diagnoses || !clinicianId || problems.length > 0)
      return { ok: false, problems, ...(facilityCode ? { facilityCode } : {}) };

    const orderedAt = period.start ?? end;
    const line = {
      scope: 1 as const,
      insurerRatePercent: 100,
      departmentCode: facility.departmentCode,
      clinicianId,
      orderedAt,
    };
    const services: ServiceLine[] = [];
    const exam = facility.visitService;
    const examPrice = facility.prices.get(exam.code);
    if (examPrice === undefined) problems.push(noServicePrice(exam.code));
    else
      services.push({
        ...line,
        code: exam.code,
        name: exam.name,
        unit: exam.unit,
        costGroup: exam.costGroup,
        quantity: 1,
        facilityPrice: examPrice,
        forDiagnoses: [diagnoses.primary.code],
        performedAt: orderedAt,
      });
    const results: ResultLine[] = [];
    // In the order they were given (a search answers the newest first).
    const when = (r: FhirResource, key: string) =>
      `${String(r[key] ?? '')}|${(r.meta as { lastUpdated?: string } | undefined)?.lastUpdated ?? ''}`;
    requests.sort((a, b) => when(a, 'authoredOn').localeCompare(when(b, 'authoredOn')));
    observations.sort((a, b) => when(a, 'issued').localeCompare(when(b, 'issued')));
    for (const [i, sr] of requests.entries()) {
      if (sr.status !== 'completed') continue;
      const coding = (
        (sr.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []
      )
        .filter((c) => c.system === SERVICE_CODE_SYSTEM)
        .at(0);
      if (!coding?.code) continue; // not a billed service (e.g. the re-visit appointment)
      const where = `ServiceRequest[${i}]`;
      const item = facility.services?.find((x) => x.code === coding.code);
      const price = facility.prices.get(coding.code);
      if (!item)
        problems.push(
          problem(
            `${where}.code`,
            `Dịch vụ ${coding.code} không có trong danh mục dịch vụ của cơ sở`,
            `Service ${coding.code} is not among the facility's billed services`,
          ),
        );
      if (price === undefined) problems.push(noServicePrice(coding.code));
      const own = observations.filter((o) =>
        ((o.basedOn ?? []) as { reference?: string }[]).some(
          (b) => b.reference === `ServiceRequest/${String(sr.id)}`,
        ),
      );
      const pending = own.filter(
        (o) => o.status !== 'entered-in-error' && !FINAL_RESULT.has(String(o.status)),
      );
      if (pending.length > 0)
        problems.push(
          problem(
            'XML4.NGAY_KQ',
            `Dịch vụ ${coding.code} còn kết quả chưa hoàn tất`,
            `Service ${coding.code} has results that are not final`,
          ),
        );
      if (!item || price === undefined) continue;
      const rows = await this.resultsOf(
        coding.code,
        own.filter((o) => FINAL_RESULT.has(String(o.status))),
        ctx,
      );
      results.push(...rows);
      const performedAt =
        (sr.occurrenceDateTime as string | undefined) ?? (sr.authoredOn as string | undefined) ?? orderedAt;
      const resultAt = rows
        .map((r) => r.resultAt)
        .sort((a, b) => new Date(b).getTime() - new Date(a).getTime())[0];
      services.push({
        ...line,
        code: item.code,
        name: item.name,
        unit: item.unit,
        costGroup: item.costGroup,
        quantity: (sr.quantityQuantity as { value?: number } | undefined)?.value ?? 1,
        facilityPrice: price,
        forDiagnoses: [diagnoses.primary.code],
        orderedAt: (sr.authoredOn as string | undefined) ?? orderedAt,
        performedAt,
        ...(resultAt ? { resultAt } : {}),
      });
    }
    const appointment = await this.followUpOf(requests, clinicianId, end, ctx, problems);
    const drugs: DrugLine[] = [];
    for (const [i, m] of meds.entries()) {
      const coding = ((
        m.medicationCodeableConcept as
          { coding?: { system?: string; code?: string; display?: string }[] } | undefined
      )?.coding ?? [])[0];
      const qty = (m.dispenseRequest as { quantity?: { value?: number; unit?: string } } | undefined)
        ?.quantity;
      const where = `MedicationRequest[${i}]`;
      if (!coding?.code) {
        problems.push(
          problem(
            `${where}.medication`,
            'Thuốc chưa có mã trong danh mục quốc gia',
            'The drug has no national list code',
          ),
        );
        continue;
      }
      // The national drug list (terminology drugs-bhyt): a code that is not on it is not claimable.
      if (coding.system === DRUG_LIST_SYSTEM) {
        const v = this.terms.validateCode({ system: DRUG_LIST_SYSTEM, code: coding.code });
        if (!v.result) problems.push({ field: `${where}.medication`, message: v.message ?? coding.code });
      } else
        problems.push(
          problem(
            `${where}.medication`,
            'Mã thuốc không thuộc danh mục thuốc BHYT',
            `The drug code is not of the national list (${DRUG_LIST_SYSTEM})`,
          ),
        );
      const price = facility.prices.get(coding.code);
      if (price === undefined)
        problems.push(
          problem(
            `${where}.price`,
            `Bảng giá không có giá thuốc ${coding.code}`,
            `The price list has no price for drug ${coding.code}`,
          ),
        );
      if (!qty?.value)
        problems.push(problem(`${where}.quantity`, 'Thiếu số lượng thuốc', 'The drug has no quantity'));
      if (price === undefined || !qty?.value) continue;
      drugs.push({
        ...line,
        code: coding.code,
        name: coding.display ?? (m.medicationCodeableConcept as { text?: string }).text ?? coding.code,
        unit: qty.unit ?? '',
        quantity: qty.value,
        unitPrice: price,
        costGroup: 4,
        orderedAt: (m.authoredOn as string | undefined) ?? orderedAt,
        ...(((m.dosageInstruction ?? []) as { text?: string }[])[0]?.text
          ? { dose: ((m.dosageInstruction ?? []) as { text?: string }[])[0]!.text }
          : {}),
      });
    }
    if (problems.length > 0) return { ok: false, problems, facilityCode };

    const reason =
      ((enc.reasonCode ?? []) as { text?: string; coding?: { display?: string }[] }[])
        .map((r) => r.text ?? r.coding?.[0]?.display)
        .filter(Boolean)
        .join('; ') || diagnoses.primary.name;
    const summaryText = notes
      .map((n) => String(n.summary ?? ''))
      .filter(Boolean)
      .join('\n');
    const input: ClaimInput = {
      visit: {
        maLk: encounterId,
        facilityCode,
        careType: facility.careType,
        visitCategory: coverage.kind === 'card' ? facility.insuredCategory : facility.uninsuredCategory,
        arrivedAt: period.start ?? end,
        endedAt: end,
        reason,
        diagnosisOnArrival: diagnoses.primary.name,
        diagnoses,
        result: 2,
        dischargeType: 1,
        departmentCodes: [facility.departmentCode],
        medicalRecordNumber: encounterId,
        headOfFacilityId: facility.headOfFacilityId,
      },
      patient,
      coverage,
      drugs,
      services,
      results,
      ...(appointment ? { appointment } : {}),
      summary: {
        courseOfIllness: summaryText || reason,
        ...(results.length > 0
          ? {
              resultsSummary: results
                .map((r) => `${r.itemName ?? r.serviceCode}: ${[r.value, r.unit].filter(Boolean).join(' ')}`)
                .join('; '),
            }
          : {}),
        treatment:
          meds
            .map((m) => (m.medicationCodeableConcept as { text?: string } | undefined)?.text ?? '')
            .filter(Boolean)
            .join('; ') || 'Tư vấn',
        signedOn: vnDate(end),
      },
    };
    let claim;
    try {
      claim = buildClaim(input, { createdAt, ...build });
    } catch (e) {
      return {
        ok: false,
        problems: [problem('claim', 'Không lập được hồ sơ', (e as Error).message)],
        facilityCode,
      };
    }
    const errors = validateClaim(claim.tables);
    if (errors.length > 0)
      return {
        ok: false,
        facilityCode,
        problems: errors.map((e) => ({ field: `${e.table}.${e.field ?? ''}`, message: e.message })),
      };
    // The facility's enveloped XMLDSig in CHUKYDONVI (BHXH CV 1245/BHXH-CNTT; docs/signatures.md).
    const signed = { ...claim, envelope: await this.signing.signClaimXml(claim.envelope) };
    return { ok: true, claim: signed, facilityCode, insured: coverage.kind === 'card' };
  }

  /** The facility's claims settings and insurance code (MA_CSKCB); what is missing is a problem. */
  private async facilitySettings(
    orgRef: string | undefined,
    ctx: RequestContext,
    problems: ClaimProblem[],
  ): Promise<{ facility?: FacilityClaimsConfig; facilityCode?: string }> {
    if (!orgRef) {
      problems.push(
        problem('Encounter.serviceProvider', 'Lượt khám không ghi cơ sở khám', 'The visit names no facility'),
      );
      return {};
    }
    const facility = this.config.facility(orgRef);
    const org = await this.read('Organization', orgRef.split('/')[1] ?? '', ctx).catch(() => undefined);
    const facilityCode = ((org?.identifier ?? []) as Ident[]).find(
      (i) => i.system === MA_CSKCB_SYSTEM,
    )?.value;
    if (!facilityCode)
      problems.push(
        problem(
          'XML1.MA_CSKCB',
          'Cơ sở chưa có mã KCB BHYT',
          'The facility has no insurance facility code (MA_CSKCB)',
        ),
      );
    if (!facility)
      problems.push(
        problem(
          'facility',
          'Cơ sở chưa cấu hình thanh toán BHYT (khoa, giá)',
          'The facility has no claims configuration (department, prices)',
        ),
      );
    return { ...(facility ? { facility } : {}), ...(facilityCode ? { facilityCode } : {}) };
  }

  /**
   * The check-in (XML0) of a visit that has just started: MA_LK = the Encounter the visit will be
   * written as, the patient and the card in force, the first charge = the facility's visit service
   * at the start. Only an insured visit has one (the uninsured send no XML0, UNINSURED_TABLES);
   * signed like the claim (CHUKYDONVI).
   */
  async checkInOf(v: CheckInRequest, ctx: RequestContext): Promise<CheckInResult> {
    const problems: ClaimProblem[] = [];
    const { facility, facilityCode } = await this.facilitySettings(v.organization, ctx, problems);
    const pat = await this.read('Patient', v.patient.replace(/^Patient\//, ''), ctx);
    const patient = this.patientOf(pat, problems);
    const coverage = await this.coverageOf(pat, v.startedAt, ctx, problems);
    if (!facility || !facilityCode || !patient || problems.length > 0)
      return { ok: false, problems, ...(facilityCode ? { facilityCode } : {}) };
    if (coverage.kind !== 'card')
      return { ok: true, reason: 'uninsured: no check-in (XML0 is for insured visits)' };
    const exam = facility.visitService;
    const document = buildCheckIn({
      visit: {
        maLk: v.encounterId,
        facilityCode,
        careType: facility.careType,
        visitCategory: facility.insuredCategory,
        arrivedAt: v.startedAt,
      },
      patient,
      coverage,
      firstCharge: { kind: 'service', line: { code: exam.code, name: exam.name, orderedAt: v.startedAt } },
    });
    const errors = validateClaim({ XML0: document });
    if (errors.length > 0)
      return {
        ok: false,
        facilityCode,
        problems: errors.map((e) => ({ field: `${e.table}.${e.field ?? ''}`, message: e.message })),
      };
    return { ok: true, document: await this.signing.signClaimXml(document), facilityCode };
  }

  /**
   * XML4 rows of one service: each final Observation based on it (one row per component when it
   * has components, e.g. a blood pressure), its value and unit as recorded, read by whom.
   */
  private async resultsOf(
    serviceCode: string,
    obs: FhirResource[],
    ctx: RequestContext,
  ): Promise<ResultLine[]> {
    type Coded = { text?: string; coding?: { system?: string; code?: string; display?: string }[] };
    type Valued = {
      code?: Coded;
      valueQuantity?: { value?: number; unit?: string; code?: string };
      valueString?: string;
      valueCodeableConcept?: Coded;
      valueBoolean?: boolean;
      valueInteger?: number;
    };
    const valueOf = (v: Valued): { value?: string; unit?: string } => {
      if (v.valueQuantity?.value !== undefined)
        return {
          value: String(v.valueQuantity.value),
          ...(v.valueQuantity.unit || v.valueQuantity.code
            ? { unit: v.valueQuantity.unit ?? v.valueQuantity.code }
            : {}),
        };
      if (v.valueString !== undefined) return { value: v.valueString };
      if (v.valueInteger !== undefined) return { value: String(v.valueInteger) };
      if (v.valueBoolean !== undefined) return { value: v.valueBoolean ? 'Dương tính' : 'Âm tính' };
      const c = v.valueCodeableConcept;
      if (c) return { value: c.text ?? c.coding?.[0]?.display ?? c.coding?.[0]?.code ?? '' };
      return {};
    };
    const nameOf = (c: Coded | undefined) => c?.text ?? c?.coding?.find((x) => x.display)?.display;
    const itemCodeOf = (c: Coded | undefined) =>
      c?.coding?.find((x) => x.system === RESULT_ITEM_SYSTEM)?.code;
    const rows: ResultLine[] = [];
    for (const o of obs) {
      const resultAt =
        (o.issued as string | undefined) ??
        (o.effectiveDateTime as string | undefined) ??
        (o.meta as { lastUpdated?: string } | undefined)?.lastUpdated ??
        new Date().toISOString();
      const reader = ((o.performer ?? []) as { reference?: string }[])
        .map((p) => p.reference)
        .find((r) => r?.startsWith('Practitioner/'));
      const readerId = reader ? await this.cchnOf(reader, ctx) : undefined;
      const interp = ((o.interpretation ?? []) as Coded[]).map(nameOf).filter(Boolean).join('; ');
      const note = ((o.note ?? []) as { text?: string }[])
        .map((n) => n.text)
        .filter(Boolean)
        .join('\n');
      const common = {
        serviceCode,
        resultAt,
        ...(readerId ? { readerId } : {}),
        ...(interp ? { conclusion: interp } : {}),
        ...(note ? { description: note } : {}),
      };
      const parts = (o.component ?? []) as Valued[];
      for (const v of parts.length > 0 ? parts : [o as Valued]) {
        const code = itemCodeOf(v.code) ?? (parts.length > 0 ? undefined : itemCodeOf((o as Valued).code));
        const name = nameOf(v.code);
        rows.push({
          ...common,
          ...(code ? { itemCode: code } : {}),
          ...(name ? { itemName: name } : {}),
          ...valueOf(v),
        });
      }
    }
    return rows;
  }

  /**
   * XML14 from the visit's re-visit appointment (a ServiceRequest coded FOLLOW_UP_CODE, active or
   * completed): its letter number, when, and the doctor who gave it.
   */
  private async followUpOf(
    requests: FhirResource[],
    visitClinicianId: string,
    visitEnd: string,
    ctx: RequestContext,
    problems: ClaimProblem[],
  ): Promise<Appointment | undefined> {
    const sr = requests.find(
      (r) =>
        (r.status === 'active' || r.status === 'completed') &&
        ((r.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).some(
          (c) => c.system === FOLLOW_UP_CODE.system && c.code === FOLLOW_UP_CODE.code,
        ),
    );
    if (!sr) return undefined;
    const at = sr.occurrenceDateTime as string | undefined;
    // A date-time is needed (NGAY_HEN_KL has 12 digits): a bare date would make up the hour.
    if (!at || !/T\d{2}:\d{2}/.test(at)) {
      problems.push(
        problem(
          'XML14.NGAY_HEN_KL',
          'Giấy hẹn khám lại chưa ghi ngày giờ hẹn',
          'The re-visit appointment has no date and time',
        ),
      );
      return undefined;
    }
    const letterNumber =
      ((sr.identifier ?? []) as Ident[]).find((i) => i.system === FOLLOW_UP_LETTER_SYSTEM)?.value ??
      String(sr.id);
    const requester = (sr.requester as { reference?: string } | undefined)?.reference;
    const clinicianId =
      (requester?.startsWith('Practitioner/') ? await this.cchnOf(requester, ctx) : undefined) ??
      visitClinicianId;
    return {
      letterNumber,
      at,
      clinicianId,
      signedOn: vnDate((sr.authoredOn as string | undefined) ?? visitEnd),
    };
  }

  /** A practitioner's practising certificate number (MA_BAC_SI), if recorded. */
  private async cchnOf(ref: string, ctx: RequestContext): Promise<string | undefined> {
    const pr = await this.read('Practitioner', ref.split('/')[1] ?? '', ctx).catch(() => undefined);
    return ((pr?.identifier ?? []) as Ident[]).find((i) => i.system === CCHN_SYSTEM)?.value;
  }

  private patientOf(p: FhirResource, problems: ClaimProblem[]): Patient | undefined {
    const name = ((p.name ?? []) as { text?: string; family?: string; given?: string[] }[])[0];
    const fullName = name?.text ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
    const ids = (p.identifier ?? []) as Ident[];
    const nationalId = ids.find((i) => i.system === CCCD_SYSTEM)?.value;
    const addr = (
      (p.address ?? []) as {
        text?: string;
        line?: string[];
        city?: string;
        district?: string;
        state?: string;
      }[]
    )[0];
    const before = problems.length;
    if (!fullName)
      problems.push(problem('XML1.HO_TEN', 'Thiếu họ tên người bệnh', 'The patient has no name'));
    if (typeof p.birthDate !== 'string')
      problems.push(problem('XML1.NGAY_SINH', 'Thiếu ngày sinh', 'The patient has no birth date'));
    const codes = {
      nationality: ext(p, CLAIM_EXTENSIONS.nationality),
      ethnicity: ext(p, CLAIM_EXTENSIONS.ethnicity),
      occupation: ext(p, CLAIM_EXTENSIONS.occupation),
    };
    if (!codes.nationality)
      problems.push(
        problem('XML1.MA_QUOCTICH', 'Chưa ghi mã quốc tịch', 'The nationality code is not recorded'),
      );
    if (!codes.ethnicity)
      problems.push(
        problem('XML1.MA_DANTOC', 'Chưa ghi mã dân tộc', 'The ethnic group code is not recorded'),
      );
    if (!codes.occupation)
      problems.push(
        problem('XML1.MA_NGHE_NGHIEP', 'Chưa ghi mã nghề nghiệp', 'The occupation code is not recorded'),
      );
    const place = addr ? this.placeOf(addr.state, addr.city ?? addr.district) : undefined;
    if (!place)
      problems.push(
        problem(
          'XML1.MATINH_CU_TRU',
          'Địa chỉ không có tỉnh/xã trong danh mục hành chính hiện hành',
          'The address names no province and commune of the current list',
        ),
      );
    if (problems.length > before || !place) return undefined;
    const addressText =
      addr?.text ?? [...(addr?.line ?? []), addr?.city, addr?.state].filter(Boolean).join(', ');
    return {
      patientNumber: String(p.id),
      fullName,
      birth: { date: String(p.birthDate) },
      sex: p.gender === 'male' ? 'male' : p.gender === 'female' ? 'female' : 'undetermined',
      ...(nationalId ? { nationalId } : {}),
      nationality: codes.nationality!,
      ethnicity: codes.ethnicity!,
      occupation: codes.occupation!,
      address: { text: addressText, provinceCode: place.province, communeCode: place.commune },
    };
  }

  /** Province and commune codes of an address's names, from the administrative units in force. */
  placeOf(
    state: string | undefined,
    commune: string | undefined,
  ): { province: string; commune: string } | undefined {
    if (!state || !commune) return undefined;
    const bare = (s: string) =>
      fold(s)
        .replace(/^(tinh|thanh pho|tp\.?|xa|phuong|dac khu)\s+/, '')
        .trim();
    let units;
    try {
      units = this.terms.expand({ url: `${ADMIN_UNITS_SYSTEM}?fhir_vs`, filter: bare(commune) });
    } catch {
      return undefined;
    }
    const provinces = this.terms.expand({ url: `${ADMIN_UNITS_SYSTEM}?fhir_vs`, filter: bare(state) });
    const province = provinces.contains.find(
      (c) => c.properties.level === 'province' && bare(c.vi) === bare(state),
    );
    if (!province) return undefined;
    const hit = units.contains.find(
      (c) => c.properties.level === 'commune' && c.parent === province.code && bare(c.vi) === bare(commune),
    );
    return hit ? { province: province.code, commune: hit.code } : undefined;
  }

  private async coverageOf(
    p: FhirResource,
    at: string,
    ctx: RequestContext,
    problems: ClaimProblem[],
  ): Promise<Coverage> {
    const covs = (await this.search('Coverage', [['beneficiary', `Patient/${String(p.id)}`]], ctx)).filter(
      (c) => c.status === 'active',
    );
    const day = vnDate(at);
    const inForce = covs.find((c) => {
      const per = (c.period ?? {}) as { start?: string; end?: string };
      return (!per.start || per.start.slice(0, 10) <= day) && (!per.end || per.end.slice(0, 10) >= day);
    });
    if (!inForce) {
      // A card number on the Patient without a Coverage: not enough to claim — say so, never invent the rest.
      if (((p.identifier ?? []) as Ident[]).some((i) => i.system === BHYT_SYSTEM))
        problems.push(
          problem(
            'XML1.MA_THE_BHYT',
            'Có số thẻ BHYT nhưng chưa ghi thẻ còn hạn (nơi ĐKBĐ, hạn thẻ)',
            'A card number is recorded but no card in force (registered facility, validity)',
          ),
        );
      return { kind: 'none' };
    }
    const number =
      ((inForce.identifier ?? []) as Ident[]).find((i) => i.system === BHYT_SYSTEM)?.value ??
      String(inForce.subscriberId ?? '');
    const registered = ext(inForce, CLAIM_EXTENSIONS.registeredFacility);
    const per = (inForce.period ?? {}) as { start?: string; end?: string };
    const percent = this.config.benefitPercent(number, inForce as { class?: unknown });
    if (!number || !registered || !per.start || !per.end || percent === undefined) {
      problems.push(
        problem(
          'XML1.MA_THE_BHYT',
          'Thẻ BHYT thiếu số thẻ, nơi ĐKBĐ, hạn thẻ hoặc mức hưởng',
          'The card lacks its number, registered facility, validity or benefit level',
        ),
      );
      return { kind: 'none' };
    }
    return {
      kind: 'card',
      cards: [
        {
          number,
          registeredFacility: registered,
          validFrom: per.start.slice(0, 10),
          validTo: per.end.slice(0, 10),
        },
      ],
      benefitPercent: percent,
    };
  }

  private async diagnosesOf(
    enc: FhirResource,
    encounterId: string,
    sex: Patient['sex'] | undefined,
    ctx: RequestContext,
    problems: ClaimProblem[],
  ): Promise<{ primary: CodedName; secondary: CodedName[] } | undefined> {
    const conditions = await this.search('Condition', [['encounter', `Encounter/${encounterId}`]], ctx);
    const rank = new Map(
      ((enc.diagnosis ?? []) as { condition?: { reference?: string }; rank?: number }[]).map((d) => [
        d.condition?.reference?.split('/')[1] ?? '',
        d.rank ?? 99,
      ]),
    );
    const ordered = [...conditions].sort(
      (a, b) => (rank.get(String(a.id)) ?? 99) - (rank.get(String(b.id)) ?? 99),
    );
    const coded: CodedName[] = [];
    for (const [i, c] of ordered.entries()) {
      const coding = (
        (c.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []
      ).find((x) => x.system === ICD10_SYSTEM);
      if (!coding?.code) continue;
      const v = this.terms.validateCode({
        system: ICD10_SYSTEM,
        code: coding.code,
        ...(i === 0 ? { usage: 'primary-diagnosis' as const } : {}),
        ...(sex === 'male' || sex === 'female' ? { sex } : {}),
      });
      if (!v.result) {
        problems.push({
          field: i === 0 ? 'XML1.MA_BENH_CHINH' : 'XML1.MA_BENH_KT',
          message: v.message ?? coding.code,
        });
        continue;
      }
      coded.push({ code: coding.code, name: v.concept?.vi || v.display || coding.code });
    }
    if (coded.length === 0) {
      problems.push(
        problem(
          'XML1.MA_BENH_CHINH',
          'Lượt khám chưa có chẩn đoán ICD-10 hợp lệ',
          'The visit has no valid ICD-10 diagnosis',
        ),
      );
      return undefined;
    }
    return { primary: coded[0]!, secondary: coded.slice(1) };
  }

  private async clinicianId(
    ref: string | undefined,
    ctx: RequestContext,
    problems: ClaimProblem[],
  ): Promise<string | undefined> {
    const pr = ref
      ? await this.read('Practitioner', ref.split('/')[1] ?? '', ctx).catch(() => undefined)
      : undefined;
    const id = ((pr?.identifier ?? []) as Ident[]).find((i) => i.system === CCHN_SYSTEM)?.value;
    if (!id)
      problems.push(
        problem(
          'XML2.MA_BAC_SI',
          'Bác sĩ chưa có số chứng chỉ hành nghề',
          'The doctor has no practising certificate number',
        ),
      );
    return id;
  }
}
