import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import {
  FhirError,
  type FhirResponse,
  type OwnedTypeCapability,
  type RequestContext,
  type ResourceOwner,
  ResourceOwners,
} from '@mekong/health-record';
import type { PropertyValue } from './data-files';
import { type Concept, TerminologyNotFound, TerminologyService } from './terminology.service';

type Pairs = [string, string][];

/** GET query or POST Parameters as name/value pairs; a `coding` parameter gives system, code, display. */
function pairsOf(body: unknown, ctx: RequestContext): Pairs {
  const params = body as { resourceType?: string; parameter?: Record<string, unknown>[] } | undefined;
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0))
    return ctx.query;
  if (params?.resourceType !== 'Parameters')
    throw FhirError.coded(
      400,
      'invalid',
      'TERMINOLOGY.BAD_PARAMETER',
      'The body of a terminology operation must be a Parameters resource',
    );
  return (params.parameter ?? []).flatMap((p): Pairs => {
    if (typeof p.name !== 'string') return [];
    if (p.name === 'coding' && typeof p.valueCoding === 'object' && p.valueCoding !== null) {
      const c = p.valueCoding as { system?: unknown; code?: unknown; display?: unknown; version?: unknown };
      return (['system', 'code', 'display', 'version'] as const).flatMap((k): Pairs =>
        typeof c[k] === 'string' ? [[k, c[k] as string]] : [],
      );
    }
    const value = Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];
    return value === undefined || typeof value === 'object' ? [] : [[p.name, String(value)]];
  });
}

function one(pairs: Pairs, name: string): string | undefined {
  const all = pairs.filter(([k]) => k === name);
  if (all.length > 1)
    throw FhirError.coded(
      400,
      'invalid',
      'TERMINOLOGY.BAD_PARAMETER',
      `The parameter ${name} may be given once`,
      [name],
    );
  return all[0]?.[1];
}

function required(pairs: Pairs, name: string, op: string): string {
  const v = one(pairs, name);
  if (v === undefined || v === '')
    throw FhirError.coded(400, 'required', 'TERMINOLOGY.BAD_PARAMETER', `${op} needs the parameter ${name}`, [
      name,
    ]);
  return v;
}

function integer(pairs: Pairs, name: string): number | undefined {
  const v = one(pairs, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,7}$/.test(v))
    throw FhirError.coded(
      400,
      'invalid',
      'TERMINOLOGY.BAD_PARAMETER',
      `${name} must be a whole number ≥ 0, got "${v}"`,
      [name],
    );
  return Number(v);
}

function language(pairs: Pairs): 'vi' | 'en' {
  const v = one(pairs, 'displayLanguage');
  if (v === undefined || v === '') return 'vi';
  const lang = v.toLowerCase().slice(0, 2);
  if (lang !== 'vi' && lang !== 'en')
    throw FhirError.coded(
      400,
      'not-supported',
      'TERMINOLOGY.BAD_PARAMETER',
      `displayLanguage ${v}: only vi and en are loaded`,
      ['displayLanguage'],
    );
  return lang;
}

/** The name in the asked language; the other when the list has none (the list never gets a translation). */
const displayIn = (c: Concept, lang: 'vi' | 'en'): string => (lang === 'en' ? c.en || c.vi : c.vi || c.en);

function designations(c: Concept): { language: string; value: string }[] {
  return [
    ...(c.vi ? [{ language: 'vi', value: c.vi }] : []),
    ...(c.en ? [{ language: 'en', value: c.en }] : []),
  ];
}

function valueOf(v: PropertyValue): Record<string, unknown> {
  return typeof v === 'boolean'
    ? { valueBoolean: v }
    : typeof v === 'number'
      ? { valueInteger: v }
      : { valueCode: v };
}

const ok = (body: unknown): FhirResponse => ({ status: 200, body });

/**
 * The terminology operations under /fhir (FHIR R4 terminology service): `CodeSystem/$lookup`,
 * `CodeSystem/$validate-code`, `ValueSet/$expand`, `ValueSet/$validate-code`, `ConceptMap/$translate`,
 * by GET or POST Parameters. The content is the shipped national lists: writes are refused (405).
 */
@Injectable()
export class TerminologyOwner implements ResourceOwner, OnModuleInit {
  readonly name = 'terminology';
  readonly types = ['CodeSystem', 'ValueSet', 'ConceptMap'] as const;

  constructor(
    private readonly owners: ResourceOwners,
    private readonly terms: TerminologyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // Production loads (and checks) the lists at start, so a broken file stops the start; elsewhere
    // they load at first use (≈ 60 MB: most test suites never ask, and their apps share a process).
    if (this.config.nodeEnv === 'production') this.terms.load();
    this.owners.register(this);
  }

