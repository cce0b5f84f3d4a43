import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DetailedError, Upload } from 'tus-js-client';
import { HealthRecordAppModule } from '../apps/health-record/src/health-record-app.module';
import { EconsultUploadsService, UPLOAD_EXPIRY_HOURS } from '@mekong/econsult';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { ADMIN, api, createAccounts, login, startApp, systemToken, type TestApp } from './support/test-app';
import { CALM_TRIAGE, triageResponse } from './support/triage-fixtures';

/**
 * Issue 20 part 3 (docs/econsult.md): a station sends a case to a specialty of its referral hospital
 * (ServiceRequest + Task + Consent in the patient's record), uploads photos resumably (tus; a cut at
 * 50 % resumes; SHA-256, size and type checked), the specialty's clinician on duty sees it in the
 * worklist, takes it and replies (the Task completed, the sender and the patient told); a case
 * unanswered past its deadline escalates (a durable job) and the station is told. Who sees a case:
 * the sender's facility, the patient, the specialty's clinicians on duty (unassigned) or the
 * assignee — nobody else, and every read is audited.
 */
const PASSWORD = 'Mat-khau-an-toan-2026';
const DERMATOLOGY = '394582007';
const CARDIOLOGY = '394579002';
const SNOMED = 'http://snomed.info/sct';

type Json = Record<string, unknown>;
const entries = (b: Json): Json[] => ((b.entry ?? []) as { resource: Json }[]).map((e) => e.resource);
/** The notices (Communications) `recipient` got about `task`. */
async function noticesOf(sys: Fhir, recipient: string, task: string): Promise<Json[]> {
  const all = entries((await sys.get(`Communication?recipient=${recipient}&_count=1000`)).body);
  return all.filter((n) => ((n.about ?? []) as { reference: string }[]).some((a) => a.reference === task));
}
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
/** A JPEG-looking photo of `size` bytes (SOI and APP0 marker, then noise). */
const photo = (size: number): Buffer =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);

/** The station's vitals form as one transaction: RR 26, SpO2 90 % on 2 L/min, SBP 105, pulse 115, A, 39.5 °C — NEWS2 13. */
function alertingVitals(patient: string, at: Date): Json {
  const vital = (code: string, value: Json): Json => ({
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code }] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: at.toISOString(),
    ...value,
  });
  const qty = (value: number, unit: string): Json => ({
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  });
  const observations = [
    vital('9279-1', qty(26, '/min')),
    vital('59408-5', qty(90, '%')),
    vital('3151-8', qty(2, 'L/min')),
    vital('85354-9', {
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, ...qty(105, 'mm[Hg]') },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, ...qty(70, 'mm[Hg]') },
      ],
    }),
    vital('8867-4', qty(115, '/min')),
    vital('67775-7', {
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '248234008' }], text: 'A' },
    }),
    vital('8310-5', qty(39.5, 'Cel')),
  ];
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: observations.map((resource) => ({ resource, request: { method: 'POST', url: 'Observation' } })),
  };
}

interface World {
  t: TestApp;
  sys: Fhir;
  ids: Record<string, string>;
  tokens: Record<string, string>;
  admin: string;
}

/**
 * Hospital H with stations S and S2 (partOf H). At H: dermatologists `derm1` and `derm2` and a
 * cardiologist `cardio`, on call now; dermatologist `dermOff`, not on the roster. `nurse` is S's
 * staff, `nurse2` S2's. Patients P (with an account) and Q (another patient, with an account).
 */
async function world(t: TestApp): Promise<World> {
  const sys = new Fhir(t.url, await systemToken(t.url));
  const ids: Record<string, string> = {};
  const mk = async (body: Json): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };
  ids.H = await mk({ resourceType: 'Organization', name: 'Bệnh viện Đa khoa Trung ương Cần Thơ' });
  ids.S = await mk({
    resourceType: 'Organization',
    name: 'Trạm Y tế xã An Bình',
    partOf: { reference: `Organization/${ids.H}` },
  });
  ids.S2 = await mk({
    resourceType: 'Organization',
    name: 'Trạm Y tế xã Mỹ Khánh',
    partOf: { reference: `Organization/${ids.H}` },
  });
  for (const [key, family, specialty] of [
    ['derm1', 'Trần', DERMATOLOGY],
    ['derm2', 'Lê', DERMATOLOGY],
    ['dermOff', 'Võ', DERMATOLOGY],
    ['cardio', 'Đỗ', CARDIOLOGY],
    ['nurse', 'Phan', undefined],
    ['nurse2', 'Ngô', undefined],
    ['docS', 'Mai', undefined],
  ] as const) {
    ids[key] = await mk({ resourceType: 'Practitioner', name: [{ family, given: ['Minh'] }] });
    if (specialty)
      await mk({
        resourceType: 'PractitionerRole',
        active: true,
        practitioner: { reference: `Practitioner/${ids[key]}` },
        organization: { reference: `Organization/${ids.H}` },
        specialty: [{ coding: [{ system: SNOMED, code: specialty }] }],
      });
  }
  ids.P = await mk({
    resourceType: 'Patient',
    name: [{ family: 'Nguyễn', given: ['Văn', 'An'] }],
    birthDate: '1960-03-03',
    managingOrganization: { reference: `Organization/${ids.S}` },
  });
  ids.Q = await mk({
    resourceType: 'Patient',
    name: [{ family: 'Huỳnh', given: ['Thị', 'Bé'] }],
    birthDate: '1970-04-04',
    managingOrganization: { reference: `Organization/${ids.S}` },
  });
  const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
  const tokens = await createAccounts(
    t.url,
    admin,
    [
      ['derm1', 'practitioner', `Practitioner/${ids.derm1}`],
      ['derm2', 'practitioner', `Practitioner/${ids.derm2}`],
      ['dermOff', 'practitioner', `Practitioner/${ids.dermOff}`],
      ['cardio', 'practitioner', `Practitioner/${ids.cardio}`],
      ['nurse', 'clinic-staff', `Practitioner/${ids.nurse}`, `Organization/${ids.S}`],
      ['nurse2', 'clinic-staff', `Practitioner/${ids.nurse2}`, `Organization/${ids.S2}`],
      // a doctor of station S with no care relationship to P
      ['docS', 'practitioner', `Practitioner/${ids.docS}`, `Organization/${ids.S}`],
      ['patient.p', 'patient', `Patient/${ids.P}`],
      ['patient.q', 'patient', `Patient/${ids.Q}`],
    ],
    PASSWORD,
  );
  for (const who of ['derm1', 'derm2', 'cardio']) {
    const r = await api(t.url, 'POST', '/care/duty-roster', admin, {
      practitioner: `Practitioner/${ids[who]}`,
      facility: `Organization/${ids.H}`,
      covers: [`Organization/${ids.H}`],
      start: new Date(Date.now() - 3600_000).toISOString(),
      end: new Date(Date.now() + 12 * 3600_000).toISOString(),
    });
    if (r.status !== 201) throw new Error(`roster: ${r.status} ${await r.text()}`);
  }
  return { t, sys, ids, tokens, admin };
}

