import { createHash } from 'node:crypto';
import { RoomsService } from '@mekong/consultation';
import { dataSourceToken } from '@mekong/database';
import { io, type Socket } from 'socket.io-client';
import { PlatformModule } from '../../apps/platform/src/platform.module';
import { appSurface, type Route, type SocketEvent } from '../support/app-surface';
import { Fhir } from '../support/fhir-client';
import { appointmentBody, postSlot, seenInPerson } from '../support/scheduling-world';
import { ADMIN, api, login, startApp, systemToken, type TestApp, tokenRequest } from '../support/test-app';
import { type Ack, VisitClient } from '../support/visit-client';

/**
 * Issue 16 §5: two facilities, every role, every route and socket event — enumerated from the
 * running app — tried by the other side with the first side's real ids. Facility A holds the data
 * (patient, guardian and child, observations, visits, appointments, waitlist, availability,
 * immunizations, calendar feed, notifications); facility B's clinic staff, practitioner and
 * patient, an administrator, and inside A the parent (against a patient who is not their child)
 * and a patient (against the child) try it. Coverage is what ran and was refused in this run: each
 * attempt that was refused adds (route, actor) to the coverage set, and the last test fails for any
 * enumerated route or event without one — so a new route or event fails this suite until it has an
 * entry here. Hidden answers like missing where the route's contract says so (the same request for
 * a missing id gives the same status and body); every write attempt is checked not to have happened
 * by reading A's data afterwards.
 */
const PASS_A = 'Mat-khau-ben-A-2026!';
const PASS_B = 'Mat-khau-ben-B-2026?';
const MISSING = 'khong-ton-tai-0001';
const CCCD = 'http://fhir.hl7.org.vn/core/sid/cccd';
const LOINC = 'http://loinc.org';

type Answer = { status: number; body: Record<string, unknown> };
/** Side B (and the in-A actors that are not entitled to the target). */
type Actor = 'staff.b' | 'doc.b' | 'pat.b' | 'guest.b' | 'admin' | 'parent.a' | 'pat.a' | 'child.a';

interface Attempt {
  readonly actor: Actor;
  readonly what: string;
  /** Throws when the attempt was not refused (or A's data changed). */
  run(): Promise<void>;
}

/** The answer with `id` and per-request values masked, to compare hidden and missing. */
function shape(r: Answer, id: string): string {
  const body = { ...r.body };
  delete body.id;
  delete body.correlationId;
  const text = JSON.stringify(body)
    .split(id)
    .join('<id>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>');
  return `${r.status} ${text}`;
}

