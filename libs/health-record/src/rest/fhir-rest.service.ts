import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type FhirLimits } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { DataSource } from 'typeorm';
import { HEALTH_RECORD_CONTEXT } from '../health-record.database';
import {
  dateRange,
  operationOutcome,
  patientCompartmentTypes,
  summaryElements,
  validateResource,
} from '@mekong/fhir';
import { applyPatch, type Operation, validate as validatePatch } from 'fast-json-patch';
import { FhirError } from '../fhir-error';
import {
  assertSearchText,
  parseCount,
  parseSearchRequest,
  type SearchRequest,
} from '../search/search-request';
import { decodeCursor } from '../search/cursor';
import { COUNTED_PATIENTS_MAX, SearchService, type TypeGate } from '../search/search.service';
import type { AccessContext } from '../access/access-context';
import { FhirStore, parseIfMatch, toIssues } from '../store/fhir-store.service';
import type { FhirResource } from '../store/resource.repository';
import { bundle, type FhirResponse, historyEntry, versionHeaders } from './fhir-response';
import { capabilityStatement } from './capability';
import { AuditService } from '../audit/audit.service';
import type { AuditRecord } from '../audit/audit-record';
import { ResourceOwners } from './resource-owners';
import { scopeAllows, typeGate } from './scope-check';
import { RequestBudget } from './request-budget';
import { assertDeleteVisible } from './deleted-answer';

export interface RequestContext {
  readonly query: [string, string][];
  readonly ifMatch?: string;
  readonly ifNoneExist?: string;
  readonly lenient: boolean;
  /** Idempotency-Key header: a retried request returns the first result (owners that support it). */
  readonly idempotencyKey?: string;
  /** Who is asking and which patients they reach (required: every interaction is access-checked). */
  readonly access: AccessContext;
  /**
   * The types beyond the one in the URL that the token's scopes cover (includes, `$everything`,
   * chains); undefined: every type. Set for every FHIR interaction (FhirController.ctx).
   */
  readonly gate?: TypeGate;
  /** The request's time budget (FHIR_REQUEST_BUDGET_MS), checked between units of work. */
  readonly budget?: RequestBudget;
}

const queryPairs = (qs: string): [string, string][] => [...new URLSearchParams(qs).entries()];

/** A search's audit entity: `Type?param,param` — parameter names only, never values (names, CCCD numbers). */
export function searchEntity(type: string, query: readonly [string, string][]): string {
  const names = [...new Set(query.map(([k]) => k))].join(',');
  return `${type}${names ? `?${names}` : ''}`;
}

/** The FHIR interactions, independent of HTTP plumbing (also used by batch/transaction entries). */
@Injectable()
export class FhirRestService {
  readonly base: string;
  readonly limits: FhirLimits;

  constructor(
    private readonly store: FhirStore,
    private readonly search: SearchService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly owners: ResourceOwners,
    @InjectDataSource(HEALTH_RECORD_CONTEXT) private readonly db: DataSource,
  ) {
    this.base = `${config.publicUrl}/fhir`;
    this.limits = config.fhir;
  }

  /** A fresh time budget for one request, starting now. */
  newBudget(): RequestBudget {
    return new RequestBudget(this.limits.requestBudgetMs);
  }

  /** `_count` above FHIR_COUNT_MAX is refused (400), not silently cut, before any query runs. */
  assertCount(query: readonly [string, string][]): void {
    for (const [k, v] of query) {
      if (k !== '_count' || !/^\s*\d+\s*$/.test(v) || Number(v) <= this.limits.countMax) continue;
      throw new FhirError(
        400,
        'too-costly',
        `_count=${v.trim()} is above the maximum page size ${this.limits.countMax} (FHIR_COUNT_MAX): ` +
          `ask for at most ${this.limits.countMax} and follow Bundle.link[next] for the rest`,
      );
    }
  }

  metadata(): FhirResponse {
    return {
      status: 200,
      body: capabilityStatement(this.base, { name: 'Mekong Health', version: '0.1.0' }, (type) =>
        this.owners.ownerOf(type)?.capability?.(type),
      ),
    };
  }