  capability(type: string): OwnedTypeCapability | undefined {
    const doc =
      'The national code lists shipped with this version (docs/terminology.md), read-only; each answer names the list version it used (used-codesystem, $lookup version).';
    const op = (name: string, definition: string, documentation: string) => ({
      name,
      definition,
      documentation,
    });
    if (type === 'CodeSystem')
      return {
        documentation: doc,
        operations: [
          op(
            'lookup',
            'http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup',
            'system, code, version?, displayLanguage (vi|en), property*',
          ),
          op(
            'validate-code',
            'http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code',
            'url|system, code, display?, version?; usage=primary-diagnosis and sex=male|female check the main-diagnosis and one-sex rules',
          ),
        ],
      };
    if (type === 'ValueSet')
      return {
        documentation: doc,
        operations: [
          op(
            'expand',
            'http://hl7.org/fhir/OperationDefinition/ValueSet-expand',
            'url, filter (accent-insensitive, every word), offset, count (≤ 1000), displayLanguage, includeAbstract',
          ),
          op(
            'validate-code',
            'http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code',
            'url, system?, code, display?, usage?, sex?',
          ),
        ],
      };
    if (type === 'ConceptMap')
      return {
        documentation: doc,
        operations: [
          op(
            'translate',
            'http://hl7.org/fhir/OperationDefinition/ConceptMap-translate',
            'url or system, code',
          ),
        ],
      };
    return undefined;
  }

  private readOnly(): never {
    throw FhirError.coded(
      405,
      'not-supported',
      'TERMINOLOGY.READ_ONLY',
      'The code lists are loaded from the versioned national lists shipped with the server (docs/terminology.md); they cannot be written through the API / Danh mục chỉ đọc',
    );
  }

  create(): Promise<FhirResponse> {
    return Promise.resolve(this.readOnly());
  }

  update(): Promise<FhirResponse> {
    return Promise.resolve(this.readOnly());
  }

  delete(): Promise<FhirResponse> {
    return Promise.resolve(this.readOnly());
  }

  async operation(
    type: string,
    id: string | undefined,
    op: string,
    body: unknown,
    ctx: RequestContext,
  ): Promise<FhirResponse | undefined> {
    if (id !== undefined) return undefined;
    const run = (): FhirResponse | undefined => {
      if (type === 'CodeSystem' && op === '$lookup') return this.lookup(pairsOf(body, ctx));
      if (type === 'ValueSet' && op === '$expand') return this.expand(pairsOf(body, ctx));
      if ((type === 'CodeSystem' || type === 'ValueSet') && op === '$validate-code')
        return this.validate(type, pairsOf(body, ctx));
      if (type === 'ConceptMap' && op === '$translate') return this.translate(pairsOf(body, ctx));
      return undefined;
    };
    try {
      return await Promise.resolve(run());
    } catch (e) {
      if (e instanceof TerminologyNotFound)
        throw FhirError.coded(404, 'not-found', 'TERMINOLOGY.NOT_FOUND', e.message);
      throw e;
    }
  }

  private lookup(pairs: Pairs): FhirResponse {
    const system = required(pairs, 'system', '$lookup');
    const code = required(pairs, 'code', '$lookup');
    const lang = language(pairs);
    const version = one(pairs, 'version');
    const meta = this.terms.meta(system);
    if (version !== undefined && version !== meta.version)
      throw FhirError.coded(
        404,
        'not-found',
        'TERMINOLOGY.NOT_FOUND',
        `Version ${version} of ${system} is not loaded; this server has ${meta.version}`,
      );
    const c = this.terms.find(system, code);
    if (!c)
      throw FhirError.coded(
        404,
        'not-found',
        'TERMINOLOGY.NOT_FOUND',
        `${code} is not a code of ${meta.title} (${meta.version})`,
        ['code'],
      );
    const wanted = new Set(pairs.filter(([k]) => k === 'property').map(([, v]) => v));
    const want = (p: string) => wanted.size === 0 || wanted.has(p);
    const property = [
      ...(c.parent !== undefined && want('parent')
        ? [
            {
              name: 'property',
              part: [
                { name: 'code', valueCode: 'parent' },
                { name: 'value', valueCode: c.parent },
              ],
            },
          ]
        : []),
      ...(want('child')
        ? this.terms.children(system, code).map((ch) => ({
            name: 'property',
            part: [
              { name: 'code', valueCode: 'child' },
              { name: 'value', valueCode: ch },
            ],
          }))
        : []),
      ...Object.entries(c.properties)
        .filter(([k]) => want(k))
        .map(([k, v]) => ({
          name: 'property',
          part: [
            { name: 'code', valueCode: k },
            { name: 'value', ...valueOf(v) },
          ],
        })),
    ];
    return ok({
      resourceType: 'Parameters',
      parameter: [
        { name: 'name', valueString: meta.title },
        { name: 'version', valueString: meta.version },
        { name: 'display', valueString: displayIn(c, lang) },
        ...designations(c).map((d) => ({
          name: 'designation',
          part: [
            { name: 'language', valueCode: d.language },
            { name: 'value', valueString: d.value },
          ],
        })),
        ...property,
      ],
    });
  }

