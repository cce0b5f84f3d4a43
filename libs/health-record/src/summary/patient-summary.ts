import { randomUUID } from 'node:crypto';
import { DIRECTORY_TYPES } from '../access/access-context';
import { FhirError } from '../fhir-error';
import type { FhirResponse } from '../rest/fhir-response';
import type { FhirRestService, RequestContext } from '../rest/fhir-rest.service';
import type { FhirResource } from '../store/resource.repository';
import {
  IPS_DOCUMENT_TYPE,
  IPS_SECTIONS,
  type IpsSection,
  LIST_EMPTY_REASON,
  LOINC,
  pickLatest,
} from './ips-sections';
import { entryText, personName } from './resource-text';
import { type Label, SUMMARY_LABELS } from './summary-labels';

/**
 * `Patient/{id}/$summary`: the patient's International Patient Summary as a FHIR document.
 *
 * Operation: HL7 IPS IG 2.0.0 (STU 2), OperationDefinition `summary`
 * (http://hl7.org/fhir/uv/ips/OperationDefinition/summary; "[base]/Patient/[id]/$summary", like
 * `$everything` but returning a `document` Bundle with a Composition first). The Bundle follows the
 * IG's Bundle-uv-ips and Composition-uv-ips: Composition first, type LOINC 60591-5, subject the
 * Patient, an author (here a Device: the platform generates the summary, no clinician curated it —
 * Composition.author, "automatically generated" IPS), the custodian facility when the record names
 * one, the sections of `ips-sections.ts`, each with a narrative and either entries or an
 * `emptyReason` (invariant ips-comp-1 for the three required sections; FHIR cmp-2). Neither meta
 * profile is claimed: the resources are the record's own, not validated against the IPS profiles.
 *
 * Access: the record is read through `$everything` itself (FhirRestService.everything) with the
 * caller's RequestContext, so the patient's reach, the 404 for an unreachable or missing id, the
 * narrowed-token type filter and the audit trail (one `everything` AuditEvent per page) are those
 * of `$everything`. A token that may not read Patient is refused (403): the document names its
 * Patient (Bundle-uv-ips: Patient entry 1..1).
 *
 * Empty sections: `unavailable` when the record holds nothing of the section, `withheld` when the
 * token's scopes leave the section's types out. Never `nilknown`: that code is "a positive statement
 * by a clinical user, and not a default position asserted by a computer system" (list-empty-reason,
 * HL7 Terminology).
 */