  async read(type: string, id: string, ctx: RequestContext): Promise<FhirResponse> {
    this.store.assertType(type);
    if (type === 'AuditEvent') return { status: 200, body: await this.audit.read(ctx.access, id) };
    const v = await this.store.repo.currentText(this.db.manager, type, id);
    // A deleted resource answers 410 only to who could read its last live version; 404 to anyone else.
    if (!v || !ctx.access.canSee(type, v.compartments ?? []))
      throw new FhirError(404, 'not-found', `${type}/${id} not found`);
    if (v.deleted || v.text === null) throw new FhirError(410, 'deleted', `${type}/${id} was deleted`);
    // Recorded before the answer leaves: a read that cannot be audited is not served.
    await this.audit.record(
      ctx.access.audit('R', 'read', `${type}/${id}/_history/${v.versionId}`, v.compartments ?? []),
    );
    return { status: 200, headers: versionHeaders(this.base, v), text: v.text };
  }

  /** The current content of a visible resource (404/410 otherwise), without an audit record. */
  async current(type: string, id: string, ctx: RequestContext): Promise<FhirResource> {
    const v = await this.store.read(type, id, ctx.access);
    return v.content as FhirResource;
  }

  async vread(type: string, id: string, vid: string, ctx: RequestContext): Promise<FhirResponse> {
    const v = await this.store.vread(type, id, Number(vid), ctx.access);
    await this.audit.record(
      ctx.access.audit('R', 'vread', `${type}/${id}/_history/${v.versionId}`, v.compartments ?? []),
    );
    return { status: 200, headers: versionHeaders(this.base, v), body: v.content };
  }

  async create(type: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    this.store.assertType(type);
    if (ctx.ifNoneExist) return this.conditionalCreate(type, body, ctx.ifNoneExist, ctx.access);
    const { version } = await this.store.createOne(type, body, ctx.access);
    return { status: 201, headers: versionHeaders(this.base, version), body: version.content };
  }

  /**
   * If-None-Exist: 0 matches create, 1 returns it (200, audited as a read of it), more are 412
   * (audited as a refused search naming the patients of the matches). A lost CCCD race returns the winner.
   */
  private async conditionalCreate(
    type: string,
    body: unknown,
    criteria: string,
    access: AccessContext,
    attempt = 0,
  ): Promise<FhirResponse> {
    const pairs = queryPairs(criteria);
    const req = parseSearchRequest(pairs);
    let refused: AuditRecord | undefined;
    try {
      return await this.store.transaction(async (em, pending) => {
        const found = await this.search.conditionalMatches(
          type,
          req,
          em,
          access.scope,
          typeGate(access.principal),
        );
        if (found.length > 1) {
          refused = this.tooManyMatches(access, type, pairs, found);
          throw new FhirError(412, 'duplicate', `If-None-Exist matched ${found.length} resources`);
        }
        if (found.length === 1) {
          const v = await this.store.read(type, (found[0] as { id: string }).id, access, em);
          await this.audit.record(
            access.audit('R', 'read', `${type}/${v.id}/_history/${v.versionId}`, v.compartments ?? []),
            em,
          );
          // The match is returned only to a token that may read it (If-None-Exist needs search only).
          const body = scopeAllows(access.principal, type, 'r') ? v.content : undefined;
          return { status: 200, headers: versionHeaders(this.base, v), body };
        }
        const { version } = await this.store.create(em, type, body, { pending, access });
        return { status: 201, headers: versionHeaders(this.base, version), body: version.content };
      });
    } catch (err) {
      // The transaction rolled back: the refusal is recorded on its own.
      if (refused) await this.audit.record(refused);
      if (attempt === 0 && this.store.isDuplicateIdentity(err))
        return this.conditionalCreate(type, body, criteria, access, 1);
      throw err;
    }
  }

  /** The audit record of a conditional operation refused with 412: what it matched was still looked at. */
  tooManyMatches(
    access: AccessContext,
    type: string,
    criteria: readonly [string, string][],
    found: readonly { compartments: readonly string[] }[],
  ): AuditRecord {
    return access.audit(
      'E',
      'search-type',
      searchEntity(type, criteria),
      found.flatMap((f) => f.compartments),
      '4',
      '412',
    );
  }

  async update(type: string, id: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    const ifMatch = parseIfMatch(ctx.ifMatch);
    const { version, created } = await this.store.transaction((em, pending) =>
      this.store.update(em, type, id, body, { ifMatch, pending, access: ctx.access }),
    );
    return {
      status: created ? 201 : 200,
      headers: versionHeaders(this.base, version),
      body: version.content,
    };
  }

