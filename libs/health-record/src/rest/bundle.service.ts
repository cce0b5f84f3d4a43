import { HttpException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FhirError } from '../fhir-error';
import { FhirStore, parseIfMatch } from '../store/fhir-store.service';
import type { FhirResource } from '../store/resource.repository';
import { SearchService } from '../search/search.service';
import { parseSearchRequest } from '../search/search-request';
import { bundle, etagOf, type FhirResponse } from './fhir-response';
import { FhirRestService, type RequestContext } from './fhir-rest.service';
import type { AccessContext } from '../access/access-context';
import { AuditService } from '../audit/audit.service';
import type { AuditRecord } from '../audit/audit-record';
import { assertScope, type Permission, typeGate } from './scope-check';

const ENTRY_PERMISSION: Record<string, Permission> = {
  POST: 'c',
  PUT: 'u',
  DELETE: 'd',
  GET: 'r',
  PATCH: 'u',
};
import type { RequestBudget } from './request-budget';
import { assertDeleteVisible } from './deleted-answer';

interface BundleEntry {
  fullUrl?: string;
  resource?: FhirResource;
  request?: { method?: string; url?: string; ifNoneExist?: string; ifMatch?: string };
}

/** Replaces every `reference` equal to a key of `ids` (urn:uuid fullUrls) by its new `Type/id`. */
function rewriteReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, ids));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      k === 'reference' && typeof v === 'string' && ids.has(v) ? ids.get(v) : rewriteReferences(v, ids);
  }
  return out;
}

function entryError(index: number, err: unknown): never {
  if (err instanceof HttpException) {
    const body = err.getResponse() as { issue?: { diagnostics?: string; expression?: string[] }[] };
    const issue = body.issue?.[0];
    throw new FhirError(
      err.getStatus(),
      'processing',
      `Bundle.entry[${index}]: ${issue?.diagnostics ?? err.message}`,
      [`Bundle.entry[${index}]`, ...(issue?.expression ?? [])],
    );
  }
  throw err;
}

/**
 * POST /fhir with a Bundle: a transaction is all-or-nothing in one database transaction, with
 * `urn:uuid:` fullUrls resolved to the new ids everywhere in the bundle and references checked
 * at commit (so entries may refer forward); a batch runs each entry on its own.
 *
 * Cost is bounded (decision 012): more than FHIR_BUNDLE_MAX_ENTRIES entries are refused before
 * anything runs (413), and the request's time budget is checked before each entry: a transaction
 * past it rolls back whole (503), a batch answers 503 for the entries it did not reach.
 */
@Injectable()
export class BundleService {
  constructor(
    private readonly store: FhirStore,
    private readonly search: SearchService,
    private readonly rest: FhirRestService,
    private readonly audit: AuditService,
  ) {}

  /** 413 when the Bundle has more entries than FHIR_BUNDLE_MAX_ENTRIES: checked before any other work. */
  assertSize(body: unknown): void {
    const entries = (body as { entry?: unknown } | null)?.entry;
    const max = this.rest.limits.bundleMaxEntries;
    if (!Array.isArray(entries) || entries.length <= max) return;
    throw new FhirError(
      413,
      'too-costly',
      `The Bundle has ${entries.length} entries; a transaction or batch may have at most ${max} ` +
        `(FHIR_BUNDLE_MAX_ENTRIES). Send it as several Bundles of at most ${max} entries each.`,
      ['Bundle.entry'],
    );
  }

