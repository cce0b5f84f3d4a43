import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateResource } from '@mekong/fhir';
import { DateTime } from 'luxon';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { heartRate } from './support/fhir-fixtures';
import { appointmentBody, postSlot } from './support/scheduling-world';
import {
  type AccountSpec,
  ADMIN,
  createAccounts,
  login,
  startApp,
  systemToken,
  type TestApp,
  tokenRequest,
} from './support/test-app';

/**
 * Issue 21 part 3: the patient's International Patient Summary (`Patient/{id}/$summary`, an IPS
 * document Bundle) and the visit PDF (`Encounter/{id}/$summary-pdf`). The summary is read through
 * `$everything` with the caller's access, so whoever `$everything` refuses is refused alike, and the
 * read is in the patient's audit trail. The PDF's text is checked from its text layer (poppler's
 * `pdftotext`, scripts/install-system-deps.sh installs poppler-utils).
 */
const PASSWORD = 'Mat-khau-tom-tat-2026!';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const LOINC = 'http://loinc.org';
const EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';
const RX_CODE = 'https://fhir.mekong.health/sid/e-prescription-code';

/** `days` from today at hh:mm UTC (relative, so the 180-day care relationship and slots in the future hold). */
const at = (days: number, hh: number, mm: number): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hh, mm)).toISOString();
};
/** An instant as the PDF shows it: dd/MM/yyyy HH:mm in Vietnam (UTC+7, no daylight saving). */
const vietnam = (iso: string): string =>
  DateTime.fromISO(iso).setZone('Asia/Ho_Chi_Minh').toFormat('dd/MM/yyyy HH:mm');

type Resource = { resourceType: string; id?: string } & Record<string, unknown>;
type Section = {
  title: string;
  code: { coding: { system: string; code: string }[] };
  text: { status: string; div: string };
  entry?: { reference: string }[];
  emptyReason?: { coding: { system: string; code: string }[] };
};
type DocEntry = { fullUrl: string; resource: Resource };

/** Every `reference` string anywhere inside `value`. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  return out;
}

/** FHIR R4 reference resolution inside a document Bundle: by fullUrl, relative ones against the base. */
function resolve(entries: DocEntry[], ref: string, base: string): Resource | undefined {
  const absolute = /^(urn:|https?:)/.test(ref) ? ref : `${base}/${ref}`;
  return entries.find((e) => e.fullUrl === absolute)?.resource;
}

