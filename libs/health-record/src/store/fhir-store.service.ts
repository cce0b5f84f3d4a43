import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import {
  extractIndex,
  isResourceType,
  type OperationOutcomeIssue,
  validateResource,
  type ValidationIssue,
} from '@mekong/fhir';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { type AccessContext, GUARDIAN_ID_SYSTEM, isGuardianship } from '../access/access-context';
import { type RecordCaller, SystemReason, userAccess } from '../access/system-reason';
import { auditInsertSql, type AuditRecord } from '../audit/audit-record';
import { SqlParams } from '../search/query-builder';
import { FhirError } from '../fhir-error';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import { ResourceOwners } from '../rest/resource-owners';
import { type FhirResource, ResourceRepository, type StoredVersion } from './resource.repository';
import { collectReferences, type PendingReference } from './references';
import { compartmentsOf } from './compartments';
import { stampRecordedBy } from './recorded-by';

export interface WriteResult {
  readonly version: StoredVersion;
  readonly created: boolean;
  /**
   * The Patient this write registered under a user's access (clinic staff at their facility): the
   * request reaches it from now on through `AccessContext.withRegistered` — the context itself
   * never changes.
   */
  readonly registered?: string;
}

export type { PendingReference } from './references';

/** One write another context asked to observe (a deletion has `content` null). */
export interface RecordWrite {
  readonly type: string;
  readonly id: string;
  readonly content: FhirResource | null;
  /** The content this write replaced (null or absent: none), so an observer needs no history read. */
  readonly previous?: FhirResource | null;
  /** Who wrote it through the API (role, fhirUser, facility); absent for the server's own writes. */
  readonly author?: RecordAuthor;
}

/** The caller behind a write, as its token says (e.g. the station whose staff recorded vitals). */
export interface RecordAuthor {
  readonly role: string;
  readonly fhirUser?: string;
  readonly organization?: string;
}

/**
 * A context that reacts to writes of some types inside the writing transaction (proactive care:
 * a vaccination recomputes the child's recommendations; vitals compute NEWS2). It runs once per
 * transaction, after its writes and before the commit, so what it derives commits or rolls back
 * with the change itself — no event can be lost between the two. What it writes through the same
 * `em` may be observed in turn (a few rounds at most).
 */
export interface RecordObserver {
  readonly name: string;
  readonly types: readonly string[];
  afterWrites(em: EntityManager, writes: readonly RecordWrite[]): Promise<void>;
}

const OBSERVER_ROUNDS = 4;

function authorOf(access: AccessContext | undefined): RecordAuthor | undefined {
  if (!access) return undefined;
  const { role, fhirUser, organization } = access.principal;
  return { role, ...(fhirUser ? { fhirUser } : {}), ...(organization ? { organization } : {}) };
}

export function toIssues(issues: readonly ValidationIssue[]): OperationOutcomeIssue[] {
  return issues.map((i) => ({
    severity: i.severity,
    code: i.code === 'code-invalid' ? 'code-invalid' : i.code,
    diagnostics: i.diagnostics,
    expression: [...i.expression],
  })) as OperationOutcomeIssue[];
}

function isCccdConflict(err: unknown): boolean {
  return (
    err instanceof QueryFailedError &&
    (err.driverError as { code?: string; constraint?: string }).code === '23505' &&
    (err.driverError as { constraint?: string }).constraint === 'UQ_patient_cccd'
  );
}

/** Parses `W/"3"` (or `"3"`, `3`) from If-Match; undefined when absent. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!m) throw new FhirError(400, 'invalid', `If-Match must be W/"<versionId>", got ${header}`);
  return Number(m[1]);
}

/**
 * The write side of the FHIR record: validation against the official R4 structure and the
 * Vietnamese identifier rules, referential integrity, versioning (every version is kept; a
 * delete is a tombstone), and the search index written in the same transaction.
 */
@Injectable()
export class FhirStore {
  /** The record's own repository: used inside the record only (record-boundary.spec.ts). */
  readonly repo = new ResourceRepository();
  private readonly observers: RecordObserver[] = [];
  /** Writes of observed types per open transaction, handed to the observers before commit. */
  private readonly observed = new WeakMap<EntityManager, RecordWrite[]>();

  /** Registers a context's observer (see RecordObserver). */
  observe(observer: RecordObserver): void {
    this.observers.push(observer);
  }