  async process(body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    this.assertSize(body);
    const access = ctx.access;
    const b = body as { resourceType?: string; type?: string; entry?: BundleEntry[] } | null;
    if (b?.resourceType !== 'Bundle')
      throw new FhirError(400, 'invalid', 'POST to the base must be a Bundle');
    const entries = b.entry ?? [];
    if (
      !Array.isArray(entries) ||
      entries.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))
    ) {
      throw new FhirError(400, 'structure', 'Bundle.entry must be an array of entries', ['Bundle.entry']);
    }
    if (b.type === 'transaction') return this.transaction(entries, access, ctx.budget);
    if (b.type === 'batch') return this.batch(entries, access, ctx.budget);
    throw new FhirError(400, 'invalid', `Bundle.type must be transaction or batch, got ${String(b.type)}`, [
      'Bundle.type',
    ]);
  }

  private async transaction(
    entries: BundleEntry[],
    access: AccessContext,
    budget?: RequestBudget,
  ): Promise<FhirResponse> {
    return (await this.runTransaction(entries, access, budget)).response;
  }

  /**
   * A transaction, and the request's access context after it: a Patient registered by an entry is
   * reachable by the entries after it, and by a batch's later entries (AccessContext.withRegistered).
   */
  private async runTransaction(
    entries: BundleEntry[],
    initial: AccessContext,
    budget?: RequestBudget,
  ): Promise<{ response: FhirResponse; access: AccessContext }> {
    const access = initial;
    const base = this.rest.base;
    // New ids for every create, so references among entries (urn:uuid) resolve before any write.
    const ids = new Map<string, string>();
    const plan = entries.map((e, index) => {
      const method = e.request?.method?.toUpperCase();
      const url = e.request?.url ?? '';
      if (!method || !['POST', 'PUT', 'PATCH', 'DELETE', 'GET'].includes(method)) {
        throw new FhirError(
          400,
          'invalid',
          `Bundle.entry[${index}].request.method is missing or unsupported`,
          [`Bundle.entry[${index}].request`],
        );
      }
      // Each entry needs the scope of what it does to its type, an If-None-Exist search too: a
      // batch refuses only that entry (403 in its response), a transaction the whole Bundle.
      try {
        const type = url.split(/[/?]/)[0] ?? '';
        assertScope(access.principal, type, ENTRY_PERMISSION[method] as Permission);
        if (method === 'POST' && e.request?.ifNoneExist) assertScope(access.principal, type, 's');
      } catch (err) {
        entryError(index, err);
      }
      const newId = method === 'POST' ? randomUUID() : undefined;
      if (newId && e.fullUrl?.startsWith('urn:uuid:')) ids.set(e.fullUrl, `${url.split('?')[0]}/${newId}`);
      return { e, index, method, url, newId };
    });
    // A 412 on If-None-Exist rolls the transaction back, its audit record with it: kept here.
    let refused: AuditRecord | undefined;
    const run = this.store.transaction(async (em, pending) => {
      // What this transaction registers counts only once it commits.
      let access = initial;
      const out: Record<string, unknown>[] = [];
      for (const { e, index, method, url, newId } of plan) {
        // Thrown here, outside the entry's own error wrapping: the whole transaction rolls back.
        budget?.check(`Bundle.entry[${index}]`);
        try {
          const resource = e.resource ? (rewriteReferences(e.resource, ids) as FhirResource) : undefined;
          const [path, query = ''] = url.split('?') as [string, string?];
          const [type = '', id] = path.split('/');
          if (method === 'POST') {
            if (e.request?.ifNoneExist) {
              const criteria = [...new URLSearchParams(e.request.ifNoneExist).entries()];
              const found = await this.search.conditionalMatches(
                type,
                parseSearchRequest(criteria),
                em,
                access.scope,
                typeGate(access.principal),
              );
              if (found.length > 1) {
                refused = this.rest.tooManyMatches(access, type, criteria, found);
                throw new FhirError(412, 'duplicate', 'ifNoneExist matched several resources');
              }
              if (found.length === 1) {
                const v = await this.store.read(type, (found[0] as { id: string }).id, access, em);
                await this.audit.record(readRecord(access, v), em);
                if (e.fullUrl?.startsWith('urn:uuid:')) ids.set(e.fullUrl, `${type}/${v.id}`);
                out.push({
                  response: {
                    status: '200 OK',
                    location: `${base}/${type}/${v.id}/_history/${v.versionId}`,
                    etag: etagOf(v),
                  },
                });
                continue;
              }
            }
            const { version, registered } = await this.store.create(em, type, resource, {
              id: newId,
              pending,
              access,
            });
            if (registered) access = access.withRegistered(registered);
            out.push({
              fullUrl: `${base}/${type}/${version.id}`,
              resource: version.content,
              response: created(base, version),
            });
          } else if (method === 'PUT') {
            if (!id)
              throw new FhirError(
                400,
                'invalid',
                'PUT entries need Type/id (conditional PUT is not supported in transactions)',
              );
            const {
              version,
              created: isNew,
              registered,
            } = await this.store.update(em, type, id, resource, {
              ifMatch: parseIfMatch(e.request?.ifMatch),
              pending,
              access,
            });
            if (registered) access = access.withRegistered(registered);
            out.push({
              fullUrl: `${base}/${type}/${id}`,
              resource: version.content,
              response: { ...created(base, version), status: isNew ? '201 Created' : '200 OK' },
            });
          } else if (method === 'DELETE') {
            if (!id) throw new FhirError(400, 'invalid', 'DELETE entries need Type/id');
            assertDeleteVisible(type, id, await this.store.delete(em, type, id, access), access);
            out.push({ response: { status: '204 No Content' } });
          } else if (method === 'GET') {
            const v = id ? await this.store.read(type, id, access, em) : undefined;
            if (!v)
              throw new FhirError(
                400,
                'not-supported',
                `GET ${url} in a transaction must be a read (Type/id); query ${query || 'none'}`,
              );
            await this.audit.record(readRecord(access, v), em);
            out.push({ resource: v.content, response: { status: '200 OK', etag: etagOf(v) } });
          } else {
            throw new FhirError(
              400,
              'not-supported',
              'PATCH entries are not supported in transactions; use PUT',
            );
          }
        } catch (err) {
          entryError(index, err);
        }
      }
      budget?.check('the end of the transaction, before commit');
      return { out, after: access };
    });
    const responses = await run.catch(async (err: unknown) => {
      if (refused) await this.audit.record(refused);
      throw err;
    });
    return {
      response: { status: 200, body: bundle('transaction-response', responses.out) },
      access: responses.after,
    };
  }

  private async batch(
    entries: BundleEntry[],
    access: AccessContext,
    budget?: RequestBudget,
  ): Promise<FhirResponse> {
    const out: Record<string, unknown>[] = [];
    let current = access;
    for (const [index, e] of entries.entries()) {
      // Entries already run stay committed (each is its own transaction); the rest are not run.
      if (budget?.exceeded) {
        const err = budget.error(`Bundle.entry[${index}]`);
        out.push({ response: { status: String(err.getStatus()), outcome: err.getResponse() } });
        continue;
      }
      try {
        const { response: r, access: after } = await this.runTransaction([e], current);
        current = after;
        const inner = (r.body as { entry: Record<string, unknown>[] }).entry[0] as Record<string, unknown>;
        out.push(inner);
      } catch (err) {
        const status = err instanceof HttpException ? err.getStatus() : 500;
        const outcome =
          err instanceof HttpException
            ? err.getResponse()
            : {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'exception', diagnostics: `entry ${index} failed` }],
              };
        out.push({ response: { status: String(status), outcome } });
      }
    }
    return { status: 200, body: bundle('batch-response', out) };
  }
}

/** A read inside a Bundle (GET entry, If-None-Exist match), recorded in its transaction. */
function readRecord(
  access: AccessContext,
  v: { resourceType: string; id: string; versionId: number; compartments?: readonly string[] },
): AuditRecord {
  return access.audit('R', 'read', `${v.resourceType}/${v.id}/_history/${v.versionId}`, v.compartments ?? []);
}

function created(
  base: string,
  v: { resourceType: string; id: string; versionId: number; lastUpdated: Date },
): Record<string, string> {
  return {
    status: '201 Created',
    location: `${base}/${v.resourceType}/${v.id}/_history/${v.versionId}`,
    etag: `W/"${v.versionId}"`,
    lastModified: v.lastUpdated.toISOString(),
  };
}