const brief = (r: Answer): string => `${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;

function refused(r: Answer, statuses: readonly number[], what = ''): void {
  if (!statuses.includes(r.status)) throw new Error(`${what} not refused: ${brief(r)}`);
}

/** `Type/id` of the resources a searchset returned (OperationOutcome entries aside). */
function returned(bundle: Record<string, unknown>): string[] {
  return (
    (bundle.entry ?? []) as { resource: { resourceType: string; id: string }; search?: { mode: string } }[]
  )
    .filter((e) => e.search?.mode !== 'outcome')
    .map((e) => `${e.resource.resourceType}/${e.resource.id}`);
}

function connect(
  url: string,
  namespace: string,
  auth: Record<string, unknown>,
): Promise<{ socket: Socket; ready?: Record<string, unknown>; error?: string }> {
  return new Promise((resolve) => {
    const socket = io(`${url}${namespace}`, { auth, transports: ['websocket'], reconnection: false });
    socket.once('ready', (ready: Record<string, unknown>) => resolve({ socket, ready }));
    socket.once('error', (e: { code?: string }) => resolve({ socket, error: e?.code ?? 'error' }));
    socket.once('connect_error', () => resolve({ socket, error: 'connect_error' }));
  });
}

const AUDIO = {
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  headerExtensions: [],
  encodings: [{ ssrc: 11223344 }],
  rtcp: { cname: 'side-a', reducedSize: true },
};

describe('issue 16 §5: facility B tries facility A’s data on every route and socket event', () => {
  let t: TestApp;
  let sys: Fhir;
  let routes: Route[];
  let events: SocketEvent[];
  let namespaces: string[];
  const ids: Record<string, string> = {};
  const tok = {} as Record<Actor | 'staff.a' | 'doc.a' | 'econsult.a', string>;
  const accounts: Record<string, string> = {};
  const covered = new Map<string, Set<string>>();
  const failures: string[] = [];
  let refusals = 0;
  const sockets: { close(): void }[] = [];
  const visit: Record<string, VisitClient> = {};
  /** Ids inside A's running visit: participants, transports, producers, consumers. */
  const media: Record<string, string> = {};
  let caps: Record<string, unknown> = {};

  /** One request as `actor` (JSON unless `headers` say otherwise). */
  const call = async (
    actor: keyof typeof tok | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        ...(actor ? { Authorization: `Bearer ${tok[actor]}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed };
  };

  /** The same request for `hidden` and for `missing`: refused, and answered alike. */
  const likeMissing = async (
    actor: Actor,
    method: string,
    path: (id: string) => string,
    hidden: string,
    opts: {
      missing?: string;
      body?: (id: string) => unknown;
      headers?: Record<string, string>;
      statuses?: readonly number[];
    } = {},
  ): Promise<void> => {
    const missing = opts.missing ?? MISSING;
    const seen = await call(actor, method, path(hidden), opts.body?.(hidden), opts.headers);
    const gone = await call(actor, method, path(missing), opts.body?.(missing), opts.headers);
    refused(seen, opts.statuses ?? [403, 404, 422], `${method} ${path(hidden)}`);
    if (shape(seen, hidden) !== shape(gone, missing))
      throw new Error(
        `hidden ≠ missing: ${shape(seen, hidden).slice(0, 300)} | ${shape(gone, missing).slice(0, 300)}`,
      );
  };

  /** The current version of A's resource, read by the system client (to show a write did not happen). */
  const version = async (ref: string): Promise<string> => {
    const r = await sys.get(ref);
    return `${r.status} ${JSON.stringify((r.body.meta as { versionId?: string } | undefined)?.versionId)} ${JSON.stringify({ ...r.body, meta: undefined })}`;
  };
  const unchanged = async (refs: string[], work: () => Promise<void>): Promise<void> => {
    const before = await Promise.all(refs.map(version));
    await work();
    const after = await Promise.all(refs.map(version));
    if (JSON.stringify(before) !== JSON.stringify(after))
      throw new Error(`A's data changed: ${refs.join(', ')}`);
  };

  const run = async (key: string, attempts: Attempt[]): Promise<void> => {
    for (const a of attempts) {
      try {
        await a.run();
        refusals++;
        if (!covered.has(key)) covered.set(key, new Set());
        covered.get(key)?.add(a.actor);
      } catch (err) {
        failures.push(
          `${key} as ${a.actor} (${a.what}): ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  };

  const mk = async (body: Record<string, unknown>): Promise<string> => {
    const r = await sys.post(String(body.resourceType), body);
    if (r.status !== 201)
      throw new Error(`seed ${String(body.resourceType)}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as string;
  };

  // National e-prescriptions on (through the app's configuration), towards an address nobody listens on:
  // A's prescription is recorded when written; its sending merely retries (docs/eprescription.md).
  const erxEnv: Record<string, string> = {
    EPRESCRIPTION_URL: 'http://127.0.0.1:9',
    EPRESCRIPTION_SECRET_KEY: 'cross-facility-eprescription-key-0123456789',
  };

  beforeAll(async () => {
    t = await startApp(PlatformModule.register, {
      ...erxEnv,
      JOB_POLL_SECONDS: '0.5',
      CONSULT_MARGIN_MINUTES: '30',
    });
    ({ routes, events, namespaces } = appSurface(t));
    sys = new Fhir(t.url, await systemToken(t.url));
    // Two facilities, each with a doctor (a schedule) and a nurse.
    for (const side of ['A', 'B'] as const) {
      ids[`org${side}`] = await mk({ resourceType: 'Organization', name: `Trạm Y tế ${side}` });
      ids[`doc${side}`] = await mk({ resourceType: 'Practitioner', name: [{ family: `Bác sĩ ${side}` }] });
      ids[`nurse${side}`] = await mk({
        resourceType: 'Practitioner',
        name: [{ family: `Điều dưỡng ${side}` }],
      });
      ids[`schedule${side}`] = await mk({
        resourceType: 'Schedule',
        active: true,
        actor: [{ reference: `Practitioner/${ids[`doc${side}`]}` }],
      });
      ids[`pat${side}`] = await mk({
        resourceType: 'Patient',
        name: [{ family: side === 'A' ? 'Nguyễn' : 'Võ', given: [`Bệnh nhân ${side}`] }],
        identifier: [{ system: CCCD, value: side === 'A' ? '079190001111' : '079190002222' }],
        managingOrganization: { reference: `Organization/${ids[`org${side}`]}` },
        generalPractitioner: [{ reference: `Practitioner/${ids[`doc${side}`]}` }],
      });
      // Seen in person at their facility: the default booking's listed reason is eligible for video.
      ids[`visit${side}`] = await mk(seenInPerson(ids[`pat${side}`]!, ids[`org${side}`]!, 30));
    }
    // In A: a parent and their child (a guardianship recorded by the system client), born ten days ago.
    const born = new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10);
    ids.childA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Bé'] }],
      birthDate: born,
      managingOrganization: { reference: `Organization/${ids.orgA}` },
    });
    ids.rpA = await mk({
      resourceType: 'RelatedPerson',
      patient: { reference: `Patient/${ids.childA}` },
      relationship: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'MTH' }] },
      ],
      identifier: [{ system: CCCD, value: '079190003333' }],
      name: [{ family: 'Nguyễn', given: ['Mẹ'] }],
    });
    ids.parentA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Mẹ'] }],
      identifier: [{ system: CCCD, value: '079190003333' }],
      managingOrganization: { reference: `Organization/${ids.orgA}` },
      link: [{ other: { reference: `RelatedPerson/${ids.rpA}` }, type: 'seealso' }],
    });
    // Accounts: each side's staff, doctor and patient; A's parent.
    const admin = (await login(t.url, ADMIN.username, ADMIN.password)).access_token;
    tok.admin = admin;
    for (const [username, role, fhirUser, org, password] of [
      ['staff.a', 'clinic-staff', `Practitioner/${ids.nurseA}`, `Organization/${ids.orgA}`, PASS_A],
      ['doc.a', 'practitioner', `Practitioner/${ids.docA}`, undefined, PASS_A],
      ['pat.a', 'patient', `Patient/${ids.patA}`, undefined, PASS_A],
      ['parent.a', 'patient', `Patient/${ids.parentA}`, undefined, PASS_A],
      ['staff.b', 'clinic-staff', `Practitioner/${ids.nurseB}`, `Organization/${ids.orgB}`, PASS_B],
      ['doc.b', 'practitioner', `Practitioner/${ids.docB}`, undefined, PASS_B],
      ['pat.b', 'patient', `Patient/${ids.patB}`, undefined, PASS_B],
    ] as const) {
      const res = await api(t.url, 'POST', '/auth/accounts', admin, {
        username,
        password,
        role,
        fhirUser,
        ...(org ? { organization: org } : {}),
      });
      if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
      accounts[username] = ((await res.json()) as { id: string }).id;
      tok[username] = (await login(t.url, username, password)).access_token;
    }
    const forChild = await tokenRequest(t.url, {
      grant_type: 'password',
      username: 'parent.a',
      password: PASS_A,
      patient: ids.childA,
    });
    if (forChild.status !== 200) throw new Error(`child token ${forChild.status} ${await forChild.text()}`);
    tok['child.a'] = ((await forChild.json()) as { access_token: string }).access_token;

    // A's clinical record.
    ids.obsA = await mk({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      subject: { reference: `Patient/${ids.patA}` },
      effectiveDateTime: '2026-11-30T08:00:00+07:00',
      valueQuantity: { value: 76, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    ids.encA = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${ids.patA}` },
      participant: [{ individual: { reference: `Practitioner/${ids.docA}` } }],
      serviceProvider: { reference: `Organization/${ids.orgA}` },
    });
    ids.immA = await mk({
      resourceType: 'Immunization',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '08' }] },
      patient: { reference: `Patient/${ids.childA}` },
      occurrenceDateTime: `${born}T09:00:00+07:00`,
    });
    ids.commA = await mk({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: `Patient/${ids.patA}` },
      recipient: [{ reference: `Patient/${ids.patA}` }],
      payload: [{ contentString: 'Kết quả xét nghiệm của bạn đã có.' }],
    });
    ids.flagA = await mk({
      resourceType: 'Flag',
      status: 'active',
      code: { text: 'NEWS2 cao / high NEWS2' },
      subject: { reference: `Patient/${ids.patA}` },
    });
    // and an Observation of A's patient deleted since (a tombstone)
    ids.obsGoneA = await mk({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '8310-5' }] },
      subject: { reference: `Patient/${ids.patA}` },
      valueQuantity: { value: 37.2, unit: 'Cel', system: 'http://unitsofmeasure.org', code: 'Cel' },
    });
    if ((await sys.delete(`Observation/${ids.obsGoneA}`)).status !== 204) throw new Error('seed delete');
    // A's scheduling: slots published by A's doctor, bookings by A's patient, a waitlist entry,
    // weekly hours with an exception, a calendar feed.
    const day = 86400000;
    const at = (ms: number): Date => new Date(Math.ceil((Date.now() + ms) / 60000) * 60000);
    ids.slotFreeA = await postSlot(new Fhir(t.url, tok['doc.a']), ids.scheduleA, at(4 * day), 20);
    const book = async (who: 'pat.a' | 'pat.b', slot: string, side: 'A' | 'B'): Promise<string> => {
      const r = await new Fhir(t.url, tok[who]).post(
        'Appointment',
        appointmentBody(slot, ids[`pat${side}`]!, ids[`doc${side}`]!),
      );
      if (r.status !== 201) throw new Error(`booking ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.id as string;
    };
    ids.apptA = await book(
      'pat.a',
      await postSlot(new Fhir(t.url, tok['doc.a']), ids.scheduleA, at(3 * day), 20),
      'A',
    );
    ids.apptCancelA = await book(
      'pat.a',
      await postSlot(new Fhir(t.url, tok['doc.a']), ids.scheduleA, at(5 * day), 20),
      'A',
    );
    ids.visitA = await book(
      'pat.a',
      await postSlot(new Fhir(t.url, tok['doc.a']), ids.scheduleA, at(2 * 60000), 20),
      'A',
    );
    ids.visitB = await book(
      'pat.b',
      await postSlot(new Fhir(t.url, tok['doc.b']), ids.scheduleB, at(2 * 60000), 20),
      'B',
    );
    const wait = await api(t.url, 'POST', '/scheduling/waitlist', tok['pat.a'], {
      patient: `Patient/${ids.patA}`,
      practitioner: `Practitioner/${ids.docA}`,
    });
    if (wait.status !== 201) throw new Error(`waitlist ${wait.status} ${await wait.text()}`);
    ids.waitA = ((await wait.json()) as { id: string }).id;
    const ruleDay = new Date(Date.now() + 20 * day).toISOString().slice(0, 10);
    const rule = await api(t.url, 'POST', `/scheduling/schedules/${ids.scheduleA}/rules`, tok['doc.a'], {
      daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      startTime: '08:00',
      endTime: '09:00',
      slotMinutes: 60,
      serviceType: 'video',
      validFrom: ruleDay,
      validTo: ruleDay,
    });
    if (rule.status !== 201) throw new Error(`rule ${rule.status} ${await rule.text()}`);
    ids.ruleA = ((await rule.json()) as { id: string }).id;
    const feed = await api(t.url, 'POST', '/scheduling/calendar-feeds', tok['doc.a']);
    if (feed.status !== 201) throw new Error(`feed ${feed.status} ${await feed.text()}`);
    ids.feedA = new URL(((await feed.json()) as { url: string }).url).pathname;

    // Both visits running: A's doctor in, A's patient waiting with a (held) microphone; B's
    // doctor and patient both admitted, B's doctor receiving.
    for (const who of ['doc.a', 'pat.a', 'doc.b', 'pat.b'] as const) {
      visit[who] = new VisitClient(t.url, tok[who]);
      sockets.push(visit[who]);
      await visit[who].ready;
    }
    const expectOk = (what: string, ack: Ack): Record<string, unknown> => {
      if (!ack.ok) throw new Error(`${what}: ${JSON.stringify(ack)}`);
      return ack;
    };
    expectOk('doc.a join', await visit['doc.a']!.request('join', { appointmentId: ids.visitA }));
    const waiting = expectOk(
      'pat.a join',
      await visit['pat.a']!.request('join', { appointmentId: ids.visitA }),
    );
    media.patientA = waiting.participantId as string;
    caps = waiting.rtpCapabilities as Record<string, unknown>;
    const recvA = expectOk(
      'doc.a recv',
      await visit['doc.a']!.request('createTransport', { direction: 'recv', rtpCapabilities: caps }),
    );
    media.recvA = (recvA.transport as { id: string }).id;
    const sendA = expectOk(
      'pat.a send',
      await visit['pat.a']!.request('createTransport', { direction: 'send' }),
    );
    media.sendA = (sendA.transport as { id: string }).id;
    const produced = expectOk(
      'pat.a produce',
      await visit['pat.a']!.request('produce', {
        transportId: media.sendA,
        kind: 'audio',
        source: 'mic',
        rtpParameters: AUDIO,
      }),
    );
    media.producerA = produced.producerId as string;
    expectOk('doc.b join', await visit['doc.b']!.request('join', { appointmentId: ids.visitB }));
    const waitingB = expectOk(
      'pat.b join',
      await visit['pat.b']!.request('join', { appointmentId: ids.visitB }),
    );
    expectOk(
      'doc.b admit',
      await visit['doc.b']!.request('admit', { participantId: waitingB.participantId as string }),
    );
    const recvB = expectOk(
      'doc.b recv',
      await visit['doc.b']!.request('createTransport', { direction: 'recv', rtpCapabilities: caps }),
    );
    media.recvB = (recvB.transport as { id: string }).id;
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
    await t?.db.drop();
  });

  it('finds the surface it attacks', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(events.length).toBeGreaterThan(15);
    expect(namespaces.sort()).toEqual(['/consultation', '/notifications']);
  });

  it('FHIR API: B reads, searches, writes and operates on A’s resources by id — hidden, refused, unchanged', async () => {
    // A's resources; who tries them: B's three roles and the administrator, and inside A the
    // parent (not this patient's guardian) or, for the child's data, an unrelated patient.
    const targets: { ref: string; patient: string; inA: Actor }[] = [
      { ref: `Patient/${ids.patA}`, patient: ids.patA!, inA: 'parent.a' },
      { ref: `Observation/${ids.obsA}`, patient: ids.patA!, inA: 'parent.a' },
      { ref: `Encounter/${ids.encA}`, patient: ids.patA!, inA: 'child.a' },
      { ref: `Appointment/${ids.apptA}`, patient: ids.patA!, inA: 'parent.a' },
      { ref: `Immunization/${ids.immA}`, patient: ids.childA!, inA: 'pat.a' },
      { ref: `Communication/${ids.commA}`, patient: ids.patA!, inA: 'child.a' },
      { ref: `Flag/${ids.flagA}`, patient: ids.patA!, inA: 'parent.a' },
    ];
    // Control: each is there, and read by A's own side (the patient, or the parent for the child;
    // A's station, and A's doctor for A's patient) — so B's 404 below is not a missing resource.
    const contents = new Map<string, Record<string, unknown>>();
    const control: string[] = [];
    for (const x of targets) {
      contents.set(x.ref, (await sys.get(x.ref)).body);
      const own =
        x.patient === ids.childA
          ? (['child.a', 'staff.a'] as const)
          : (['pat.a', 'staff.a', 'doc.a'] as const);
      for (const who of own)
        control.push(`${x.ref} ${who} ${(await call(who, 'GET', `/fhir/${x.ref}`)).status}`);
    }
    expect(control.filter((c) => !c.endsWith(' 200'))).toEqual([]);
    const actorsOf = (x: (typeof targets)[number]): Actor[] => ['staff.b', 'doc.b', 'pat.b', 'admin', x.inA];
    const each = (
      fn: (x: (typeof targets)[number], actor: Actor, type: string, id: string) => Attempt,
    ): Attempt[] =>
      targets.flatMap((x) => {
        const [type, id] = x.ref.split('/') as [string, string];
        return actorsOf(x).map((actor) => fn(x, actor, type, id));
      });
    const altered = (ref: string, id: string): Record<string, unknown> => ({
      ...contents.get(ref),
      id,
      language: 'en',
    });

    await run(
      'GET /fhir/:type/:id',
      each((x, actor, type, id) => ({
        actor,
        what: `read ${x.ref}`,
        run: () => likeMissing(actor, 'GET', (i) => `/fhir/${type}/${i}`, id, { statuses: [404] }),
      })),
    );
    await run(
      'GET /fhir/:type/:id/_history/:vid',
      each((x, actor, type, id) => ({
        actor,
        what: `vread ${x.ref}/_history/1`,
        run: () => likeMissing(actor, 'GET', (i) => `/fhir/${type}/${i}/_history/1`, id, { statuses: [404] }),
      })),
    );
    await run('GET /fhir/:type/:id/:op', [
      ...each((x, actor, type, id) => ({
        actor,
        what: `history ${x.ref}`,
        run: () => likeMissing(actor, 'GET', (i) => `/fhir/${type}/${i}/_history`, id, { statuses: [404] }),
      })),
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'Patient/A/$everything',
        run: () =>
          likeMissing(actor, 'GET', (i) => `/fhir/Patient/${i}/$everything`, ids.patA!, {
            statuses: [403, 404],
          }),
      })),
      // The IPS document reads the record through $everything: refused alike (issue 21).
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'Patient/A/$summary',
        run: () =>
          likeMissing(actor, 'GET', (i) => `/fhir/Patient/${i}/$summary`, ids.patA!, {
            statuses: [403, 404],
          }),
      })),
      // The visit PDF has the access of reading the Encounter (issue 21).
      ...(['staff.b', 'doc.b', 'pat.b', 'admin', 'child.a'] as const).map((actor) => ({
        actor,
        what: 'Encounter/A/$summary-pdf',
        run: () =>
          likeMissing(actor, 'GET', (i) => `/fhir/Encounter/${i}/$summary-pdf`, ids.encA!, {
            statuses: [403, 404],
          }),
      })),
    ]);
    await run('POST /fhir/:type/:id/:op', [
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'POST Patient/A/$everything',
        run: () =>
          likeMissing(actor, 'POST', (i) => `/fhir/Patient/${i}/$everything`, ids.patA!, {
            body: () => ({ resourceType: 'Parameters' }),
            headers: { 'Content-Type': 'application/fhir+json' },
            statuses: [403, 404],
          }),
      })),
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'POST Patient/A/$summary',
        run: () =>
          likeMissing(actor, 'POST', (i) => `/fhir/Patient/${i}/$summary`, ids.patA!, {
            body: () => ({ resourceType: 'Parameters' }),
            headers: { 'Content-Type': 'application/fhir+json' },
            statuses: [403, 404],
          }),
      })),
      // Break-glass is a practitioner's (audited, the patient told): staff and patients may not.
      ...(['staff.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'break-glass into A’s patient',
        run: async () => {
          const told = async (): Promise<unknown> =>
            (await sys.get(`Communication?subject=Patient/${ids.patA}&_total=accurate&_count=0`)).body.total;
          const before = await told();
          refused(
            await call(
              actor,
              'POST',
              `/fhir/Patient/${ids.patA}/$break-glass`,
              {
                resourceType: 'Parameters',
                parameter: [{ name: 'reason', valueString: 'Cấp cứu, bệnh nhân bất tỉnh' }],
              },
              { 'Content-Type': 'application/fhir+json' },
            ),
            [403, 404],
          );
          const after = await told();
          if (typeof before !== 'number' || after !== before)
            throw new Error(`A's patient was told: ${String(before)} → ${String(after)}`);
        },
      })),
    ]);
    // HOLE (reported, not fixed here: the store is under refactor): an update of a hidden id answers
    // 404, while the same PUT on a missing id is an update-as-create (201 for one's own patient, 403
    // or 422 otherwise) — so it is refused and changes nothing, but is not answered like missing.
    await run(
      'PUT /fhir/:type/:id',
      each((x, actor, type, id) => ({
        actor,
        what: `update ${x.ref}`,
        run: () =>
          unchanged([x.ref], async () => {
            refused(
              await call(actor, 'PUT', `/fhir/${x.ref}`, altered(x.ref, id), {
                'Content-Type': 'application/fhir+json',
              }),
              [403, 404, 422],
            );
            // the same id with the attacker's own patient in it
            const own = actor === 'pat.b' ? ids.patB : undefined;
            if (own && type === 'Observation')
              refused(
                await call(
                  actor,
                  'PUT',
                  `/fhir/${x.ref}`,
                  { ...altered(x.ref, id), subject: { reference: `Patient/${own}` } },
                  {
                    'Content-Type': 'application/fhir+json',
                  },
                ),
                [403, 404, 409, 422],
              );
          }),
      })),
    );
    await run(
      'PATCH /fhir/:type/:id',
      each((x, actor, type, id) => ({
        actor,
        what: `patch ${x.ref}`,
        run: () =>
          unchanged([x.ref], () =>
            likeMissing(actor, 'PATCH', (i) => `/fhir/${type}/${i}`, id, {
              body: () => [{ op: 'add', path: '/language', value: 'en' }],
              headers: { 'Content-Type': 'application/json-patch+json' },
              statuses: [403, 404],
            }),
          ),
      })),
    );
    await run('DELETE /fhir/:type/:id', [
      // Regression: a live resource one may not see answered 404, a missing or deleted one 204 —
      // an oracle on other people's ids. Now all three answer 404 (system clients: 204 as before).
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'delete A’s deleted Observation again',
        run: () =>
          likeMissing(actor, 'DELETE', (i) => `/fhir/Observation/${i}`, ids.obsGoneA!, { statuses: [404] }),
      })),
      ...each((x, actor, type, id) => ({
        actor,
        what: `delete ${x.ref}`,
        run: () =>
          unchanged([x.ref], () =>
            likeMissing(actor, 'DELETE', (i) => `/fhir/${type}/${i}`, id, {
              statuses: type === 'Appointment' ? [404, 405] : [404],
            }),
          ),
      })),
    ]);
    // A's directory data (readable by everyone): B reads it, but neither updates, patches nor
    // deletes A's doctor's free slot, schedule, facility or practitioner.
    const directory = [
      `Slot/${ids.slotFreeA}`,
      `Schedule/${ids.scheduleA}`,
      `Organization/${ids.orgA}`,
      `Practitioner/${ids.docA}`,
    ];
    for (const ref of directory) contents.set(ref, (await sys.get(ref)).body);
    const directoryWrites = (method: 'PUT' | 'PATCH' | 'DELETE'): Attempt[] =>
      directory.flatMap((ref) =>
        (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
          actor,
          what: `${method} A’s ${ref.split('/')[0]} (directory data)`,
          run: () =>
            unchanged([ref], async () => {
              const body =
                method === 'PUT'
                  ? {
                      ...contents.get(ref),
                      ...(ref.startsWith('Slot/') ? { status: 'busy-unavailable' } : { active: false }),
                    }
                  : method === 'PATCH'
                    ? [
                        {
                          op: 'add',
                          path: ref.startsWith('Slot/') ? '/comment' : '/active',
                          value: ref.startsWith('Slot/') ? 'đã đầy' : false,
                        },
                      ]
                    : undefined;
              const r = await call(actor, method, `/fhir/${ref}`, body, {
                'Content-Type': method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json',
              });
              refused(r, [403, 405]);
            }),
        })),
      );
    await run('PUT /fhir/:type/:id', directoryWrites('PUT'));
    await run('PATCH /fhir/:type/:id', directoryWrites('PATCH'));
    await run('DELETE /fhir/:type/:id', directoryWrites('DELETE'));
    // Searches: by A's patient, by A's id, by A's CCCD, by A's doctor — none of A's data comes back.
    const aRefs = new Set(
      targets.map((x) => x.ref).concat([`Patient/${ids.childA}`, `Patient/${ids.parentA}`]),
    );
    const noneOfA = (actor: Actor, query: string): Attempt => ({
      actor,
      what: `search ${query}`,
      run: async () => {
        const r = await call(actor, 'GET', `/fhir/${query}`);
        if (r.status === 200) {
          const leaked = returned(r.body).filter((x) => aRefs.has(x));
          if (leaked.length > 0 || (typeof r.body.total === 'number' && r.body.total > 0))
            throw new Error(`returned A's data: ${leaked.join(', ')} total ${String(r.body.total)}`);
        } else refused(r, [400, 403, 404]);
      },
    });
    const searchActors = ['staff.b', 'doc.b', 'pat.b', 'admin', 'parent.a'] as const;
    await run(
      'GET /fhir/:type',
      searchActors.flatMap((actor) => [
        noneOfA(actor, `Observation?subject=Patient/${ids.patA}&_total=accurate`),
        noneOfA(actor, `Observation?_id=${ids.obsA}`),
        noneOfA(actor, `Patient?identifier=${CCCD}|079190001111&_total=accurate`),
        noneOfA(actor, `Appointment?actor=Practitioner/${ids.docA}&_total=accurate`),
        noneOfA(actor, `Immunization?patient=Patient/${ids.childA}`),
        noneOfA(actor, `Observation?subject:Patient.identifier=${CCCD}|079190001111`),
        noneOfA(actor, `Patient?_id=${ids.patA}&_revinclude=Observation:subject&_revinclude=Flag:subject`),
      ]),
    );
    await run(
      'POST /fhir/:type/:op',
      searchActors.map((actor) => ({
        actor,
        what: 'POST Observation/_search subject=A',
        run: async () => {
          const res = await fetch(`${t.url}/fhir/Observation/_search`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${tok[actor]}`,
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ subject: `Patient/${ids.patA}` }).toString(),
          });
          const r = { status: res.status, body: (await res.json()) as Record<string, unknown> };
          if (r.status === 200 && returned(r.body).length > 0)
            throw new Error(`returned ${returned(r.body).join(', ')}`);
          if (r.status !== 200) refused(r, [403]);
        },
      })),
    );
    // Creating data about A's patient: refused like for a patient who does not exist.
    const observationFor = (patient: string): Record<string, unknown> => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      subject: { reference: `Patient/${patient}` },
      effectiveDateTime: '2026-12-01T08:00:00+07:00',
      valueQuantity: { value: 140, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const fhirJson = { 'Content-Type': 'application/fhir+json' };
    await run('POST /fhir/:type', [
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'Observation about A',
        run: () =>
          likeMissing(actor, 'POST', () => '/fhir/Observation', ids.patA!, {
            body: observationFor,
            headers: fhirJson,
            statuses: [403, 422],
          }),
      })),
      ...(['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'booking A’s doctor’s free slot for A',
        run: async () => {
          await likeMissing(actor, 'POST', () => '/fhir/Appointment', ids.patA!, {
            body: (p) => appointmentBody(ids.slotFreeA!, p, ids.docA!),
            headers: fhirJson,
            statuses: [403, 422],
          });
          const slot = await sys.get(`Slot/${ids.slotFreeA}`);
          if (slot.body.status !== 'free') throw new Error(`A's slot is now ${String(slot.body.status)}`);
        },
      })),
      {
        actor: 'staff.b',
        what: 'a Consent of A’s patient granting facility B',
        run: () =>
          likeMissing('staff.b', 'POST', () => '/fhir/Consent', ids.patA!, {
            body: (p) => ({
              resourceType: 'Consent',
              status: 'active',
              scope: {
                coding: [
                  { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
                ],
              },
              category: [{ coding: [{ system: LOINC, code: '59284-0' }] }],
              patient: { reference: `Patient/${p}` },
              provision: {
                type: 'permit',
                actor: [
                  {
                    role: {
                      coding: [
                        {
                          system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
                          code: 'IRCP',
                        },
                      ],
                    },
                    reference: { reference: `Organization/${ids.orgB}` },
                  },
                ],
              },
            }),
            headers: fhirJson,
            statuses: [403, 422],
          }),
      },
      {
        // HOLE (reported: a design question, not fixed here): a CCCD identifies one Patient in the
        // whole record, and registering a second one answers 409 "already exists" while a fresh
        // number is registered (201) — so B's staff learn that someone with that number is a
        // patient somewhere. Refused, A's Patient unchanged; not answered like a missing number.
        actor: 'staff.b',
        what: 'registers a Patient with A’s patient’s CCCD',
        run: () =>
          unchanged([`Patient/${ids.patA}`], async () => {
            const r = await call(
              'staff.b',
              'POST',
              '/fhir/Patient',
              {
                resourceType: 'Patient',
                identifier: [{ system: CCCD, value: '079190001111' }],
                managingOrganization: { reference: `Organization/${ids.orgB}` },
              },
              fhirJson,
            );
            refused(r, [409, 422]);
            const found = await sys.get(`Patient?identifier=${CCCD}|079190001111&_total=accurate`);
            if (found.body.total !== 1)
              throw new Error(`${String(found.body.total)} Patients carry A's CCCD`);
          }),
      },
      {
        actor: 'doc.b',
        what: 'a Slot on A’s doctor’s schedule',
        run: async () => {
          const r = await call(
            'doc.b',
            'POST',
            '/fhir/Slot',
            {
              resourceType: 'Slot',
              schedule: { reference: `Schedule/${ids.scheduleA}` },
              status: 'free',
              start: new Date(Date.now() + 9 * 86400000).toISOString(),
              end: new Date(Date.now() + 9 * 86400000 + 1200000).toISOString(),
            },
            fhirJson,
          );
          refused(r, [403, 422]);
        },
      },
    ]);
    await run(
      'PUT /fhir/:type',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'conditional update of A’s Observation by _id',
        run: () =>
          unchanged([`Observation/${ids.obsA}`], () =>
            likeMissing(actor, 'PUT', (i) => `/fhir/Observation?_id=${i}`, ids.obsA!, {
              body: () => observationFor(ids.patA!),
              headers: fhirJson,
              statuses: [403, 404, 412, 422],
            }),
          ),
      })),
    );
    await run(
      'POST /fhir',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'batch: read, update and delete A’s Observation',
        run: () =>
          unchanged([`Observation/${ids.obsA}`], async () => {
            const entry = (id: string) => [
              { request: { method: 'GET', url: `Observation/${id}` } },
              {
                request: { method: 'PUT', url: `Observation/${id}` },
                resource: { ...observationFor(ids.patA!), id },
              },
              { request: { method: 'DELETE', url: `Observation/${id}` } },
            ];
            const seen = await call(
              actor,
              'POST',
              '/fhir',
              { resourceType: 'Bundle', type: 'batch', entry: entry(ids.obsA!) },
              fhirJson,
            );
            const gone = await call(
              actor,
              'POST',
              '/fhir',
              { resourceType: 'Bundle', type: 'batch', entry: entry(MISSING) },
              fhirJson,
            );
            refused(seen, [200]);
            const statuses = (seen.body.entry as { response: { status: string } }[]).map(
              (e) => e.response.status,
            );
            if (statuses.some((s) => /^2/.test(s)))
              throw new Error(`an entry went through: ${statuses.join(', ')}`);
            // the read and the delete answer as for a missing id (the update: reported, see the PUT entry)
            const [s0, s2] = [0, 2].map((i) =>
              shape({ status: 200, body: (seen.body.entry as Record<string, unknown>[])[i]! }, ids.obsA!),
            );
            const [g0, g2] = [0, 2].map((i) =>
              shape({ status: 200, body: (gone.body.entry as Record<string, unknown>[])[i]! }, MISSING),
            );
            if (s0 !== g0 || s2 !== g2)
              throw new Error(
                `hidden ≠ missing: ${shape(seen, ids.obsA!).slice(0, 400)} | ${shape(gone, MISSING).slice(0, 400)}`,
              );
          }),
      })),
    );
    // every attempt of this test ran and was refused (the list names each that was not)
    expect(failures.splice(0)).toEqual([]);
  });

  it('scheduling, consultation, care and account routes: B acts on A’s ids — refused, A unchanged', async () => {
    const feedOf = async (path: string): Promise<{ status: number; text: string }> => {
      const res = await fetch(`${t.url}${path}`);
      return { status: res.status, text: await res.text() };
    };
    const rulesOfA = async (): Promise<string> =>
      JSON.stringify((await call('doc.a', 'GET', `/scheduling/schedules/${ids.scheduleA}/rules`)).body);
    const exceptionsOfA = async (): Promise<string> =>
      JSON.stringify((await call('doc.a', 'GET', `/scheduling/schedules/${ids.scheduleA}/exceptions`)).body);
    const waitlistOfA = async (): Promise<string> =>
      JSON.stringify((await call('pat.a', 'GET', `/scheduling/waitlist?patient=Patient/${ids.patA}`)).body);

    // Availability: a schedule is directory data (anyone may read its hours); only its doctor writes.
    await run(
      'GET /scheduling/schedules/:scheduleId/rules',
      (['doc.b', 'pat.b', 'staff.b'] as const).map((actor) => ({
        actor,
        what: 'reads A’s hours: directory data only, nothing of A’s patients',
        run: async () => {
          const r = await call(actor, 'GET', `/scheduling/schedules/${ids.scheduleA}/rules`);
          refused(r, [200, 403]);
          if (JSON.stringify(r.body).includes(ids.patA!)) throw new Error('a patient of A in the answer');
        },
      })),
    );
    await run(
      'GET /scheduling/schedules/:scheduleId/exceptions',
      (['doc.b', 'pat.b', 'staff.b'] as const).map((actor) => ({
        actor,
        what: 'reads A’s exceptions: directory data only',
        run: async () => {
          const r = await call(actor, 'GET', `/scheduling/schedules/${ids.scheduleA}/exceptions`);
          refused(r, [200, 403]);
          if (JSON.stringify(r.body).includes(ids.patA!)) throw new Error('a patient of A in the answer');
        },
      })),
    );
    await run(
      'POST /scheduling/schedules/:scheduleId/rules',
      (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'adds hours to A’s doctor’s schedule',
        run: async () => {
          const before = await rulesOfA();
          const r = await call(actor, 'POST', `/scheduling/schedules/${ids.scheduleA}/rules`, {
            daysOfWeek: [1],
            startTime: '13:00',
            endTime: '14:00',
            slotMinutes: 30,
            serviceType: 'video',
          });
          refused(r, [403]);
          if ((await rulesOfA()) !== before) throw new Error('A’s rules changed');
        },
      })),
    );
    await run(
      'DELETE /scheduling/schedules/:scheduleId/rules/:ruleId',
      (['doc.b', 'staff.b', 'pat.b'] as const).flatMap((actor) => [
        {
          actor,
          what: 'ends A’s rule',
          run: async () => {
            const before = await rulesOfA();
            refused(
              await call(actor, 'DELETE', `/scheduling/schedules/${ids.scheduleA}/rules/${ids.ruleA}`),
              [403, 404],
            );
            if ((await rulesOfA()) !== before) throw new Error('A’s rules changed');
          },
        },
        {
          actor,
          what: 'ends A’s rule through B’s own schedule',
          run: async () => {
            const before = await rulesOfA();
            refused(
              await call(actor, 'DELETE', `/scheduling/schedules/${ids.scheduleB}/rules/${ids.ruleA}`),
              [403, 404],
            );
            if ((await rulesOfA()) !== before) throw new Error('A’s rules changed');
          },
        },
      ]),
    );
    await run(
      'POST /scheduling/schedules/:scheduleId/exceptions',
      (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'closes A’s doctor’s day',
        run: async () => {
          const before = await exceptionsOfA();
          const start = new Date(Date.now() + 4 * 86400000);
          const r = await call(actor, 'POST', `/scheduling/schedules/${ids.scheduleA}/exceptions`, {
            kind: 'closed',
            start: start.toISOString(),
            end: new Date(start.getTime() + 3600000).toISOString(),
            reason: 'nghỉ',
          });
          refused(r, [403]);
          if ((await exceptionsOfA()) !== before) throw new Error('A’s exceptions changed');
          if ((await sys.get(`Slot/${ids.slotFreeA}`)).body.status !== 'free')
            throw new Error('A’s slot withdrawn');
        },
      })),
    );
    // Waitlist: for A's patient, A's entry.
    await run(
      'POST /scheduling/waitlist',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'puts A’s patient on a waitlist',
        run: async () => {
          const before = await waitlistOfA();
          await likeMissing(actor, 'POST', () => '/scheduling/waitlist', ids.patA!, {
            body: (p) => ({ patient: `Patient/${p}`, practitioner: `Practitioner/${ids.docA}` }),
            statuses: [422],
          });
          if ((await waitlistOfA()) !== before) throw new Error('A’s waitlist changed');
        },
      })),
    );
    await run(
      'GET /scheduling/waitlist',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a', 'admin'] as const).map((actor) => ({
        actor,
        what: 'lists A’s patient’s waitlist',
        run: () =>
          likeMissing(actor, 'GET', (p) => `/scheduling/waitlist?patient=Patient/${p}`, ids.patA!, {
            statuses: [403],
          }),
      })),
    );
    await run(
      'DELETE /scheduling/waitlist/:id',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'takes A’s patient off the waitlist',
        run: async () => {
          const before = await waitlistOfA();
          // Someone else's entry answers exactly like a missing one (404): no probing of entry ids.
          await likeMissing(actor, 'DELETE', (i) => `/scheduling/waitlist/${i}`, ids.waitA!, {
            missing: '00000000-0000-4000-8000-000000000000',
            statuses: [404],
          });
          if ((await waitlistOfA()) !== before) throw new Error('A’s waitlist changed');
        },
      })),
    );
    // Calendar feeds: one's own only; A's feed keeps working and shows nothing of B.
    await run(
      'POST /scheduling/calendar-feeds',
      (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'a feed of one’s own appointments only',
        run: async () => {
          // naming A's doctor changes nothing: the feed is the caller's own (or refused to non-doctors)
          const own = await call(actor, 'POST', '/scheduling/calendar-feeds', {
            practitioner: `Practitioner/${ids.docA}`,
          });
          if (actor !== 'doc.b') return refused(own, [403]);
          refused(own, [201]);
          const feed = await feedOf(new URL(String(own.body.url)).pathname);
          if (feed.status !== 200 || !feed.text.includes('BEGIN:VCALENDAR'))
            throw new Error(`B's feed ${feed.status}`);
          for (const a of [ids.apptA, ids.visitA, ids.apptCancelA])
            if (feed.text.includes(a!)) throw new Error('A’s appointment in B’s feed');
        },
      })),
    );
    await run(
      'DELETE /scheduling/calendar-feeds',
      (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'revokes feeds: its own only, A’s still answers',
        run: async () => {
          const r = await call(actor, 'DELETE', '/scheduling/calendar-feeds');
          refused(r, [200, 403]);
          const a = await feedOf(ids.feedA!);
          if (a.status !== 200 || !a.text.includes(ids.visitA!)) throw new Error(`A's feed ${a.status}`);
        },
      })),
    );
    await run('GET /scheduling/calendar/:file', [
      {
        actor: 'doc.b',
        what: 'a guessed feed file answers like a missing one',
        run: async () => {
          const guess = await feedOf(`/scheduling/calendar/${'A'.repeat(32)}.ics`);
          if (guess.status !== 404) throw new Error(`guess ${guess.status}`);
        },
      },
    ]);
    // Appointment action links (issue 20): the token is the only key; a request names no appointment,
    // so side B, signed in or not, can only guess tokens — answered like any unknown link.
    for (const [route, path, body] of [
      ['POST /scheduling/action-links/preview', 'preview', { token: 'A'.repeat(32) }],
      ['POST /scheduling/action-links/use', 'use', { token: 'A'.repeat(32), action: 'cancel' }],
    ] as const)
      await run(
        route,
        (['doc.b', 'pat.b', 'staff.b'] as const).map((actor) => ({
          actor,
          what: 'guesses an action link of A’s appointment',
          run: () =>
            unchanged([`Appointment/${ids.visitA}`], async () => {
              const r = await call(actor, 'POST', `/scheduling/action-links/${path}`, body);
              if (r.status !== 404) throw new Error(`guess ${r.status}`);
            }),
        })),
      );
    // Consultation over HTTP: files into A's visit; the waiting list.
    await run(
      'POST /consultation/visits/:appointmentId/files',
      (['doc.b', 'pat.b', 'staff.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'shares a file into A’s running visit',
        run: () =>
          likeMissing(actor, 'POST', (a) => `/consultation/visits/${a}/files`, ids.visitA!, {
            body: () => '%PDF-1.4\n%%EOF\n',
            headers: { 'Content-Type': 'application/pdf', 'X-File-Name': 'ket-qua.pdf' },
            statuses: [403],
          }),
      })),
    );
    await run(
      'GET /consultation/waiting',
      (['doc.b', 'staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'sees who waits: never A’s patient',
        run: async () => {
          const control = await call('doc.a', 'GET', '/consultation/waiting');
          if (!JSON.stringify(control.body).includes(ids.visitA!))
            throw new Error(`A's doctor does not see A waiting: ${brief(control)}`);
          const r = await call(actor, 'GET', '/consultation/waiting');
          refused(r, [200, 403]);
          if (JSON.stringify(r.body).includes(ids.visitA!) || JSON.stringify(r.body).includes(ids.patA!))
            throw new Error(`A's waiting patient shown: ${brief(r)}`);
        },
      })),
    );
    // Care: the station's vaccination list is the caller's facility's children only.
    const month = new Date(Date.now() + 7 * 3600000).toISOString().slice(0, 7);
    let control = '';
    for (let i = 0; i < 60 && !control.includes(ids.childA!); i++) {
      control = JSON.stringify((await call('staff.a', 'GET', `/care/immunizations/due?month=${month}`)).body);
      if (!control.includes(ids.childA!)) await new Promise((r) => setTimeout(r, 250));
    }
    await run(
      'GET /care/immunizations/due',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'the vaccination list: never A’s child',
        run: async () => {
          if (!control.includes(ids.childA!))
            throw new Error(`A's staff do not see A's child due: ${control.slice(0, 200)}`);
          const r = await call(actor, 'GET', `/care/immunizations/due?month=${month}`);
          refused(r, [200, 403]);
          if (JSON.stringify(r.body).includes(ids.childA!)) throw new Error(`A's child listed: ${brief(r)}`);
          refused(
            await call(
              actor,
              'GET',
              `/care/immunizations/due?month=${month}&organization=Organization/${ids.orgA}`,
            ),
            [400, 403],
          );
        },
      })),
    );
    // Care, issue 17 item 10: A's duty roster and A's NEWS2 alert. A's doctor works at A (a
    // PractitionerRole) and is on call for A; a patient of A scores RR 26 (a single 3: an alert).
    await mk({
      resourceType: 'PractitionerRole',
      practitioner: { reference: `Practitioner/${ids.docA}` },
      organization: { reference: `Organization/${ids.orgA}` },
    });
    const rosterBody = (facility: string, covers: string[]): Record<string, unknown> => ({
      practitioner: `Practitioner/${ids.docA}`,
      facility,
      covers,
      start: new Date(Date.now() - 3600_000).toISOString(),
      end: new Date(Date.now() + 6 * 3600_000).toISOString(),
    });
    const orgA = `Organization/${ids.orgA}`;
    const rowA = await call('staff.a', 'POST', '/care/duty-roster', rosterBody(orgA, [orgA]));
    if (rowA.status !== 201) throw new Error(`A's roster row: ${brief(rowA)}`);
    ids.rosterA = rowA.body.id as string;
    ids.alertPatA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Cảnh báo'] }],
      birthDate: '1960-01-01',
      managingOrganization: { reference: orgA },
    });
    const vitalAt = new Date(Date.now() - 60_000).toISOString();
    const vital = (code: string, value: number): Record<string, unknown> => ({
      request: { method: 'POST', url: 'Observation' },
      resource: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: LOINC, code }] },
        subject: { reference: `Patient/${ids.alertPatA}` },
        effectiveDateTime: vitalAt,
        valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      },
    });
    const vitals = await new Fhir(t.url, tok['staff.a']).post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [vital('9279-1', 26), vital('8867-4', 80)],
    });
    if (vitals.status !== 200)
      throw new Error(`A's vitals: ${brief({ status: vitals.status, body: vitals.body })}`);
    const alertsOfA = (await call('doc.a', 'GET', '/care/alerts')).body as unknown as {
      id: string;
      patientId: string;
    }[];
    ids.alertA = alertsOfA.find((a) => a.patientId === ids.alertPatA)?.id ?? '';
    if (!ids.alertA)
      throw new Error(`A's on-call doctor has no alert: ${JSON.stringify(alertsOfA).slice(0, 200)}`);
    const rosterOfA = async (): Promise<string> =>
      JSON.stringify((await call('staff.a', 'GET', `/care/duty-roster?facility=${orgA}`)).body);
    const alertOfA = async (): Promise<string> =>
      JSON.stringify(
        ((await call('doc.a', 'GET', '/care/alerts?status=all')).body as unknown as { id: string }[]).find(
          (a) => a.id === ids.alertA,
        ),
      );
    const rosterUnchanged = async (work: () => Promise<void>): Promise<void> => {
      const before = await rosterOfA();
      await work();
      if ((await rosterOfA()) !== before) throw new Error("A's roster changed");
    };
    // A patient's notification preferences (docs/notifications.md): only who may read the person's
    // record — B's side sees nothing of A's patient (404, as for a record it cannot see) and changes nothing.
    const prefsOfA = async (): Promise<string> =>
      JSON.stringify((await call('pat.a', 'GET', `/notify/preferences?person=Patient/${ids.patA}`)).body);
    await run(
      'GET /notify/preferences',
      (['staff.b', 'doc.b', 'pat.b', 'admin'] as const).map((actor): Attempt => ({
        actor,
        what: 'reads the notification preferences of A’s patient',
        run: async () =>
          refused(await call(actor, 'GET', `/notify/preferences?person=Patient/${ids.patA}`), [403, 404]),
      })),
    );
    await run(
      'PUT /notify/preferences',
      (['staff.b', 'doc.b', 'pat.b', 'admin'] as const).map((actor): Attempt => ({
        actor,
        what: 'turns off SMS and quiet hours of A’s patient',
        run: async () => {
          const before = await prefsOfA();
          refused(
            await call(actor, 'PUT', '/notify/preferences', {
              person: `Patient/${ids.patA}`,
              channels: ['email'],
              quietHours: false,
            }),
            [403, 404],
          );
          if ((await prefsOfA()) !== before) throw new Error("A's preferences changed");
        },
      })),
    );
    // Whether a number opted out of SMS: administrators and system clients only (docs/notifications-sms.md).
    await run(
      'GET /notify/opt-outs',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor): Attempt => ({
        actor,
        what: 'asks whether a number of A opted out of SMS',
        run: async () => refused(await call(actor, 'GET', '/notify/opt-outs?phone=0912345678'), [403]),
      })),
    );
    // The roster is directory data (docs/decisions/018): B's clinicians may read it; patients may not.
    await run('GET /care/duty-roster', [
      {
        actor: 'pat.b',
        what: 'reads A’s duty roster',
        run: async () => refused(await call('pat.b', 'GET', `/care/duty-roster?facility=${orgA}`), [403]),
      },
    ]);
    await run(
      'POST /care/duty-roster',
      (['staff.b', 'doc.b', 'pat.b'] as const)
        .flatMap((actor): Attempt[] => [
          {
            actor,
            what: 'puts a doctor on call in A’s roster',
            run: () =>
              rosterUnchanged(async () =>
                refused(await call(actor, 'POST', '/care/duty-roster', rosterBody(orgA, [orgA])), [403]),
              ),
          },
        ])
        .concat([
          {
            actor: 'staff.b',
            what: 'its own row covering A',
            run: () =>
              rosterUnchanged(async () =>
                refused(
                  await call(
                    'staff.b',
                    'POST',
                    '/care/duty-roster',
                    rosterBody(`Organization/${ids.orgB}`, [orgA]),
                  ),
                  [422],
                ),
              ),
          },
        ]),
    );
    for (const [method, body] of [
      ['PUT', rosterBody(orgA, [orgA])],
      ['DELETE', undefined],
    ] as const)
      await run(
        `${method} /care/duty-roster/:id`,
        (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
          actor,
          what: `${method} on A’s roster row`,
          run: () =>
            rosterUnchanged(async () =>
              refused(await call(actor, method, `/care/duty-roster/${ids.rosterA}`, body), [403]),
            ),
        })),
      );
    await run(
      'GET /care/alerts',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'the alerts inbox: never A’s alert',
        run: async () => {
          const r = await call(actor, 'GET', '/care/alerts?status=all');
          refused(r, [200, 403]);
          if (JSON.stringify(r.body).includes(ids.alertPatA!))
            throw new Error(`A's alert shown: ${brief(r)}`);
        },
      })),
    );
    for (const [path, body] of [
      ['acknowledge', undefined],
      ['booking-override', { reason: 'B cho phép đặt lịch' }],
    ] as const)
      await run(
        `POST /care/alerts/:id/${path}`,
        (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
          actor,
          what: `${path} on A’s alert`,
          run: async () => {
            const before = await alertOfA();
            await likeMissing(actor, 'POST', (id) => `/care/alerts/${id}/${path}`, ids.alertA!, {
              missing: '00000000-0000-4000-8000-000000000000',
              body: () => body,
              statuses: [403, 404],
            });
            if ((await alertOfA()) !== before) throw new Error("A's alert changed");
          },
        })),
      );

    // E-consult (issue 20 part 3, docs/econsult.md): A's station SA (part of hospital HA) sends a
    // case of its patient to HA's dermatology, where A's dermatologist is on duty; one photo stored,
    // one upload left half-way. B's side tries every e-consult route on them.
    ids.hospitalA = await mk({ resourceType: 'Organization', name: 'Bệnh viện A' });
    ids.stationSA = await mk({
      resourceType: 'Organization',
      name: 'Trạm Y tế SA',
      partOf: { reference: `Organization/${ids.hospitalA}` },
    });
    ids.dermA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Da liễu A' }] });
    ids.nurseSA = await mk({ resourceType: 'Practitioner', name: [{ family: 'Điều dưỡng SA' }] });
    await mk({
      resourceType: 'PractitionerRole',
      active: true,
      practitioner: { reference: `Practitioner/${ids.dermA}` },
      organization: { reference: `Organization/${ids.hospitalA}` },
      specialty: [{ coding: [{ system: 'http://snomed.info/sct', code: '394582007' }] }],
    });
    ids.econsultPatA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Nguyễn', given: ['Tư vấn'] }],
      birthDate: '1970-01-01',
      managingOrganization: { reference: `Organization/${ids.stationSA}` },
    });
    const nurseSA = await api(t.url, 'POST', '/auth/accounts', tok.admin, {
      username: 'econsult.a',
      password: PASS_A,
      role: 'clinic-staff',
      fhirUser: `Practitioner/${ids.nurseSA}`,
      organization: `Organization/${ids.stationSA}`,
    });
    if (nurseSA.status !== 201) throw new Error(`econsult.a: ${nurseSA.status} ${await nurseSA.text()}`);
    tok['econsult.a'] = (await login(t.url, 'econsult.a', PASS_A)).access_token;
    const dutyA = await call('admin', 'POST', '/care/duty-roster', {
      practitioner: `Practitioner/${ids.dermA}`,
      facility: `Organization/${ids.hospitalA}`,
      covers: [`Organization/${ids.hospitalA}`],
      start: new Date(Date.now() - 3600_000).toISOString(),
      end: new Date(Date.now() + 6 * 3600_000).toISOString(),
    });
    if (dutyA.status !== 201) throw new Error(`HA's roster: ${brief(dutyA)}`);
    const caseBody = (patient: string): Record<string, unknown> => ({
      patient,
      specialty: '394582007',
      question: 'Tổn thương da, xin ý kiến chuyên khoa',
      priority: 'routine',
      consent: true,
    });
    const caseA = await call('econsult.a', 'POST', '/econsult/cases', caseBody(ids.econsultPatA));
    if (caseA.status !== 201) throw new Error(`A's case: ${brief(caseA)}`);
    ids.caseA = caseA.body.id as string;
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(996, 7)]);
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    const tusHeaders = (who: keyof typeof tok): Record<string, string> => ({
      Authorization: `Bearer ${tok[who]}`,
      'Tus-Resumable': '1.0.0',
    });
    const startUpload = async (): Promise<string> => {
      const r = await fetch(`${t.url}/econsult/cases/${ids.caseA}/uploads`, {
        method: 'POST',
        headers: {
          ...tusHeaders('econsult.a'),
          'Upload-Length': String(jpeg.length),
          'Upload-Metadata': `filename ${b64('a.jpg')},filetype ${b64('image/jpeg')},sha256 ${b64(createHash('sha256').update(jpeg).digest('hex'))}`,
        },
      });
      if (r.status !== 201) throw new Error(`A's upload: ${r.status} ${await r.text()}`);
      return (r.headers.get('location') ?? '').split('/').pop() ?? '';
    };
    const patchUpload = (
      who: keyof typeof tok,
      upload: string,
      offset: number,
      data: Buffer,
    ): Promise<Response> =>
      fetch(`${t.url}/econsult/cases/${ids.caseA}/uploads/${upload}`, {
        method: 'PATCH',
        headers: {
          ...tusHeaders(who),
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
        },
        body: data,
      });
    ids.uploadDoneA = await startUpload();
    const stored = await patchUpload('econsult.a', ids.uploadDoneA, 0, jpeg);
    if (stored.status !== 204) throw new Error(`A's photo: ${stored.status} ${await stored.text()}`);
    ids.uploadHalfA = await startUpload();
    const half = await patchUpload('econsult.a', ids.uploadHalfA, 0, jpeg.subarray(0, 500));
    if (half.status !== 204) throw new Error(`A's half upload: ${half.status} ${await half.text()}`);
    const caseOfA = async (): Promise<string> =>
      JSON.stringify((await call('econsult.a', 'GET', `/econsult/cases/${ids.caseA}`)).body);
    const casesOfA = async (): Promise<string> =>
      JSON.stringify((await call('econsult.a', 'GET', '/econsult/cases')).body);
    const halfOffset = async (): Promise<string | null> =>
      (
        await fetch(`${t.url}/econsult/cases/${ids.caseA}/uploads/${ids.uploadHalfA}`, {
          method: 'HEAD',
          headers: tusHeaders('econsult.a'),
        })
      ).headers.get('upload-offset');
    const caseUnchanged = async (work: () => Promise<void>): Promise<void> => {
      const before = [await caseOfA(), await casesOfA(), await halfOffset()];
      await work();
      const after = [await caseOfA(), await casesOfA(), await halfOffset()];
      if (JSON.stringify(before) !== JSON.stringify(after)) throw new Error("A's case changed");
    };
    const caseMissing = '00000000-0000-4000-8000-000000000000';
    await run('POST /econsult/cases', [
      {
        actor: 'staff.b',
        what: 'sends a case of A’s patient',
        run: () =>
          caseUnchanged(() =>
            likeMissing('staff.b', 'POST', () => '/econsult/cases', ids.econsultPatA!, {
              body: (p) => caseBody(p),
              statuses: [404],
            }),
          ),
      },
      ...(['doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'sends a case of A’s patient (no facility account)',
        run: () =>
          caseUnchanged(async () =>
            refused(await call(actor, 'POST', '/econsult/cases', caseBody(ids.econsultPatA!)), [403]),
          ),
      })),
    ]);
    await run(
      'GET /econsult/cases',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'the worklist: never A’s case',
        run: async () => {
          const r = await call(actor, 'GET', '/econsult/cases');
          refused(r, [200]);
          if (JSON.stringify(r.body).includes(ids.caseA!)) throw new Error(`A's case shown: ${brief(r)}`);
        },
      })),
    );
    await run(
      'GET /econsult/cases/:id',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'reads A’s case',
        run: () =>
          likeMissing(actor, 'GET', (id) => `/econsult/cases/${id}`, ids.caseA!, {
            missing: caseMissing,
            statuses: [404],
          }),
      })),
    );
    const doneUpload = ids.uploadDoneA;
    await run(
      'GET /econsult/cases/:id/documents/:uploadId',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'downloads A’s photo',
        run: () =>
          likeMissing(actor, 'GET', (id) => `/econsult/cases/${id}/documents/${doneUpload}`, ids.caseA!, {
            missing: caseMissing,
            statuses: [404],
          }),
      })),
    );
    for (const [path, body] of [
      ['claim', undefined],
      ['reply', { kind: 'advice', text: 'B trả lời ca của A' }],
    ] as const)
      await run(`POST /econsult/cases/:id/${path}`, [
        {
          actor: 'doc.b' as const,
          what: `${path} on A’s case`,
          run: () =>
            caseUnchanged(() =>
              likeMissing('doc.b', 'POST', (id) => `/econsult/cases/${id}/${path}`, ids.caseA!, {
                missing: caseMissing,
                body: () => body,
                statuses: [404],
              }),
            ),
        },
        ...(['staff.b', 'pat.b'] as const).map((actor) => ({
          actor,
          what: `${path} on A’s case (not a doctor)`,
          run: () =>
            caseUnchanged(async () =>
              refused(await call(actor, 'POST', `/econsult/cases/${ids.caseA}/${path}`, body), [403]),
            ),
        })),
      ]);
    await run('POST /econsult/cases/:id/uploads', [
      ...(['staff.b', 'doc.b'] as const).map((actor) => ({
        actor,
        what: 'uploads into A’s case',
        run: () =>
          caseUnchanged(() =>
            likeMissing(actor, 'POST', (id) => `/econsult/cases/${id}/uploads`, ids.caseA!, {
              missing: caseMissing,
              headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1000' },
              statuses: [404],
            }),
          ),
      })),
      {
        actor: 'pat.b',
        what: 'uploads into A’s case',
        run: () =>
          caseUnchanged(async () =>
            refused(
              await call('pat.b', 'POST', `/econsult/cases/${ids.caseA}/uploads`, undefined, {
                'Tus-Resumable': '1.0.0',
                'Upload-Length': '1000',
              }),
              [403],
            ),
          ),
      },
    ]);
    const halfUpload = ids.uploadHalfA;
    for (const method of ['HEAD', 'PATCH'] as const)
      await run(`${method} /econsult/cases/:id/uploads/:uploadId`, [
        ...(['staff.b', 'doc.b'] as const).map((actor) => ({
          actor,
          what: `${method} on A’s unfinished upload`,
          run: () =>
            caseUnchanged(() =>
              likeMissing(actor, method, (id) => `/econsult/cases/${ids.caseA}/uploads/${id}`, halfUpload!, {
                missing: 'ffffffffffffffffffffffffffffffff',
                ...(method === 'PATCH' ? { body: () => 'x'.repeat(500) } : {}),
                headers: {
                  'Tus-Resumable': '1.0.0',
                  ...(method === 'PATCH'
                    ? { 'Upload-Offset': '500', 'Content-Type': 'application/offset+octet-stream' }
                    : {}),
                },
                statuses: [404],
              }),
            ),
        })),
        {
          actor: 'pat.b',
          what: `${method} on A’s unfinished upload`,
          run: () =>
            caseUnchanged(async () =>
              refused(
                await call(
                  'pat.b',
                  method,
                  `/econsult/cases/${ids.caseA}/uploads/${halfUpload}`,
                  method === 'PATCH' ? 'x'.repeat(500) : undefined,
                  {
                    'Tus-Resumable': '1.0.0',
                    ...(method === 'PATCH'
                      ? { 'Upload-Offset': '500', 'Content-Type': 'application/offset+octet-stream' }
                      : {}),
                  },
                ),
                [403],
              ),
            ),
        },
      ]);

    // Accounts and recovery: on A's patients and accounts.
    const loginWorks = async (username: string, password: string): Promise<boolean> =>
      (await tokenRequest(t.url, { grant_type: 'password', username, password })).status === 200;
    await run(
      'POST /auth/accounts',
      (['staff.b'] as const)
        .flatMap((actor): Attempt[] => [
          {
            actor,
            what: 'a sign-in for A’s child (no account yet)',
            run: () =>
              likeMissing(actor, 'POST', () => '/auth/accounts', ids.childA!, {
                body: (p) => ({
                  username: `kid.${p.slice(0, 8)}`,
                  password: PASS_B,
                  role: 'patient',
                  fhirUser: `Patient/${p}`,
                }),
                statuses: [403],
              }),
          },
          {
            actor,
            what: 'a second sign-in for A’s patient (who has one)',
            run: () =>
              likeMissing(actor, 'POST', () => '/auth/accounts', ids.patA!, {
                body: (p) => ({
                  username: `twin.${p.slice(0, 8)}`,
                  password: PASS_B,
                  role: 'patient',
                  fhirUser: `Patient/${p}`,
                }),
                statuses: [403],
              }),
          },
          {
            actor,
            what: 'a staff account in facility A',
            run: async () => {
              const r = await call(actor, 'POST', '/auth/accounts', {
                username: 'mole.a',
                password: PASS_B,
                role: 'clinic-staff',
                fhirUser: `Practitioner/${ids.nurseB}`,
                organization: `Organization/${ids.orgA}`,
              });
              refused(r, [403]);
              if (await loginWorks('mole.a', PASS_B)) throw new Error('the account exists');
            },
          },
        ])
        .concat(
          (['doc.b', 'pat.b'] as const).map((actor) => ({
            actor,
            what: 'a sign-in for A’s child',
            run: async () => {
              refused(
                await call(actor, 'POST', '/auth/accounts', {
                  username: 'kid.b',
                  password: PASS_B,
                  role: 'patient',
                  fhirUser: `Patient/${ids.childA}`,
                }),
                [403],
              );
            },
          })),
        ),
    );
    await run(
      'GET /auth/accounts/review',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'the accounts to review (admin only)',
        run: async () => refused(await call(actor, 'GET', '/auth/accounts/review'), [403]),
      })),
    );
    for (const [route, path] of [
      ['POST /auth/accounts/:id/disable', 'disable'],
      ['POST /auth/accounts/:id/reset-mfa', 'reset-mfa'],
      ['POST /auth/accounts/:id/reset-password', 'reset-password'],
    ] as const)
      await run(
        route,
        (['staff.b', 'doc.b', 'pat.b'] as const).flatMap((actor) =>
          (['staff.a', 'doc.a', 'pat.a'] as const).map((victim) => ({
            actor,
            what: `${path} ${victim}`,
            run: async () => {
              refused(await call(actor, 'POST', `/auth/accounts/${accounts[victim]}/${path}`), [403]);
              if (!(await loginWorks(victim, PASS_A))) throw new Error(`${victim} can no longer sign in`);
            },
          })),
        ),
      );
    await run('POST /auth/patients/:patientId/reset-password', [
      {
        actor: 'staff.b',
        what: 'resets A’s patient’s password with the right CCCD digits',
        run: async () => {
          await likeMissing('staff.b', 'POST', (p) => `/auth/patients/${p}/reset-password`, ids.patA!, {
            body: () => ({ checkedInPerson: true, document: 'cccd', cccdLast4: '1111' }),
            statuses: [403],
          });
          if (!(await loginWorks('pat.a', PASS_A))) throw new Error('pat.a can no longer sign in');
        },
      },
      ...(['doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'resets A’s patient’s password',
        run: async () => {
          refused(
            await call(actor, 'POST', `/auth/patients/${ids.patA}/reset-password`, {
              checkedInPerson: true,
              document: 'cccd',
              cccdLast4: '1111',
            }),
            [403],
          );
          if (!(await loginWorks('pat.a', PASS_A))) throw new Error('pat.a can no longer sign in');
        },
      })),
    ]);
    const clients = await call('admin', 'GET', '/auth/clients');
    const clientId = String((clients.body as unknown as { client_id: string }[])[0]?.client_id);
    await run(
      'POST /auth/clients',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'registers a system client (every patient’s record)',
        run: async () =>
          refused(await call(actor, 'POST', '/auth/clients', { name: 'b', scope: 'system/*.cruds' }), [403]),
      })),
    );
    await run(
      'GET /auth/clients',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'lists system clients',
        run: async () => refused(await call(actor, 'GET', '/auth/clients'), [403]),
      })),
    );
    await run(
      'POST /auth/clients/:clientId/revoke',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'revokes the system client',
        run: async () => {
          refused(await call(actor, 'POST', `/auth/clients/${clientId}/revoke`), [403]);
          if ((await sys.get(`Patient/${ids.patA}`)).status !== 200)
            throw new Error('the system client no longer works');
        },
      })),
    );
    await run(
      'GET /auth/events',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'the sign-in events of everyone',
        run: async () => refused(await call(actor, 'GET', '/auth/events'), [403]),
      })),
    );
    await run(
      'GET /auth/dependents',
      (['pat.b', 'pat.a'] as const).map((actor) => ({
        actor,
        what: 'one’s own children only: never A’s child',
        run: async () => {
          const control = await call('parent.a', 'GET', '/auth/dependents');
          if (!JSON.stringify(control.body).includes(ids.childA!))
            throw new Error(`the parent does not see the child: ${brief(control)}`);
          const r = await call(actor, 'GET', '/auth/dependents');
          refused(r, [200]);
          if (JSON.stringify(r.body) !== JSON.stringify({ dependents: [] }))
            throw new Error(`dependents ${brief(r)}`);
        },
      })),
    );
    // Public: the token endpoint's patient context for someone else's child (or a non-child).
    await run('POST /auth/token', [
      {
        actor: 'parent.a',
        what: 'switches its refresh token to A’s patient (not their child)',
        run: async () => {
          const first = await login(t.url, 'parent.a', PASS_A);
          const form = (p: string): Record<string, string> => ({
            grant_type: 'refresh_token',
            refresh_token: first.refresh_token,
            patient: p,
          });
          const seen = await tokenRequest(t.url, form(ids.patA!));
          const a = { status: seen.status, body: (await seen.json()) as Record<string, unknown> };
          refused(a, [400, 401, 403]);
          const gone = await tokenRequest(t.url, form(MISSING));
          const b = { status: gone.status, body: (await gone.json()) as Record<string, unknown> };
          if (shape(a, ids.patA!) !== shape(b, MISSING))
            throw new Error(`hidden ≠ missing: ${shape(a, ids.patA!)} | ${shape(b, MISSING)}`);
        },
      },
      ...[
        ['pat.b', PASS_B, ids.childA],
        ['parent.a', PASS_A, ids.patA],
      ].map(([username, password, patient]) => ({
        actor: username as Actor,
        what: `signs in for patient ${patient === ids.childA ? 'A’s child' : 'A (not their child)'}`,
        run: async () => {
          const form = (p: string): Record<string, string> => ({
            grant_type: 'password',
            username: username!,
            password: password!,
            patient: p,
          });
          const seen = await tokenRequest(t.url, form(patient!));
          const gone = await tokenRequest(t.url, form(MISSING));
          const a = { status: seen.status, body: (await seen.json()) as Record<string, unknown> };
          const b = { status: gone.status, body: (await gone.json()) as Record<string, unknown> };
          refused(a, [400, 401, 403]);
          if (shape(a, patient!) !== shape(b, MISSING))
            throw new Error(`hidden ≠ missing: ${shape(a, patient!)} | ${shape(b, MISSING)}`);
        },
      })),
    ]);
    // National e-prescriptions (docs/eprescription.md): A's doctor prescribes for a patient of A;
    // B never sees the visit's prescriptions and cannot touch A's national sign-in.
    ids.erxPatA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Đơn', given: ['Thuốc', 'A'] }],
      generalPractitioner: [{ reference: `Practitioner/${ids.docA}` }],
      managingOrganization: { reference: `Organization/${ids.orgA}` },
    });
    ids.erxEncA = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${ids.erxPatA}` },
      participant: [{ individual: { reference: `Practitioner/${ids.docA}` } }],
    });
    const erxCred = {
      facilityCode: '92001',
      facilityLinkCode: 'A-LINK',
      doctorLinkCode: 'A-DOC',
      password: 'A-secret',
    };
    refused(await call('doc.a', 'PUT', '/eprescription/credentials', erxCred), [204], 'A sets its sign-in');
    const erx = await new Fhir(t.url, tok['doc.a']).post('MedicationRequest', {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      category: [
        { coding: [{ system: 'https://fhir.mekong.health/CodeSystem/e-prescription-type', code: 'c' }] },
      ],
      medicationCodeableConcept: {
        coding: [{ system: 'https://fhir.mekong.health/CodeSystem/drugs-bhyt', code: '40.677' }],
        text: 'Omeprazol 20 mg',
      },
      subject: { reference: `Patient/${ids.erxPatA}` },
      encounter: { reference: `Encounter/${ids.erxEncA}` },
      requester: { reference: `Practitioner/${ids.docA}` },
      dosageInstruction: [{ text: '1 viên trước ăn sáng' }],
      dispenseRequest: {
        quantity: { value: 14, unit: 'viên' },
        expectedSupplyDuration: { value: 14, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
      },
    });
    if (erx.status !== 201) throw new Error(`A's prescription: ${erx.status} ${JSON.stringify(erx.body)}`);
    const erxOfA = async (): Promise<string> =>
      JSON.stringify(
        (await call('doc.a', 'GET', `/eprescription/prescriptions?encounter=${ids.erxEncA}`)).body,
      );
    const credOfA = async (): Promise<string> =>
      JSON.stringify(
        await t.app
          .get<{ query(q: string, p: unknown[]): Promise<unknown> }>(dataSourceToken('eprescription'))
          .query(`SELECT * FROM eprescription.credential WHERE practitioner = $1`, [
            `Practitioner/${ids.docA}`,
          ]),
      );
    await run(
      'GET /eprescription/prescriptions',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'A’s visit’s national prescriptions: like a visit without any',
        run: () =>
          likeMissing(actor, 'GET', (id) => `/eprescription/prescriptions?encounter=${id}`, ids.erxEncA!, {
            statuses: [403, 404],
          }),
      })),
    );
    await run('PUT /eprescription/credentials', [
      ...(['staff.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'sets a national sign-in (not a practitioner)',
        run: async () => {
          const before = [await credOfA(), await erxOfA()];
          refused(await call(actor, 'PUT', '/eprescription/credentials', erxCred), [403]);
          if (JSON.stringify([await credOfA(), await erxOfA()]) !== JSON.stringify(before))
            throw new Error('A changed');
        },
      })),
      {
        actor: 'doc.b',
        what: 'sets a national sign-in: only its own, A’s untouched',
        run: async () => {
          const before = [await credOfA(), await erxOfA()];
          refused(
            await call('doc.b', 'PUT', '/eprescription/credentials', { ...erxCred, doctorLinkCode: 'B-DOC' }),
            [204],
          );
          if (JSON.stringify([await credOfA(), await erxOfA()]) !== JSON.stringify(before))
            throw new Error('A changed');
        },
      },
    ]);
    // Insurance claims (docs/claims-submission.md): A's finished visit has a claim (queued: no BHXH
    // gateway here). B's staff and doctor see it like a visit without one and cannot resend it;
    // B's patient is refused; B's list does not show it.
    ids.claimPatA = await mk({
      resourceType: 'Patient',
      name: [{ family: 'Hồ sơ', given: ['Thanh toán', 'A'] }],
      managingOrganization: { reference: `Organization/${ids.orgA}` },
    });
    ids.claimEncA = await mk({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
      subject: { reference: `Patient/${ids.claimPatA}` },
      participant: [{ individual: { reference: `Practitioner/${ids.docA}` } }],
      serviceProvider: { reference: `Organization/${ids.orgA}` },
    });
    const claimOfA = async (): Promise<string> =>
      JSON.stringify((await call('staff.a', 'GET', `/claims/${ids.claimEncA}`)).body);
    refused(await call('staff.a', 'GET', `/claims/${ids.claimEncA}`), [200], 'A’s staff read A’s claim');
    await run(
      'GET /claims/:encounterId',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'A’s visit’s claim: like a visit without one',
        run: () =>
          likeMissing(actor, 'GET', (id) => `/claims/${id}`, ids.claimEncA!, { statuses: [403, 404] }),
      })),
    );
    await run(
      'POST /claims/:encounterId/resend',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'resends A’s claim: refused like a visit without one, A’s claim unchanged',
        run: async () => {
          const before = await claimOfA();
          await likeMissing(actor, 'POST', (id) => `/claims/${id}/resend`, ids.claimEncA!, {
            statuses: [403, 404],
          });
          if ((await claimOfA()) !== before) throw new Error('A changed');
        },
      })),
    );
    await run(
      'GET /claims',
      (['staff.b', 'doc.b', 'pat.b'] as const).map((actor) => ({
        actor,
        what: 'lists claims: A’s is not among them',
        run: async () => {
          const r = await call(actor, 'GET', '/claims');
          if (r.status === 200 && JSON.stringify(r.body).includes(ids.claimEncA!))
            throw new Error('A’s claim listed');
          refused(r, [200, 403]);
        },
      })),
    );
    // every attempt of this test ran and was refused (the list names each that was not)
    expect(failures.splice(0)).toEqual([]);
  });

  it('sockets: B joins, admits, consumes, mutes and chats in A’s visit — refused, A’s room untouched', async () => {
    const rooms = t.app.get(RoomsService);
    const roomA = () => rooms.get(ids.visitA!);
    const stateOfA = (): string =>
      JSON.stringify({
        ended: roomA()?.ended,
        participants: [...(roomA()?.participants.values() ?? [])].map((p) => [p.id, p.state]),
        producers: roomA()
          ?.media?.producerList()
          .map((x) => [x.id, x.paused]),
      });
    // Outsiders: B's staff (never in a visit), a fresh socket of B's patient, of A's parent.
    // And a guest B's doctor invited into B's visit (a join token, no account).
    const outsider: Partial<Record<Actor, VisitClient>> = {};
    const invited = await visit['doc.b']!.request('invite', { name: 'Phiên dịch B', role: 'interpreter' });
    if (!invited.ok) throw new Error(`invite: ${JSON.stringify(invited)}`);
    for (const who of ['staff.b', 'pat.b', 'doc.b', 'guest.b', 'parent.a'] as const) {
      const c = new VisitClient(
        t.url,
        who === 'guest.b' ? { joinToken: invited.joinToken as string } : tok[who as keyof typeof tok],
      );
      sockets.push(c);
      await c.ready;
      outsider[who] = c;
    }
    const ackRefused = (ack: Ack, codes: readonly string[]): void => {
      if (ack.ok || !codes.includes(ack.error.code)) throw new Error(`not refused: ${JSON.stringify(ack)}`);
    };
    const untouched = async (work: () => Promise<void>): Promise<void> => {
      const before = stateOfA();
      await work();
      if (stateOfA() !== before) throw new Error(`A's room changed: ${before} → ${stateOfA()}`);
    };
    await run(
      'WS /consultation join',
      (['staff.b', 'pat.b', 'doc.b', 'guest.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'joins A’s visit (answered like a missing one)',
        run: () =>
          untouched(async () => {
            const seen = await outsider[actor]!.request('join', { appointmentId: ids.visitA });
            const gone = await outsider[actor]!.request('join', { appointmentId: MISSING });
            ackRefused(seen, ['NOT_A_PARTICIPANT']);
            if (JSON.stringify(seen) !== JSON.stringify(gone))
              throw new Error(`hidden ≠ missing: ${JSON.stringify(seen)} | ${JSON.stringify(gone)}`);
          }),
      })),
    );
    // Every event from an outsider's socket, naming A's ids: nothing is done in A's room.
    const bodies: Record<string, Record<string, unknown>> = {
      admit: { participantId: media.patientA },
      invite: { role: 'specialist', actor: `Practitioner/${ids.docB}` },
      revokeInvitation: { participantId: media.patientA },
      decline: { participantId: media.patientA },
      rejoinMedia: {},
      createTransport: { direction: 'recv', rtpCapabilities: caps },
      connectTransport: { transportId: media.sendA, dtlsParameters: { fingerprints: [], role: 'client' } },
      restartIce: { transportId: media.sendA },
      produce: { transportId: media.sendA, kind: 'audio', source: 'mic', rtpParameters: AUDIO },
      consume: { transportId: media.recvA, producerId: media.producerA, rtpCapabilities: caps },
      resumeConsumer: { consumerId: media.producerA },
      pauseConsumer: { consumerId: media.producerA },
      setPreferredLayer: { consumerId: media.producerA, spatialLayer: 2 },
      pauseProducer: { producerId: media.producerA },
      resumeProducer: { producerId: media.producerA },
      closeProducer: { producerId: media.producerA },
      chat: { text: 'tin nhắn lạ' },
      consent: { granted: true },
      leave: {},
      end: { notes: 'kết thúc giả' },
    };
    const outsiderEvents = events.filter((e) => e.namespace === '/consultation' && e.event !== 'join');
    for (const e of outsiderEvents)
      await run(
        `WS /consultation ${e.event}`,
        (['staff.b', 'pat.b', 'doc.b', 'guest.b', 'parent.a'] as const).map((actor) => ({
          actor,
          what: `${e.event} from outside A’s visit, with A’s ids`,
          run: () =>
            untouched(async () =>
              ackRefused(
                await outsider[actor]!.request(e.event, {
                  appointmentId: ids.visitA,
                  ...(bodies[e.event] ?? {}),
                }),
                ['NOT_JOINED', 'AUTH.INSUFFICIENT_SCOPE', 'AUTH.FORBIDDEN'],
              ),
            ),
        })),
      );
    // Inside B's own running visit, B's doctor names A's participant, transports and producer.
    const docB = visit['doc.b']!;
    for (const [event, body] of [
      ['admit', { participantId: media.patientA }],
      ['decline', { participantId: media.patientA }],
      ['revokeInvitation', { participantId: media.patientA }],
      ['consume', { transportId: media.recvB, producerId: media.producerA, rtpCapabilities: caps }],
      [
        'connectTransport',
        { transportId: media.sendA, dtlsParameters: { fingerprints: [], role: 'client' } },
      ],
      ['restartIce', { transportId: media.recvA }],
      ['pauseProducer', { producerId: media.producerA }],
      ['resumeProducer', { producerId: media.producerA }],
      ['closeProducer', { producerId: media.producerA }],
    ] as const)
      await run(`WS /consultation ${event}`, [
        {
          actor: 'doc.b',
          what: `${event} in B’s own visit with A’s ids`,
          run: () =>
            untouched(async () =>
              ackRefused(await docB.request(event, body), [
                'NOT_WAITING',
                'NOT_INVITED',
                'MEDIA_ERROR',
                'FORBIDDEN',
              ]),
            ),
        },
      ]);
    // A's doctor admits A's patient: A's doctor now holds a consumer; B tries it from its own room.
    const admitted = await visit['doc.a']!.request('admit', { participantId: media.patientA });
    expect(admitted).toMatchObject({ ok: true });
    const pushed = (await visit['doc.a']!.next('newConsumers')) as {
      consumers: { consumer: { id: string } }[];
    };
    media.consumerA = pushed.consumers[0]!.consumer.id;
    for (const event of ['resumeConsumer', 'pauseConsumer', 'setPreferredLayer'] as const)
      await run(`WS /consultation ${event}`, [
        {
          actor: 'doc.b',
          what: `${event} of A’s doctor’s consumer from B’s visit`,
          run: () =>
            untouched(async () =>
              ackRefused(await docB.request(event, { consumerId: media.consumerA, spatialLayer: 0 }), [
                'MEDIA_ERROR',
              ]),
            ),
        },
      ]);
    // Chat inside B's visit stays in B's visit.
    await run('WS /consultation chat', [
      {
        actor: 'doc.b',
        what: 'chat in B’s visit reaches nobody in A’s',
        run: async () => {
          const ack = await docB.request('chat', { text: 'chỉ phòng B' });
          if (!ack.ok) throw new Error(`B's own chat failed: ${JSON.stringify(ack)}`);
          await new Promise((r) => setTimeout(r, 300));
          for (const who of ['doc.a', 'pat.a'] as const)
            if (JSON.stringify(visit[who]!.events).includes('chỉ phòng B'))
              throw new Error(`${who} received B's chat`);
        },
      },
    ]);
    expect(roomA()?.ended).toBe(false);
    // every attempt of this test ran and was refused (the list names each that was not)
    expect(failures.splice(0)).toEqual([]);
  });

  it('/notifications: B’s sockets join only B’s rooms and never receive A’s notifications', async () => {
    const received: Record<string, unknown[]> = {};
    const open: Record<string, { socket: Socket; ready?: Record<string, unknown>; error?: string }> = {};
    for (const who of ['doc.a', 'staff.b', 'doc.b', 'pat.b', 'parent.a'] as const) {
      // B names A's rooms in its handshake: the server takes the rooms from the token only.
      open[who] = await connect(t.url, '/notifications', {
        token: tok[who],
        patient: ids.patA,
        rooms: [`Patient/${ids.patA}`, `Practitioner/${ids.docA}`, `Organization/${ids.orgA}`],
      });
      sockets.push(open[who].socket);
      received[who] = [];
      open[who].socket.on('notification', (n: unknown) => received[who]!.push(n));
    }
    const aRooms = [`Patient/${ids.patA}`, `Practitioner/${ids.docA}`, `Organization/${ids.orgA}`];
    // A's patient cancels an appointment: A's doctor and patient are told.
    const appt = (await sys.get(`Appointment/${ids.apptCancelA}`)).body;
    const cancelled = await new Fhir(t.url, tok['pat.a']).put(`Appointment/${ids.apptCancelA}`, {
      ...appt,
      status: 'cancelled',
    });
    expect(cancelled.status).toBe(200);
    for (let i = 0; i < 80 && received['doc.a']!.length === 0; i++)
      await new Promise((r) => setTimeout(r, 250));
    expect(JSON.stringify(received['doc.a'])).toContain(ids.apptCancelA);
    await new Promise((r) => setTimeout(r, 500));
    await run(
      'WS /notifications (connect)',
      (['staff.b', 'doc.b', 'pat.b', 'parent.a'] as const).map((actor) => ({
        actor,
        what: 'subscribes to A’s rooms in its handshake, and re-authenticates with A’s token',
        run: async () => {
          const o = open[actor]!;
          if (o.error) throw new Error(`could not connect: ${o.error}`);
          const joined = (o.ready?.rooms ?? []) as string[];
          if (joined.some((r) => aRooms.includes(r))) throw new Error(`joined ${joined.join(', ')}`);
          if (received[actor]!.length > 0) throw new Error(`received ${JSON.stringify(received[actor])}`);
          const ack = (await o.socket.timeout(5000).emitWithAck('reauth', { token: tok['pat.a'] })) as Ack;
          if (ack.ok) throw new Error('re-authenticated as A’s patient');
        },
      })),
    );
    // every attempt of this test ran and was refused (the list names each that was not)
    expect(failures.splice(0)).toEqual([]);
  });

  it('self-service: B’s token changes only B’s own password and second factor; A’s sign-in is unchanged', async () => {
    const signIn = async (username: string, password: string): Promise<number> =>
      (await tokenRequest(t.url, { grant_type: 'password', username, password })).status;
    await run(
      'POST /auth/mfa/totp',
      (['pat.b', 'doc.b'] as const).map((actor) => ({
        actor,
        what: 'enrols with A’s password, then its own: only its own account',
        run: async () => {
          refused(await call(actor, 'POST', '/auth/mfa/totp', { password: PASS_A }), [400, 401, 403]);
          refused(
            await call(actor, 'POST', '/auth/mfa/totp', { password: PASS_B, account: accounts['pat.a'] }),
            [400],
          );
          const own = await call(actor, 'POST', '/auth/mfa/totp', { password: PASS_B });
          refused(own, [200, 201]);
          if (!String(own.body.otpauth_uri).includes(actor)) throw new Error(`not B's own: ${brief(own)}`);
          if ((await signIn('pat.a', PASS_A)) !== 200 || (await signIn('doc.a', PASS_A)) !== 200)
            throw new Error('A’s sign-in changed');
        },
      })),
    );
    await run(
      'POST /auth/mfa/totp/confirm',
      (['pat.b', 'doc.b'] as const).map((actor) => ({
        actor,
        what: 'confirms a code (a wrong one): A unaffected',
        run: async () => {
          refused(await call(actor, 'POST', '/auth/mfa/totp/confirm', { code: '000000' }), [400, 401, 403]);
          if ((await signIn('pat.a', PASS_A)) !== 200) throw new Error('A’s sign-in changed');
        },
      })),
    );
    await run(
      'POST /auth/password',
      (['pat.b', 'staff.b'] as const).map((actor) => ({
        actor,
        what: 'changes a password: A’s current one is refused, its own changes only its own',
        run: async () => {
          const next = `${PASS_B}-moi-${actor}`;
          refused(
            await call(actor, 'POST', '/auth/password', { currentPassword: PASS_A, newPassword: next }),
            [400, 401, 403],
          );
          refused(
            await call(actor, 'POST', '/auth/password', {
              currentPassword: PASS_B,
              newPassword: next,
              username: 'pat.a',
            }),
            [400],
          );
          refused(
            await call(actor, 'POST', '/auth/password', { currentPassword: PASS_B, newPassword: next }),
            [204],
          );
          if ((await signIn(actor, next)) !== 200) throw new Error('its own password did not change');
          for (const a of ['pat.a', 'staff.a', 'parent.a'])
            if ((await signIn(a, PASS_A)) !== 200 || (await signIn(a, next)) === 200)
              throw new Error(`${a}'s password changed`);
        },
      })),
    );
    // every attempt of this test ran and was refused (the list names each that was not)
    expect(failures.splice(0)).toEqual([]);
  });

  it('every enumerated route and socket event had a cross-side attempt that ran and was refused', () => {
    // Public routes without data (health, metrics, keys, discovery, metadata) and token revocation
    // (the token is the credential) have nothing of A's to try.
    const exempt = new Set([
      'GET /health',
      'GET /metrics',
      'GET /.well-known/jwks.json',
      'GET /.well-known/smart-configuration',
      'GET /fhir/metadata',
      'POST /auth/revoke',
    ]);
    const surface = [
      ...routes.map((r) => `${r.method} ${r.path}`).filter((k) => !exempt.has(k)),
      ...events.map((e) => `WS ${e.namespace} ${e.event}`),
      ...namespaces.filter((n) => !events.some((e) => e.namespace === n)).map((n) => `WS ${n} (connect)`),
    ];
    expect(surface.filter((k) => !covered.has(k))).toEqual([]);
    // about 490 per run: every route and event several times over, by each role of side B
    expect(refusals).toBeGreaterThan(400);
    // and each covered key was tried by side B, not only by the in-A actors
    expect(surface.filter((k) => ![...(covered.get(k) ?? [])].some((a) => a.endsWith('.b')))).toEqual([]);
  });
});
