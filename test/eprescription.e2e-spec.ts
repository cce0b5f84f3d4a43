import { dataSourceToken } from '@mekong/database';
import {
  E_PRESCRIPTION_CODE_SYSTEM,
  E_PRESCRIPTION_TYPE_SYSTEM,
  EprescriptionChecks,
  DRUG_SYSTEM,
} from '@mekong/eprescription';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { EndDto, parse } from '../libs/consultation/src/visit/visit.dto';
import { EprescriptionStandIn } from './support/eprescription-standin';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, createAccounts, login, startApp, systemToken, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

/**
 * Issue 21 part 2 (docs/eprescription.md): a prescriber's MedicationRequests with an e-prescription
 * type become national prescriptions — one code per encounter and type, made and stored in the
 * writing transaction with its outbox job; the job signs the doctor in at the (stand-in) national
 * system and sends it with the patient's CCCD; accepted → the code on each MedicationRequest;
 * 422 → failed with the system's reasons, never retried; 5xx → retried until accepted, once. Rules
 * refuse at prescribing: over 30 days without an Appendix VII diagnosis, over 90, missing fields,
 * a drug code outside the national list, no national sign-in. The status per prescription is shown
 * to the visit's practitioners and the facility's staff, nobody else.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const ENV = {
  EPRESCRIPTION_SECRET_KEY: 'eprescription-test-key-0123456789abcdef',
  EPRESCRIPTION_RETRY_DELAY_SECONDS: '1',
  EPRESCRIPTION_RETRY_LIMIT: '5',
  EPRESCRIPTION_TIMEOUT_MS: '5000',
};

type Json = Record<string, unknown>;

function drug(
  patient: string,
  encounter: string,
  prescriber: string,
  o: { code?: string; days?: number; dosage?: string | null; icd?: string[]; quantity?: number } = {},
): Json {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: E_PRESCRIPTION_TYPE_SYSTEM, code: 'c' }] }],
    medicationCodeableConcept: {
      coding: [{ system: DRUG_SYSTEM, code: o.code ?? '40.677' }],
      text: 'Omeprazol 20 mg viên nang',
    },
    subject: { reference: `Patient/${patient}` },
    encounter: { reference: `Encounter/${encounter}` },
    requester: { reference: prescriber },
    authoredOn: new Date().toISOString(),
    reasonCode: (o.icd ?? ['K21.9']).map((code) => ({ coding: [{ system: ICD10, code }] })),
    ...(o.dosage === null ? {} : { dosageInstruction: [{ text: o.dosage ?? 'Uống 1 viên trước ăn sáng' }] }),
    dispenseRequest: {
      quantity: { value: o.quantity ?? 28, unit: 'viên' },
      expectedSupplyDuration: {
        value: o.days ?? 28,
        unit: 'd',
        system: 'http://unitsofmeasure.org',
        code: 'd',
      },
    },
  };
}

describe('national e-prescriptions', () => {
  let t: TestApp;
  let standin: EprescriptionStandIn;
  let sys: Fhir;
  let doc: Fhir;
  let tokens: Record<string, string>;
  let db: DataSource;
  const ids = {} as Record<'org' | 'otherOrg' | 'doctor' | 'other' | 'patient' | 'noCccd', string>;

  const newEncounter = async (patient = ids.patient): Promise<string> => {
    const r = await sys.post('Encounter', {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${patient}` },
      participant: [{ individual: { reference: `Practitioner/${ids.doctor}` } }],
      period: { start: new Date(Date.now() - 900_000).toISOString(), end: new Date().toISOString() },
    });
    if (r.status !== 201) throw new Error(`encounter: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  const prescriptionsOf = (encounter: string, token = tokens['erx.doc']) =>
    api(t.url, 'GET', `/eprescription/prescriptions?encounter=${encounter}`, token);
  const settled = async (encounter: string): Promise<Json[]> =>
    until(`prescriptions of ${encounter} settled`, async () => {
      const res = await prescriptionsOf(encounter);
      if (res.status !== 200) return undefined;
      const list = (await res.json()) as Json[];
      return list.every((p) => p.status === 'issued' || p.status === 'failed') ? list : undefined;
    });

  beforeAll(async () => {
    standin = await EprescriptionStandIn.start();
    // Through the app's configuration, like any other setting (not process.env).
    t = await startApp(PlatformModule.register, {
      ...ENV,
      EPRESCRIPTION_URL: standin.url,
      JOB_POLL_SECONDS: '0.5',
    });
    db = t.app.get<DataSource>(dataSourceToken('eprescription'));
    sys = new Fhir(t.url, await systemToken(t.url));
    const mk = async (body: Json): Promise<string> => {
      const r = await sys.post(body.resourceType as string, body);
      if (r.status !== 201)
        throw new Error(`${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    ids.org = await mk({ resourceType: 'Organization', name: 'Bệnh viện Đa khoa Trung ương Cần Thơ' });
    ids.otherOrg = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Long Hòa' });
    ids.doctor = await mk({ resourceType: 'Practitioner', name: [{ family: 'Trần', given: ['Minh'] }] });
    ids.other = await mk({ resourceType: 'Practitioner', name: [{ family: 'Lê', given: ['Hà'] }] });
    const patient = (cccd?: string): Json => ({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Văn', 'Bình'] }],
      gender: 'male',
      birthDate: '1961-04-12',
      ...(cccd ? { identifier: [{ system: CCCD, value: cccd }] } : {}),
      generalPractitioner: [{ reference: `Practitioner/${ids.doctor}` }],
      managingOrganization: { reference: `Organization/${ids.org}` },
    });
    ids.patient = await mk(patient('092061001234'));
    ids.noCccd = await mk(patient());
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    tokens = await createAccounts(
      t.url,
      admin,
      [
        ['erx.doc', 'practitioner', `Practitioner/${ids.doctor}`, `Organization/${ids.org}`],
        ['erx.other', 'practitioner', `Practitioner/${ids.other}`, `Organization/${ids.org}`],
        ['erx.staff', 'clinic-staff', `Practitioner/${ids.other}`, `Organization/${ids.org}`],
        ['erx.staff2', 'clinic-staff', `Practitioner/${ids.other}`, `Organization/${ids.otherOrg}`],
      ],
      PASSWORD,
    );
    doc = new Fhir(t.url, tokens['erx.doc']!);
    standin.addDoctor('CT-BVTW', 'BS-00123', 'Mat-khau-BYT-2026');
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
    await standin?.close();
  });

  it('the visit end refuses unstructured or out-of-rule prescriptions, naming rule and field', async () => {
    // The DTO's own messages (nested errors flattened; the socket's parse() reports a nested error
    // as "prescriptions is invalid" until it flattens them — docs/eprescription.md, "Not done").
    const flat = (errors: ValidationError[]): string[] =>
      errors.flatMap((e) => [...Object.values(e.constraints ?? {}), ...flat(e.children ?? [])]);
    const bad = (body: object): string => {
      expect(() => parse(EndDto, body)).toThrow();
      return flat(validateSync(plainToInstance(EndDto, body))).join('; ');
    };
    expect(bad({ prescriptions: [{ medication: 'Omeprazol 20 mg', dosage: '1 viên sáng' }] })).toMatch(
      /prescriptions\.drugCode.*prescriptions\.quantity.*prescriptions\.unit.*prescriptions\.days/s,
    );
    expect(
      bad({
        prescriptions: [
          { medication: 'A', dosage: 'B', drugCode: '40.677', quantity: 10, unit: 'viên', days: 91 },
        ],
      }),
    ).toContain('at most 90 (Circular 26/2025/TT-BYT art. 6(8)(b))');
    expect(
      bad({
        prescriptions: [
          {
            medication: 'A',
            dosage: 'B',
            drugCode: '40.677',
            quantity: 10,
            unit: 'viên',
            days: 5,
            type: 'n',
          },
        ],
      }),
    ).toContain('prescriptions.type');
    const ok = parse(EndDto, {
      diagnoses: [{ code: 'I10' }],
      prescriptions: [
        {
          medication: 'Amlodipin 5 mg',
          dosage: '1 viên sáng',
          drugCode: '40.677',
          quantity: 60,
          unit: 'viên',
          days: 60,
        },
      ],
    });
    expect(ok.prescriptions?.[0]).toMatchObject({ type: 'c', days: 60 });

    // With the visit's diagnoses (the check the visit end runs with EndDto's content).
    const checks = t.app.get(EprescriptionChecks);
    const author = {
      subject: 'x',
      role: 'practitioner' as const,
      scopes: [],
      fhirUser: `Practitioner/${ids.other}`,
      tokenId: 'x',
      expiresAt: 0,
    };
    const rx = (days: number, drugCode = '40.677') => ({
      medication: 'Amlodipin 5 mg',
      dosage: '1 viên',
      drugCode,
      quantity: days,
      unit: 'viên',
      days,
      type: 'c' as const,
    });
    const problems = await checks.checkVisit(author, [rx(20), rx(45), rx(10, '99.999')], [{ code: 'J02.9' }]);
    expect(problems.join('\n')).toContain(
      'prescriptions[1].days: 45 days is over 30 (Circular 26/2025/TT-BYT art. 6(8)(a))',
    );
    expect(problems.join('\n')).toContain(
      'prescriptions[2].drugCode: 99.999 is not in the national drug list',
    );
    expect(problems.join('\n')).toContain('PUT /eprescription/credentials'); // Practitioner "other" has none
    expect(problems.some((p) => p.startsWith('prescriptions[0]'))).toBe(false);
    expect(await checks.checkVisit(author, [rx(45)], [{ code: 'I10' }])).toEqual([
      expect.stringContaining('PUT /eprescription/credentials'),
    ]);
  });

  it('PUT /eprescription/credentials: the practitioner’s own, stored encrypted, never returned; not for staff', async () => {
    const body = {
      facilityCode: '92001',
      facilityLinkCode: 'CT-BVTW',
      doctorLinkCode: 'BS-00123',
      password: 'Mat-khau-BYT-2026',
    };
    expect((await api(t.url, 'PUT', '/eprescription/credentials', tokens['erx.staff'], body)).status).toBe(
      403,
    );
    expect((await api(t.url, 'PUT', '/eprescription/credentials', undefined, body)).status).toBe(401);
    expect(
      (
        await api(t.url, 'PUT', '/eprescription/credentials', tokens['erx.doc'], {
          ...body,
          facilityCode: '9200',
        })
      ).status,
    ).toBe(400);
    const res = await api(t.url, 'PUT', '/eprescription/credentials', tokens['erx.doc'], body);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const rows = (await db.query(`SELECT * FROM eprescription.credential`)) as Json[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      practitioner: `Practitioner/${ids.doctor}`,
      facility_code: '92001',
      doctor_link_code: 'BS-00123',
    });
    expect(JSON.stringify(rows)).not.toContain('Mat-khau-BYT-2026');
    expect(String(rows[0]!.password_encrypted)).toMatch(/^v1\./);
    // No route reads it back.
    expect((await api(t.url, 'GET', '/eprescription/credentials', tokens['erx.doc'])).status).toBe(404);
  });

  it('a prescription over the rules is refused when written, nothing sent', async () => {
    const enc = await newEncounter();
    const before = standin.received.length;
    const over30 = await doc.post(
      'MedicationRequest',
      drug(ids.patient, enc, `Practitioner/${ids.doctor}`, { days: 45 }),
    );
    expect(over30.status).toBe(422);
    expect(JSON.stringify(over30.body)).toContain('art. 6(8)(a)');
    const noDosage = await doc.post(
      'MedicationRequest',
      drug(ids.patient, enc, `Practitioner/${ids.doctor}`, { dosage: null }),
    );
    expect(noDosage.status).toBe(422);
    expect(JSON.stringify(noDosage.body)).toContain('.dosage: how to take it is required');
    const unknown = await doc.post(
      'MedicationRequest',
      drug(ids.patient, enc, `Practitioner/${ids.doctor}`, { code: '99.999' }),
    );
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(unknown.body)).toContain('not in the national drug list');
    // Written by someone else than the prescriber it names: refused.
    const other = new Fhir(t.url, tokens['erx.other']!);
    const forged = await other.post(
      'MedicationRequest',
      drug(ids.patient, enc, `Practitioner/${ids.doctor}`),
    );
    expect([403, 404, 422]).toContain(forged.status);
    await sleep(1500);
    expect(standin.received.length).toBe(before);
    expect((await prescriptionsOf(enc)).status).toBe(404); // nothing was recorded
  });

  it('a visit’s drugs become one national prescription, sent once with the CCCD; the code comes back on each MedicationRequest', async () => {
    const enc = await newEncounter();
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          request: { method: 'POST', url: 'MedicationRequest' },
          resource: drug(ids.patient, enc, `Practitioner/${ids.doctor}`, { days: 60, icd: ['I10', 'K21.9'] }),
        },
        {
          request: { method: 'POST', url: 'MedicationRequest' },
          resource: drug(ids.patient, enc, `Practitioner/${ids.doctor}`, {
            code: '40.678',
            days: 20,
            quantity: 20,
          }),
        },
      ],
    };
    const r = await doc.post('', bundle);
    expect(r.status).toBe(200);
    const [p] = await settled(enc);
    expect(p).toMatchObject({ status: 'issued', type: 'c', attempts: 1, reasons: [] });
    const code = p!.code as string;
    expect(code).toMatch(/^92001[0-9a-z]{7}-C$/);
    const sent = standin.accepted.filter((a) => a.code === code);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.authorization).toMatch(/^Bearer /);
    expect(sent[0]!.body).toMatchObject({
      loai_don_thuoc: 'c',
      ma_don_thuoc: code,
      ho_ten_benh_nhan: 'Nguyễn Văn Bình',
      ma_dinh_danh_cong_dan: '092061001234',
      ngay_sinh_benh_nhan: '1961-04-12',
      chan_doan: expect.arrayContaining([expect.objectContaining({ ma_chan_doan: 'I10' })]),
    });
    expect((sent[0]!.body.thong_tin_don_thuoc as Json[]).map((d) => [d.ma_thuoc, d.so_luong])).toEqual([
      ['40.677', 28],
      ['40.678', 20],
    ]);
    expect(standin.signIns.at(-1)).toEqual({ facility: 'CT-BVTW', doctor: 'BS-00123' });
    for (const ref of p!.medicationRequests as string[]) {
      const mr = await doc.get(ref);
      expect(mr.body.identifier).toEqual([{ system: E_PRESCRIPTION_CODE_SYSTEM, value: code }]);
      expect((mr.body.meta as Json).versionId).toBe('2');
      // The version carrying the national code is signed on the prescriber's behalf (issue 21 part 4).
      const verified = (await doc.get(`${ref}/$verify`)).body.parameter as {
        name: string;
        valueBoolean?: boolean;
      }[];
      expect(verified.find((x) => x.name === 'result')?.valueBoolean).toBe(true);
    }
    await sleep(1500);
    expect(standin.received.filter((a) => a.code === code)).toHaveLength(1);
    // The patient is told, with the code in the app (SMS/email words carry none).
    const notices = ((await sys.get(`Communication?recipient=Patient/${ids.patient}&_count=200`)).body
      .entry ?? []) as {
      resource: { payload?: { contentString?: string }[] };
    }[];
    expect(notices.some((n) => (n.resource.payload ?? []).some((x) => x.contentString?.includes(code)))).toBe(
      true,
    );
  });

  it('who sees a visit’s prescriptions: its practitioner and the facility’s staff; others 404; the read is audited', async () => {
    const enc = await newEncounter();
    expect(
      (await doc.post('MedicationRequest', drug(ids.patient, enc, `Practitioner/${ids.doctor}`))).status,
    ).toBe(201);
    await settled(enc);
    expect((await prescriptionsOf(enc, tokens['erx.staff'])).status).toBe(200);
    expect((await prescriptionsOf(enc, tokens['erx.staff2'])).status).toBe(404);
    expect((await prescriptionsOf(enc, tokens['erx.other'])).status).toBe(404);
    expect((await prescriptionsOf('no-such-encounter')).status).toBe(404);
    const audit = await sys.get(`AuditEvent?patient=${ids.patient}&_count=200`);
    expect(JSON.stringify(audit.body)).toContain('GET /eprescription/prescriptions');
  });

  it('422 from the system: failed with its reasons, not retried', async () => {
    standin.unknownDrugs.add('40.679');
    const enc = await newEncounter();
    expect(
      (
        await doc.post(
          'MedicationRequest',
          drug(ids.patient, enc, `Practitioner/${ids.doctor}`, { code: '40.679' }),
        )
      ).status,
    ).toBe(201);
    const [p] = await settled(enc);
    expect(p).toMatchObject({ status: 'failed', attempts: 1 });
    expect(p!.reasons).toEqual(['thong_tin_don_thuoc[0].ma_thuoc: không có trong danh mục thuốc']);
    await sleep(4000); // a retry (1 s backoff) would have come by now
    expect(standin.received.filter((a) => a.code === p!.code)).toHaveLength(1);
    expect(standin.accepted.some((a) => a.code === p!.code)).toBe(false);
  });

  it('5xx from the system: retried with backoff, accepted once', async () => {
    standin.failNext = 2;
    const enc = await newEncounter(ids.noCccd);
    expect(
      (await doc.post('MedicationRequest', drug(ids.noCccd, enc, `Practitioner/${ids.doctor}`))).status,
    ).toBe(201);
    const [p] = await settled(enc);
    expect(p).toMatchObject({ status: 'issued', attempts: 3 });
    expect(standin.received.filter((a) => a.code === p!.code)).toHaveLength(3);
    const accepted = standin.accepted.filter((a) => a.code === p!.code);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.body.ma_dinh_danh_cong_dan).toBeUndefined(); // this patient has no CCCD
    expect(accepted[0]!.body.gioi_tinh).toBe(1);
  });
});
