import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, login, startApp, systemToken, type TestApp } from './support/test-app';

/**
 * Table-driven authorization: every role × clinical resource type × interaction, on a resource of
 * a patient the caller cares for and of one it does not, with the outcome derived from the rules of
 * docs/access-control.md. Refused reads answer 404 (or leave the resource out of a Bundle); refused
 * writes 403 or 404.
 */
type Role = 'patient' | 'practitioner' | 'clinic-staff' | 'admin' | 'system';
type Owner = 'A' | 'B';
type Interaction =
  | 'read'
  | 'vread'
  | 'history'
  | 'search'
  | 'chain'
  | 'revinclude'
  | 'create'
  | 'update'
  | 'delete'
  | 'transaction';

const PASSWORD = 'Ma-tran-phan-quyen-2026';
const TYPES: Record<string, { patientParam: string; build: (patient: string) => Record<string, unknown> }> = {
  Observation: {
    patientParam: 'subject',
    build: (p) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
      subject: { reference: `Patient/${p}` },
      valueQuantity: { value: 37.2, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    }),
  },
  Condition: {
    patientParam: 'subject',
    build: (p) => ({
      resourceType: 'Condition',
      subject: { reference: `Patient/${p}` },
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'A90' }] },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
    }),
  },
  MedicationRequest: {
    patientParam: 'subject',
    build: (p) => ({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: 'Paracetamol 500 mg' },
      subject: { reference: `Patient/${p}` },
    }),
  },
  Immunization: {
    patientParam: 'patient',
    build: (p) => ({
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }] },
      patient: { reference: `Patient/${p}` },
      occurrenceDateTime: '2026-01-15',
    }),
  },
  AllergyIntolerance: {
    patientParam: 'patient',
    build: (p) => ({
      resourceType: 'AllergyIntolerance',
      patient: { reference: `Patient/${p}` },
      code: { text: 'Penicillin' },
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
        ],
      },
    }),
  },
  DocumentReference: {
    patientParam: 'subject',
    build: (p) => ({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: `Patient/${p}` },
      content: [{ attachment: { contentType: 'application/pdf', title: 'Kết quả xét nghiệm' } }],
    }),
  },
};
const PATIENT_WRITABLE = new Set(['Observation']); // of the types above (docs/access-control.md)
const INTERACTIONS: Interaction[] = [
  'read',
  'vread',
  'history',
  'search',
  'chain',
  'revinclude',
  'create',
  'update',
  'delete',
  'transaction',
];
const ROLES: Role[] = ['patient', 'practitioner', 'clinic-staff', 'admin', 'system'];

/** patient = A herself; practitioner has an encounter with A; clinic staff manage B's facility. */
function reaches(role: Role, owner: Owner): boolean {
  return (
    role === 'system' ||
    (owner === 'A' && (role === 'patient' || role === 'practitioner')) ||
    (owner === 'B' && role === 'clinic-staff')
  );
}

function allowed(role: Role, type: string, owner: Owner, interaction: Interaction): boolean {
  if (!reaches(role, owner)) return false;
  const write = ['create', 'update', 'delete', 'transaction'].includes(interaction);
  if (write && role === 'patient') return PATIENT_WRITABLE.has(type);
  return true;
}

const CASES = ROLES.flatMap((role) =>
  Object.keys(TYPES).flatMap((type) =>
    (['A', 'B'] as Owner[]).flatMap((owner) =>
      INTERACTIONS.map((interaction) => ({ role, type, owner, interaction })),
    ),
  ),
);

