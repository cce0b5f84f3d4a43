import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { triageLevelOf } from '@mekong/care';
import { APP_CONFIG, type AppConfig, DomainError } from '@mekong/common';
import {
  type AccessContext,
  AccessService,
  AuditService,
  type FhirResource,
  FhirStore,
  parseSearchRequest,
  SearchService,
} from '@mekong/health-record';
import type { EconsultCaseListItem, EconsultCaseView, EconsultVital } from '@mekong/contracts';
import { JobQueue } from '@mekong/notify';
import type { EntityManager } from 'typeorm';
import {
  type CasePriority,
  type CaseTriage,
  type CaseUpload,
  type EconsultCase,
  EconsultCaseRepository,
} from './econsult-case.repository';
import { ECONSULT, EconsultDuty, SNOMED } from './econsult-duty';
import { EconsultNotices } from './econsult-notices';
import type { CreateCaseDto, ReplyDto } from './econsult.dto';

export const ESCALATION_QUEUE = 'econsult.escalate';
export interface EscalationJob {
  caseId: string;
  /** The number of escalations the case had when this job was scheduled (a stale job does nothing). */
  round: number;
}

const NEWS2_CODE = '1104051000000101';
/** A NEWS2 score or a triage older than this is not the patient's state when the case is sent. */
const RECENT_MS = 24 * 3600_000;
const RANK: Record<CasePriority, number> = { stat: 0, asap: 1, urgent: 2, routine: 3 };

/** A case in a list: its workflow state and whose it is (the shared contract). */
export type CaseListItem = EconsultCaseListItem;

/** What a caller gets of a case: its workflow state, the question, vitals, documents and the reply. */
export type CaseView = EconsultCaseView;

const fail = (code: string, status: number, en: string, vi: string): DomainError =>
  new DomainError(code, status, `${en} / ${vi}`);
const notFound = (): DomainError =>
  fail('ECONSULT.NOT_FOUND', 404, 'No such e-consultation', 'Không có yêu cầu tư vấn này');

function nameOf(content: unknown): string | undefined {
  const n = (content as { name?: { text?: string; family?: string; given?: string[] }[] } | null)?.name?.[0];
  if (!n) return undefined;
  return n.text ?? ([n.family, ...(n.given ?? [])].filter(Boolean).join(' ') || undefined);
}

interface ObservationLike {
  code?: { coding?: { code?: string; display?: string }[]; text?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; unit?: string };
  valueInteger?: number;
  valueCodeableConcept?: { text?: string; coding?: { display?: string }[] };
  component?: { valueQuantity?: { value?: number; unit?: string } }[];
}

const quantityText = (q?: { value?: number; unit?: string }): string | undefined =>
  q?.value === undefined ? undefined : `${q.value}${q.unit ? ` ${q.unit}` : ''}`;

/** An attached Observation as text (a panel's components joined: `120/80 mmHg`). */
function vitalOf(id: string, content: Record<string, unknown>): EconsultVital {
  const o = content as ObservationLike;
  const parts = (o.component ?? []).map((c) => c.valueQuantity).filter((q) => q?.value !== undefined);
  const value =
    parts.length > 0
      ? `${parts.map((q) => q?.value).join('/')}${parts[0]?.unit ? ` ${parts[0].unit}` : ''}`
      : (quantityText(o.valueQuantity) ??
        (o.valueInteger !== undefined ? String(o.valueInteger) : undefined) ??
        o.valueCodeableConcept?.text ??
        o.valueCodeableConcept?.coding?.[0]?.display);
  const coding = o.code?.coding?.[0];
  const display = o.code?.text ?? coding?.display;
  return {
    id,
    ...(coding?.code ? { code: coding.code } : {}),
    ...(display ? { display } : {}),
    ...(value !== undefined ? { value } : {}),
    ...(o.effectiveDateTime ? { at: o.effectiveDateTime } : {}),
  };
}