/** The PDF's text layer, through poppler's pdftotext (UTF-8). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'visit-pdf-'));
  try {
    const file = join(dir, 'visit.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('issue 21: the International Patient Summary ($summary) and the visit PDF ($summary-pdf)', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  /** A token of `username` narrowed to `scope` (password grant). */
  const narrowed = async (username: string, scope: string): Promise<Fhir> => {
    const res = await tokenRequest(t.url, { grant_type: 'password', username, password: PASSWORD, scope });
    const body = (await res.json()) as { access_token?: string; scope?: string };
    if (!body.access_token || body.scope !== scope)
      throw new Error(`token ${scope}: ${JSON.stringify(body)}`);
    return new Fhir(t.url, body.access_token);
  };
  const pdf = async (who: Fhir, encounter: string): Promise<Response> =>
    fetch(`${t.url}/fhir/Encounter/${encounter}/$summary-pdf`, {
      headers: { Authorization: `Bearer ${who.token}` },
    });

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.orgA = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Tân Phú' });
    ids.orgB = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Long Hòa' });
    ids.doctor = await mk({
      resourceType: 'Practitioner',
      name: [{ family: 'Trần', given: ['Văn', 'Minh'] }],
    });
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Khác'] }] });
    ids.nurseA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Phạm', given: ['Y', 'Tá'] }] });
    ids.nurseB = await mk({ resourceType: 'Practitioner', name: [{ family: 'Võ', given: ['Y', 'Tá'] }] });
    ids.P = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Thị', 'Hoa'] }],
      birthDate: '1968-03-15',
      gender: 'female',
      identifier: [{ system: CCCD, value: '092168001234' }],
      managingOrganization: { reference: `Organization/${ids.orgA}` },
    });
    ids.enc = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${ids.P}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      serviceProvider: { reference: `Organization/${ids.orgA}` },
      period: { start: at(-10, 2, 30), end: at(-10, 3, 0) },
      reasonCode: [{ text: 'Đau đầu, chóng mặt' }],
    });
    ids.cond = await mk({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      subject: { reference: `Patient/${ids.P}` },
      encounter: { reference: `Encounter/${ids.enc}` },
      code: { coding: [{ system: ICD10, code: 'I10', display: 'Tăng huyết áp vô căn' }] },
    });
    ids.cond2 = await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${ids.P}` },
      encounter: { reference: `Encounter/${ids.enc}` },
      code: { coding: [{ system: ICD10, code: 'R51', display: 'Đau đầu' }] },
    });
    // The doctor's order (Encounter.diagnosis rank, as the visit write-back records it): R51 is not
    // the main one although written last … I10 is rank 1.
    const encounter = (await sys.get(`Encounter/${ids.enc}`)).body;
    const ranked = await sys.put(`Encounter/${ids.enc}`, {
      ...encounter,
      diagnosis: [
        { condition: { reference: `Condition/${ids.cond2}` }, rank: 2 },
        { condition: { reference: `Condition/${ids.cond}` }, rank: 1 },
      ],
    });
    if (ranked.status !== 200) throw new Error(`rank: ${ranked.status} ${JSON.stringify(ranked.body)}`);
    ids.resolved = await mk({
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }],
      },
      subject: { reference: `Patient/${ids.P}` },
      code: { text: 'Viêm họng cấp' },
    });
    ids.rx = await mk({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: RX_CODE, value: '79012k3m9p2q-c' }],
      medicationCodeableConcept: { text: 'Amlodipin 5 mg' },
      subject: { reference: `Patient/${ids.P}` },
      encounter: { reference: `Encounter/${ids.enc}` },
      authoredOn: at(-10, 2, 50).slice(0, 10),
      dosageInstruction: [{ text: 'Uống 1 viên mỗi sáng' }],
    });
    ids.allergy = await mk({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${ids.P}` },
      code: { text: 'Penicillin' },
    });
    ids.hr1 = await mk(heartRate(ids.P, 88, at(-30, 2, 0)));
    ids.hr2 = await mk(heartRate(ids.P, 76, at(-10, 2, 40)));
    ids.note = await mk({
      resourceType: 'ClinicalImpression',
      status: 'completed',
      subject: { reference: `Patient/${ids.P}` },
      encounter: { reference: `Encounter/${ids.enc}` },
      summary: 'Huyết áp cao, tái khám sau 2 tuần.',
    });
    // The follow-up visit, booked through scheduling's own path (Schedule, Slot, Appointment).
    ids.schedule = await mk({
      resourceType: 'Schedule',
      active: true,
      actor: [{ reference: `Practitioner/${ids.doctor}` }],
    });
    const slot = await postSlot(sys, ids.schedule, new Date(at(14, 1, 0)));
    ids.appointment = await mk(appointmentBody(slot, ids.P, ids.doctor));
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: AccountSpec[] = [
      ['patient.p', 'patient', `Patient/${ids.P}`],
      ['doctor.d', 'practitioner', `Practitioner/${ids.doctor}`],
      ['doctor.x', 'practitioner', `Practitioner/${ids.other}`],
      ['staff.a', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.orgA}`],
      ['staff.b', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.orgB}`],
    ];
    const tokens = await createAccounts(t.url, admin, accounts, PASSWORD);
    for (const [username, token] of Object.entries(tokens)) as[username] = new Fhir(t.url, token);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('gives the patient their own IPS document: Composition first, the six sections, every reference resolved inside', async () => {
    const r = await as['patient.p']!.get(`Patient/${ids.P}/$summary`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    expect(r.body).toMatchObject({ resourceType: 'Bundle', type: 'document' });
    expect(typeof r.body.timestamp).toBe('string');
    expect((r.body.identifier as { value: string }).value).toMatch(/^urn:uuid:/);
    // R4-valid as a whole (the project's definitions-driven validator: structure, invariants it checks)
    expect(validateResource(r.body).filter((i) => i.severity === 'error')).toEqual([]);
    const entries = r.body.entry as DocEntry[];
    const composition = entries[0]!.resource;
    expect(composition).toMatchObject({
      resourceType: 'Composition',
      status: 'final',
      type: { coding: [{ system: LOINC, code: '60591-5' }] },
      subject: { reference: `Patient/${ids.P}` },
      custodian: { reference: `Organization/${ids.orgA}` },
    });
    const base = `${t.config.publicUrl}/fhir`;
    // Every reference anywhere in the document resolves to an entry of the Bundle.
    const refs = references(entries.map((e) => e.resource));
    expect(refs.length).toBeGreaterThan(8);
    const unresolved = [...new Set(refs.filter((ref) => !resolve(entries, ref, base)))];
    expect(unresolved).toEqual([]);
    // … which brought the visit, its doctor and its facility along (named by the entries)
    for (const ref of [`Encounter/${ids.enc}`, `Practitioner/${ids.doctor}`, `Organization/${ids.orgA}`])
      expect(resolve(entries, ref, base)).toBeDefined();
    // the author: a Device (the platform), inside the Bundle
    const author = resolve(entries, (composition.author as { reference: string }[])[0]!.reference, base);
    expect(author).toMatchObject({ resourceType: 'Device' });
    expect(resolve(entries, `Patient/${ids.P}`, base)).toMatchObject({ resourceType: 'Patient', id: ids.P });

    const sections = composition.section as Section[];
    const byCode = new Map(sections.map((s) => [s.code.coding[0]!.code, s]));
    expect([...byCode.keys()].sort()).toEqual([
      '10160-0',
      '11369-6',
      '11450-4',
      '30954-2',
      '48765-2',
      '8716-3',
    ]);
    for (const s of sections) {
      expect(s.code.coding[0]!.system).toBe(LOINC);
      expect(s.text.status).toBe('generated');
      expect(s.text.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">/);
      expect(s.text.div).toContain('lang="vi"');
      expect(s.text.div).toContain('lang="en"');
      // entries or an empty reason, never both (cmp-2, ips-comp-1)
      expect(Boolean(s.entry?.length) !== Boolean(s.emptyReason)).toBe(true);
      for (const e of s.entry ?? []) expect(resolve(entries, e.reference, base)).toBeDefined();
    }
    expect(
      byCode
        .get('11450-4')!
        .entry!.map((e) => e.reference)
        .sort(),
    ).toEqual([`Condition/${ids.cond}`, `Condition/${ids.cond2}`].sort()); // not the resolved one
    expect(byCode.get('11450-4')!.text.div).toContain('Tăng huyết áp vô căn');
    expect(byCode.get('11450-4')!.text.div).toContain('Bệnh đang mắc');
    expect(byCode.get('48765-2')!.entry).toEqual([{ reference: `AllergyIntolerance/${ids.allergy}` }]);
    expect(byCode.get('10160-0')!.entry).toEqual([{ reference: `MedicationRequest/${ids.rx}` }]);
    expect(byCode.get('8716-3')!.entry).toEqual([{ reference: `Observation/${ids.hr2}` }]); // the latest heart rate
    for (const empty of ['11369-6', '30954-2'])
      expect(byCode.get(empty)!.emptyReason).toEqual({
        coding: [{ system: EMPTY_REASON, code: 'unavailable' }],
      });
    // nothing else of the record: the resolved condition and the older heart rate are not in it
    const inside = entries.map((e) => `${e.resource.resourceType}/${e.resource.id ?? ''}`);
    expect(inside).not.toContain(`Condition/${ids.resolved}`);
    expect(inside).not.toContain(`Observation/${ids.hr1}`);

    // POST (the IG's operation is POST as well) gives the same document
    const posted = await as['patient.p']!.post(`Patient/${ids.P}/$summary`, { resourceType: 'Parameters' });
    expect(posted.status).toBe(200);
    expect(posted.body.type).toBe('document');
  });

  it('is in the patient’s audit trail like $everything', async () => {
    const before = await sys.get(`AuditEvent?patient=Patient/${ids.P}&_count=1000`);
    const count = (body: Record<string, unknown>, agent: string): number =>
      ((body.entry ?? []) as { resource: Record<string, unknown> }[]).filter(
        (e) =>
          (e.resource.subtype as { code: string }[] | undefined)?.[0]?.code === 'everything' &&
          (e.resource.agent as { who: { reference?: string } }[])[0]?.who.reference ===
            `Practitioner/${agent}`,
      ).length;
    expect((await as['doctor.d']!.get(`Patient/${ids.P}/$summary`)).status).toBe(200);
    const after = await sys.get(`AuditEvent?patient=Patient/${ids.P}&_count=1000`);
    expect(count(after.body, ids.doctor) - count(before.body, ids.doctor)).toBe(1);
  });

  it('refuses whom $everything refuses: an unrelated doctor, another facility (404 like a missing id), a token reading no type of the record (403)', async () => {
    for (const who of ['doctor.x', 'staff.b']) {
      const every = await as[who]!.get(`Patient/${ids.P}/$everything`);
      const summary = await as[who]!.get(`Patient/${ids.P}/$summary`);
      const posted = await as[who]!.post(`Patient/${ids.P}/$summary`, { resourceType: 'Parameters' });
      const missing = await as[who]!.get('Patient/khong-ton-tai-42/$summary');
      expect({ who, every: every.status, summary: summary.status, posted: posted.status }).toEqual({
        who,
        every: 404,
        summary: 404,
        posted: 404,
      });
      expect(summary.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(summary.body).split(ids.P!).join('<id>')).toBe(
        JSON.stringify(missing.body).split('khong-ton-tai-42').join('<id>'),
      );
    }
    // the facility managing the patient and the treating doctor see it
    expect((await as['staff.a']!.get(`Patient/${ids.P}/$summary`)).status).toBe(200);
    expect((await as['doctor.d']!.get(`Patient/${ids.P}/$summary`)).status).toBe(200);
    // a token that may read no type of the record: 403 for both
    const practitionersOnly = await narrowed('doctor.d', 'user/Practitioner.rs');
    expect((await practitionersOnly.get(`Patient/${ids.P}/$everything`)).status).toBe(403);
    expect((await practitionersOnly.get(`Patient/${ids.P}/$summary`)).status).toBe(403);
  });

  it('a narrowed token: sections of types it may not read are withheld; without Patient.r no document (403)', async () => {
    const obsOnly = await narrowed('patient.p', 'patient/Observation.rs');
    expect((await obsOnly.get(`Patient/${ids.P}/$everything`)).status).toBe(200);
    const refused = await obsOnly.get(`Patient/${ids.P}/$summary`);
    expect(refused.status).toBe(403);
    expect(refused.body.resourceType).toBe('OperationOutcome');

    const withPatient = await narrowed('patient.p', 'patient/Patient.rs patient/Observation.rs');
    const r = await withPatient.get(`Patient/${ids.P}/$summary`);
    expect(r.status).toBe(200);
    const entries = r.body.entry as DocEntry[];
    const types = [...new Set(entries.slice(1).map((e) => e.resource.resourceType))].sort();
    expect(types).toEqual(['Device', 'Observation', 'Patient']);
    const sections = (entries[0]!.resource.section as Section[]).map((s) => [
      s.code.coding[0]!.code,
      s.emptyReason?.coding[0]!.code ?? s.entry!.map((e) => e.reference).join(','),
    ]);
    expect(Object.fromEntries(sections)).toEqual({
      '11450-4': 'withheld',
      '48765-2': 'withheld',
      '10160-0': 'withheld',
      '11369-6': 'withheld',
      '30954-2': 'unavailable',
      '8716-3': `Observation/${ids.hr2}`,
    });
  });

  it('a deleted visit answers the PDF as its read does (410 to who could read it)', async () => {
    const gone = await mk({
      resourceType: 'Encounter',
      status: 'cancelled',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${ids.P}` },
    });
    expect((await sys.delete(`Encounter/${gone}`)).status).toBe(204);
    expect((await as['patient.p']!.get(`Encounter/${gone}`)).status).toBe(410);
    const r = await pdf(as['patient.p']!, gone);
    expect(r.status).toBe(410);
    expect(((await r.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('carries no other patient’s data, even one the caller may see (a Condition asserted by another patient)', async () => {
    const mother = await mk({ resourceType: 'Patient', name: [{ family: 'Lý', given: ['Mẹ'] }] });
    const child = await mk({ resourceType: 'Patient', name: [{ family: 'Lý', given: ['Con'] }] });
    const told = await mk({
      resourceType: 'Condition',
      subject: { reference: `Patient/${child}` },
      asserter: { reference: `Patient/${mother}` },
      code: { text: 'Sốt' },
    });
    const r = await sys.get(`Patient/${child}/$summary`); // the system client sees both
    expect(r.status).toBe(200);
    const inside = (r.body.entry as DocEntry[]).map(
      (e) => `${e.resource.resourceType}/${e.resource.id ?? ''}`,
    );
    expect(inside).toContain(`Condition/${told}`);
    expect(inside).toContain(`Patient/${child}`);
    expect(inside).not.toContain(`Patient/${mother}`);
  });

  it('a bad id answers an OperationOutcome 404', async () => {
    for (const path of ['Patient/khong-ton-tai-42/$summary', 'Encounter/khong-ton-tai-42/$summary-pdf']) {
      const r = await sys.get(path);
      expect({ path, status: r.status, type: r.body.resourceType }).toEqual({
        path,
        status: 404,
        type: 'OperationOutcome',
      });
    }
  });

  it('the visit PDF: Vietnamese headings with English, the patient, the ICD-10 diagnosis, the prescription and its national code; CCCD masked', async () => {
    const res = await pdf(as['patient.p']!, ids.enc!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes).normalize('NFC');
    for (const expected of [
      'Tóm tắt lần khám',
      'Visit summary',
      'Trạm Y tế xã Tân Phú',
      'Nguyễn Thị Hoa',
      '15/03/1968',
      '••••••••1234',
      vietnam(at(-10, 2, 30)), // the visit, in Vietnam time (09:30)
      'Trần Văn Minh',
      'Đau đầu, chóng mặt',
      'Chẩn đoán',
      'I10 — Tăng huyết áp vô căn',
      'Đơn thuốc',
      'Amlodipin 5 mg',
      'Uống 1 viên mỗi sáng',
      'Mã đơn thuốc',
      '79012k3m9p2q-c',
      'Huyết áp cao, tái khám sau 2 tuần.',
      'Lịch hẹn sắp tới',
      vietnam(at(14, 1, 0)), // the follow-up visit (08:00)
    ])
      expect({ expected, found: text.includes(expected) }).toEqual({ expected, found: true });
    expect(text).not.toContain('092168001234');
    // the diagnoses in the doctor's order (rank), the main one first
    expect(text.indexOf('I10 — Tăng huyết áp vô căn')).toBeLessThan(text.indexOf('R51 — Đau đầu'));
  });

  it('the visit PDF has the access of reading the Encounter: hidden like a missing one, audited', async () => {
    for (const who of ['doctor.x', 'staff.b']) {
      const seen = await pdf(as[who]!, ids.enc!);
      const gone = await pdf(as[who]!, 'khong-ton-tai-42');
      expect({ who, status: seen.status }).toEqual({ who, status: 404 });
      expect((await seen.text()).split(ids.enc!).join('<id>')).toBe(
        (await gone.text()).split('khong-ton-tai-42').join('<id>'),
      );
    }
    expect((await pdf(as['doctor.d']!, ids.enc!)).status).toBe(200);
    expect((await pdf(as['staff.a']!, ids.enc!)).status).toBe(200);
    // a token without Encounter read: 403, as GET Encounter/{id}
    const obsOnly = await narrowed('patient.p', 'patient/Observation.rs');
    expect((await pdf(obsOnly, ids.enc!)).status).toBe(403);
    // the read is on the patient's trail, by the doctor
    const trail = await sys.get(`AuditEvent?patient=Patient/${ids.P}&_count=1000`);
    const reads = ((trail.body.entry ?? []) as { resource: Record<string, unknown> }[]).filter(
      (e) =>
        (e.resource.subtype as { code: string }[] | undefined)?.[0]?.code === 'read' &&
        (e.resource.agent as { who: { reference?: string } }[])[0]?.who.reference ===
          `Practitioner/${ids.doctor}` &&
        JSON.stringify(e.resource.entity).includes(`Encounter/${ids.enc}`),
    );
    expect(reads.length).toBeGreaterThan(0);
  });
});
