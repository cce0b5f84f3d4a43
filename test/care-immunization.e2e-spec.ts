import { dataSourceToken } from '@mekong/database';
import { HEALTH_RECORD_CONTEXT } from '@mekong/health-record';
import type { DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { schedulingWorld, type SchedulingWorld } from './support/scheduling-world';
import { api, startApp, type TestApp } from './support/test-app';
import { sleep, until } from './support/wait';

type Json = Record<string, unknown>;
interface Rec {
  series: string;
  doseNumberPositiveInt?: number;
  forecastStatus: { text: string };
  dateCriterion?: { code: { coding: { code: string }[] }; value: string }[];
  supportingImmunization?: { reference: string }[];
}

/** earliest/due/overdue of a recommendation entry (LOINC 30981-5, 30980-7, 59778-1). */
const dates = (r: Rec | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  const names: Record<string, string> = { '30981-5': 'earliest', '30980-7': 'due', '59778-1': 'overdue' };
  for (const c of r?.dateCriterion ?? []) out[names[c.code.coding[0]!.code]!] = c.value;
  return out;
};

/**
 * Proactive care, items 1 and 2: a child's vaccination forecast is kept in the record as one
 * ImmunizationRecommendation (a new version per change), the family is reminded once per dose
 * through durable jobs, a recorded dose silences its pending reminder, and the commune station
 * lists the children due this month.
 */
describe('care: immunization forecasts, family reminders, the station due list', () => {
  let t: TestApp;
  let w: SchedulingWorld;
  let child: string;
  let guardian: string;
  let recId: string;
  const today = DateTime.now().setZone('Asia/Ho_Chi_Minh').startOf('day');
  const day = (d: DateTime): string => d.toISODate()!;
  const birth = today;

  const sql = <T = Json>(text: string, params: unknown[] = []): Promise<T[]> =>
    t.app.get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false }).query(text, params);
  const reminders = (): Promise<{ dedup_key: string; recipient: string }[]> =>
    sql(`SELECT dedup_key, recipient FROM notify.notification WHERE dedup_key LIKE $1 ORDER BY dedup_key`, [
      `immunization:Patient/${child}:%`,
    ]);
  const recommendation = async (): Promise<{ body: Json; recs: Map<string, Rec> }> => {
    const r = await w.sys.get(`ImmunizationRecommendation/${recId}`);
    expect(r.status).toBe(200);
    const recs = new Map((r.body.recommendation as Rec[]).map((x) => [x.series, x]));
    return { body: r.body, recs };
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { JOB_POLL_SECONDS: '0.5' });
    w = await schedulingWorld(t);
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('a newborn registered at the station gets one recommendation with the schedule dates', async () => {
    // The child and its mother in one transaction: the reminder jobs see the guardian.
    const tx = await w.sys.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:8a7c1a52-0d5e-4a8e-9b7e-0c1d2e3f4a5b',
          resource: {
            resourceType: 'Patient',
            name: [{ family: 'Trần', given: ['Gia', 'Bảo'] }],
            birthDate: day(birth),
            managingOrganization: { reference: `Organization/${w.ids.station}` },
          },
          request: { method: 'POST', url: 'Patient' },
        },
        {
          resource: {
            resourceType: 'RelatedPerson',
            patient: { reference: 'urn:uuid:8a7c1a52-0d5e-4a8e-9b7e-0c1d2e3f4a5b' },
            relationship: [
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
            ],
            name: [{ family: 'Lê', given: ['Thị', 'Mai'] }],
            telecom: [{ system: 'phone', value: '0912345678' }],
          },
          request: { method: 'POST', url: 'RelatedPerson' },
        },
      ],
    });
    expect([tx.status, JSON.stringify(tx.body).slice(0, 300)]).toEqual([200, expect.anything()]);
    const locations = (tx.body.entry as { response: { location: string } }[]).map((e) => e.response.location);
    const idIn = (location: string): string => /(?:Patient|RelatedPerson)\/([^/]+)/.exec(location)![1]!;
    child = idIn(locations[0]!);
    guardian = idIn(locations[1]!);

    const found = await w.sys.get(`ImmunizationRecommendation?patient=Patient/${child}`);
    const ids = Fhir.ids(found.body);
    expect(ids).toHaveLength(1);
    recId = ids[0]!;
    const { body, recs } = await recommendation();
    expect(body).toMatchObject({
      patient: { reference: `Patient/${child}` },
      date: day(today),
      meta: { versionId: '1' },
    });
    // Hand-derived from Circular 10/2024 (schedule.ts): HepB within 24 h (overdue the next day),
    // BCG within the first month, 5-in-1 dose 1 at 2 months (overdue a month later).
    expect(recs.get('HEPB-BIRTH')).toMatchObject({
      forecastStatus: { text: 'due' },
      doseNumberPositiveInt: 1,
    });
    expect(dates(recs.get('HEPB-BIRTH'))).toEqual({
      earliest: day(birth),
      due: day(birth),
      overdue: day(birth.plus({ days: 1 })),
    });
    expect(recs.get('BCG')).toMatchObject({ forecastStatus: { text: 'due' }, doseNumberPositiveInt: 1 });
    expect(dates(recs.get('BCG'))).toEqual({
      earliest: day(birth),
      due: day(birth),
      overdue: day(birth.plus({ months: 1 })),
    });
    expect(recs.get('DTP-HEPB-HIB')).toMatchObject({
      forecastStatus: { text: 'upcoming' },
      doseNumberPositiveInt: 1,
      seriesDosesPositiveInt: 4,
    });
    expect(dates(recs.get('DTP-HEPB-HIB'))).toEqual({
      earliest: day(birth.plus({ months: 2 })),
      due: day(birth.plus({ months: 2 })),
      overdue: day(birth.plus({ months: 3 })),
    });
    expect(dates(recs.get('MEASLES'))).toMatchObject({ due: day(birth.plus({ months: 9 })) });
  });

  it("the mother's reminder fires once; writing the Patient again recomputes but sends nothing new", async () => {
    const key = (series: string): string =>
      `immunization:Patient/${child}:${series}:1:due-soon:RelatedPerson/${guardian}`;
    const hepbKey = key('HEPB-BIRTH');
    // Both birth doses are due today: each reminded at once (7 days before has passed), to the mother.
    const sent = await until('the birth-dose reminders', async () => {
      const rows = await reminders();
      return rows.length >= 2 ? rows : undefined;
    });
    expect(sent.map((r) => r.dedup_key)).toEqual([key('BCG'), hepbKey]);
    expect(sent.every((r) => r.recipient === `RelatedPerson/${guardian}`)).toBe(true);
    const inbox = await w.sys.get(`Communication?recipient=RelatedPerson/${guardian}&category=reminder`);
    const comms = ((inbox.body.entry ?? []) as { resource: Json }[]).map((e) => e.resource);
    const hepb = comms.filter((c) => JSON.stringify(c.payload).includes('Viêm gan B sơ sinh'));
    expect(hepb).toHaveLength(1);
    expect(hepb[0]).toMatchObject({
      status: 'completed',
      subject: { reference: `Patient/${child}` },
      about: [{ reference: `ImmunizationRecommendation/${recId}` }],
    });
    expect(JSON.stringify(hepb[0]!.payload)).toMatch(/Bé Trần Gia Bảo .*lịch tiêm/);
    expect(JSON.stringify(hepb[0]!.payload)).toMatch(/Trần Gia Bảo is due for Hepatitis B birth dose/);

    const jobsBefore = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM jobs.job WHERE name = 'care.immunization-reminder' AND data->>'patientId' = $1`,
      [child],
    );
    const patient = (await w.sys.get(`Patient/${child}`)).body;
    const put = await w.as.nurse!.put(`Patient/${child}`, {
      ...patient,
      telecom: [{ system: 'phone', value: '0987654321' }],
    });
    expect(put.status).toBe(200);
    const { body } = await recommendation();
    expect(body.meta).toMatchObject({ versionId: '2' });
    await sleep(2500); // several poll rounds
    const after = await reminders();
    expect(after.filter((r) => r.dedup_key === hepbKey)).toHaveLength(1);
    expect(after).toHaveLength(sent.length);
    const jobsAfter = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM jobs.job WHERE name = 'care.immunization-reminder' AND data->>'patientId' = $1`,
      [child],
    );
    expect(jobsAfter[0]!.n).toBe(jobsBefore[0]!.n); // same dates: no new reminder planned
  });

  it('recording the HepB dose completes it and its pending overdue reminder never fires', async () => {
    const imm = await w.as.nurse!.post('Immunization', {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: {
        coding: [
          { system: 'http://hl7.org/fhir/sid/cvx', code: '08', display: 'Hep B, adolescent or pediatric' },
        ],
      },
      patient: { reference: `Patient/${child}` },
      occurrenceDateTime: new Date().toISOString(),
    });
    expect([imm.status, JSON.stringify(imm.body).slice(0, 300)]).toEqual([201, expect.anything()]);
    const { body, recs } = await recommendation();
    expect(body.meta).toMatchObject({ versionId: '3' });
    expect(recs.get('HEPB-BIRTH')).toMatchObject({
      forecastStatus: { text: 'complete' },
      supportingImmunization: [{ reference: `Immunization/${String(imm.body.id)}` }],
    });
    expect(recs.get('HEPB-BIRTH')?.dateCriterion).toBeUndefined();
    expect(recs.get('BCG')).toMatchObject({ forecastStatus: { text: 'due' } });

    // The overdue reminder was planned for tomorrow 08:00: make it due now and let the worker run it.
    const moved = await sql<{ id: string }>(
      `UPDATE jobs.job SET start_after = now() WHERE name = 'care.immunization-reminder' AND state = 'created'
         AND data->>'patientId' = $1 AND data->>'antigen' = 'HEPB-BIRTH' AND data->>'kind' = 'overdue'
       RETURNING id`,
      [child],
    );
    const movedIds = (Array.isArray(moved[0]) ? (moved[0] as { id: string }[]) : moved).map((r) => r.id);
    expect(movedIds).toHaveLength(1);
    await until('the overdue job to run', async () => {
      const rows = await sql<{ state: string }>(`SELECT state FROM jobs.job WHERE id = $1`, [movedIds[0]]);
      return rows[0]?.state === 'completed' ? true : undefined;
    });
    expect((await reminders()).map((r) => r.dedup_key)).not.toContain(
      `immunization:Patient/${child}:HEPB-BIRTH:1:overdue:RelatedPerson/${guardian}`,
    );
  });

  it('dates written out by hand for a child born 31 Dec 2025; voided and deleted doses stop counting', async () => {
    const born = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Đỗ', given: ['Minh', 'Châu'] }],
      birthDate: '2025-12-31',
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(born.status).toBe(201);
    const id = String(born.body.id);
    const rec = async (): Promise<Map<string, Rec>> => {
      const found = await w.sys.get(`ImmunizationRecommendation?patient=Patient/${id}`);
      const entries = (found.body.entry ?? []) as { resource: { recommendation: Rec[] } }[];
      expect(entries).toHaveLength(1);
      return new Map(entries[0]!.resource.recommendation.map((x) => [x.series, x]));
    };
    let recs = await rec();
    // Past HepBBirthDoseAgeLimitDays (7, LOCAL POLICY): the birth dose is not applicable, never overdue.
    expect(recs.get('HEPB-BIRTH')).toMatchObject({ forecastStatus: { text: 'not-applicable' } });
    expect(recs.get('HEPB-BIRTH')?.dateCriterion).toBeUndefined();
    expect(dates(recs.get('BCG'))).toEqual({
      earliest: '2025-12-31',
      due: '2025-12-31',
      overdue: '2026-01-31',
    });
    // 2 months after 31 Dec is 28 Feb (month ends clamp); overdue one month after that due date (28 Mar).
    expect(dates(recs.get('DTP-HEPB-HIB'))).toEqual({
      earliest: '2026-02-28',
      due: '2026-02-28',
      overdue: '2026-03-28',
    });
    expect(dates(recs.get('IPV'))).toEqual({
      earliest: '2026-05-31',
      due: '2026-05-31',
      overdue: '2026-06-30',
    });
    expect(dates(recs.get('MEASLES'))).toEqual({
      earliest: '2026-09-30',
      due: '2026-09-30',
      overdue: '2026-10-30',
    });
    expect(dates(recs.get('TD'))).toEqual({
      earliest: '2032-12-31',
      due: '2032-12-31',
      overdue: '2033-01-31',
    });

    // 5-in-1 dose 1 given on 10 Mar 2026 (local code): dose 2 at least a month later.
    const dose = {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: {
        coding: [{ system: 'https://fhir.mekong.health/CodeSystem/vn-epi-antigen', code: 'DTP-HEPB-HIB' }],
      },
      patient: { reference: `Patient/${id}` },
      occurrenceDateTime: '2026-03-10',
    };
    const given = await w.as.nurse!.post('Immunization', dose);
    expect(given.status).toBe(201);
    recs = await rec();
    expect(recs.get('DTP-HEPB-HIB')).toMatchObject({ doseNumberPositiveInt: 2 });
    expect(dates(recs.get('DTP-HEPB-HIB'))).toEqual({
      earliest: '2026-04-10',
      due: '2026-04-10',
      overdue: '2026-05-10',
    });
    // Entered in error: no longer counts.
    const voided = await w.as.nurse!.put(`Immunization/${String(given.body.id)}`, {
      ...dose,
      id: given.body.id,
      status: 'entered-in-error',
    });
    expect(voided.status).toBe(200);
    recs = await rec();
    expect(recs.get('DTP-HEPB-HIB')).toMatchObject({ doseNumberPositiveInt: 1 });
    // Counted again, then deleted: gone from the forecast.
    expect(
      (await w.as.nurse!.put(`Immunization/${String(given.body.id)}`, { ...dose, id: given.body.id })).status,
    ).toBe(200);
    expect((await rec()).get('DTP-HEPB-HIB')).toMatchObject({ doseNumberPositiveInt: 2 });
    expect((await w.as.nurse!.delete(`Immunization/${String(given.body.id)}`)).status).toBeLessThan(300);
    expect((await rec()).get('DTP-HEPB-HIB')).toMatchObject({ doseNumberPositiveInt: 1 });
  });

  it('two CVX 198 (5-in-1) doses count as doses 1 and 2; a dose with an unknown code is shown as not counted on the schedule and the due list', async () => {
    const born = today.minus({ months: 4 });
    const kid = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Vũ', given: ['Anh', 'Thư'] }],
      birthDate: day(born),
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(kid.status).toBe(201);
    const id = String(kid.body.id);
    const give = async (coding: Json, on: DateTime): Promise<string> => {
      const r = await w.as.nurse!.post('Immunization', {
        resourceType: 'Immunization',
        status: 'completed',
        vaccineCode: { coding: [coding] },
        patient: { reference: `Patient/${id}` },
        occurrenceDateTime: day(on),
      });
      expect(r.status).toBe(201);
      return `Immunization/${String(r.body.id)}`;
    };
    const cvx198 = { system: 'http://hl7.org/fhir/sid/cvx', code: '198' };
    const first = await give(cvx198, born.plus({ months: 2 }));
    const second = await give(cvx198, born.plus({ months: 3 }));
    const unknown = await give(
      { system: 'urn:x-vn-vaccine-product', code: 'QUINVAXEM' },
      born.plus({ months: 3 }),
    );

    const found = await w.sys.get(`ImmunizationRecommendation?patient=Patient/${id}`);
    const entries = (found.body.entry ?? []) as { resource: { recommendation: Rec[]; extension: Json[] } }[];
    expect(entries).toHaveLength(1);
    const resource = entries[0]!.resource;
    const five = resource.recommendation.find((r) => r.series === 'DTP-HEPB-HIB');
    // DTP, HepB and Hib doses 1 and 2 counted (one series: the 5-in-1 carries all five antigens).
    expect(five).toMatchObject({
      doseNumberPositiveInt: 3,
      supportingImmunization: [{ reference: first }, { reference: second }],
    });
    expect(five?.forecastStatus.text).not.toBe('overdue');
    const notCounted = resource.extension.filter(
      (e) => e.url === 'https://fhir.mekong.health/StructureDefinition/immunization-not-counted',
    );
    expect(notCounted).toEqual([
      {
        url: 'https://fhir.mekong.health/StructureDefinition/immunization-not-counted',
        valueString: expect.stringMatching(
          new RegExp(`^${unknown}: vaccine code urn:x-vn-vaccine-product\\|QUINVAXEM is unknown`),
        ) as unknown,
      },
    ]);

    // The station's list: the child is due for dose 3 this month, and the unknown dose is on its rows.
    const month = today.toFormat('yyyy-MM');
    const res = await api(t.url, 'GET', `/care/immunizations/due?month=${month}`, w.as.nurse!.token);
    expect(res.status).toBe(200);
    const rows = ((await res.json()) as Json[]).filter((e) => (e.patient as { id: string }).id === id);
    expect(rows.find((r) => r.antigen === 'DTP-HEPB-HIB')).toMatchObject({ dose: 3, due: day(today) });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows)
      expect(r.notCounted).toEqual([
        {
          reference: unknown,
          code: 'urn:x-vn-vaccine-product|QUINVAXEM',
          date: day(born.plus({ months: 3 })),
          why: expect.stringContaining('is unknown') as unknown,
        },
      ]);
  });

  it("lists the station's children due this month for its nurse; others are refused; a bad month is 400", async () => {
    // A child of no station is not on the list.
    const elsewhere = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Phạm', given: ['Khôi'] }],
      birthDate: day(today),
    });
    expect(elsewhere.status).toBe(201);
    const month = today.toFormat('yyyy-MM');
    const res = await api(t.url, 'GET', `/care/immunizations/due?month=${month}`, w.as.nurse!.token);
    expect(res.status).toBe(200);
    const list = (await res.json()) as Json[];
    const mine = list.filter((e) => (e.patient as { id: string }).id === child);
    expect(mine).toEqual([
      {
        patient: { id: child, name: 'Trần Gia Bảo', birthDate: day(birth) },
        antigen: 'BCG',
        dose: 1,
        status: 'due',
        due: day(birth),
        overdue: day(birth.plus({ months: 1 })),
        earliest: day(birth),
        notCounted: [],
      },
    ]);
    expect(list.some((e) => (e.patient as { id: string }).id === String(elsewhere.body.id))).toBe(false);
    // Two months ahead the 5-in-1, OPV first doses are on the list too, still upcoming.
    const later = birth.plus({ months: 2 }).toFormat('yyyy-MM');
    const ahead = (await (
      await api(t.url, 'GET', `/care/immunizations/due?month=${later}`, w.as.nurse!.token)
    ).json()) as Json[];
    const dueDates = ahead.map((e) => e.due as string);
    expect(dueDates).toEqual([...dueDates].sort());
    expect(
      ahead
        .filter((e) => (e.patient as { id: string }).id === child)
        .map((e) => [e.antigen, e.dose, e.status]),
    ).toEqual(
      expect.arrayContaining([
        ['BCG', 1, 'due'],
        ['DTP-HEPB-HIB', 1, 'upcoming'],
        ['OPV', 1, 'upcoming'],
      ]),
    );

    for (const who of ['doctor', 'patient.b', 'admin']) {
      const r = await api(t.url, 'GET', `/care/immunizations/due?month=${month}`, w.as[who]!.token);
      expect([who, r.status]).toEqual([who, 403]);
    }
    expect((await api(t.url, 'GET', `/care/immunizations/due?month=${month}`)).status).toBe(401);
    for (const bad of ['2026-13', '2026-1', 'abc', '']) {
      const r = await api(t.url, 'GET', `/care/immunizations/due?month=${bad}`, w.as.nurse!.token);
      expect([bad, r.status]).toEqual([bad, 400]);
    }
    expect((await api(t.url, 'GET', `/care/immunizations/due`, w.as.nurse!.token)).status).toBe(400);
  });

  it('a pregnancy Observation makes the tetanus dose for pregnant women appear (issue 17 item 7); "Not pregnant" removes it', async () => {
    const born = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Lê', given: ['Thị', 'Hoa'] }],
      gender: 'female',
      birthDate: day(today.minus({ years: 28 })),
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(born.status).toBe(201);
    const id = String(born.body.id);
    // Her husband is in the record: he is not told of the pregnancy (LOCAL POLICY).
    const husband = await w.sys.post('RelatedPerson', {
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${id}` },
      name: [{ family: 'Ngô', given: ['Văn', 'Tú'] }],
    });
    expect(husband.status).toBe(201);
    const found = async (): Promise<{ recommendation: (Rec & Json)[]; extension: Json[] }[]> =>
      (
        ((await w.sys.get(`ImmunizationRecommendation?patient=Patient/${id}`)).body.entry ?? []) as {
          resource: { recommendation: (Rec & Json)[]; extension: Json[] };
        }[]
      ).map((e) => e.resource);
    // An adult who is not pregnant: no recommendation at all.
    expect(await found()).toEqual([]);

    const status = (snomed: string, on: DateTime) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '82810-3', display: 'Pregnancy status' }] },
      subject: { reference: `Patient/${id}` },
      effectiveDateTime: day(on),
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
    });
    const pregnant = await w.as.nurse!.post('Observation', status('77386006', today));
    expect([pregnant.status, JSON.stringify(pregnant.body).slice(0, 300)]).toEqual([201, expect.anything()]);

    const recs = await found();
    expect(recs).toHaveLength(1);
    // Only the tetanus row (an adult has no children's series), named with the schedule version.
    expect(recs[0]!.recommendation.map((r) => r.series)).toEqual(['TT-PREG']);
    expect(recs[0]!.extension).toContainEqual({
      url: 'https://fhir.mekong.health/StructureDefinition/care-rule',
      valueString: 'epi.schedule.vn-epi-2024.4',
    });
    const tt = recs[0]!.recommendation[0]!;
    expect(tt).toMatchObject({
      doseNumberPositiveInt: 1,
      seriesDosesPositiveInt: 5,
      forecastStatus: { text: 'due' },
      supportingPatientInformation: [{ reference: `Observation/${String(pregnant.body.id)}` }],
    });
    expect(dates(tt)).toEqual({
      earliest: day(today.minus({ years: 28 }).plus({ years: 15 })),
      due: day(today),
      overdue: day(today.plus({ months: 1 })),
    });
    expect(JSON.stringify(tt.extension)).toContain('SECONDARY only');

    // The station's list shows her dose; the reminder reaches her, not her husband.
    const month = today.toFormat('yyyy-MM');
    const res = await api(t.url, 'GET', `/care/immunizations/due?month=${month}`, w.as.nurse!.token);
    const rows = ((await res.json()) as Json[]).filter((e) => (e.patient as { id: string }).id === id);
    expect(rows.map((r) => [r.antigen, r.dose, r.status])).toEqual([['TT-PREG', 1, 'due']]);
    const sent = await until('her tetanus reminder', async () => {
      const got = await sql<{ dedup_key: string; recipient: string }>(
        `SELECT dedup_key, recipient FROM notify.notification WHERE dedup_key LIKE $1`,
        [`immunization:Patient/${id}:%`],
      );
      return got.length > 0 ? got : undefined;
    });
    expect(sent).toEqual([
      {
        dedup_key: `immunization:Patient/${id}:TT-PREG:1:due-soon:Patient/${id}`,
        recipient: `Patient/${id}`,
      },
    ]);

    // Dose 1 given today: dose 2 is at least one month later.
    const given = await w.as.nurse!.post('Immunization', {
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '35' }] },
      patient: { reference: `Patient/${id}` },
      occurrenceDateTime: day(today),
    });
    expect(given.status).toBe(201);
    const after = (await found())[0]!.recommendation[0]!;
    expect(after).toMatchObject({ doseNumberPositiveInt: 2, forecastStatus: { text: 'upcoming' } });
    expect(dates(after).due).toBe(day(today.plus({ months: 1 })));

    // The pregnancy ends: no row, so no recommendation for her.
    expect((await w.as.nurse!.post('Observation', status('60001007', today))).status).toBe(201);
    expect(await found()).toEqual([]);
  });

  it('an active Condition ICD-10 Z33 (pregnant state) shows a pregnancy too', async () => {
    const born = await w.as.nurse!.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Hồ', given: ['Thị', 'Lan'] }],
      gender: 'female',
      birthDate: day(today.minus({ years: 24 })),
      managingOrganization: { reference: `Organization/${w.ids.station}` },
    });
    expect(born.status).toBe(201);
    const id = String(born.body.id);
    const cond = await w.as.nurse!.post('Condition', {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z33' }] },
      subject: { reference: `Patient/${id}` },
      onsetDateTime: day(today.minus({ days: 3 })),
    });
    expect([cond.status, JSON.stringify(cond.body).slice(0, 300)]).toEqual([201, expect.anything()]);
    const found = await w.sys.get(`ImmunizationRecommendation?patient=Patient/${id}`);
    const recs = ((found.body.entry ?? []) as { resource: { recommendation: Rec[] } }[]).map(
      (e) => e.resource,
    );
    expect(recs).toHaveLength(1);
    expect(recs[0]!.recommendation.map((r) => [r.series, r.doseNumberPositiveInt])).toEqual([['TT-PREG', 1]]);
    expect(dates(recs[0]!.recommendation[0]).due).toBe(day(today.minus({ days: 3 })));
    // Deleted (recorded by mistake): the observer sees what was deleted, and her recommendation goes.
    expect((await w.sys.delete(`Condition/${String(cond.body.id)}`)).status).toBe(204);
    const after = await w.sys.get(`ImmunizationRecommendation?patient=Patient/${id}`);
    expect(after.body.entry ?? []).toEqual([]);
  });
});