  /** PUT Type?criteria: 0 matches create, 1 updates it (audited as its write), more are 412. */
  async conditionalUpdate(type: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    this.store.assertType(type);
    const req = parseSearchRequest(ctx.query);
    let refused: AuditRecord | undefined;
    const run = this.store.transaction(async (em, pending) => {
      const found = await this.search.conditionalMatches(
        type,
        req,
        em,
        ctx.access.scope,
        typeGate(ctx.access.principal),
      );
      if (found.length > 1) {
        refused = this.tooManyMatches(ctx.access, type, ctx.query, found);
        throw new FhirError(412, 'duplicate', `Conditional update matched ${found.length} resources`);
      }
      const given = (body as { id?: unknown } | null)?.id;
      const match = found[0]?.id;
      if (match === undefined) {
        return given === undefined
          ? this.store.create(em, type, body, { pending, access: ctx.access })
          : this.store.update(em, type, String(given), body, { pending, access: ctx.access });
      }
      return this.store.update(
        em,
        type,
        match,
        { ...(body as object), id: match },
        { pending, access: ctx.access },
      );
    });
    const { version, created } = await run.catch(async (err: unknown) => {
      // The transaction rolled back: the refusal is recorded on its own.
      if (refused) await this.audit.record(refused);
      throw err;
    });
    return {
      status: created ? 201 : 200,
      headers: versionHeaders(this.base, version),
      body: version.content,
    };
  }

  async patch(type: string, id: string, ops: unknown, ctx: RequestContext): Promise<FhirResponse> {
    if (!Array.isArray(ops))
      throw new FhirError(400, 'invalid', 'A JSON Patch body is an array of operations');
    const ifMatch = parseIfMatch(ctx.ifMatch);
    const { version } = await this.store.transaction(async (em, pending) => {
      const current = await this.store.read(type, id, ctx.access, em);
      const patched = applyJsonPatch(current.content as FhirResource, ops);
      return this.store.update(em, type, id, patched, {
        ifMatch: ifMatch ?? current.versionId,
        pending,
        access: ctx.access,
      });
    });
    return { status: 200, headers: versionHeaders(this.base, version), body: version.content };
  }

  async delete(type: string, id: string, ctx: RequestContext): Promise<FhirResponse> {
    await this.store.transaction(async (em) =>
      assertDeleteVisible(type, id, await this.store.delete(em, type, id, ctx.access), ctx.access),
    );
    return { status: 204 };
  }

  async history(type: string, id: string | undefined, ctx: RequestContext): Promise<FhirResponse> {
    this.store.assertType(type);
    this.assertCount(ctx.query);
    const q = new Map(ctx.query);
    for (const [k, v] of ctx.query) assertSearchText(k, v);
    // _count=0 would page nowhere: at least 1 (a negative count reached SQL's LIMIT).
    const count = parseCount(q.get('_count'), 50, 1);
    const sinceRaw = q.get('_since');
    const sinceRange = sinceRaw ? dateRange(sinceRaw) : undefined;
    if (sinceRaw && !sinceRange)
      throw new FhirError(400, 'invalid', `_since must be an instant, got ${sinceRaw}`);
    const since = sinceRange ? new Date(sinceRange.low) : undefined;
    // Instance history: 404 unless the caller may see the current version (a deletion: the last
    // live one); then, like type history, each version is served only if its own patients allow.
    if (id !== undefined) {
      const v = await this.store.repo.current(this.db.manager, type, id);
      if (!v || !ctx.access.canSee(type, v.compartments ?? []))
        throw new FhirError(404, 'not-found', `${type}/${id} not found`);
    }
    const cursor = q.get('_cursor');
    let before: { lastUpdated: Date; id: string; versionId: number } | undefined;
    if (cursor) {
      const key = decodeCursor(cursor, ['timestamptz', 'text', 'int']);
      if (!key) throw new FhirError(400, 'invalid', '_cursor is not valid for this history');
      const [lu, cid, vid] = key as [string, string, number];
      before = { lastUpdated: new Date(lu), id: cid, versionId: vid };
      if (Number.isNaN(before.lastUpdated.getTime()))
        throw new FhirError(400, 'invalid', '_cursor is not valid for this history');
    }
    const versions = await this.store.repo.history(this.db.manager, type, id, {
      since,
      count: count + 1,
      beforeVersion: before,
      scope: ctx.access.scope,
    });
    const page = versions.slice(0, count);
    const owners = [...new Set(page.flatMap((v) => v.compartments ?? []))].sort();
    await this.audit.record(
      ctx.access.audit('R', 'history', id !== undefined ? `${type}/${id}` : type, owners),
    );
    const self = `${this.base}/${type}${id ? `/${id}` : ''}/_history`;
    const last = page[page.length - 1];
    const link = [{ relation: 'self', url: self }];
    if (versions.length > count && last) {
      const c = Buffer.from(
        JSON.stringify([last.lastUpdated.toISOString(), last.id, last.versionId]),
      ).toString('base64url');
      const params = new URLSearchParams([...ctx.query.filter(([k]) => k !== '_cursor'), ['_cursor', c]]);
      link.push({ relation: 'next', url: `${self}?${params.toString()}` });
    }
    return {
      status: 200,
      body: bundle(
        'history',
        page.map((v) => historyEntry(this.base, v)),
        { link },
      ),
    };
  }