describe('authorization matrix: role × resource type × interaction', () => {
  let t: TestApp;
  let sys: Fhir;
  const patients: Record<Owner, { id: string; family: string }> = {
    A: { id: '', family: 'Matran' },
    B: { id: '', family: 'Nguoila' },
  };
  const callers = {} as Record<Role, Fhir>;

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    const systemAccess = await systemToken(t.url);
    sys = new Fhir(t.url, systemAccess);
    const station = (
      await sys.post('Organization', { resourceType: 'Organization', name: 'Trạm Y tế xã Tân Phú' })
    ).body.id as string;
    const doctor = (
      await sys.post('Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Bác sĩ' }] })
    ).body.id as string;
    const nurse = (
      await sys.post('Practitioner', { resourceType: 'Practitioner', name: [{ family: 'Y tá' }] })
    ).body.id as string;
    patients.A.id = (
      await sys.post('Patient', { resourceType: 'Patient', name: [{ family: patients.A.family }] })
    ).body.id as string;
    patients.B.id = (
      await sys.post('Patient', {
        resourceType: 'Patient',
        name: [{ family: patients.B.family }],
        managingOrganization: { reference: `Organization/${station}` },
      })
    ).body.id as string;
    await sys.post('Encounter', {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${patients.A.id}` },
      participant: [{ individual: { reference: `Practitioner/${doctor}` } }],
      period: { start: new Date().toISOString() },
    });
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    const accounts: [Role, string, string?][] = [
      ['patient', `Patient/${patients.A.id}`],
      ['practitioner', `Practitioner/${doctor}`],
      ['clinic-staff', `Practitioner/${nurse}`, `Organization/${station}`],
    ];
    for (const [role, fhirUser, organization] of accounts) {
      const username = `matrix.${role}`;
      await api(t.url, 'POST', '/auth/accounts', admin, {
        username,
        password: PASSWORD,
        role,
        fhirUser,
        ...(organization ? { organization } : {}),
      });
      callers[role] = new Fhir(t.url, (await login(t.url, username, PASSWORD)).access_token);
    }
    callers.admin = new Fhir(t.url, admin);
    callers.system = sys;
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it(`decides ${CASES.length} cases as the rules say`, async () => {
    const wrong: string[] = [];
    for (const { role, type, owner, interaction } of CASES) {
      const who = callers[role];
      const spec = TYPES[type]!;
      const patient = patients[owner];
      const resource = (await sys.post(type, spec.build(patient.id))).body as { id: string };
      const path = `${type}/${resource.id}`;
      let ok: boolean;
      switch (interaction) {
        case 'read':
        case 'vread':
        case 'history': {
          const url =
            interaction === 'read'
              ? path
              : interaction === 'vread'
                ? `${path}/_history/1`
                : `${path}/_history`;
          const status = (await who.get(url)).status;
          ok = status === 200;
          if (!ok && status !== 404)
            wrong.push(`${role} ${interaction} ${path}: ${status} (refusals must be 404)`);
          break;
        }
        case 'search':
          ok = Fhir.ids((await who.get(`${type}?_id=${resource.id}`)).body).includes(resource.id);
          break;
        case 'chain':
          ok = Fhir.ids(
            (await who.get(`${type}?${spec.patientParam}:Patient.name=${patient.family}&_id=${resource.id}`))
              .body,
          ).includes(resource.id);
          break;
        case 'revinclude': {
          const bundle = (await who.get(`Patient?_id=${patient.id}&_revinclude=${type}:${spec.patientParam}`))
            .body;
          ok = JSON.stringify(bundle).includes(resource.id);
          break;
        }
        case 'create':
          ok = (await who.post(type, spec.build(patient.id))).status === 201;
          break;
        case 'update': {
          const current = (await sys.get(path)).body;
          ok =
            (
              await who.put(path, {
                ...current,
                meta: { tag: [{ system: 'urn:mekong:test', code: 'matrix' }] },
              })
            ).status === 200;
          break;
        }
        case 'delete':
          ok = (await who.delete(path)).status === 204;
          break;
        case 'transaction':
          ok =
            (
              await who.post('', {
                resourceType: 'Bundle',
                type: 'transaction',
                entry: [{ resource: spec.build(patient.id), request: { method: 'POST', url: type } }],
              })
            ).status === 200;
          break;
      }
      if (ok !== allowed(role, type, owner, interaction)) {
        wrong.push(
          `${role} ${interaction} ${type} of ${owner}: ${ok ? 'allowed' : 'refused'}, expected ${ok ? 'refused' : 'allowed'}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('$everything: each role reaches exactly the patients it cares for', async () => {
    const outcomes = ROLES.flatMap((role) =>
      (['A', 'B'] as Owner[]).map(async (owner) => ({
        role,
        owner,
        status: (await callers[role].get(`Patient/${patients[owner].id}/$everything`)).status,
      })),
    );
    for (const { role, owner, status } of await Promise.all(outcomes)) {
      expect({ role, owner, status }).toEqual({ role, owner, status: reaches(role, owner) ? 200 : 404 });
    }
  });
});