interface UploadOutcome {
  url: string | null;
  error?: { status: number; body: string };
  /** The offset the server reported before the client resumed (HEAD), when it resumed. */
}

/**
 * One tus upload with tus-js-client (as the station's app does). `cutAfterFirstChunk`: the second
 * PATCH never leaves (the link drops after the first half was accepted); the client reports an error.
 */
function tusUpload(
  url: string,
  token: string,
  caseId: string,
  file: Buffer,
  meta: Record<string, string>,
  opts: { chunkSize?: number; cutAfterFirstChunk?: boolean; uploadUrl?: string } = {},
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    let patches = 0;
    const upload: Upload = new Upload(file, {
      endpoint: `${url}/econsult/cases/${caseId}/uploads`,
      ...(opts.uploadUrl ? { uploadUrl: opts.uploadUrl } : {}),
      headers: { Authorization: `Bearer ${token}` },
      metadata: meta,
      chunkSize: opts.chunkSize ?? file.length,
      retryDelays: null,
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => {
        if (req.getMethod() === 'PATCH' && opts.cutAfterFirstChunk && patches++ === 1)
          throw new Error('the link dropped');
      },
      onSuccess: () => resolve({ url: upload.url }),
      onError: (err: Error | DetailedError) => {
        const res = (err as DetailedError).originalResponse;
        resolve({
          url: upload.url,
          ...(res ? { error: { status: res.getStatus(), body: res.getBody() } } : {}),
        });
      },
    });
    upload.start();
  });
}