  private expand(pairs: Pairs): FhirResponse {
    const url = required(pairs, 'url', '$expand');
    const filter = one(pairs, 'filter');
    if (filter !== undefined && filter.length > 200)
      throw FhirError.coded(
        400,
        'too-long',
        'TERMINOLOGY.BAD_PARAMETER',
        'filter is longer than 200 characters',
        ['filter'],
      );
    const offset = integer(pairs, 'offset');
    const count = integer(pairs, 'count');
    const lang = language(pairs);
    const abstract = one(pairs, 'includeAbstract');
    if (abstract !== undefined && abstract !== 'true' && abstract !== 'false')
      throw FhirError.coded(
        400,
        'invalid',
        'TERMINOLOGY.BAD_PARAMETER',
        'includeAbstract must be true or false',
        ['includeAbstract'],
      );
    const r = this.terms.expand({
      url,
      ...(filter !== undefined ? { filter } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...(count !== undefined ? { count } : {}),
      includeAbstract: abstract === 'true',
    });
    const m = r.system;
    return ok({
      resourceType: 'ValueSet',
      url,
      status: 'active',
      name: m.name,
      title: m.title,
      ...(m.publisher ? { publisher: m.publisher } : {}),
      ...(m.copyright ? { copyright: m.copyright } : {}),
      expansion: {
        identifier: `urn:uuid:${randomUUID()}`,
        timestamp: new Date().toISOString(),
        total: r.total,
        offset: r.offset,
        parameter: [
          { name: 'used-codesystem', valueUri: `${m.url}|${m.version}` },
          { name: 'displayLanguage', valueCode: lang },
          ...(filter !== undefined ? [{ name: 'filter', valueString: filter }] : []),
          ...(count !== undefined ? [{ name: 'count', valueInteger: Math.min(count, 1000) }] : []),
          { name: 'offset', valueInteger: r.offset },
        ],
        contains: r.contains.map((c) => ({
          system: c.system,
          version: c.version,
          code: c.code,
          display: displayIn(c, lang),
          ...(c.abstract ? { abstract: true } : {}),
          designation: designations(c),
        })),
      },
    });
  }

  private validate(type: 'CodeSystem' | 'ValueSet', pairs: Pairs): FhirResponse {
    const code = required(pairs, 'code', '$validate-code');
    const usage = one(pairs, 'usage');
    if (usage !== undefined && usage !== 'primary-diagnosis')
      throw FhirError.coded(
        400,
        'invalid',
        'TERMINOLOGY.BAD_PARAMETER',
        'usage may only be primary-diagnosis',
        ['usage'],
      );
    const sex = one(pairs, 'sex');
    if (sex !== undefined && sex !== 'male' && sex !== 'female' && sex !== 'other' && sex !== 'unknown')
      throw FhirError.coded(
        400,
        'invalid',
        'TERMINOLOGY.BAD_PARAMETER',
        'sex must be male, female, other or unknown',
        ['sex'],
      );
    const url = one(pairs, 'url');
    const system = one(pairs, 'system');
    const display = one(pairs, 'display');
    const version = one(pairs, 'version');
    const r = this.terms.validateCode({
      code,
      ...(type === 'ValueSet' ? { valueSet: required(pairs, 'url', '$validate-code') } : {}),
      ...(type === 'CodeSystem' ? { system: url ?? system } : system !== undefined ? { system } : {}),
      ...(display !== undefined ? { display } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(usage === 'primary-diagnosis' ? { usage } : {}),
      ...(sex === 'male' || sex === 'female' ? { sex } : {}),
    });
    return ok({
      resourceType: 'Parameters',
      parameter: [
        { name: 'result', valueBoolean: r.result },
        ...(r.message ? [{ name: 'message', valueString: r.message }] : []),
        ...(r.display ? [{ name: 'display', valueString: r.display }] : []),
      ],
    });
  }

  private translate(pairs: Pairs): FhirResponse {
    const code = required(pairs, 'code', '$translate');
    const url = one(pairs, 'url');
    const system = one(pairs, 'system');
    if (url === undefined && system === undefined)
      throw FhirError.coded(400, 'required', 'TERMINOLOGY.BAD_PARAMETER', '$translate needs url or system', [
        'url',
      ]);
    const r = this.terms.translate(url, system, code);
    const equivalence: Record<string, string> = {
      equivalent: 'equivalent',
      'source-is-narrower-than-target': 'wider',
      'source-is-broader-than-target': 'narrower',
      'related-to': 'relatedto',
    };
    return ok({
      resourceType: 'Parameters',
      parameter: [
        { name: 'result', valueBoolean: r.matches.length > 0 },
        ...(r.matches.length === 0
          ? [{ name: 'message', valueString: `No mapping for ${code} in ${r.meta.title}` }]
          : []),
        ...r.matches.map((m) => ({
          name: 'match',
          part: [
            { name: 'equivalence', valueCode: equivalence[m.relationship] ?? 'relatedto' },
            { name: 'concept', valueCoding: { system: m.system, code: m.code, display: m.display } },
            ...(m.note ? [{ name: 'comment', valueString: m.note }] : []),
            { name: 'source', valueUri: r.meta.url },
          ],
        })),
      ],
    });
  }
}