export async function patientSummary(
  fhir: FhirRestService,
  id: string,
  ctx: RequestContext,
): Promise<FhirResponse> {
  const gate = ctx.gate;
  const may = (type: string): boolean => !gate || gate(type, 'r');
  if (!may('Patient'))
    throw new FhirError(
      403,
      'forbidden',
      'Token scopes do not allow reading Patient: an International Patient Summary names its Patient',
    );
  const record = await readRecord(fhir, id, ctx);
  const patient = record.find((r) => r.resourceType === 'Patient' && r.id === id);
  if (!patient) throw new FhirError(404, 'not-found', `Patient/${id} not found`);

  const included = new Map<string, FhirResource>();
  const add = (r: FhirResource): void => void included.set(`${r.resourceType}/${r.id ?? ''}`, r);
  add(patient);
  const sections = IPS_SECTIONS.map((s) => {
    let taken = record.filter(s.takes);
    if (s.key === 'vitalSigns') taken = pickLatest(taken);
    taken.forEach(add);
    return section(s, taken, s.types.some(may));
  });

  // The custodian: the facility managing the patient, when the caller may read it.
  const orgRef = (patient.managingOrganization as { reference?: string } | undefined)?.reference;
  const org = orgRef?.startsWith('Organization/') ? await readOptional(fhir, orgRef, ctx, may) : undefined;
  if (org) add(org);
  // A document carries what its resources name (FHIR R4 "Documents": the Bundle holds the resources
  // the Composition references, and theirs): from this patient's record already read (the visit…),
  // or directory data read with the caller's access (the doctor, the facility, a Medication). Never
  // another patient's data, even one the caller may see (a linked child, a guardian's record): that
  // stays a plain reference, as does what the caller may not read. At most CLOSURE_MAX added.
  const byRef = new Map(record.map((r) => [`${r.resourceType}/${r.id ?? ''}`, r]));
  const tried = new Set<string>();
  for (let added = 0, queue = [...included.values()]; queue.length > 0 && added < CLOSURE_MAX;) {
    const next: FhirResource[] = [];
    for (const ref of queue.flatMap((r) => literalRefs(r))) {
      if (included.has(ref) || tried.has(ref) || added >= CLOSURE_MAX) continue;
      tried.add(ref);
      const type = ref.slice(0, ref.indexOf('/'));
      const found =
        byRef.get(ref) ?? (DIRECTORY_TYPES.has(type) ? await readOptional(fhir, ref, ctx, may) : undefined);
      if (!found) continue;
      add(found);
      next.push(found);
      added++;
    }
    queue = next;
  }

  const deviceId = randomUUID();
  const device: FhirResource = {
    resourceType: 'Device',
    id: deviceId,
    deviceName: [{ name: 'Mekong Health', type: 'user-friendly-name' }],
  };
  const compositionId = randomUUID();
  const now = new Date().toISOString();
  const name = personName(patient.name);
  const composition: FhirResource = {
    resourceType: 'Composition',
    id: compositionId,
    language: 'vi',
    text: {
      status: 'generated',
      div: xhtml(
        `<p lang="vi" xml:lang="vi">${esc(SUMMARY_LABELS.record.vi)}: ${esc(name)}</p>` +
          `<p lang="en" xml:lang="en">International Patient Summary — ${esc(SUMMARY_LABELS.record.en)}: ${esc(name)}</p>`,
      ),
    },
    status: 'final',
    type: { coding: [{ system: LOINC, code: IPS_DOCUMENT_TYPE }] },
    subject: { reference: `Patient/${id}` },
    date: now,
    author: [{ reference: `urn:uuid:${deviceId}` }],
    title: 'International Patient Summary',
    ...(org ? { custodian: { reference: `Organization/${org.id ?? ''}` } } : {}),
    section: sections,
  };
  const bundleId = randomUUID();
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      id: bundleId,
      language: 'vi',
      identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${bundleId}` },
      type: 'document',
      timestamp: now,
      entry: [
        { fullUrl: `urn:uuid:${compositionId}`, resource: composition },
        { fullUrl: `urn:uuid:${deviceId}`, resource: device },
        // Stored resources keep their server URL: `Patient/x` in a reference resolves against it.
        ...[...included.values()].map((r) => ({
          fullUrl: `${fhir.base}/${r.resourceType}/${r.id ?? ''}`,
          resource: r,
        })),
      ],
    },
  };
}

const CLOSURE_MAX = 200;
const LITERAL_REF = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/** The relative literal references (`Type/id`) anywhere inside a resource. */
function literalRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) literalRefs(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && LITERAL_REF.test(v)) out.push(v);
      else if (k !== 'contained') literalRefs(v, out);
    }
  return out;
}

/** Every resource `$everything` gives this caller, all pages (FHIR_COUNT_MAX a page). */
async function readRecord(fhir: FhirRestService, id: string, ctx: RequestContext): Promise<FhirResource[]> {
  const out: FhirResource[] = [];
  let cursor: string | undefined;
  do {
    const query: [string, string][] = [['_count', String(fhir.limits.countMax)]];
    if (cursor) query.push(['_cursor', cursor]);
    const page = (await fhir.everything(id, { ...ctx, query })).body as {
      entry?: { resource: FhirResource; search?: { mode?: string } }[];
      link?: { relation: string; url: string }[];
    };
    for (const e of page.entry ?? []) if (e.search?.mode !== 'outcome') out.push(e.resource);
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    cursor = next ? (new URL(next).searchParams.get('_cursor') ?? undefined) : undefined;
  } while (cursor);
  return out;
}

/** A resource the caller may read, or undefined when its type is outside the token or it is gone. */
async function readOptional(
  fhir: FhirRestService,
  ref: string,
  ctx: RequestContext,
  may: (type: string) => boolean,
): Promise<FhirResource | undefined> {
  const [type, rid] = ref.split('/') as [string, string | undefined];
  if (!rid || !may(type)) return undefined;
  try {
    const r = await fhir.read(type, rid, ctx);
    return JSON.parse(r.text ?? JSON.stringify(r.body)) as FhirResource;
  } catch (e) {
    if (e instanceof FhirError && (e.getStatus() === 404 || e.getStatus() === 410)) return undefined;
    throw e;
  }
}

function section(
  s: IpsSection,
  entries: readonly FhirResource[],
  readable: boolean,
): Record<string, unknown> {
  const base = {
    title: `${s.label.vi} — ${s.label.en}`,
    code: { coding: [{ system: LOINC, code: s.code }] },
  };
  if (entries.length === 0) {
    const why: Label = readable ? SUMMARY_LABELS.empty : SUMMARY_LABELS.withheld;
    return {
      ...base,
      text: { status: 'generated', div: xhtml(bilingual(s.label, why)) },
      emptyReason: { coding: [{ system: LIST_EMPTY_REASON, code: readable ? 'unavailable' : 'withheld' }] },
    };
  }
  const items = entries.map((r) => `<li>${esc(entryText(r))}</li>`).join('');
  return {
    ...base,
    text: { status: 'generated', div: xhtml(`${bilingual(s.label)}<ul>${items}</ul>`) },
    entry: entries.map((r) => ({ reference: `${r.resourceType}/${r.id ?? ''}` })),
  };
}

const bilingual = (title: Label, line?: Label): string =>
  `<p lang="vi" xml:lang="vi"><b>${esc(title.vi)}</b>${line ? ` ${esc(line.vi)}` : ''}</p>` +
  `<p lang="en" xml:lang="en"><b>${esc(title.en)}</b>${line ? ` ${esc(line.en)}` : ''}</p>`;

const xhtml = (inner: string): string => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`;

/** XML escaping for narrative text (the record's words go in as text, never as markup). */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