  /** The registered observers: name and the types each reacts to (a deployable's wiring, tested). */
  observerList(): readonly { name: string; types: readonly string[] }[] {
    return this.observers.map((o) => ({ name: o.name, types: [...o.types] }));
  }

  private isObserved(type: string): boolean {
    return this.observers.some((o) => o.types.includes(type));
  }

  /** Notes a write; outside a store transaction the observers run at once on the same `em`. */
  private async noteWrite(em: EntityManager, write: RecordWrite): Promise<void> {
    if (!this.isObserved(write.type)) return;
    const open = this.observed.get(em);
    if (open) open.push(write);
    else await this.runObservers(em, [write]);
  }

  private async runObservers(em: EntityManager, first: RecordWrite[]): Promise<void> {
    let writes = first;
    try {
      for (let round = 0; writes.length > 0; round++) {
        if (round >= OBSERVER_ROUNDS) throw new Error('record observers keep writing: a cycle between them');
        const next: RecordWrite[] = [];
        this.observed.set(em, next);
        for (const o of this.observers) {
          const mine = writes.filter((w) => o.types.includes(w.type));
          if (mine.length > 0) await o.afterWrites(em, mine);
        }
        writes = next;
      }
    } finally {
      this.observed.delete(em);
    }
  }

  constructor(
    @InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource,
    private readonly owners: ResourceOwners,
  ) {}

  assertType(type: string): void {
    if (!isResourceType(type)) throw new FhirError(404, 'not-supported', `Unknown resource type ${type}`);
  }

  /**
   * The audit trail is append-only and written by the server alone: no create, update or delete.
   * Types another context owns (resource-owners.ts) are written only by that owner.
   */
  assertWritable(type: string, asOwner?: string): void {
    this.assertType(type);
    const owner = this.owners.ownerNameOf(type);
    if (owner && owner !== asOwner) {
      throw new FhirError(
        422,
        'business-rule',
        `${type} is written through the ${owner} rules (POST/PUT/PATCH/DELETE /fhir/${type}), not here / ${type} chỉ được ghi qua nghiệp vụ ${owner}`,
      );
    }
    if (type === 'AuditEvent') {
      throw new FhirError(
        405,
        'not-supported',
        'AuditEvent is written by the server only and never changed / Nhật ký truy cập không thể sửa',
      );
    }
  }

