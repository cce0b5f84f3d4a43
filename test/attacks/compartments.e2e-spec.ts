import { dataSourceToken } from '@mekong/database';
import { HEALTH_RECORD_CONTEXT } from '@mekong/health-record';
import type { DataSource } from 'typeorm';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { Fhir } from '../support/fhir-client';
import { ADMIN, createAccounts, login, startApp, systemToken, type TestApp } from '../support/test-app';

/**
 * Issue 16 §4: data linked to a patient by any route — a reference, an identifier, a contained
 * resource, a Group, a Linkage, a List, a document — is in that patient's compartment or not
 * readable by others. Before: a Group of two patients, or a List/Composition/DocumentManifest of
 * patient O naming patient V's results, was readable by O and O's facility (their compartments held
 * O, and one reachable patient was enough); an Organization holding V's Observation in `contained`
 * was directory data, open to every caller; a contained Observation of V inside O's report was
 * readable by O; a subject given by CCCD alone put V's data in no compartment.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const LOINC = 'http://loinc.org';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const VICTIM_CCCD = '079090001234';

type Json = Record<string, unknown>;

function observation(patient: string, code = '75622-1'): Json {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patient}` },
    valueString: 'dương tính',
  };
}

const ref = (r: string): Json => ({ reference: r });

describe('issue 16 §4: data linked to a patient by any route stays in their compartment', () => {
  let t: TestApp;
  let sys: Fhir;
  const ids: Record<string, string> = {};
  const as: Record<string, Fhir> = {};
  /** Gathering resources naming the victim only: the victim and their facility read them. */
  const victimOnly: Record<string, string> = {};
  /** Resources naming the victim and the other patient: only a caller reaching both reads them. */
  const mixed: Record<string, string> = {};

  const mk = async (body: Json): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    sys = new Fhir(t.url, await systemToken(t.url));
    ids.orgV = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã An Bình' });
    ids.orgO = await mk({ resourceType: 'Organization', name: 'Trạm Y tế xã Long Hồ' });
    for (const p of ['nurseV', 'nurseO', 'stranger', 'both'])
      ids[p] = await mk({ resourceType: 'Practitioner', name: [{ family: p }] });
    ids.victim = await mk({
      resourceType: 'Patient',
      identifier: [{ system: CCCD, value: VICTIM_CCCD }],
      name: [{ family: 'Võ', given: ['Bình'] }],
      managingOrganization: ref(`Organization/${ids.orgV}`),
      generalPractitioner: [ref(`Practitioner/${ids.both}`)],
    });
    ids.other = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['An'] }],
      managingOrganization: ref(`Organization/${ids.orgO}`),
      generalPractitioner: [ref(`Practitioner/${ids.both}`)],
    });
    ids.victimObs = await mk(observation(ids.victim));
    ids.otherObs = await mk(observation(ids.other, '8867-4'));
    ids.victimDoc = await mk({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: ref(`Patient/${ids.victim}`),
      content: [{ attachment: { contentType: 'text/plain', data: 'eA==' } }],
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const tokens = await createAccounts(
      t.url,
      admin,
      [
        ['patient.victim', 'patient', `Patient/${ids.victim}`],
        ['patient.other', 'patient', `Patient/${ids.other}`],
        ['staff.v', 'clinic-staff', `Practitioner/${ids.nurseV}`, `Organization/${ids.orgV}`],
        ['staff.o', 'clinic-staff', `Practitioner/${ids.nurseO}`, `Organization/${ids.orgO}`],
        ['doctor.stranger', 'practitioner', `Practitioner/${ids.stranger}`],
        ['doctor.both', 'practitioner', `Practitioner/${ids.both}`],
      ],
      PASSWORD,
    );
    for (const [u, tk] of Object.entries(tokens)) as[u] = new Fhir(t.url, tk);
    as.admin = new Fhir(t.url, admin);

    const V = `Patient/${ids.victim}`;
    const O = `Patient/${ids.other}`;
    const vObs = `Observation/${ids.victimObs}`;
    const composition = (subject: string, entry: string): Json => ({
      resourceType: 'Composition',
      status: 'final',
      type: { coding: [{ system: LOINC, code: '11503-0' }] },
      date: '2026-01-05',
      title: 'Tóm tắt',
      author: [ref(`Practitioner/${ids.both}`)],
      subject: ref(subject),
      section: [{ title: 'Kết quả', entry: [ref(entry)] }],
    });
    victimOnly.Group = await mk({
      resourceType: 'Group',
      type: 'person',
      actual: true,
      member: [{ entity: ref(V) }],
    });
    victimOnly.List = await mk({
      resourceType: 'List',
      status: 'current',
      mode: 'working',
      subject: ref(V),
      entry: [{ item: ref(vObs) }],
    });
    victimOnly.Linkage = await mk({
      resourceType: 'Linkage',
      item: [
        { type: 'source', resource: ref(vObs) },
        { type: 'alternate', resource: ref(`DocumentReference/${ids.victimDoc}`) },
      ],
    });
    victimOnly.Composition = await mk(composition(V, vObs));
    victimOnly.DocumentManifest = await mk({
      resourceType: 'DocumentManifest',
      status: 'current',
      subject: ref(V),
      content: [ref(`DocumentReference/${ids.victimDoc}`)],
    });
    victimOnly.Provenance = await mk({
      resourceType: 'Provenance',
      target: [ref(vObs)],
      recorded: '2026-01-05T08:00:00+07:00',
      agent: [{ who: ref(`Practitioner/${ids.both}`) }],
    });
    victimOnly.Basic = await mk({ resourceType: 'Basic', code: { text: 'ghi chú' }, subject: ref(vObs) });
    victimOnly.DiagnosticReport = await mk({
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '75622-1' }] },
      subject: ref(V),
      contained: [{ ...observation(ids.victim), id: 'o1' }],
      result: [ref('#o1')],
    });
    mixed.Group = await mk({
      resourceType: 'Group',
      type: 'person',
      actual: true,
      member: [{ entity: ref(O) }, { entity: ref(V) }],
    });
    mixed.List = await mk({
      resourceType: 'List',
      status: 'current',
      mode: 'working',
      subject: ref(O),
      entry: [{ item: ref(`Observation/${ids.otherObs}`) }, { item: ref(vObs) }],
    });
    mixed.Composition = await mk(composition(O, vObs));
    mixed.DocumentManifest = await mk({
      resourceType: 'DocumentManifest',
      status: 'current',
      subject: ref(O),
      content: [ref(`DocumentReference/${ids.victimDoc}`)],
    });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  const attackers = ['patient.other', 'staff.o', 'doctor.stranger', 'admin'];

  it("patient O, O's facility, an unrelated doctor and an admin reach no Group, List, Linkage, document or contained data of V", async () => {
    const leaks: string[] = [];
    const all = {
      ...victimOnly,
      ...Object.fromEntries(Object.entries(mixed).map(([k, v]) => [`mixed ${k}`, v])),
    };
    for (const who of attackers) {
      const c = as[who] as Fhir;
      for (const [label, id] of Object.entries(all)) {
        const type = label.replace('mixed ', '');
        const read = (await c.get(`${type}/${id}`)).status;
        const found = Fhir.ids((await c.get(`${type}?_id=${id}`)).body).length;
        const history = (await c.get(`${type}/${id}/_history`)).status;
        const typeHistory = JSON.stringify((await c.get(`${type}/_history`)).body).includes(id);
        const vread = (await c.get(`${type}/${id}/_history/1`)).status;
        if (read !== 404 || found !== 0 || history !== 404 || typeHistory || vread !== 404)
          leaks.push(
            `${who} ${label}: read ${read}, search ${found}, history ${history}/${typeHistory}, vread ${vread}`,
          );
      }
    }
    expect(leaks).toEqual([]);
  });

  it("nor through _include/_revinclude or the other patient's $everything", async () => {
    const everyId = [...Object.values(victimOnly), ...Object.values(mixed)];
    const paths = [
      `Patient/${ids.other}/$everything`,
      `Patient?_id=${ids.other}&_revinclude=Group:member&_revinclude=List:subject&_revinclude=Composition:subject&_revinclude=DocumentManifest:subject`,
      `Observation?_id=${ids.otherObs}&_revinclude=List:item&_revinclude=Linkage:item&_revinclude=Provenance:target&_revinclude=Basic:subject`,
      `Group?member=Patient/${ids.other}`,
      `List?subject=Patient/${ids.other}`,
      `Composition?subject=Patient/${ids.other}&_include=Composition:entry`,
      `DocumentManifest?subject=Patient/${ids.other}&_include=DocumentManifest:item`,
    ];
    const leaks: string[] = [];
    for (const who of ['patient.other', 'staff.o']) {
      for (const path of paths) {
        const res = await (as[who] as Fhir).get(path);
        const body = JSON.stringify(res.body);
        const seen = everyId.filter((id) => body.includes(id));
        if (res.status !== 200 || seen.length > 0)
          leaks.push(`${who} ${path}: ${res.status} ${seen.join(',')}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('the victim and their facility still read what names only them; a mixed one needs both patients', async () => {
    for (const who of ['patient.victim', 'staff.v', 'doctor.both']) {
      const c = as[who] as Fhir;
      const statuses = Object.fromEntries(
        await Promise.all(
          Object.entries(victimOnly).map(async ([type, id]) => [type, (await c.get(`${type}/${id}`)).status]),
        ),
      );
      expect({ who, statuses }).toEqual({
        who,
        statuses: Object.fromEntries(Object.keys(victimOnly).map((k) => [k, 200])),
      });
    }
    const everything = JSON.stringify(
      (await (as['staff.v'] as Fhir).get(`Patient/${ids.victim}/$everything`)).body,
    );
    for (const type of ['Group', 'List', 'Composition', 'DocumentManifest', 'DiagnosticReport'])
      expect({ type, listed: everything.includes(victimOnly[type] as string) }).toEqual({
        type,
        listed: true,
      });
    for (const [type, id] of Object.entries(mixed)) {
      expect({ type, v: (await (as['staff.v'] as Fhir).get(`${type}/${id}`)).status }).toEqual({
        type,
        v: 404,
      });
      expect({ type, both: (await (as['doctor.both'] as Fhir).get(`${type}/${id}`)).status }).toEqual({
        type,
        both: 200,
      });
    }
  });

  it('contained data names only the patients of what holds it; a contained Patient carries no identifier', async () => {
    const victimResult = { ...observation(ids.victim!), id: 'o1' };
    // V's result inside an Organization (directory data, open to all) or inside O's report
    const inOrganization = await sys.post('Organization', {
      resourceType: 'Organization',
      name: 'Phòng xét nghiệm',
      contained: [victimResult],
    });
    expect(inOrganization.status).toBe(422);
    const report = {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '75622-1' }] },
      subject: ref(`Patient/${ids.other}`),
      contained: [victimResult],
      result: [ref('#o1')],
    };
    expect((await sys.post('DiagnosticReport', report)).status).toBe(422);
    expect((await (as['doctor.both'] as Fhir).post('DiagnosticReport', report)).status).toBe(422);
    // O's facility does not reach V at all: refused before anything is looked up
    expect((await (as['staff.o'] as Fhir).post('DiagnosticReport', report)).status).toBe(403);
    // a copy of V's identity inside O's Observation
    const copy = await (as['staff.o'] as Fhir).post('Observation', {
      ...observation(ids.other!),
      contained: [{ resourceType: 'Patient', id: 'p', identifier: [{ system: CCCD, value: VICTIM_CCCD }] }],
      focus: [ref('#p')],
    });
    expect(copy.status).toBe(422);
    // a contained reference to V's data is checked like any other: not visible = does not exist
    const hidden = await (as['staff.o'] as Fhir).post('List', {
      resourceType: 'List',
      status: 'current',
      mode: 'working',
      subject: ref(`Patient/${ids.other}`),
      contained: [
        { resourceType: 'Basic', id: 'b', code: { text: 'x' }, subject: ref(`Observation/${ids.victimObs}`) },
      ],
      entry: [{ item: ref('#b') }],
    });
    expect(hidden.status).toBe(422);
    expect(JSON.stringify(hidden.body)).toContain('which does not exist');
    // a gathering resource may hold several patients' data inline: then it needs both to be read
    const held = await mk({
      resourceType: 'List',
      status: 'current',
      mode: 'working',
      subject: ref(`Patient/${ids.other}`),
      contained: [victimResult],
      entry: [{ item: ref('#o1') }],
    });
    expect((await (as['patient.other'] as Fhir).get(`List/${held}`)).status).toBe(404);
    expect((await (as['doctor.both'] as Fhir).get(`List/${held}`)).status).toBe(200);
  });

  it('a patient is named by Patient/id: a reference by CCCD (or typed Patient) alone is refused', async () => {
    for (const subject of [
      { identifier: { system: CCCD, value: VICTIM_CCCD } },
      { type: 'Patient', identifier: { system: 'urn:oid:1.2.3', value: 'MRN-1' } },
    ]) {
      for (const who of ['staff.o', 'doctor.both']) {
        const res = await (as[who] as Fhir).post('Observation', { ...observation(ids.other!), subject });
        expect({ who, status: res.status }).toEqual({ who, status: 422 });
      }
      expect((await sys.post('Observation', { ...observation(ids.other!), subject })).status).toBe(422);
    }
    // as a decoration of a literal reference it changes nothing: the reference decides
    const decorated = await (as['staff.o'] as Fhir).post('Observation', {
      ...observation(ids.other!),
      subject: { reference: `Patient/${ids.other}`, display: 'Nguyễn An' },
    });
    expect(decorated.status).toBe(201);
  });

  it('a characteristic-only Group (no members) belongs to no patient: system clients only', async () => {
    const cohort = await mk({
      resourceType: 'Group',
      type: 'person',
      actual: false,
      characteristic: [{ code: { text: 'HIV' }, valueBoolean: true, exclude: false }],
    });
    for (const who of [...attackers, 'staff.v', 'doctor.both'])
      expect({ who, status: (await (as[who] as Fhir).get(`Group/${cohort}`)).status }).toEqual({
        who,
        status: 404,
      });
    expect((await sys.get(`Group/${cohort}`)).status).toBe(200);
  });
});

describe('issue 16 §4: rows written before are backfilled by LinkedCompartments1765600000000', () => {
  it('a Group, a List and contained data stored with the old compartments are closed after the upgrade', async () => {
    let t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' });
    try {
      const sys = new Fhir(t.url, await systemToken(t.url));
      const mk = async (body: Json): Promise<string> => {
        const r = await sys.post(String(body.resourceType), body);
        if (r.status !== 201) throw new Error(`seed: ${r.status} ${JSON.stringify(r.body)}`);
        return r.body.id as string;
      };
      const orgV = await mk({ resourceType: 'Organization', name: 'V' });
      const victim = await mk({ resourceType: 'Patient', managingOrganization: ref(`Organization/${orgV}`) });
      const other = await mk({ resourceType: 'Patient' });
      const nurse = await mk({ resourceType: 'Practitioner' });
      const victimObs = await mk(observation(victim));
      const group = await mk({
        resourceType: 'Group',
        type: 'person',
        actual: true,
        member: [{ entity: ref(`Patient/${other}`) }, { entity: ref(`Patient/${victim}`) }],
      });
      const list = await mk({
        resourceType: 'List',
        status: 'current',
        mode: 'working',
        subject: ref(`Patient/${other}`),
        entry: [{ item: ref(`Observation/${victimObs}`) }],
      });
      await sys.put(`List/${list}`, {
        resourceType: 'List',
        id: list,
        status: 'current',
        mode: 'working',
        subject: ref(`Patient/${other}`),
        entry: [{ item: ref(`Observation/${victimObs}`) }],
        title: 'v2',
      });
      const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
      await createAccounts(
        t.url,
        admin,
        [
          ['other.patient', 'patient', `Patient/${other}`],
          ['victim.nurse', 'clinic-staff', `Practitioner/${nurse}`, `Organization/${orgV}`],
        ],
        PASSWORD,
      );
      const db = t.app.get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false });
      // An Organization holding V's result, as the code before the fix stored it (no compartments:
      // directory data) — the write rules refuse it now, so it is put in place directly.
      const orgContent = {
        resourceType: 'Organization',
        id: 'lab-with-result',
        meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' },
        name: 'Phòng xét nghiệm',
        contained: [{ ...observation(victim), id: 'o1' }],
      };
      for (const table of ['resource', 'resource_version'])
        await db.query(
          `INSERT INTO health_record.${table} (resource_type, id, version_id, last_updated, deleted, content, compartments)
             VALUES ('Organization', 'lab-with-result', 1, now(), false, $1::jsonb, '{}')`,
          [JSON.stringify(orgContent)],
        );
      // Back to the compartments the code before the fix computed, and the migration not yet applied.
      const runner = db.createQueryRunner();
      try {
        const migration = db.migrations.find((m) => m.name === 'LinkedCompartments1765600000000');
        if (!migration?.down) throw new Error('LinkedCompartments1765600000000 is not registered');
        await migration.down(runner);
      } finally {
        await runner.release();
      }
      const before: { id: string; compartments: string[] }[] = await db.query(
        `SELECT id, compartments FROM health_record.resource_version WHERE id = ANY($1::text[]) ORDER BY id, version_id`,
        [[group, list, 'lab-with-result']],
      );
      expect(before.map((r) => [r.id, r.compartments])).toEqual(
        [
          [group, [other, victim].sort()],
          [list, [other]],
          [list, [other]],
          ['lab-with-result', []],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      await db.query(`DELETE FROM health_record.migrations WHERE name = 'LinkedCompartments1765600000000'`);
      await t.close();
      t = await startApp(PlatformModule.register, { MEDIA_WORKERS: '0' }, t.db);

      const asOther = new Fhir(t.url, (await login(t.url, 'other.patient', PASSWORD)).access_token);
      for (const path of [
        `Group/${group}`,
        `List/${list}`,
        `List/${list}/_history/1`,
        `List/${list}/_history`,
        'Organization/lab-with-result',
      ])
        expect({ path, status: (await asOther.get(path)).status }).toEqual({ path, status: 404 });
      const asNurse = new Fhir(t.url, (await login(t.url, 'victim.nurse', PASSWORD)).access_token);
      expect((await asNurse.get('Organization/lab-with-result')).status).toBe(200);
      expect((await asNurse.get(`Group/${group}`)).status).toBe(404);
      const after: { id: string; compartments: string[] }[] = await t.app
        .get<DataSource>(dataSourceToken(HEALTH_RECORD_CONTEXT), { strict: false })
        .query(
          `SELECT id, compartments FROM health_record.resource_version WHERE id = ANY($1::text[]) ORDER BY id, version_id`,
          [[list, 'lab-with-result']],
        );
      expect(after.map((r) => r.compartments)).toEqual(
        list < 'lab-with-result'
          ? [[other, victim].sort(), [other, victim].sort(), [victim]]
          : [[victim], [other, victim].sort(), [other, victim].sort()],
      );
    } finally {
      await t.close();
      await t.db.drop();
    }
  });
});
