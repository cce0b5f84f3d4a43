import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import { CurrentPrincipal, type Principal, ScopePerResourceType } from '@mekong/auth';
import { Public } from '@mekong/common';
import type { Request, Response } from 'express';
import { AccessService } from '../access/access.service';
import { BreakGlassService } from '../access/break-glass.service';
import { AuditDeniedInterceptor } from '../audit/audit-denied.interceptor';
import { FhirError } from '../fhir-error';
import { BundleService } from './bundle.service';
import type { FhirResponse } from './fhir-response';
import { applyJsonPatch, FhirRestService, type RequestContext } from './fhir-rest.service';
import { ResourceOwners } from './resource-owners';
import { assertEverythingScope, assertScope, typeGate } from './scope-check';
import { patientSummary } from '../summary/patient-summary';
import { sendPdf, visitPdf } from '../summary/visit-pdf';

const FHIR_JSON = /^application\/(fhir\+)?json\b/i;
const PATCH_JSON = /^application\/json-patch\+json\b/i;

function send(res: Response, r: FhirResponse): void {
  res.status(r.status);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  // Health data: never cached by browsers or proxies (ASVS 8.2.1).
  res.setHeader('Cache-Control', 'no-store');
  if (r.body === undefined && r.text === undefined) {
    res.end();
    return;
  }
  // An operation answering in another format (claims' XML) sets its own Content-Type.
  if (!Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === 'content-type'))
    res.setHeader('Content-Type', 'application/fhir+json; charset=utf-8');
  res.send(r.text ?? JSON.stringify(r.body));
}

function requireJson(
  contentType: string | undefined,
  pattern = FHIR_JSON,
  expected = 'application/fhir+json',
): void {
  if (!pattern.test(contentType ?? ''))
    throw new FhirError(415, 'not-supported', `Content-Type must be ${expected}`);
}

/** The FHIR R4 REST API under /fhir: one generic controller for every resource type. */
@Controller('fhir')
@ScopePerResourceType()
@UseInterceptors(AuditDeniedInterceptor)
export class FhirController {
  constructor(
    private readonly fhir: FhirRestService,
    private readonly bundles: BundleService,
    private readonly access: AccessService,
    private readonly breakGlass: BreakGlassService,
    private readonly owners: ResourceOwners,
  ) {}

  /** The request's context: query pairs, conditional headers, and the caller's access decision. */
  private async ctx(
    req: Request,
    principal: Principal,
    extraQuery: [string, string][] = [],
  ): Promise<RequestContext> {
    const qs = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    return {
      query: [...new URLSearchParams(qs).entries(), ...extraQuery],
      ifMatch: req.headers['if-match'] as string | undefined,
      ifNoneExist: req.headers['if-none-exist'] as string | undefined,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      lenient: /handling=lenient/.test(String(req.headers.prefer ?? '')),
      access: await this.access.contextFor(principal, req.ip),
      gate: typeGate(principal),
      budget: this.fhir.newBudget(),
    };
  }

  /** Public, as SMART App Launch requires: clients discover the server before they have a token. */
  @Public()
  @Get('metadata')
  metadata(@Res() res: Response): void {
    send(res, this.fhir.metadata());
  }

  @Post()
  async bundle(
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    requireJson(req.headers['content-type']);
    // Too many entries: refused before any other work (decision 012).
    this.bundles.assertSize(body);
    // The scope of each entry is checked by the bundle service, per entry (a batch refuses only it).
    send(res, await this.bundles.process(body, await this.ctx(req, p)));
  }

  @Get(':type')
  async search(
    @Param('type') type: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    assertScope(p, type, 's');
    send(res, await this.fhir.searchType(type, await this.ctx(req, p)));
  }