/** How the caller relates to a case (undefined: not at all, the case is hidden as missing). */
export type CaseRole = 'sender' | 'patient' | 'assignee' | 'on-duty';

/**
 * Store-and-forward consultations (docs/econsult.md): a station sends a case (ServiceRequest, Task,
 * Consent in the patient's record; the workflow in econsult's own table) to a specialty of its
 * referral hospital; that specialty's clinicians on duty see it in their worklist, one takes it and
 * replies (a Communication that completes the Task); a case unanswered by its deadline escalates.
 */
@Injectable()
export class EconsultService {
  constructor(
    private readonly cases: EconsultCaseRepository,
    private readonly duty: EconsultDuty,
    private readonly store: FhirStore,
    private readonly search: SearchService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly notices: EconsultNotices,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  deadline(priority: CasePriority, from = new Date()): Date {
    return new Date(from.getTime() + this.config.econsult.deadlineMinutes[priority] * 60_000);
  }

  /** How `p` relates to case `c` now (the duty roster is read at this moment). */
  async roleIn(c: EconsultCase, p: Principal, em?: EntityManager): Promise<CaseRole | undefined> {
    if ((p.role === 'clinic-staff' || p.role === 'practitioner') && p.organization === c.senderOrg)
      return 'sender';
    if (p.role === 'patient') return p.patient === c.patientId ? 'patient' : undefined;
    if (p.role !== 'practitioner' || !p.fhirUser?.startsWith('Practitioner/')) return undefined;
    if (c.assignee) return c.assignee === p.fhirUser ? 'assignee' : undefined;
    if (c.status !== 'requested') return undefined;
    const run = async (m: EntityManager): Promise<string[]> =>
      this.duty.onDuty(m, c.hospital, c.specialty, new Date());
    const onDuty = em ? await run(em) : await this.store.transaction(run);
    return onDuty.includes(p.fhirUser) ? 'on-duty' : undefined;
  }

  /** The case if the caller may see it, else 404 (hidden exactly like a missing one). */
  async visible(id: string, p: Principal): Promise<{ c: EconsultCase; role: CaseRole }> {
    const c = await this.cases.get(id);
    const role = c ? await this.roleIn(c, p) : undefined;
    if (!c || !role) throw notFound();
    return { c, role };
  }

  async create(dto: CreateCaseDto, p: Principal, address?: string): Promise<CaseView> {
    if (!p.organization?.startsWith('Organization/') || !p.fhirUser?.startsWith('Practitioner/'))
      throw fail(
        'ECONSULT.NO_FACILITY',
        403,
        "A case is sent from a facility's clinician account",
        'Yêu cầu tư vấn được gửi từ tài khoản nhân viên y tế của cơ sở',
      );
    const access = await this.access.contextFor(p, address);
    if (!access.canReachPatient(dto.patient))
      throw fail('ECONSULT.NO_PATIENT', 404, 'No such patient', 'Không có bệnh nhân này');
    const sender = p.fhirUser;
    const senderOrg = p.organization;
    const id = randomUUID();
    const c = await this.store.transaction(async (em, pending) => {
      const org = await this.store.current(em, 'Organization', senderOrg.slice(13), ECONSULT);
      const hospital = (org?.content as { partOf?: { reference?: string } } | null | undefined)?.partOf
        ?.reference;
      if (!org || org.deleted || !hospital?.startsWith('Organization/'))
        throw fail(
          'ECONSULT.NO_REFERRAL_HOSPITAL',
          422,
          'Your facility has no referral hospital recorded (Organization.partOf)',
          'Cơ sở chưa có bệnh viện tuyến trên (Organization.partOf)',
        );
      for (const o of new Set(dto.observations ?? [])) {
        const v = await this.store.current(em, 'Observation', o, access);
        const subject = (v?.content as { subject?: { reference?: string } } | null | undefined)?.subject
          ?.reference;
        if (!v || v.deleted || subject !== `Patient/${dto.patient}`)
          throw fail(
            'ECONSULT.NOT_THE_PATIENTS_OBSERVATION',
            422,
            `Observation/${o} is not an observation of this patient`,
            `Observation/${o} không phải kết quả của bệnh nhân này`,
          );
      }
      const scored = await this.latestNews2(em, dto.patient, access);
      const triaged = await this.latestTriage(em, dto.patient, access);
      const news2 = scored?.score;
      const triage = triaged?.level;
      // LOCAL POLICY (docs/econsult.md): NEWS2 >= 7 or an emergency triage: stat; NEWS2 5-6: asap;
      // an urgent triage: urgent. The sender's priority is never lowered.
      const raisedBy: CasePriority[] = [
        ...(news2 !== undefined && news2 >= 7 ? (['stat'] as const) : []),
        ...(news2 !== undefined && news2 >= 5 && news2 < 7 ? (['asap'] as const) : []),
        ...(triage === 'emergency' ? (['stat'] as const) : []),
        ...(triage === 'urgent' ? (['urgent'] as const) : []),
      ];
      const priority = [dto.priority, ...raisedBy].sort((a, b) => RANK[a] - RANK[b])[0] as CasePriority;
      const now = new Date();
      const dueAt = this.deadline(priority, now);
      const patient = { reference: `Patient/${dto.patient}` };
      const consentId = randomUUID();
      const serviceRequestId = randomUUID();
      const taskId = randomUUID();
      const write = (type: string, resourceId: string, body: Record<string, unknown>) =>
        this.store.create(em, type, { resourceType: type, ...body }, { id: resourceId, pending, access });
      await write('Consent', consentId, {
        status: 'active',
        scope: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'treatment' }],
        },
        category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }], text: 'E-consultation' }],
        patient,
        dateTime: now.toISOString(),
        performer: [patient],
        organization: [{ reference: senderOrg }],
        policyRule: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }],
          text: 'Đồng ý chia sẻ ca bệnh với bác sĩ chuyên khoa tuyến trên / Agreed to share the case with the referral specialist',
        },
      });
      await write('ServiceRequest', serviceRequestId, {
        status: 'active',
        intent: 'order',
        priority,
        category: [{ text: 'Tư vấn từ xa không đồng bộ / Store-and-forward e-consultation' }],
        code: { text: 'E-consultation' },
        subject: patient,
        authoredOn: now.toISOString(),
        requester: { reference: sender },
        performerType: { coding: [{ system: SNOMED, code: dto.specialty }] },
        performer: [{ reference: hospital }],
        reasonCode: [{ text: dto.question }],
        supportingInfo: [
          { reference: `Consent/${consentId}` },
          ...(dto.observations ?? []).map((o) => ({ reference: `Observation/${o}` })),
          ...(scored ? [{ reference: `Observation/${scored.id}` }] : []),
          ...(triaged ? [{ reference: `RiskAssessment/${triaged.id}` }] : []),
        ],
      });
      await write('Task', taskId, {
        status: 'requested',
        intent: 'order',
        priority,
        code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
        focus: { reference: `ServiceRequest/${serviceRequestId}` },
        for: patient,
        authoredOn: now.toISOString(),
        lastModified: now.toISOString(),
        requester: { reference: sender },
        owner: { reference: hospital },
        restriction: { period: { end: dueAt.toISOString() } },
      });
      const row: Omit<EconsultCase, 'status' | 'escalations' | 'createdAt'> = {
        id,
        patientId: dto.patient,
        serviceRequestId,
        taskId,
        sender,
        senderAccount: p.subject,
        senderOrg,
        hospital,
        specialty: dto.specialty,
        priority,
        ...(news2 !== undefined ? { news2 } : {}),
        ...(triage ? { triage } : {}),
        dueAt: dueAt.toISOString(),
      };
      await this.cases.insert(em, row);
      const created = (await this.cases.get(id, em)) as EconsultCase;
      await this.notices.send(em, created, 'new', await this.duty.onDuty(em, hospital, dto.specialty, now));
      await this.jobs.send(ESCALATION_QUEUE, { caseId: id, round: 0 } satisfies EscalationJob, {
        em,
        startAfter: dueAt,
        key: `econsult-escalate:${id}:0`,
      });
      return created;
    });
    return this.view(c);
  }

  /** The latest NEWS2 score of the last 24 hours the sender can see, if any. */
  private async latestNews2(
    em: EntityManager,
    patient: string,
    access: AccessContext,
  ): Promise<{ id: string; score: number } | undefined> {
    const { matches } = await this.search.search(
      'Observation',
      parseSearchRequest([
        ['patient', `Patient/${patient}`],
        ['code', `${SNOMED}|${NEWS2_CODE}`],
        ['date', `ge${new Date(Date.now() - RECENT_MS).toISOString()}`],
        ['_count', '100'],
      ]),
      { lenient: false, em, caller: access },
    );
    const latest = (matches as (FhirResource & { effectiveDateTime?: string; valueInteger?: number })[])
      .filter((o) => typeof o.valueInteger === 'number')
      .sort((a, b) => String(b.effectiveDateTime ?? '').localeCompare(String(a.effectiveDateTime ?? '')))[0];
    return latest?.id && latest.valueInteger !== undefined
      ? { id: latest.id, score: latest.valueInteger }
      : undefined;
  }

  /** The latest pre-visit triage (care's RiskAssessment) of the last 24 hours the sender can see, if any. */
  private async latestTriage(
    em: EntityManager,
    patient: string,
    access: AccessContext,
  ): Promise<{ id: string; level: CaseTriage } | undefined> {
    const { matches } = await this.search.search(
      'RiskAssessment',
      parseSearchRequest([
        ['patient', `Patient/${patient}`],
        ['date', `ge${new Date(Date.now() - RECENT_MS).toISOString()}`],
        ['_count', '100'],
      ]),
      { lenient: false, em, caller: access },
    );
    const latest = (matches as (FhirResource & { occurrenceDateTime?: string })[])
      .map((r) => ({ r, level: triageLevelOf(r as Record<string, unknown>) }))
      .filter((x): x is { r: FhirResource & { occurrenceDateTime?: string }; level: CaseTriage } => !!x.level)
      .sort((a, b) =>
        String(b.r.occurrenceDateTime ?? '').localeCompare(String(a.r.occurrenceDateTime ?? '')),
      )[0];
    return latest?.r.id ? { id: latest.r.id, level: latest.level } : undefined;
  }

  /**
   * The caller's cases: a clinician's worklist (unassigned cases of the specialties they are on duty
   * for, and those assigned to them), a facility's sent cases, a patient's own; most urgent first.
   */
  async list(p: Principal): Promise<CaseListItem[]> {
    const seen = new Map<string, EconsultCase>();
    const add = (rows: EconsultCase[]): void => rows.forEach((r) => seen.has(r.id) || seen.set(r.id, r));
    if (p.role === 'patient') add(p.patient ? await this.cases.about([p.patient]) : []);
    if (p.role === 'practitioner' && p.fhirUser?.startsWith('Practitioner/')) {
      const fhirUser = p.fhirUser;
      const queues = await this.store.transaction((em) => this.duty.queuesOf(em, fhirUser, new Date()));
      add(await this.cases.worklist(fhirUser, queues));
    }
    if ((p.role === 'clinic-staff' || p.role === 'practitioner') && p.organization)
      add(await this.cases.sentBy(p.organization));
    const rows = [...seen.values()];
    if (rows.length === 0) return [];
    // The patient's name, read under econsult's reason (the caller's read is audited by the route).
    return this.store.transaction(async (em) => {
      const names = new Map<string, string | undefined>();
      const out: CaseListItem[] = [];
      for (const c of rows) {
        if (!names.has(c.patientId)) {
          const v = await this.store.current(em, 'Patient', c.patientId, ECONSULT);
          names.set(c.patientId, v && !v.deleted ? nameOf(v.content) : undefined);
        }
        const name = names.get(c.patientId);
        out.push({ ...c, patient: { id: c.patientId, ...(name ? { name } : {}) } });
      }
      return out;
    });
  }

  /** The case as its viewers read it: record content read under econsult's reason (audited so). */
  async view(c: EconsultCase): Promise<CaseView> {
    const uploads = await this.cases.uploadsOf(c.id);
    return this.store.transaction(async (em) => {
      const read = async (type: string, rid: string): Promise<Record<string, unknown> | undefined> => {
        const v = await this.store.current(em, type, rid, ECONSULT);
        return v && !v.deleted ? (v.content as Record<string, unknown>) : undefined;
      };
      const patient = await read('Patient', c.patientId);
      const sr = await read('ServiceRequest', c.serviceRequestId);
      const task = await read('Task', c.taskId);
      const reply = c.replyCommunication ? await read('Communication', c.replyCommunication) : undefined;
      // The vitals the sender attached (supportingInfo), as text: the specialist reads the case, not the record.
      const vitals: EconsultVital[] = [];
      for (const ref of (sr?.supportingInfo as { reference?: string }[] | undefined) ?? []) {
        const [type, rid] = (ref.reference ?? '').split('/');
        if (type !== 'Observation' || !rid) continue;
        const o = await read('Observation', rid);
        if (o) vitals.push(vitalOf(rid, o));
      }
      const name = nameOf(patient);
      const names: Record<string, string> = {};
      for (const ref of new Set([c.sender, c.senderOrg, c.hospital, c.assignee, c.answeredBy])) {
        const [type, rid] = (ref ?? '').split('/');
        if ((type !== 'Practitioner' && type !== 'Organization') || !rid) continue;
        const content = await read(type, rid);
        const n = typeof content?.name === 'string' ? content.name : nameOf(content);
        if (n) names[ref as string] = n;
      }
      return {
        names,
        ...c,
        patient: { id: c.patientId, ...(name ? { name } : {}) },
        ...(sr ? { question: (sr.reasonCode as { text?: string }[] | undefined)?.[0]?.text } : {}),
        ...(task ? { taskStatus: task.status as string } : {}),
        vitals,
        documents: uploads
          .filter((u): u is CaseUpload & { documentId: string } => u.status === 'stored' && !!u.documentId)
          .map((u) => ({
            id: u.id,
            documentReference: `DocumentReference/${u.documentId}`,
            title: u.filename,
            contentType: u.contentType,
            size: u.size,
            sha256: u.sha256,
          })),
        ...(reply
          ? {
              reply: {
                kind: c.replyKind,
                text: (reply.payload as { contentString?: string }[] | undefined)?.[0]?.contentString,
                by: c.answeredBy,
                at: c.answeredAt,
              },
            }
          : {}),
      };
    });
  }

  /** A clinician on duty for the case's specialty takes it: it leaves the others' worklists. */
  async claim(id: string, p: Principal, address?: string): Promise<CaseView> {
    const c = await this.store.transaction(async (em) => {
      const c = await this.cases.get(id, em, true);
      const role = c ? await this.roleIn(c, p, em) : undefined;
      if (!c || !role) throw notFound();
      if (role === 'assignee') return c;
      if (role !== 'on-duty') throw this.specialistOnly();
      await this.assign(em, c, p.fhirUser as string, 'in-progress');
      // The specialist's own act, in the patient's trail beside the server's write of the Task.
      const access = await this.access.contextFor(p, address, em);
      await this.audit.record(access.audit('U', 'update', `Task/${c.taskId}`, [c.patientId]), em);
      return (await this.cases.get(id, em)) as EconsultCase;
    });
    return this.view(c);
  }

  private specialistOnly(): DomainError {
    return fail(
      'ECONSULT.SPECIALIST_ONLY',
      403,
      "Only the receiving specialty's doctor on duty (or the case's assignee) does this",
      'Chỉ bác sĩ chuyên khoa đang trực (hoặc bác sĩ nhận ca) được thực hiện',
    );
  }

  /** Assigns the case and makes the Task's owner that practitioner (written under econsult's reason). */
  async assign(em: EntityManager, c: EconsultCase, practitioner: string, status: string): Promise<void> {
    await this.cases.assign(em, c.id, practitioner);
    await this.updateTask(em, c, { status, owner: { reference: practitioner } });
  }

  async updateTask(em: EntityManager, c: EconsultCase, changes: Record<string, unknown>): Promise<void> {
    const task = await this.store.current(em, 'Task', c.taskId, ECONSULT, { forUpdate: true });
    if (!task || task.deleted) return;
    await this.store.update(
      em,
      'Task',
      c.taskId,
      { ...(task.content as object), ...changes, lastModified: new Date().toISOString() },
      { access: ECONSULT },
    );
  }

  /**
   * The specialist's reply (advice, diagnosis, prescription, see in person, book a video visit): a
   * Communication from them to the sender and the patient, the Task completed with it as output,
   * the ServiceRequest completed; the sender and the patient are told.
   */
  async reply(id: string, dto: ReplyDto, p: Principal, address?: string): Promise<CaseView> {
    const c = await this.store.transaction(async (em, pending) => {
      const c = await this.cases.get(id, em, true);
      const role = c ? await this.roleIn(c, p, em) : undefined;
      if (!c || !role) throw notFound();
      if (role !== 'assignee' && role !== 'on-duty') throw this.specialistOnly();
      if (c.status === 'completed')
        throw fail(
          'ECONSULT.ALREADY_ANSWERED',
          409,
          'This case was already answered',
          'Ca này đã được trả lời',
        );
      const me = p.fhirUser as string;
      const now = new Date().toISOString();
      const communicationId = randomUUID();
      await this.store.create(
        em,
        'Communication',
        {
          resourceType: 'Communication',
          status: 'completed',
          basedOn: [{ reference: `ServiceRequest/${c.serviceRequestId}` }],
          partOf: [{ reference: `Task/${c.taskId}` }],
          category: [{ text: 'Trả lời tư vấn từ xa / E-consultation reply' }],
          topic: {
            coding: [{ system: 'https://fhir.mekong.health/CodeSystem/econsult-reply', code: dto.kind }],
          },
          subject: { reference: `Patient/${c.patientId}` },
          sent: now,
          sender: { reference: me },
          recipient: [{ reference: c.sender }, { reference: `Patient/${c.patientId}` }],
          payload: [{ contentString: dto.text }],
        },
        { id: communicationId, pending, access: ECONSULT },
      );
      await this.updateTask(em, c, {
        status: 'completed',
        owner: { reference: me },
        businessStatus: {
          coding: [{ system: 'https://fhir.mekong.health/CodeSystem/econsult-reply', code: dto.kind }],
        },
        output: [
          {
            type: { text: dto.kind },
            valueReference: { reference: `Communication/${communicationId}` },
          },
        ],
      });
      const sr = await this.store.current(em, 'ServiceRequest', c.serviceRequestId, ECONSULT, {
        forUpdate: true,
      });
      if (sr && !sr.deleted)
        await this.store.update(
          em,
          'ServiceRequest',
          c.serviceRequestId,
          { ...(sr.content as object), status: 'completed' },
          { access: ECONSULT },
        );
      if (!c.assignee) await this.cases.assign(em, c.id, me);
      await this.cases.complete(em, c.id, me, dto.kind, communicationId);
      const done = (await this.cases.get(id, em)) as EconsultCase;
      await this.notices.send(em, done, 'answered', [c.sender, `Patient/${c.patientId}`]);
      // The specialist's own write, in the patient's trail beside the server's.
      const access = await this.access.contextFor(p, address, em);
      await this.audit.record(
        access.audit('C', 'create', `Communication/${communicationId}/_history/1`, [c.patientId]),
        em,
      );
      return done;
    });
    return this.view(c);
  }
}