  async searchType(type: string, ctx: RequestContext, path = type): Promise<FhirResponse> {
    this.store.assertType(type);
    if (type === 'AuditEvent')
      return { status: 200, body: await this.audit.search(ctx.access, ctx.query, this.base) };
    this.assertCount(ctx.query);
    const req = parseSearchRequest(ctx.query);
    const result = await this.search.search(type, req, {
      gate: ctx.gate,
      lenient: ctx.lenient,
      caller: ctx.access,
      budget: ctx.budget,
      limits: this.limits,
    });
    // Parameter names only: values (names, CCCD numbers) never enter the audit trail.
    await this.audit.record(
      ctx.access.audit(
        'E',
        'search-type',
        searchEntity(type, ctx.query),
        result.patientIds,
        '0',
        result.patientsTruncated ? `counted more than ${COUNTED_PATIENTS_MAX} patients` : undefined,
      ),
    );
    return {
      status: 200,
      body: this.searchBundle(
        path,
        ctx.query,
        req,
        result.matches,
        result.included,
        result.total,
        result.next,
        result.leftOut &&
          `Included resources of types the token's scopes do not allow reading are left out (${result.leftOut.join('; ')})`,
      ),
    };
  }

  /** Patient/{id}/$everything: the patient's whole compartment (official CompartmentDefinition), paged. */
  async everything(id: string, ctx: RequestContext): Promise<FhirResponse> {
    if (!ctx.access.canReachPatient(id)) throw new FhirError(404, 'not-found', `Patient/${id} not found`);
    await this.store.read('Patient', id, ctx.access);
    const q = new Map(ctx.query);
    const types = q
      .get('_type')
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    for (const t of types ?? []) this.store.assertType(t);
    this.assertCount(ctx.query);
    const since = q.get('_since');
    const sortParam = q.get('_sort');
    if (sortParam !== undefined && sortParam !== '-_lastUpdated')
      throw new FhirError(
        400,
        'not-supported',
        `$everything supports only _sort=-_lastUpdated (newest first); got _sort=${sortParam}. Leave _sort out for the default order (type, id).`,
      );
    const pairs: [string, string][] = [];
    if (q.get('_count')) pairs.push(['_count', q.get('_count') as string]);
    if (q.get('_cursor')) pairs.push(['_cursor', q.get('_cursor') as string]);
    const req: SearchRequest = parseSearchRequest(pairs);
    const allowed = new Set(['Patient', ...patientCompartmentTypes()]);
    const wanted = (types ?? [...allowed]).filter((t) => allowed.has(t));
    // Only the types the token may read (a narrowed token: patient/Observation.rs, its Observations).
    const gate = ctx.gate;
    const readable = gate ? wanted.filter((t) => gate(t, 'r')) : wanted;
    const result = await this.search.everything(id, {
      types: readable,
      since,
      req,
      ...(sortParam ? { sort: 'lastUpdatedDesc' as const } : {}),
      scope: ctx.access.scope,
    });
    await this.audit.record(ctx.access.audit('E', 'everything', `Patient/${id}`, [id]));
    return {
      status: 200,
      body: this.searchBundle(
        `Patient/${id}/$everything`,
        ctx.query,
        req,
        result.matches,
        [],
        undefined,
        result.next,
        readable.length < wanted.length
          ? `Only types the token's scopes allow reading are returned: ${readable.join(', ') || 'none'}`
          : undefined,
      ),
    };
  }

