import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { stableUuid } from '@mekong/common';
import {
  type FhirResource,
  FhirStore,
  type RecordWrite,
  recordedBy,
  SearchService,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { News2AlertRoutingService } from '../alerts/news2-alert-routing.service';
import { CARE_ZONE } from '../common/dates';
import { searchAll } from '../common/record-search';
import { NEWS2_FLAG_SCORE_EXTENSION, news2FlagId } from './news2-flag';
import { chooseSpo2Scale, type Spo2GoalLike, type Spo2ScaleChoice } from './news2-scale';
import {
  type Acvpu,
  news2,
  type News2Input,
  type News2Parameter,
  type News2Response,
  news2Response,
  type News2Result,
  NEWS2_SNOMED,
  toObservation,
} from './news2';

/** The alert's call to action per RCP Chart 4 response (only alerting responses reach here). */
const RESPONSE_TEXT: Record<Exclude<News2Response, 'routine' | 'assess'>, { vi: string; en: string }> = {
  emergency: {
    vi: 'Cấp cứu: gọi 115, chuyển viện cấp cứu; theo dõi liên tục.',
    en: 'Emergency: call 115, emergency transfer to hospital; continuous monitoring.',
  },
  urgent: {
    vi: 'Khẩn: bác sĩ đánh giá ngay, cân nhắc chuyển tuyến; theo dõi ít nhất mỗi giờ.',
    en: 'Urgent: a doctor assesses now, consider referral; monitor at least hourly.',
  },
  'urgent-review': {
    vi: 'Cần bác sĩ đánh giá khẩn; theo dõi ít nhất mỗi giờ.',
    en: 'Urgent review by a doctor; monitor at least hourly.',
  },
};

/**
 * NEWS2 kept current in the record (docs/care.md § Early warning (NEWS2)): when vital-sign
 * Observations are written, the score of that set is written in the same transaction as an
 * Observation with a stable id per patient + effective time, an alert raises (or a later normal
 * score clears) one Flag per patient, and the responsible practitioners are notified.
 */

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

/** The vitals that feed NEWS2 (LOINC), as the station's form records them (apps/portal/src/station/vitals.ts). */
export const NEWS2_VITALS = {
  respirationRate: '9279-1',
  spo2: '59408-5',
  /** Also read: 2708-6 (SpO2 arterial), the older code some devices send. */
  spo2Alt: '2708-6',
  bpPanel: '85354-9',
  systolicBp: '8480-6',
  pulse: '8867-4',
  temperature: '8310-5',
  consciousness: '67775-7',
  /** Supplemental oxygen: inhaled O2 concentration (%), > 21 % = on oxygen, ≤ 21 % = air. */
  inhaledO2Concentration: '3150-0',
  /** Supplemental oxygen: inhaled O2 flow rate (L/min), > 0 = on oxygen, 0 = air. */
  inhaledO2Flow: '3151-8',
} as const;
const VITAL_CODES: ReadonlySet<string> = new Set(Object.values(NEWS2_VITALS));

/** The set scored together: the patient's vitals taken at most this long before the newest one. */
export const NEWS2_WINDOW_MINUTES = 15;
/** Parameters an observation set needs before NEWS2 is computed for it (see compute()). */
export const NEWS2_MIN_PARAMETERS = 2;

/** ACVPU as SNOMED CT (A, V, P, U as the station records them; C = acute confusion). */
const ACVPU_SNOMED: Record<string, Acvpu> = {
  '248234008': 'A',
  '130987000': 'C',
  '300202002': 'V',
  '450847001': 'P',
  '422768004': 'U',
};

/** Pregnancy: SNOMED 77386006 as an active Condition, or as the latest LOINC 82810-3 "Pregnancy status". */
const PREGNANT = '77386006';
const PREGNANCY_STATUS = '82810-3';

export const NEWS2_FLAG_SYSTEM = 'https://fhir.mekong.health/CodeSystem/care-flag';
/** Tags a NEWS2 Observation scored from values the patient recorded themselves (`self-reported`). */
export const NEWS2_BASIS_SYSTEM = 'https://fhir.mekong.health/CodeSystem/news2-basis';
export const NEWS2_FLAG_SOURCE_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/news2-observation';

/** The NEWS2 Observation of a patient's vitals taken at `effective` (a recomputation is a new version). */
export function news2ObservationId(patientId: string, effective: string): string {
  return stableUuid(`news2|${patientId}|${new Date(effective).toISOString()}`);
}

interface Obs extends FhirResource {
  id: string;
  status?: string;
  code?: { coding?: { system?: string; code?: string }[]; text?: string };
  subject?: { reference?: string };
  effectiveDateTime?: string;
  valueQuantity?: { value?: number; code?: string; unit?: string };
  valueCodeableConcept?: { coding?: { system?: string; code?: string }[]; text?: string };
  component?: {
    code?: { coding?: { system?: string; code?: string }[] };
    valueQuantity?: { value?: number };
  }[];
}

const codesOf = (c: Obs['code']): string[] => (c?.coding ?? []).map((x) => x.code ?? '');
const isNews2 = (o: Obs): boolean => codesOf(o.code).includes(NEWS2_SNOMED.total.code);
const isVital = (o: Obs): boolean =>
  !isNews2(o) &&
  codesOf(o.code).some((c) => VITAL_CODES.has(c)) &&
  !['entered-in-error', 'cancelled'].includes(String(o.status));

/** The server derives NEWS2 scores and Flags itself: audited under this reason. */
const NEWS2 = SystemReason.of(SYSTEM_REASONS.news2);

@Injectable()
export class EarlyWarningService implements OnModuleInit {
  private readonly logger = new Logger('EarlyWarning');
  constructor(
    private readonly store: FhirStore,
    /** Who is told (on call, referral hospital), acknowledgement and escalation. */
    private readonly alerts: News2AlertRoutingService,
    /** The record's search engine, always called with the writing `em`. */
    private readonly search: SearchService,
  ) {}

  onModuleInit(): void {
    this.store.observe({
      name: 'care.news2',
      types: ['Observation'],
      afterWrites: (em, writes) => this.afterWrites(em, writes),
    });
  }

  private async afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void> {
    // Only vital signs trigger; the NEWS2 Observation itself (and deletions) never do: no loops.
    // Each set remembers the facility whose staff recorded it: they are with the patient now.
    const sets = new Map<string, string | undefined>();
    for (const w of writes) {
      const o = w.content as Obs | null;
      if (!o || !isVital(o)) continue;
      const patient = o.subject?.reference;
      const at = o.effectiveDateTime;
      if (!patient?.startsWith('Patient/') || !at || Number.isNaN(Date.parse(at))) continue;
      const key = `${patient.slice(8)}|${new Date(at).toISOString()}`;
      sets.set(key, sets.get(key) ?? w.author?.organization);
    }
    for (const [key, facility] of [...sets.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [patientId, at] = key.split('|') as [string, string];
      await this.compute(em, patientId, at, facility);
    }
  }

  private find(em: EntityManager, type: string, params: [string, string][]): Promise<FhirResource[]> {
    return searchAll(this.search, em, type, params, NEWS2);
  }

  /**
   * Scores the patient's vitals of the window ending at `at` and writes the result (and the alert,
   * also to `facility`, the `Organization/…` whose staff recorded the vitals).
   */
  async compute(em: EntityManager, patientId: string, at: string, facility?: string): Promise<void> {
    const end = new Date(at);
    const start = new Date(end.getTime() - NEWS2_WINDOW_MINUTES * 60_000);
    const patientRef = `Patient/${patientId}`;
    const observations = (
      (await this.find(em, 'Observation', [
        ['patient', patientRef],
        ['date', `ge${start.toISOString()}`],
        ['date', `le${end.toISOString()}`],
      ])) as Obs[]
    )
      .filter(isVital)
      // Latest first: each parameter takes the newest value of the window.
      .sort((a, b) => Date.parse(b.effectiveDateTime ?? '') - Date.parse(a.effectiveDateTime ?? ''));

    const input: Omit<News2Input, 'ageYears' | 'pregnant'> = { spo2Scale: 1 };
    const from: Partial<Record<News2Parameter, string>> = {};
    const take = (p: News2Parameter, o: Obs, set: () => void): void => {
      if (from[p] !== undefined) return;
      set();
      from[p] = `Observation/${o.id}`;
    };
    for (const o of observations) {
      const codes = codesOf(o.code);
      const value = o.valueQuantity?.value;
      const num = typeof value === 'number' ? value : undefined;
      if (codes.includes(NEWS2_VITALS.respirationRate) && num !== undefined)
        take('respirationRate', o, () => (input.respirationRate = num));
      if ((codes.includes(NEWS2_VITALS.spo2) || codes.includes(NEWS2_VITALS.spo2Alt)) && num !== undefined)
        take('spo2', o, () => (input.spo2 = num));
      if (codes.includes(NEWS2_VITALS.pulse) && num !== undefined)
        take('pulse', o, () => (input.pulse = num));
      if (codes.includes(NEWS2_VITALS.temperature) && num !== undefined) {
        const unit = o.valueQuantity?.code ?? o.valueQuantity?.unit;
        const celsius = unit === '[degF]' ? ((num - 32) * 5) / 9 : num;
        take('temperature', o, () => (input.temperature = celsius));
      }
      const systolic =
        codes.includes(NEWS2_VITALS.systolicBp) && num !== undefined
          ? num
          : codes.includes(NEWS2_VITALS.bpPanel)
            ? o.component?.find((c) => codesOf(c.code).includes(NEWS2_VITALS.systolicBp))?.valueQuantity
                ?.value
            : undefined;
      if (typeof systolic === 'number') take('systolicBp', o, () => (input.systolicBp = systolic));
      if (codes.includes(NEWS2_VITALS.consciousness)) {
        const cc = o.valueCodeableConcept;
        const level =
          (cc?.coding ?? [])
            .map((c) => (c.system === SNOMED ? ACVPU_SNOMED[c.code ?? ''] : undefined))
            .find(Boolean) ??
          (['A', 'C', 'V', 'P', 'U'].includes(cc?.text ?? '') ? (cc?.text as Acvpu) : undefined);
        if (level) take('consciousness', o, () => (input.consciousness = level));
      }
      if (codes.includes(NEWS2_VITALS.inhaledO2Concentration) && num !== undefined)
        take('airOrOxygen', o, () => (input.onOxygen = num > 21));
      if (codes.includes(NEWS2_VITALS.inhaledO2Flow) && num !== undefined)
        take('airOrOxygen', o, () => (input.onOxygen = num > 0));
    }

    // A lone reading (a heart rate from a home device, one temperature) is not an observation
    // set: NEWS2 is scored from at least MIN_PARAMETERS of its parameters taken together; with
    // fewer nothing is written (a set with more but not all is "incomplete", never scored 0).
    if (Object.keys(from).length < NEWS2_MIN_PARAMETERS) return;

    const patient = await this.store.read('Patient', patientId, NEWS2, em).catch(() => undefined);
    const content = patient?.content as
      { birthDate?: string; generalPractitioner?: { reference?: string }[] } | undefined;
    const birth = content?.birthDate ? DateTime.fromISO(content.birthDate, { zone: CARE_ZONE }) : undefined;
    const ageYears =
      birth?.isValid === true
        ? Math.max(0, Math.floor(DateTime.fromJSDate(end).setZone(CARE_ZONE).diff(birth, 'years').years))
        : undefined;
    const pregnant = await this.isPregnant(em, patientRef);
    // SpO2 Scale 2 only under a practitioner's recorded, active 88–92 % target (decision 017).
    const scale = await this.spo2Scale(em, patientRef, end);
    // Without a birth date the patient is scored as an adult (the note says so): better a false alert.
    const result = news2({ ...input, spo2Scale: scale.scale, ageYears: ageYears ?? 16, pregnant });
    // Not computed for under-16s or in pregnancy: nothing is stored, no Flag changes.
    if (result.status === 'not-applicable') return;

    // A set with any value the patient recorded themselves (home readings, the portal) is
    // self-reported: scored and shown as such, but it never raises or clears the alert Flag (nor
    // so the waiting-room priority) and notifies nobody. Who recorded a value is the server's
    // recorded-by tag of its version — the authenticated writer — never the body's `performer`.
    const used = new Set(Object.values(from));
    const selfReported = observations.some(
      (o) => used.has(`Observation/${o.id}`) && recordedBy(o as FhirResource) === 'patient',
    );

    const effective = end.toISOString();
    const obsId = news2ObservationId(patientId, effective);
    const observation = {
      ...toObservation(result, {
        subject: patientRef,
        effectiveDateTime: effective,
        derivedFrom: from,
        spo2Scale: scale.scale,
        spo2ScaleBasis: { ...(scale.decision ? { decision: scale.decision.goal } : {}), text: scale.text },
      }),
      id: obsId,
    };
    for (const i of scale.ignored)
      observation.note.push({ text: `SpO2 Scale 2 decision ${i.goal} not followed: ${i.why}.` });
    if (ageYears === undefined)
      observation.note.push({ text: 'Patient.birthDate is unknown: scored as an adult (16 or over).' });
    if (selfReported) {
      observation.note.push({
        text: 'Self-reported: some values were recorded by the patient. For information only: no alert, no waiting-room priority / Số liệu do người bệnh tự ghi: chỉ để tham khảo, không phát cảnh báo.',
      });
      (observation as { meta?: Record<string, unknown> }).meta = {
        tag: [{ system: NEWS2_BASIS_SYSTEM, code: 'self-reported', display: 'Self-reported values' }],
      };
    }
    await this.store.update(em, 'Observation', obsId, observation, { access: NEWS2 });
    if (selfReported) return;

    await this.updateFlag(em, patientId, obsId, effective, result);
    if (result.alert)
      await this.notify(em, patientId, content?.generalPractitioner ?? [], facility, obsId, result, end);
  }

  /** The SpO2 scale for a set taken at `at`: the patient's SpO2 88–92 % Goals as they stand now. */
  private async spo2Scale(em: EntityManager, patientRef: string, at: Date): Promise<Spo2ScaleChoice> {
    const goals = await this.find(em, 'Goal', [['patient', patientRef]]);
    return chooseSpo2Scale(goals as Spo2GoalLike[], at, (g) => recordedBy(g as FhirResource));
  }

  private async isPregnant(em: EntityManager, patientRef: string): Promise<boolean> {
    const conditions = await this.find(em, 'Condition', [
      ['patient', patientRef],
      ['code', `${SNOMED}|${PREGNANT}`],
      ['clinical-status', 'active'],
    ]);
    if (conditions.length > 0) return true;
    const statuses = (
      (await this.find(em, 'Observation', [
        ['patient', patientRef],
        ['code', `${LOINC}|${PREGNANCY_STATUS}`],
      ])) as Obs[]
    ).sort((a, b) => Date.parse(b.effectiveDateTime ?? '') - Date.parse(a.effectiveDateTime ?? ''));
    const latest = statuses.find((o) => !['entered-in-error', 'cancelled'].includes(String(o.status)));
    return (latest?.valueCodeableConcept?.coding ?? []).some((c) => c.code === PREGNANT);
  }

  /**
   * Alert → the Flag is active (its period starts at the first alerting score); a later complete,
   * non-alerting score → inactive. An incomplete or not-applicable set never clears it, and a score
   * older than the one the Flag already reflects never changes it.
   */
  private async updateFlag(
    em: EntityManager,
    patientId: string,
    obsId: string,
    effective: string,
    result: ReturnType<typeof news2>,
  ): Promise<void> {
    const id = news2FlagId(patientId);
    const current = await this.store.current(em, 'Flag', id, NEWS2);
    const flag = current && !current.deleted ? (current.content as FlagResource | null) : null;
    const reflected = flag?.extension?.find((e) => e.url === NEWS2_FLAG_SOURCE_EXTENSION)?.valueReference;
    const reflectedAt = flag?.extension?.find(
      (e) => e.url === `${NEWS2_FLAG_SOURCE_EXTENSION}-time`,
    )?.valueDateTime;
    if (
      reflectedAt &&
      Date.parse(reflectedAt) > Date.parse(effective) &&
      reflected?.reference !== `Observation/${obsId}`
    )
      return;
    const active = flag?.status === 'active';
    let status: 'active' | 'inactive';
    if (result.alert) status = 'active';
    else if (result.status === 'complete' && active) status = 'inactive';
    else return;
    const score = result.total;
    const scoreText = score !== undefined ? `${score}` : `incomplete, a parameter scores 3`;
    const body: FlagResource = {
      resourceType: 'Flag',
      id,
      status,
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/flag-category',
              code: 'clinical',
              display: 'Clinical',
            },
          ],
        },
      ],
      code: {
        coding: [
          {
            system: NEWS2_FLAG_SYSTEM,
            code: 'news2-alert',
            display: 'NEWS2 alert (total ≥ 5 or a single parameter scoring 3)',
          },
        ],
        text:
          status === 'active'
            ? `Cảnh báo NEWS2: ${scoreText} / NEWS2 alert: ${scoreText}`
            : `NEWS2 trở lại bình thường: ${scoreText} / NEWS2 no longer alerting: ${scoreText}`,
      },
      subject: { reference: `Patient/${patientId}` },
      period:
        status === 'active'
          ? { start: active && flag?.period?.start ? flag.period.start : effective }
          : { start: flag?.period?.start ?? effective, end: effective },
      extension: [
        ...(score !== undefined ? [{ url: NEWS2_FLAG_SCORE_EXTENSION, valueInteger: score }] : []),
        { url: NEWS2_FLAG_SOURCE_EXTENSION, valueReference: { reference: `Observation/${obsId}` } },
        { url: `${NEWS2_FLAG_SOURCE_EXTENSION}-time`, valueDateTime: effective },
      ],
    };
    // The same alert recomputed (same score, same source): nothing new to record.
    if (flag && canonical({ ...flag, meta: undefined }) === canonical(body)) return;
    await this.store.update(em, 'Flag', id, body, { access: NEWS2 });
  }

  /** The patient's general practitioner(s) and the practitioners of their appointments today (Vietnam time). */
  private async responsible(
    em: EntityManager,
    patientId: string,
    generalPractitioner: { reference?: string }[],
    at: Date,
  ): Promise<string[]> {
    const refs = new Set<string>();
    for (const g of generalPractitioner) {
      const r = g.reference ?? '';
      if (r.startsWith('Practitioner/')) refs.add(r);
      else if (r.startsWith('PractitionerRole/')) {
        const role = await this.store.read('PractitionerRole', r.slice(17), NEWS2, em).catch(() => undefined);
        const p = (role?.content as { practitioner?: { reference?: string } } | undefined)?.practitioner
          ?.reference;
        if (p?.startsWith('Practitioner/')) refs.add(p);
      }
    }
    // That day in Vietnam, or within APPOINTMENT_WINDOW_HOURS either side of the vitals (LOCAL
    // POLICY): vitals at 23:50 reach the doctor of a visit at 00:10 (docs/care.md).
    const when = DateTime.fromJSDate(at).setZone(CARE_ZONE);
    const day = when.startOf('day');
    const from = DateTime.min(day, when.minus({ hours: APPOINTMENT_WINDOW_HOURS }));
    const until = DateTime.max(day.plus({ days: 1 }), when.plus({ hours: APPOINTMENT_WINDOW_HOURS }));
    const appointments = await this.find(em, 'Appointment', [
      ['patient', `Patient/${patientId}`],
      ['date', `ge${from.toUTC().toISO()}`],
      ['date', `lt${until.toUTC().toISO()}`],
    ]);
    for (const a of appointments as (FhirResource & {
      status?: string;
      participant?: { actor?: { reference?: string } }[];
    })[]) {
      if (['cancelled', 'noshow', 'entered-in-error'].includes(String(a.status))) continue;
      for (const p of a.participant ?? [])
        if (p.actor?.reference?.startsWith('Practitioner/')) refs.add(p.actor.reference);
    }
    return [...refs].sort();
  }

  /**
   * The alert to the responsible practitioners, the recording facility (its clinic staff receive
   * `Organization/…` in-app; a brand-new patient has no practitioner yet, but the station that
   * measured them is there) and whoever the duty roster has on call for it — or, when nobody is,
   * the referral hospital's staff (News2AlertRoutingService). Once per NEWS2 Observation and
   * recipient (dedup key).
   */
  private async notify(
    em: EntityManager,
    patientId: string,
    generalPractitioner: { reference?: string }[],
    facility: string | undefined,
    obsId: string,
    result: News2Result,
    at: Date,
  ): Promise<void> {
    const responsible = await this.responsible(em, patientId, generalPractitioner, at);
    const score = result.total !== undefined ? String(result.total) : '? (thiếu chỉ số / incomplete)';
    const time = DateTime.fromJSDate(at).setZone(CARE_ZONE).toFormat('HH:mm dd/MM/yyyy');
    const response = news2Response(result);
    // An alert is a single 3 or a total of 5 or more: urgent review at least.
    const level = response === 'emergency' || response === 'urgent' ? response : 'urgent-review';
    const todo = RESPONSE_TEXT[level];
    await this.alerts.raise(em, {
      patientId,
      observationId: obsId,
      ...(facility?.startsWith('Organization/') ? { facility } : {}),
      responsible,
      ...(result.total !== undefined ? { score: result.total } : {}),
      response: level,
      at,
      text: {
        vi: `Điểm cảnh báo sớm NEWS2 = ${score} (đo lúc ${time}, giờ Việt Nam). ${todo.vi}`,
        en: `NEWS2 early warning score = ${score} (taken at ${time}, Vietnam time). ${todo.en}`,
      },
    });
  }
}

/** An appointment this close to the vitals makes its doctor responsible, across midnight too. */
export const APPOINTMENT_WINDOW_HOURS = 12;
/** JSON with sorted keys (the store's jsonb does not keep key order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

interface FlagResource extends FhirResource {
  status: 'active' | 'inactive';
  period?: { start?: string; end?: string };
  extension?: {
    url: string;
    valueInteger?: number;
    valueReference?: { reference?: string };
    valueDateTime?: string;
  }[];
}