  @Post(':type')
  async create(
    @Param('type') type: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    requireJson(req.headers['content-type']);
    assertScope(p, type, 'c');
    // If-None-Exist searches the type: a token that may not search it learns nothing through it.
    if (req.headers['if-none-exist'] !== undefined) assertScope(p, type, 's');
    const owner = this.owners.ownerOf(type);
    const ctx = await this.ctx(req, p);
    send(res, owner ? await owner.create(type, body, ctx) : await this.fhir.create(type, body, ctx));
  }

  @Put(':type')
  async conditionalUpdate(
    @Param('type') type: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    requireJson(req.headers['content-type']);
    assertScope(p, type, 'u');
    assertScope(p, type, 's'); // the criteria search the type
    if (this.owners.ownerOf(type))
      throw new FhirError(405, 'not-supported', `Conditional update is not supported for ${type}`);
    send(res, await this.fhir.conditionalUpdate(type, body, await this.ctx(req, p)));
  }

  @Post(':type/:op')
  async typeOperation(
    @Param('type') type: string,
    @Param('op') op: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    if (op === '_search') {
      assertScope(p, type, 's');
      // POST _search: criteria in the form body (keeps identifiers such as CCCD out of URLs and logs).
      const form =
        typeof body === 'object' && body !== null ? Object.entries(body as Record<string, unknown>) : [];
      const pairs = form.flatMap(([k, v]) =>
        Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]],
      ) as [string, string][];
      send(res, await this.fhir.searchType(type, await this.ctx(req, p, pairs)));
      return;
    }
    if (op === '$validate') {
      requireJson(req.headers['content-type']);
      assertScope(p, type, 'r');
      send(res, this.fhir.validate(type, body));
      return;
    }
    const owned = await this.ownerOperation(type, undefined, op, body, req, p);
    if (owned) return send(res, owned);
    throw new FhirError(404, 'not-supported', `Unknown operation ${op} on ${type}`);
  }

  @Get(':type/:id')
  async read(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    if (id.startsWith('$')) {
      // A type-level operation by GET (e.g. Appointment/$find).
      const owned = await this.ownerOperation(type, undefined, id, undefined, req, p);
      if (!owned) throw new FhirError(404, 'not-supported', `Unknown operation ${id} on ${type}`);
      return send(res, owned);
    }
    assertScope(p, type, 'r');
    const ctx = await this.ctx(req, p);
    send(
      res,
      id === '_history' ? await this.fhir.history(type, undefined, ctx) : await this.fhir.read(type, id, ctx),
    );
  }

  @Put(':type/:id')
  async update(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    requireJson(req.headers['content-type']);
    assertScope(p, type, 'u');
    const owner = this.owners.ownerOf(type);
    const ctx = await this.ctx(req, p);
    send(res, owner ? await owner.update(type, id, body, ctx) : await this.fhir.update(type, id, body, ctx));
  }

  @Patch(':type/:id')
  async patch(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    requireJson(contentType, PATCH_JSON, 'application/json-patch+json');
    assertScope(p, type, 'u');
    const owner = this.owners.ownerOf(type);
    const ctx = await this.ctx(req, p);
    if (!owner) return send(res, await this.fhir.patch(type, id, body, ctx));
    // Owned types: the patched content goes through the owner's rules like a PUT of it.
    const current = await this.fhir.current(type, id, ctx);
    const ifMatch = ctx.ifMatch ?? `W/"${current.meta?.versionId ?? ''}"`;
    send(res, await owner.update(type, id, applyJsonPatch(current, body), { ...ctx, ifMatch }));
  }

  @Delete(':type/:id')
  async delete(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    assertScope(p, type, 'd');
    const owner = this.owners.ownerOf(type);
    const ctx = await this.ctx(req, p);
    send(res, owner ? await owner.delete(type, id, ctx) : await this.fhir.delete(type, id, ctx));
  }

  /** `$everything` may also be POSTed (fhir-kit-client does); `$break-glass` opens emergency access. */
  @Post(':type/:id/:op')
  async instanceOperationPost(
    @Param('type') type: string,
    @Param('id') id: string,
    @Param('op') op: string,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    if (type === 'Patient' && op === '$break-glass') {
      assertScope(p, 'Patient', 'r');
      const reason = (
        body as { parameter?: { name?: string; valueString?: unknown }[] } | null
      )?.parameter?.find((x) => x.name === 'reason')?.valueString;
      const grant = await this.breakGlass.open(
        (await this.ctx(req, p)).access,
        id,
        typeof reason === 'string' ? reason : '',
      );
      send(res, {
        status: 200,
        body: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'patient', valueReference: { reference: `Patient/${grant.patient}` } },
            { name: 'expires', valueInstant: grant.expiresAt.toISOString() },
            { name: 'notification', valueReference: { reference: grant.notification } },
          ],
        },
      });
      return;
    }
    const owned = await this.ownerOperation(type, id, op, body, req, p);
    if (owned) return send(res, owned);
    // $summary (IPS) reads the record through $everything: the same scope rule, reach and audit.
    if (op === '$summary' && type === 'Patient') {
      assertEverythingScope(p);
      return send(res, await patientSummary(this.fhir, id, await this.ctx(req, p)));
    }
    if (op !== '$everything' || type !== 'Patient')
      throw new FhirError(404, 'not-supported', `Unknown operation ${op} on ${type}/${id}`);
    assertEverythingScope(p);
    send(res, await this.fhir.everything(id, await this.ctx(req, p)));
  }

  @Get(':type/:id/:op')
  async instanceOperation(
    @Param('type') type: string,
    @Param('id') id: string,
    @Param('op') op: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    if (op === '_history') {
      assertScope(p, type, 'r');
      send(res, await this.fhir.history(type, id, await this.ctx(req, p)));
    } else if (op === '$everything' && type === 'Patient') {
      assertEverythingScope(p);
      send(res, await this.fhir.everything(id, await this.ctx(req, p)));
    } else if (op === '$summary' && type === 'Patient') {
      assertEverythingScope(p);
      send(res, await patientSummary(this.fhir, id, await this.ctx(req, p)));
    } else if (op === '$summary-pdf' && type === 'Encounter') {
      // The visit PDF: the access of GET Encounter/{id} (scope, reach, 404, audited read).
      assertScope(p, 'Encounter', 'r');
      sendPdf(res, await visitPdf(this.fhir, id, await this.ctx(req, p)), id);
    } else {
      const owned = await this.ownerOperation(type, id, op, undefined, req, p);
      if (!owned) throw new FhirError(404, 'not-supported', `Unknown operation ${op} on ${type}/${id}`);
      send(res, owned);
    }
  }

  /** An operation of the context that owns `type` (e.g. Appointment/$find); undefined if none. */
  private async ownerOperation(
    type: string,
    id: string | undefined,
    op: string,
    body: unknown,
    req: Request,
    p: Principal,
  ): Promise<FhirResponse | undefined> {
    const registered = op.startsWith('$')
      ? this.owners.operationOf(type, id === undefined ? 'type' : 'instance', op)
      : undefined;
    if (registered) {
      // Another context's operation on this type: read scope on it, then the operation's own rules.
      assertScope(p, type, 'r');
      return registered.invoke(id, body, await this.ctx(req, p));
    }
    const owner = this.owners.ownerOf(type);
    if (!owner?.operation || !op.startsWith('$')) return undefined;
    assertScope(p, type, 'r');
    // An owner's operation answers under the scope it declares (Appointment/$find shows Slots and
    // Schedules to Appointment.r): the types it looks into are its own decision.
    return owner.operation(type, id, op, body, { ...(await this.ctx(req, p)), gate: undefined });
  }

  @Get(':type/:id/_history/:vid')
  async vread(
    @Param('type') type: string,
    @Param('id') id: string,
    @Param('vid') vid: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    assertScope(p, type, 'r');
    send(res, await this.fhir.vread(type, id, vid, await this.ctx(req, p)));
  }
}