  /** $validate: every issue (errors and warnings), 200 either way; nothing is stored. */
  validate(type: string, body: unknown): FhirResponse {
    this.store.assertType(type);
    let resource = body;
    if ((body as { resourceType?: string } | null)?.resourceType === 'Parameters' && type !== 'Parameters') {
      resource = ((body as { parameter?: { name: string; resource?: unknown }[] }).parameter ?? []).find(
        (p) => p.name === 'resource',
      )?.resource;
    }
    const issues = validateResource(resource);
    if ((resource as { resourceType?: string } | null)?.resourceType !== type) {
      issues.push({
        severity: 'error',
        code: 'invalid',
        diagnostics: `Not a ${type}`,
        expression: [`${type}.resourceType`],
      });
    }
    return {
      status: 200,
      body:
        issues.length > 0
          ? operationOutcome(...toIssues(issues))
          : operationOutcome({
              severity: 'information',
              code: 'informational',
              diagnostics: 'Validation successful / Hợp lệ',
            } as never),
    };
  }

  private searchBundle(
    path: string,
    query: [string, string][],
    req: SearchRequest,
    matches: FhirResource[],
    included: FhirResource[],
    total: number | undefined,
    next: string | undefined,
    /** What the token's scopes left out, said in an OperationOutcome entry (search mode outcome). */
    leftOut?: string,
  ): FhirResource {
    const self = new URLSearchParams(query);
    const link = [{ relation: 'self', url: `${this.base}/${path}${self.size ? `?${self.toString()}` : ''}` }];
    if (next) {
      const params = new URLSearchParams([...query.filter(([k]) => k !== '_cursor'), ['_cursor', next]]);
      link.push({ relation: 'next', url: `${this.base}/${path}?${params.toString()}` });
    }
    const shape = (r: FhirResource): FhirResource => shapeResource(r, req);
    return bundle(
      'searchset',
      [
        ...matches.map((r) => ({
          fullUrl: `${this.base}/${r.resourceType}/${String(r.id)}`,
          resource: shape(r),
          search: { mode: 'match' },
        })),
        ...included.map((r) => ({
          fullUrl: `${this.base}/${r.resourceType}/${String(r.id)}`,
          resource: shape(r),
          search: { mode: 'include' },
        })),
        ...(leftOut
          ? [
              {
                resource: {
                  resourceType: 'OperationOutcome',
                  issue: [{ severity: 'information', code: 'suppressed', diagnostics: leftOut }],
                },
                search: { mode: 'outcome' },
              },
            ]
          : []),
      ],
      { ...(total !== undefined ? { total } : {}), link },
    );
  }
}

/** Applies a JSON Patch to a copy of `content`: 400 for a malformed patch, 422 when it does not apply. */
export function applyJsonPatch(content: FhirResource, ops: unknown): FhirResource {
  if (!Array.isArray(ops)) throw new FhirError(400, 'invalid', 'A JSON Patch body is an array of operations');
  try {
    const problem = validatePatch(ops as Operation[], content);
    if (problem) throw new FhirError(400, 'invalid', `JSON Patch: ${problem.message}`);
    return applyPatch(structuredClone(content), ops as Operation[], true, false).newDocument as FhirResource;
  } catch (err) {
    throw new FhirError(
      422,
      'processing',
      `JSON Patch failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

/**
 * `_summary` (true: the official summary elements; text: text and mandatory; data: all but text)
 * and `_elements` (the named top-level elements); a shaped resource is tagged SUBSETTED.
 */
function shapeResource(r: FhirResource, req: SearchRequest): FhirResource {
  let keep: ((name: string) => boolean) | undefined;
  if (req.summary === 'true') {
    const names = summaryElements(r.resourceType);
    keep = (k) => names.has(k) || [...names].some((n) => k.startsWith(n) && /^[A-Z]/.test(k.slice(n.length)));
  } else if (req.summary === 'text') keep = (k) => k === 'text';
  else if (req.summary === 'data') keep = (k) => k !== 'text';
  else if (req.elements && req.elements.length > 0) {
    const names = new Set(req.elements);
    keep = (k) => names.has(k);
  }
  if (!keep) return r;
  const test = keep;
  const out = Object.fromEntries(
    Object.entries(r).filter(
      ([k]) => k === 'resourceType' || k === 'id' || k === 'meta' || test(k.replace(/^_/, '')),
    ),
  ) as FhirResource;
  const meta = (out.meta ?? {}) as { tag?: unknown[] };
  out.meta = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] };
  return out;
}