describe('econsult: store-and-forward consultations (issue 20 part 3)', () => {
  let w: World;
  let uploadDir: string;
  let caseId: string;
  let view: Json;
  const file = photo(300_000);
  const call = (who: string, method: string, path: string, body?: unknown): Promise<Response> =>
    api(w.t.url, method, path, w.tokens[who], body);
  const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

  beforeAll(async () => {
    uploadDir = await mkdtemp(join(tmpdir(), 'econsult-uploads-'));
    const t = await startApp(PlatformModule.register, {
      MEDIA_WORKERS: '0',
      UPLOAD_DIR: uploadDir,
      JOB_POLL_SECONDS: '1',
      // stat and asap cases escalate after 6 s here; urgent and routine ones after an hour.
      ECONSULT_DEADLINE_MINUTES: '0.1,0.1,60,60',
    });
    w = await world(t);
  }, 180000);
  afterAll(async () => {
    await w?.t.close();
    await w?.t.db.drop();
    await rm(uploadDir, { recursive: true, force: true });
  });

  it('the station sends a case: ServiceRequest, Task and Consent in the patient’s record', async () => {
    const r = await call('nurse', 'POST', '/econsult/cases', {
      patient: w.ids.P,
      specialty: DERMATOLOGY,
      question: 'Tổn thương da vùng cẳng chân 2 tuần, ngứa, lan rộng. Xin ý kiến chẩn đoán và điều trị.',
      priority: 'routine',
      consent: true,
    });
    expect(r.status).toBe(201);
    view = await json(r);
    caseId = view.id as string;
    expect(view).toMatchObject({
      status: 'requested',
      priority: 'routine',
      patient: { id: w.ids.P },
      hospital: `Organization/${w.ids.H}`,
      specialty: DERMATOLOGY,
      taskStatus: 'requested',
      documents: [],
      names: {
        [`Practitioner/${w.ids.nurse}`]: 'Phan Minh',
        [`Organization/${w.ids.S}`]: 'Trạm Y tế xã An Bình',
        [`Organization/${w.ids.H}`]: 'Bệnh viện Đa khoa Trung ương Cần Thơ',
      },
    });
    const task = (await w.sys.get(`Task/${view.taskId as string}`)).body;
    expect(task).toMatchObject({
      status: 'requested',
      focus: { reference: `ServiceRequest/${view.serviceRequestId as string}` },
      for: { reference: `Patient/${w.ids.P}` },
      requester: { reference: `Practitioner/${w.ids.nurse}` },
    });
    const sr = (await w.sys.get(`ServiceRequest/${view.serviceRequestId as string}`)).body;
    expect(sr).toMatchObject({ status: 'active', subject: { reference: `Patient/${w.ids.P}` } });
    const consent = (sr.supportingInfo as { reference: string }[])[0]!.reference;
    expect((await w.sys.get(consent)).body).toMatchObject({
      status: 'active',
      patient: { reference: `Patient/${w.ids.P}` },
    });
  });

  it('refuses a case without the patient’s consent, for a patient the sender does not reach, or from a hospital doctor', async () => {
    const body = {
      patient: w.ids.P,
      specialty: DERMATOLOGY,
      question: 'Xin ý kiến chuyên khoa',
      priority: 'routine',
    };
    expect((await call('nurse', 'POST', '/econsult/cases', { ...body, consent: false })).status).toBe(400);
    expect((await call('nurse2', 'POST', '/econsult/cases', { ...body, consent: true })).status).toBe(404);
    // Vitals sent with the case are the patient's own: another patient's Observation is refused.
    const ofQ = await w.sys.post('Observation', {
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${w.ids.Q}` },
      valueQuantity: { value: 80, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const wrong = await call('nurse', 'POST', '/econsult/cases', {
      ...body,
      consent: true,
      observations: [ofQ.body.id as string],
    });
    expect(wrong.status).toBe(422);
    expect(await json(wrong)).toMatchObject({ code: 'ECONSULT.NOT_THE_PATIENTS_OBSERVATION' });
    expect((await call('derm1', 'POST', '/econsult/cases', { ...body, consent: true })).status).toBe(403);
    expect((await call('patient.p', 'POST', '/econsult/cases', { ...body, consent: true })).status).toBe(403);
  });

  it('a photo upload cut at 50 % resumes where it stopped; the stored file’s SHA-256 matches', async () => {
    const meta = { filename: 'cang-chan-trai.jpg', filetype: 'image/jpeg', sha256: sha256(file) };
    const half = file.length / 2;
    const cut = await tusUpload(w.t.url, w.tokens.nurse!, caseId, file, meta, {
      chunkSize: half,
      cutAfterFirstChunk: true,
    });
    expect(cut.url).toMatch(new RegExp(`/econsult/cases/${caseId}/uploads/[0-9a-f]{32}$`));
    // The server holds exactly the first half; the bearer token is checked on every tus request.
    const head = await fetch(cut.url!, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${w.tokens.nurse}`, 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(half));
    expect((await fetch(cut.url!, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } })).status).toBe(
      401,
    );
    // Only the account that created the upload resumes it.
    const other = await fetch(cut.url!, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${w.tokens.nurse2}`, 'Tus-Resumable': '1.0.0' },
    });
    expect(other.status).toBe(404);
    let firstPatchOffset: string | undefined;
    const resumed = await new Promise<string | undefined>((resolve, reject) => {
      const upload = new Upload(file, {
        endpoint: `${w.t.url}/econsult/cases/${caseId}/uploads`,
        uploadUrl: cut.url,
        headers: { Authorization: `Bearer ${w.tokens.nurse}` },
        metadata: meta,
        retryDelays: null,
        storeFingerprintForResuming: false,
        onBeforeRequest: (req) => {
          if (req.getMethod() === 'PATCH' && firstPatchOffset === undefined)
            firstPatchOffset = req.getHeader('Upload-Offset');
        },
        onSuccess: ({ lastResponse }) => resolve(lastResponse.getHeader('Econsult-Document')),
        onError: reject,
      });
      upload.start();
    });
    expect(firstPatchOffset).toBe(String(half));
    expect(resumed).toMatch(/^DocumentReference\//);
    view = await json(await call('nurse', 'GET', `/econsult/cases/${caseId}`));
    const docs = view.documents as { id: string; documentReference: string; sha256: string; size: number }[];
    expect(docs).toEqual([
      expect.objectContaining({
        documentReference: resumed,
        sha256: sha256(file),
        size: file.length,
        contentType: 'image/jpeg',
      }),
    ]);
    const stored = (await w.sys.get(resumed!)).body as {
      subject: { reference: string };
      content: { attachment: { data: string } }[];
      context: { related: { reference: string }[] };
    };
    expect(stored.subject.reference).toBe(`Patient/${w.ids.P}`);
    expect(sha256(Buffer.from(stored.content[0]!.attachment.data, 'base64'))).toBe(sha256(file));
    expect(stored.context.related.map((r) => r.reference)).toContain(
      `ServiceRequest/${view.serviceRequestId as string}`,
    );
    const bytes = await call('derm1', 'GET', `/econsult/cases/${caseId}/documents/${docs[0]!.id}`);
    expect(bytes.status).toBe(200);
    expect(sha256(Buffer.from(await bytes.arrayBuffer()))).toBe(sha256(file));
    // The finished upload's file left the upload directory (it is in the record now).
    expect(readdirSync(uploadDir).filter((f) => cut.url!.endsWith(f.replace(/\.json$/, '')))).toEqual([]);
  });

  it('a wrong checksum or type is a clear error, and nothing of the case is lost', async () => {
    const other = photo(50_000);
    const bad = await tusUpload(w.t.url, w.tokens.nurse!, caseId, other, {
      filename: 'mat.jpg',
      filetype: 'image/jpeg',
      sha256: sha256(photo(50_000)),
    });
    expect(bad.error?.status).toBe(460);
    expect(JSON.parse(bad.error!.body)).toMatchObject({ code: 'ECONSULT.CHECKSUM_MISMATCH' });
    expect(JSON.parse(bad.error!.body).message).toMatch(/SHA-256 does not match/);
    const png = await tusUpload(w.t.url, w.tokens.nurse!, caseId, other, {
      filename: 'mat.png',
      filetype: 'image/png',
      sha256: sha256(other),
    });
    expect(png.error?.status).toBe(415);
    expect(JSON.parse(png.error!.body)).toMatchObject({ code: 'ECONSULT.TYPE_MISMATCH' });
    const text = await tusUpload(w.t.url, w.tokens.nurse!, caseId, Buffer.from('hello'), {
      filename: 'note.txt',
      filetype: 'text/plain',
      sha256: sha256(Buffer.from('hello')),
    });
    expect(text.error?.status).toBe(415);
    expect(JSON.parse(text.error!.body)).toMatchObject({ code: 'ECONSULT.UNSUPPORTED_TYPE' });
    const noSum = await tusUpload(w.t.url, w.tokens.nurse!, caseId, other, {
      filename: 'x.jpg',
      filetype: 'image/jpeg',
    });
    expect(noSum.error?.status).toBe(400);
    // The rejected uploads are gone (not resumable, no file left) and the case still has its one photo.
    expect(
      (
        await fetch(bad.url!, {
          method: 'HEAD',
          headers: { Authorization: `Bearer ${w.tokens.nurse}`, 'Tus-Resumable': '1.0.0' },
        })
      ).status,
    ).toBe(404);
    expect(existsSync(join(uploadDir, bad.url!.split('/').pop()!))).toBe(false);
    const after = await json(await call('nurse', 'GET', `/econsult/cases/${caseId}`));
    expect(after.documents).toEqual(view.documents);
    // and the same file with its right checksum goes through
    const good = await tusUpload(w.t.url, w.tokens.nurse!, caseId, other, {
      filename: 'mat.jpg',
      filetype: 'image/jpeg',
      sha256: sha256(other),
    });
    expect(good.error).toBeUndefined();
    expect(
      ((await json(await call('nurse', 'GET', `/econsult/cases/${caseId}`))).documents as unknown[]).length,
    ).toBe(2);
  });

  it('a file the record refuses at its last byte (the uploader lost access meanwhile) is rejected, not left unstored', async () => {
    const moved = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Trương', given: ['Chuyển'] }],
      managingOrganization: { reference: `Organization/${w.ids.S}` },
    });
    const patient = moved.body.id as string;
    const sent = await call('nurse', 'POST', '/econsult/cases', {
      patient,
      specialty: DERMATOLOGY,
      question: 'Xin ý kiến về vết thương',
      priority: 'routine',
      consent: true,
    });
    expect(sent.status).toBe(201);
    const c = await json(sent);
    const part = photo(20_000);
    const meta = { filename: 'vet.jpg', filetype: 'image/jpeg', sha256: sha256(part) };
    const cut = await tusUpload(w.t.url, w.tokens.nurse!, c.id as string, part, meta, {
      chunkSize: 10_000,
      cutAfterFirstChunk: true,
    });
    // The patient moves to another station before the rest arrives: the nurse no longer reaches them.
    const put = await w.sys.put(`Patient/${patient}`, {
      ...moved.body,
      managingOrganization: { reference: `Organization/${w.ids.S2}` },
    });
    expect(put.status).toBe(200);
    const rest = await tusUpload(w.t.url, w.tokens.nurse!, c.id as string, part, meta, {
      uploadUrl: cut.url!,
    });
    expect(rest.error?.status).toBe(403);
    expect(JSON.parse(rest.error!.body)).toMatchObject({ code: 'ECONSULT.NOT_STORED' });
    expect(existsSync(join(uploadDir, cut.url!.split('/').pop()!))).toBe(false);
    const head = await fetch(cut.url!, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${w.tokens.nurse}`, 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(404);
    expect((await json(await call('nurse', 'GET', `/econsult/cases/${c.id as string}`))).documents).toEqual(
      [],
    );
  });

  it('an upload left unfinished longer than UPLOAD_EXPIRY_HOURS is removed by the hourly job', async () => {
    const part = photo(20_000);
    const cut = await tusUpload(
      w.t.url,
      w.tokens.nurse!,
      caseId,
      part,
      { filename: 'vet-thuong.jpg', filetype: 'image/jpeg', sha256: sha256(part) },
      { chunkSize: 10_000, cutAfterFirstChunk: true },
    );
    const id = cut.url!.split('/').pop()!;
    const head = (): Promise<Response> =>
      fetch(cut.url!, {
        method: 'HEAD',
        headers: { Authorization: `Bearer ${w.tokens.nurse}`, 'Tus-Resumable': '1.0.0' },
      });
    expect((await head()).headers.get('upload-offset')).toBe('10000');
    // A PATCH that asks to be run as a DELETE (tus's method override) is still a PATCH: nothing is terminated.
    const overridden = await fetch(cut.url!, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${w.tokens.nurse}`,
        'Tus-Resumable': '1.0.0',
        'X-HTTP-Method-Override': 'DELETE',
        'Upload-Offset': '10000',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: '',
    });
    expect(overridden.status).toBe(204);
    expect((await head()).headers.get('upload-offset')).toBe('10000');
    const jobs = w.t.app.get(EconsultUploadsService);
    // still young: kept
    expect(await jobs.expire(new Date())).toBe(0);
    expect((await head()).status).toBe(200);
    // started longer ago than the expiry: removed, and no longer resumable
    const info = join(uploadDir, `${id}.json`);
    const upload = JSON.parse(readFileSync(info, 'utf8')) as { creation_date: string };
    upload.creation_date = new Date(Date.now() - (UPLOAD_EXPIRY_HOURS + 1) * 3600_000).toISOString();
    writeFileSync(info, JSON.stringify(upload));
    expect(await jobs.expire(new Date())).toBe(1);
    expect(existsSync(join(uploadDir, id))).toBe(false);
    expect((await head()).status).toBe(404);
    // the case's stored documents are untouched
    expect((await json(await call('nurse', 'GET', `/econsult/cases/${caseId}`))).documents).toHaveLength(2);
  });

  it('who sees the case: the sender’s facility, the patient, the specialty on duty — nobody else', async () => {
    const path = `/econsult/cases/${caseId}`;
    for (const who of ['nurse', 'patient.p', 'derm1', 'derm2'])
      expect([who, (await call(who, 'GET', path)).status]).toEqual([who, 200]);
    // another facility, another patient, the specialty's doctor off duty, another specialty on duty
    const missing = `/econsult/cases/00000000-0000-4000-8000-000000000000`;
    for (const who of ['nurse2', 'patient.q', 'dermOff', 'cardio']) {
      const r = await call(who, 'GET', path);
      expect([who, r.status]).toEqual([who, 404]);
      const m = await call(who, 'GET', missing);
      const strip = (b: Json): Json => ({ ...b, correlationId: undefined, path: undefined });
      expect(strip(await json(r))).toEqual(strip(await json(m)));
    }
    for (const who of ['nurse2', 'patient.q', 'dermOff', 'cardio']) {
      const docs = view.documents as { id: string }[];
      expect((await call(who, 'GET', `${path}/documents/${docs[0]!.id}`)).status).toBe(404);
    }
    const list = async (who: string): Promise<string[]> =>
      ((await json(await call(who, 'GET', '/econsult/cases'))) as unknown as { id: string }[]).map(
        (c) => c.id,
      );
    for (const who of ['nurse', 'patient.p', 'derm1', 'derm2'])
      expect([who, await list(who)]).toEqual([who, expect.arrayContaining([caseId])]);
    for (const who of ['nurse2', 'patient.q', 'dermOff', 'cardio'])
      expect([who, await list(who)]).toEqual([who, expect.not.arrayContaining([caseId])]);
    // Uploading is the sending facility's: another station cannot, a specialist may not.
    expect(
      (
        await tusUpload(w.t.url, w.tokens.nurse2!, caseId, file, {
          filename: 'a.jpg',
          filetype: 'image/jpeg',
          sha256: sha256(file),
        })
      ).error?.status,
    ).toBe(404);
    // A colleague of the sending station who does not reach the patient sees the case but adds no file.
    expect((await call('docS', 'GET', `/econsult/cases/${caseId}`)).status).toBe(200);
    const colleague = await tusUpload(w.t.url, w.tokens.docS!, caseId, file, {
      filename: 'a.jpg',
      filetype: 'image/jpeg',
      sha256: sha256(file),
    });
    expect(colleague.error?.status).toBe(403);
    expect(JSON.parse(colleague.error!.body)).toMatchObject({ code: 'ECONSULT.NO_PATIENT_ACCESS' });
    expect(
      (
        await tusUpload(w.t.url, w.tokens.derm1!, caseId, file, {
          filename: 'a.jpg',
          filetype: 'image/jpeg',
          sha256: sha256(file),
        })
      ).error?.status,
    ).toBe(403);
    // Neither takes nor answers the case who does not see it.
    for (const who of ['dermOff', 'cardio']) {
      expect((await call(who, 'POST', `${path}/claim`)).status).toBe(404);
      expect((await call(who, 'POST', `${path}/reply`, { kind: 'advice', text: 'x' })).status).toBe(404);
    }
    expect((await call('nurse', 'POST', `${path}/reply`, { kind: 'advice', text: 'x' })).status).toBe(403);
  });

  it('once taken, the case is the assignee’s: it leaves the other on-duty clinicians’ view', async () => {
    const r = await call('derm1', 'POST', `/econsult/cases/${caseId}/claim`);
    expect(r.status).toBe(200);
    expect(await json(r)).toMatchObject({
      status: 'assigned',
      assignee: `Practitioner/${w.ids.derm1}`,
      taskStatus: 'in-progress',
    });
    expect((await call('derm2', 'GET', `/econsult/cases/${caseId}`)).status).toBe(404);
    expect((await call('derm2', 'POST', `/econsult/cases/${caseId}/claim`)).status).toBe(404);
    expect((await call('nurse', 'GET', `/econsult/cases/${caseId}`)).status).toBe(200);
  });

  it('the reply completes the Task and tells the sender and the patient, with no clinical content in the notice', async () => {
    const text =
      'Theo dõi viêm da tiếp xúc. Bôi kem corticoid nhẹ 2 lần/ngày trong 7 ngày; tái khám nếu lan rộng.';
    const r = await call('derm1', 'POST', `/econsult/cases/${caseId}/reply`, { kind: 'advice', text });
    expect(r.status).toBe(200);
    const done = await json(r);
    expect(done).toMatchObject({
      status: 'completed',
      taskStatus: 'completed',
      replyKind: 'advice',
      reply: { kind: 'advice', text },
    });
    const task = (await w.sys.get(`Task/${done.taskId as string}`)).body as Json & {
      output: { valueReference: { reference: string } }[];
    };
    expect(task.status).toBe('completed');
    const reply = (await w.sys.get(task.output[0]!.valueReference.reference)).body;
    expect(reply).toMatchObject({
      resourceType: 'Communication',
      sender: { reference: `Practitioner/${w.ids.derm1}` },
      subject: { reference: `Patient/${w.ids.P}` },
      payload: [{ contentString: text }],
    });
    expect((await w.sys.get(`ServiceRequest/${done.serviceRequestId as string}`)).body.status).toBe(
      'completed',
    );
    expect(
      (await call('derm1', 'POST', `/econsult/cases/${caseId}/reply`, { kind: 'advice', text })).status,
    ).toBe(409);
    // The patient reads the answer too.
    expect(await json(await call('patient.p', 'GET', `/econsult/cases/${caseId}`))).toMatchObject({
      reply: { text },
    });
    for (const recipient of [`Practitioner/${w.ids.nurse}`, `Patient/${w.ids.P}`]) {
      const notices = await noticesOf(w.sys, recipient, `Task/${done.taskId as string}`);
      const answered = notices.filter((n) => (n.topic as { text: string }).text.includes('answered'));
      expect([recipient, answered.length]).toEqual([recipient, 1]);
      const words = JSON.stringify([answered[0]!.topic, answered[0]!.payload]);
      expect(words).not.toMatch(/corticoid|viêm da|Tổn thương|cẳng chân/);
    }
  });

  it('every read and write is audited: the specialist’s in the patient’s own trail', async () => {
    const trail = entries(
      (await api(
        w.t.url,
        'GET',
        `/fhir/AuditEvent?patient=Patient/${w.ids.P}&_count=1000`,
        w.tokens['patient.p'],
      ).then((r) => r.json())) as Json,
    );
    const by = (who: string): Json[] =>
      trail.filter(
        (e) =>
          (e.agent as { who: { reference?: string; identifier?: { value: string } } }[])[0]?.who.reference ===
          who,
      );
    const derm1 = by(`Practitioner/${w.ids.derm1}`);
    const what = derm1.flatMap((e) =>
      ((e.entity as { what: { reference?: string; display?: string } }[] | undefined) ?? []).map(
        (x) => x.what.display ?? x.what.reference,
      ),
    );
    expect(what).toEqual(
      expect.arrayContaining([`ServiceRequest/${view.serviceRequestId as string}`, 'GET /econsult/cases']),
    );
    expect(what.some((x) => x?.startsWith('DocumentReference/'))).toBe(true);
    expect(what.some((x) => x?.startsWith('Communication/'))).toBe(true);
    // taking the case is theirs too (the Task's owner changed)
    expect(what).toContain(`Task/${view.taskId as string}`);
    const system = trail.filter((e) =>
      (e.agent as { who: { identifier?: { value: string } } }[]).some(
        (a) => a.who.identifier?.value === 'system:econsult.cases',
      ),
    );
    expect(system.length).toBeGreaterThan(0);
  });

  it('an unanswered case escalates at its deadline to another specialist on duty, and the station is told', async () => {
    const r = await call('nurse', 'POST', '/econsult/cases', {
      patient: w.ids.P,
      specialty: DERMATOLOGY,
      question: 'Vết loét bàn chân tiểu đường, chảy dịch. Xin ý kiến xử trí.',
      priority: 'stat',
      consent: true,
    });
    expect(r.status).toBe(201);
    const c = await json(r);
    // both dermatologists on duty see it; the worklist puts the stat case first
    const first = (
      (await json(await call('derm2', 'GET', '/econsult/cases'))) as unknown as {
        id: string;
        patient: { id: string; name?: string };
      }[]
    )[0];
    expect(first?.id).toBe(c.id);
    // the worklist names the patient
    expect(first?.patient).toEqual({ id: w.ids.P, name: 'Nguyễn Văn An' });
    expect((await call('derm1', 'POST', `/econsult/cases/${c.id as string}/claim`)).status).toBe(200);
    const deadline = Date.now() + 30_000;
    let now: Json = {};
    while (Date.now() < deadline) {
      now = await json(await call('nurse', 'GET', `/econsult/cases/${c.id as string}`));
      if ((now.escalations as number) > 0) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(now).toMatchObject({
      escalations: 1,
      assignee: `Practitioner/${w.ids.derm2}`,
      status: 'assigned',
    });
    expect((await call('derm1', 'GET', `/econsult/cases/${c.id as string}`)).status).toBe(404);
    expect((await call('derm2', 'GET', `/econsult/cases/${c.id as string}`)).status).toBe(200);
    const told = async (recipient: string): Promise<string[]> =>
      (await noticesOf(w.sys, recipient, `Task/${c.taskId as string}`)).map(
        (n) => (n.topic as { text: string }).text,
      );
    expect(await told(`Practitioner/${w.ids.nurse}`)).toEqual(
      expect.arrayContaining([expect.stringContaining('escalated')]),
    );
    expect(await told(`Organization/${w.ids.S}`)).toEqual(
      expect.arrayContaining([expect.stringContaining('escalated')]),
    );
    expect(await told(`Practitioner/${w.ids.derm2}`)).toEqual(
      expect.arrayContaining([expect.stringContaining('passed to you')]),
    );
    const task = (await w.sys.get(`Task/${c.taskId as string}`)).body;
    expect(task).toMatchObject({
      owner: { reference: `Practitioner/${w.ids.derm2}` },
      businessStatus: { text: 'escalated' },
    });
    // derm2 answers: "see in person"; later rounds of the job do nothing to an answered case.
    const done = await call('derm2', 'POST', `/econsult/cases/${c.id as string}/reply`, {
      kind: 'see-in-person',
      text: 'Chuyển bệnh viện khám trực tiếp trong ngày.',
    });
    expect(done.status).toBe(200);
    await new Promise((res) => setTimeout(res, 5000));
    expect(await json(await call('nurse', 'GET', `/econsult/cases/${c.id as string}`))).toMatchObject({
      status: 'completed',
      escalations: 1,
    });
  });

  it('the worklist is ordered by urgency: a NEWS2 alert or an emergency triage raises a case’s priority, then the longest waiting', async () => {
    const send = async (patient: string, priority: string): Promise<Json> => {
      const r = await call('nurse', 'POST', '/econsult/cases', {
        patient,
        specialty: DERMATOLOGY,
        question: 'Xin ý kiến chuyên khoa da liễu',
        priority,
        consent: true,
      });
      expect(r.status).toBe(201);
      return json(r);
    };
    const older = await send(w.ids.P!, 'routine');
    const urgent = await send(w.ids.P!, 'urgent');
    // Q's vitals score NEWS2 13 at the station: Q's routine case is sent as stat.
    const vitals = await new Fhir(w.t.url, w.tokens.nurse!).post(
      '',
      alertingVitals(w.ids.Q!, new Date(Date.now() - 60_000)),
    );
    expect(vitals.status).toBe(200);
    const alerted = await send(w.ids.Q!, 'routine');
    expect(alerted).toMatchObject({ priority: 'stat', news2: 13 });
    // R's pre-visit triage at the station is an emergency (chest pain): R's routine case is stat too,
    // after Q's (no NEWS2 score to put it first).
    const r = await w.sys.post('Patient', {
      resourceType: 'Patient',
      name: [{ family: 'Lý', given: ['Văn', 'Ba'] }],
      managingOrganization: { reference: `Organization/${w.ids.S}` },
    });
    expect(r.status).toBe(201);
    const triage = await new Fhir(w.t.url, w.tokens.nurse!).post(
      'QuestionnaireResponse',
      triageResponse(r.body.id as string, { ...CALM_TRIAGE, 'rf-chest-pain': true }),
    );
    expect(triage.status).toBe(201);
    const triaged = await send(r.body.id as string, 'routine');
    expect(triaged).toMatchObject({ priority: 'stat', triage: 'emergency' });
    expect(triaged.news2).toBeUndefined();
    const mine = new Set([older.id, urgent.id, alerted.id, triaged.id]);
    const order = ((await json(await call('derm1', 'GET', '/econsult/cases'))) as unknown as { id: string }[])
      .map((c) => c.id)
      .filter((id) => mine.has(id));
    expect(order).toEqual([alerted.id, triaged.id, urgent.id, older.id]);
    // The Task and ServiceRequest carry the raised priority too.
    expect((await w.sys.get(`Task/${alerted.taskId as string}`)).body.priority).toBe('stat');
    const sr = (await w.sys.get(`ServiceRequest/${alerted.serviceRequestId as string}`)).body;
    expect(sr.priority).toBe('stat');
    // and point to the NEWS2 score (and the triage) that raised it
    expect(JSON.stringify(sr.supportingInfo)).toMatch(/"Observation\//);
    const srR = (await w.sys.get(`ServiceRequest/${triaged.serviceRequestId as string}`)).body;
    expect(JSON.stringify(srR.supportingInfo)).toMatch(/"RiskAssessment\//);
  });

  it('with no other clinician of the specialty on duty, an overdue case goes to a doctor on call at the hospital', async () => {
    const r = await call('nurse', 'POST', '/econsult/cases', {
      patient: w.ids.P,
      specialty: CARDIOLOGY,
      question: 'Đau ngực khi gắng sức, điện tim gửi kèm. Xin ý kiến.',
      priority: 'asap',
      consent: true,
    });
    expect(r.status).toBe(201);
    const c = await json(r);
    expect((await call('cardio', 'POST', `/econsult/cases/${c.id as string}/claim`)).status).toBe(200);
    // the dermatologists do not see a cardiology case while it is in cardiology's hands
    expect((await call('derm1', 'GET', `/econsult/cases/${c.id as string}`)).status).toBe(404);
    const deadline = Date.now() + 30_000;
    let now: Json = {};
    while (Date.now() < deadline) {
      now = await json(await call('nurse', 'GET', `/econsult/cases/${c.id as string}`));
      if ((now.escalations as number) > 0) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(now.escalations).toBe(1);
    const to = now.assignee as string;
    expect([`Practitioner/${w.ids.derm1}`, `Practitioner/${w.ids.derm2}`]).toContain(to);
    const who = to === `Practitioner/${w.ids.derm1}` ? 'derm1' : 'derm2';
    expect((await call(who, 'GET', `/econsult/cases/${c.id as string}`)).status).toBe(200);
    expect((await call('cardio', 'GET', `/econsult/cases/${c.id as string}`)).status).toBe(404);
    const reply = await call(who, 'POST', `/econsult/cases/${c.id as string}/reply`, {
      kind: 'book-video',
      text: 'Đặt lịch khám video với bác sĩ tim mạch trong tuần.',
    });
    expect(reply.status).toBe(200);
    expect(await json(reply)).toMatchObject({ status: 'completed', answeredBy: to, replyKind: 'book-video' });
  });

  it('with nobody on call at the hospital, an overdue case stays queued and the station is told to call', async () => {
    const mk = async (body: Json): Promise<string> =>
      (await w.sys.post(String(body.resourceType), body)).body.id as string;
    const h3 = await mk({ resourceType: 'Organization', name: 'Bệnh viện huyện không có lịch trực' });
    const s3 = await mk({
      resourceType: 'Organization',
      name: 'Trạm Y tế xã Hòa Lợi',
      partOf: { reference: `Organization/${h3}` },
    });
    const nurse3 = await mk({ resourceType: 'Practitioner', name: [{ family: 'Cao', given: ['Lan'] }] });
    const p3 = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Đinh', given: ['Văn', 'Tư'] }],
      managingOrganization: { reference: `Organization/${s3}` },
    });
    const tokens = await createAccounts(
      w.t.url,
      w.admin,
      [['nurse3', 'clinic-staff', `Practitioner/${nurse3}`, `Organization/${s3}`]],
      PASSWORD,
    );
    const r = await api(w.t.url, 'POST', '/econsult/cases', tokens.nurse3, {
      patient: p3,
      specialty: DERMATOLOGY,
      question: 'Phát ban toàn thân, xin ý kiến',
      priority: 'stat',
      consent: true,
    });
    expect(r.status).toBe(201);
    const c = await json(r);
    let now: Json = {};
    for (let i = 0; i < 60 && !(now.escalations as number); i++) {
      await new Promise((res) => setTimeout(res, 500));
      now = await json(await api(w.t.url, 'GET', `/econsult/cases/${c.id as string}`, tokens.nurse3));
    }
    expect(now).toMatchObject({ escalations: 1, status: 'requested' });
    expect(now.assignee).toBeUndefined();
    for (const recipient of [`Practitioner/${nurse3}`, `Organization/${s3}`]) {
      const told = (await noticesOf(w.sys, recipient, `Task/${c.taskId as string}`)).map(
        (n) => (n.topic as { text: string }).text,
      );
      expect([recipient, told]).toEqual([
        recipient,
        expect.arrayContaining([expect.stringContaining('not taken')]),
      ]);
    }
  });
});

describe('econsult in the health-record deployable (nginx routes /econsult there)', () => {
  it('serves the e-consult routes behind the one guard', async () => {
    const hr = await startApp(HealthRecordAppModule.register);
    try {
      expect((await api(hr.url, 'GET', '/econsult/cases')).status).toBe(401);
      const admin = (await login(hr.url, ADMIN.username, ADMIN.password)).access_token;
      expect((await api(hr.url, 'GET', '/econsult/cases', admin)).status).toBe(403);
    } finally {
      await hr.close();
      await hr.db.drop();
    }
  });
});

describe('econsult: the escalation is a durable job', () => {
  it('the server stops before a case’s deadline; after the restart the case escalates once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'econsult-restart-'));
    const env = {
      MEDIA_WORKERS: '0',
      UPLOAD_DIR: dir,
      JOB_POLL_SECONDS: '0.5',
      ECONSULT_DEADLINE_MINUTES: '0.1,0.1,60,60',
    };
    let t = await startApp(PlatformModule.register, env);
    try {
      const w = await world(t);
      const r = await api(t.url, 'POST', '/econsult/cases', w.tokens.nurse, {
        patient: w.ids.P,
        specialty: DERMATOLOGY,
        question: 'Vết bỏng cẳng tay, xin ý kiến xử trí',
        priority: 'stat',
        consent: true,
      });
      expect(r.status).toBe(201);
      const c = (await r.json()) as { id: string; taskId: string };
      expect((await api(t.url, 'POST', `/econsult/cases/${c.id}/claim`, w.tokens.derm1)).status).toBe(200);
      await t.close();
      await new Promise((res) => setTimeout(res, 7000)); // past the deadline while nothing runs
      t = await startApp(PlatformModule.register, env, t.db);
      const nurse = (await login(t.url, 'nurse', PASSWORD)).access_token;
      let now: { escalations?: number; assignee?: string } = {};
      for (let i = 0; i < 60 && !now.escalations; i++) {
        await new Promise((res) => setTimeout(res, 500));
        now = (await (await api(t.url, 'GET', `/econsult/cases/${c.id}`, nurse)).json()) as typeof now;
      }
      expect(now).toMatchObject({ escalations: 1, assignee: `Practitioner/${w.ids.derm2}` });
      // once: the station was told one time
      const sys = new Fhir(t.url, await systemToken(t.url));
      const told = (await noticesOf(sys, `Practitioner/${w.ids.nurse}`, `Task/${c.taskId}`)).filter((n) =>
        (n.topic as { text: string }).text.includes('escalated'),
      );
      expect(told).toHaveLength(1);
    } finally {
      await t.close();
      await t.db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