  /** Structural and identifier validation; throws 400 with every error issue. */
  validate(type: string, body: unknown, id?: string): FhirResource {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new FhirError(400, 'structure', 'The body must be a FHIR resource (a JSON object)');
    }
    const resource = body as FhirResource;
    if (resource.resourceType !== type) {
      throw new FhirError(
        400,
        'invalid',
        `resourceType ${String(resource.resourceType)} does not match the URL (${type})`,
        [`${type}.resourceType`],
      );
    }
    if (id !== undefined && resource.id !== id) {
      throw new FhirError(
        400,
        'invalid',
        `The body's id (${String(resource.id)}) must equal the URL's id (${id})`,
        [`${type}.id`],
      );
    }
    const errors = validateResource(resource).filter((i) => i.severity === 'error');
    if (errors.length > 0) throw FhirError.of(400, toIssues(errors));
    return resource;
  }

  /**
   * The current version. A resource the caller may not see answers 404 exactly like one that does
   * not exist, so ids of other patients' data cannot be probed (docs/access-control.md).
   */
  async read(type: string, id: string, caller: RecordCaller, em?: EntityManager): Promise<StoredVersion> {
    this.assertType(type);
    const manager = em ?? this.db.manager;
    const v = await this.repo.current(manager, type, id);
    const access = userAccess(caller);
    if (!v || (access && !access.canSee(type, v.compartments ?? [])))
      throw new FhirError(404, 'not-found', `${type}/${id} not found`);
    if (v.deleted) throw new FhirError(410, 'deleted', `${type}/${id} was deleted`);
    await this.auditSystemRead(manager, caller, v);
    return v;
  }

  /**
   * The current version (or tombstone) of a resource, undefined when there is none or the caller
   * may not see it: for a context's own rules inside a unit of work (`forUpdate` locks the row until
   * the transaction ends).
   */
  async current(
    em: EntityManager,
    type: string,
    id: string,
    caller: RecordCaller,
    opts: { forUpdate?: boolean } = {},
  ): Promise<StoredVersion | undefined> {
    this.assertType(type);
    const v = await this.repo.current(em, type, id, opts.forUpdate ?? false);
    const access = userAccess(caller);
    if (!v || (access && !access.canSee(type, v.compartments ?? []))) return undefined;
    await this.auditSystemRead(em, caller, v);
    return v;
  }

  /** Every version of a resource the caller may see, newest first (at most `count`). */
  async versions(
    em: EntityManager,
    type: string,
    id: string,
    caller: RecordCaller,
    count = 10_000,
  ): Promise<StoredVersion[]> {
    this.assertType(type);
    const access = userAccess(caller);
    const all = await this.repo.history(em, type, id, { count, ...(access ? { scope: access.scope } : {}) });
    const visible = access ? all.filter((v) => access.canSee(type, v.compartments ?? [])) : all;
    const first = visible[0];
    if (first) await this.auditSystemRead(em, caller, first, 'history');
    return visible;
  }

  /**
   * A read the server makes for itself (a named SystemReason) of a patient's data is audited as
   * such, in that patient's trail; a user's reads are audited by the interaction that serves them.
   */
  private async auditSystemRead(
    em: EntityManager,
    caller: RecordCaller,
    v: StoredVersion,
    subtype = 'read',
  ): Promise<void> {
    if (!(caller instanceof SystemReason) || !v.compartments?.length) return;
    await this.insertAudit(
      em,
      caller.audit('R', subtype, `${v.resourceType}/${v.id}/_history/${v.versionId}`, v.compartments),
    );
  }

  private async insertAudit(em: EntityManager, a: AuditRecord): Promise<void> {
    const p = new SqlParams();
    await em.query(
      auditInsertSql(a, (value, cast) => p.add(value, cast)),
      p.values,
    );
  }

  /**
   * One version, authorized against the compartments that version had (a deletion: those of the
   * last live version), so a resource that moved between patients shows each only their own.
   */
  async vread(type: string, id: string, versionId: number, caller: RecordCaller): Promise<StoredVersion> {
    this.assertType(type);
    const access = userAccess(caller);
    // versionId is an int4 column: anything else cannot exist (and must not reach SQL).
    const v =
      Number.isInteger(versionId) && versionId > 0 && versionId < 2 ** 31
        ? await this.repo.version(this.db.manager, type, id, versionId)
        : undefined;
    if (!v || (access && !access.canSee(type, v.compartments ?? [])))
      throw new FhirError(404, 'not-found', `${type}/${id}/_history/${versionId} not found`);
    if (v.deleted) throw new FhirError(410, 'deleted', `${type}/${id} version ${versionId} is a deletion`);
    await this.auditSystemRead(this.db.manager, caller, v, 'vread');
    return v;
  }

  /** Creates a resource with a new server-assigned id. References are checked before commit. */
  async create(
    em: EntityManager,
    type: string,
    body: unknown,
    opts: { id?: string; pending?: PendingReference[]; access: RecordCaller; asOwner?: string },
  ): Promise<WriteResult> {
    this.assertWritable(type, opts.asOwner);
    const resource = this.validate(type, { ...(body as object), id: opts.id ?? randomUUID() });
    return this.writeVersion(em, resource, 1, opts.pending, true, undefined, opts.access);
  }

  /** PUT: update (or create with the client's id); `ifMatch` guards against lost updates (412). */
  async update(
    em: EntityManager,
    type: string,
    id: string,
    body: unknown,
    opts: {
      ifMatch?: number;
      pending?: PendingReference[];
      access: RecordCaller;
      asOwner?: string;
    },
  ): Promise<WriteResult> {
    this.assertWritable(type, opts.asOwner);
    const resource = this.validate(type, body, id);
    const current = await this.repo.current(em, type, id, true);
    const access = userAccess(opts.access);
    // A deleted resource keeps its patients: writing it again needs access to them too.
    if (current && access && !access.canSee(type, current.compartments ?? [])) {
      throw new FhirError(404, 'not-found', `${type}/${id} not found`);
    }
    if (opts.ifMatch !== undefined && (!current || current.versionId !== opts.ifMatch)) {
      throw new FhirError(
        412,
        'conflict',
        `Version conflict: ${type}/${id} is at version ${current?.versionId ?? 'none'}, not ${opts.ifMatch}`,
      );
    }
    return this.writeVersion(
      em,
      resource,
      (current?.versionId ?? 0) + 1,
      opts.pending,
      current === undefined || current.deleted,
      current,
      opts.access,
    );
  }

  /** DELETE: a tombstone version; the resource's history stays. Idempotent. */
  async delete(
    em: EntityManager,
    type: string,
    id: string,
    caller: RecordCaller,
    asOwner?: string,
  ): Promise<StoredVersion | undefined> {
    this.assertWritable(type, asOwner);
    const current = await this.repo.current(em, type, id, true);
    if (!current || current.deleted) return current;
    const access = userAccess(caller);
    if (access) {
      if (!access.canSee(type, current.compartments ?? []))
        throw new FhirError(404, 'not-found', `${type}/${id} not found`);
      access.checkWrite(
        type,
        { compartments: current.compartments ?? [], content: current.content },
        undefined,
      );
    }
    // The tombstone keeps the last live version's patients: who may learn of the deletion (410),
    // and of the versions before it, is decided on them.
    const tombstone: StoredVersion = {
      resourceType: type,
      id,
      versionId: current.versionId + 1,
      lastUpdated: new Date(),
      deleted: true,
      content: null,
      compartments: current.compartments ?? [],
    };
    const audit = caller.audit(
      'D',
      'delete',
      `${type}/${id}/_history/${tombstone.versionId}`,
      current.compartments ?? [],
    );
    await this.repo.write(em, tombstone, [], tombstone.compartments ?? [], [], audit);
    await this.noteWrite(em, { type, id, content: null, previous: current.content });
    return tombstone;
  }

  /** Runs `work` in one transaction and checks the references it collected before commit. */
  async transaction<T>(work: (em: EntityManager, pending: PendingReference[]) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (em) => {
        const pending: PendingReference[] = [];
        const writes: RecordWrite[] = [];
        this.observed.set(em, writes);
        const result = await work(em, pending);
        if (writes.length > 0) await this.runObservers(em, writes.splice(0));
        else this.observed.delete(em);
        await this.checkReferences(em, pending);
        return result;
      });
    } catch (err) {
      throw this.mapConflict(err);
    }
  }

  private mapConflict(err: unknown): unknown {
    if (!isCccdConflict(err)) return err;
    return new FhirError(
      409,
      'duplicate',
      'A Patient with this CCCD already exists / Đã có bệnh nhân với số CCCD này',
      ['Patient.identifier'],
    );
  }

  /** True for the database's refusal of a second Patient with the same CCCD. */
  isDuplicateIdentity(err: unknown): boolean {
    return isCccdConflict(err) || (err instanceof FhirError && err.getStatus() === 409);
  }

  /**
   * Every reference must name a live resource its writer may see (`PendingReference.scope`): one it
   * may not see is reported exactly like a missing one, so a write is no existence oracle.
   */
  private async checkReferences(em: EntityManager, pending: readonly PendingReference[]): Promise<void> {
    const key = (p: PendingReference): string => `${p.type}/${p.id}`;
    const byScope = new Map<PendingReference['scope'], Map<string, PendingReference>>();
    for (const p of pending) {
      const group = byScope.get(p.scope) ?? new Map<string, PendingReference>();
      group.set(key(p), p);
      byScope.set(p.scope, group);
    }
    const found = new Map<PendingReference['scope'], Set<string>>();
    for (const [scope, group] of byScope)
      found.set(scope, await this.repo.existing(em, [...group.values()], scope));
    const resolves = (p: PendingReference): boolean => found.get(p.scope)?.has(key(p)) ?? false;
    const missing: PendingReference[] = pending.filter((p) => !resolves(p));
    for (const p of pending) {
      if (p.version !== undefined && resolves(p) && !(await this.repo.version(em, p.type, p.id, p.version))) {
        missing.push(p);
      }
    }
    if (missing.length > 0) this.throwMissing(missing);
  }

  private throwMissing(missing: readonly PendingReference[]): never {
    throw FhirError.of(
      422,
      missing.map((m) => ({
        severity: 'error',
        code: 'business-rule',
        diagnostics: `${m.from} refers to ${m.type}/${m.id}${m.version ? `/_history/${m.version}` : ''}, which does not exist`,
        expression: [m.expression],
      })),
    );
  }

  private async writeVersion(
    em: EntityManager,
    resource: FhirResource,
    versionId: number,
    pending: PendingReference[] | undefined,
    created = versionId === 1,
    before: StoredVersion | undefined,
    caller: RecordCaller,
  ): Promise<WriteResult> {
    const access = userAccess(caller);
    const type = resource.resourceType;
    const id = resource.id as string;
    const lastUpdated = new Date();
    // The server owns versionId, lastUpdated and who recorded it: whatever the client sent is replaced.
    const content: FhirResource = {
      ...resource,
      meta: {
        ...stampRecordedBy(resource.meta, access),
        versionId: String(versionId),
        lastUpdated: lastUpdated.toISOString(),
      },
    };
    const entries = extractIndex(content);
    const compartments = await compartmentsOf(content, this.compartmentLookup(em, access), entries);
    const registered = access?.checkWrite(
      type,
      before ? { compartments: before.compartments ?? [], content: before.content } : undefined,
      { compartments, content, firstVersion: versionId === 1 },
    );
    const references = collectReferences(
      content,
      entries,
      pending ?? [],
      access?.referenceScope(type, content),
    );
    const version: StoredVersion = {
      resourceType: type,
      id,
      versionId,
      lastUpdated,
      deleted: false,
      content,
    };
    const entity = `${type}/${id}/_history/${versionId}`;
    const audit = caller.audit(created ? 'C' : 'U', created ? 'create' : 'update', entity, [
      ...compartments,
      ...(before?.compartments ?? []),
      ...(await this.guardiansNamed(em, type, [before?.content ?? null, content])),
    ]);
    if (pending) {
      // In a transaction, references are checked once at commit (entries may refer forward).
      await this.repo.write(em, version, entries, compartments, [], audit);
      await this.noteWrite(em, {
        type,
        id,
        content,
        previous: before?.content ?? null,
        author: authorOf(access),
      });
      return { version, created, ...(registered ? { registered } : {}) };
    }
    // Versioned references are rare: checked first; the rest in the write statement itself.
    const versioned = references.filter((r) => r.version !== undefined);
    if (versioned.length > 0) await this.checkReferences(em, versioned);
    const missing = await this.repo.write(
      em,
      version,
      entries,
      compartments,
      references,
      audit,
      access?.referenceScope(type, content),
    );
    if (missing.length > 0)
      this.throwMissing(references.filter((r) => missing.includes(`${r.type}/${r.id}`)));
    await this.noteWrite(em, {
      type,
      id,
      content,
      previous: before?.content ?? null,
      author: authorOf(access),
    });
    return { version, created, ...(registered ? { registered } : {}) };
  }

  /**
   * The Patients a guardianship RelatedPerson names as the guardian (by CCCD), before or after a
   * change: its audit record goes into their trail too, so a parent sees who recorded or changed
   * them as a child's guardian.
   */
  private async guardiansNamed(
    em: EntityManager,
    type: string,
    contents: readonly (FhirResource | null)[],
  ): Promise<string[]> {
    if (type !== 'RelatedPerson') return [];
    const cccds = contents
      .filter((c) => isGuardianship(c))
      .flatMap((c) => (c?.identifier as { system?: string; value?: string }[] | undefined) ?? [])
      .filter((i) => i.system === GUARDIAN_ID_SYSTEM && typeof i.value === 'string')
      .map((i) => i.value as string);
    return cccds.length > 0 ? this.repo.patientsIdentifiedBy(em, GUARDIAN_ID_SYSTEM, cccds) : [];
  }

  /**
   * The current compartments of a stored resource, read in the writer's transaction; none for one
   * the writer may not see (a Binary's securityContext naming it then fails the reference check,
   * 422, like a missing one — not a 403 that would tell it exists).
   */
  private compartmentLookup(em: EntityManager, access?: AccessContext) {
    return async (type: string, id: string): Promise<readonly string[]> => {
      const compartments = (await this.repo.current(em, type, id))?.compartments ?? [];
      return access && !access.canSee(type, compartments) ? [] : compartments;
    };
  }

  /** A create outside any transaction: one statement (write + reference check). */
  async createOne(type: string, body: unknown, access: RecordCaller): Promise<WriteResult> {
    // An observed type needs a transaction: what the observers derive commits with it.
    if (this.isObserved(type)) return this.transaction((em) => this.create(em, type, body, { access }));
    try {
      return await this.create(this.db.manager, type, body, { access });
    } catch (err) {
      throw this.mapConflict(err);
    }
  }
}
