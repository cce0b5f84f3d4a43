import { RECORDED_BY_SYSTEM } from '@mekong/health-record';
import { extractIndex, type IndexEntry, searchParametersFor } from '@mekong/fhir';
import { compile } from 'fhirpath';
import * as r4model from 'fhirpath/fhir-context/r4';
import { PlatformModule } from '../apps/platform/src/platform.module';
import { Fhir } from './support/fhir-client';
import { startApp, systemToken, type TestApp } from './support/test-app';
import {
  type FhirJson,
  isValidCccd,
  type TransactionBundle,
  vnCorpus,
  CCCD_SYSTEM,
} from './support/vn-corpus';

const PATIENTS = 15;

type Json = Record<string, unknown>;

/** The resource as sent, with the transaction's urn:uuid references replaced by the new `Type/id`. */
function rewrite(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, ids));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'reference' && typeof v === 'string' && ids.has(v) ? ids.get(v) : rewrite(v, ids);
  }
  return out;
}

/** A resource without its server-assigned `id`, `meta.versionId`, `meta.lastUpdated` and recorded-by tag. */
function content(resource: Json): Json {
  const out: Json = { ...resource };
  delete out.id;
  const meta: Json = { ...((resource.meta ?? {}) as Json) };
  delete meta.versionId;
  delete meta.lastUpdated;
  const tags = ((meta.tag ?? []) as { system?: string }[]).filter((t) => t.system !== RECORDED_BY_SYSTEM);
  if (tags.length > 0) meta.tag = tags;
  else delete meta.tag;
  delete out.meta;
  return Object.keys(meta).length > 0 ? { ...out, meta } : out;
}

/** JSON with object keys sorted: property order is not significant in FHIR JSON (jsonb reorders it). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Escapes `\`, `,`, `|` and `$` in a token or string search value. */
function escapeValue(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

function q(value: string): string {
  return encodeURIComponent(value);
}

/** The search expression that must match `row` (undefined: the row cannot be searched that way). */
function queryFor(row: IndexEntry): string | undefined {
  switch (row.kind) {
    case 'string': {
      const prefix = [...row.value.trim()].slice(0, 3).join('');
      return prefix.length > 0 ? `${row.param}=${q(escapeValue(prefix))}` : undefined;
    }
    case 'token':
      if (row.code === null) return undefined; // `:text`-only rows
      return row.system !== null
        ? `${row.param}=${q(`${escapeValue(row.system)}|${escapeValue(row.code)}`)}`
        : `${row.param}=${q(escapeValue(row.code))}`;
    case 'reference':
      if (row.targetType === null || row.targetId === null) return undefined;
      if (/^(urn:|[a-z][a-z0-9+.-]*:\/\/)/i.test(row.reference)) return undefined;
      return `${row.param}=${q(`${row.targetType}/${row.targetId}`)}`;
    case 'date':
      if (row.low !== null) return `${row.param}=${q(`ge${row.low}`)}&${row.param}=${q(`le${row.low}`)}`;
      if (row.high !== null) return `${row.param}=${q(`lt${row.high}`)}`;
      return undefined;
    case 'number':
      return `${row.param}=${q(String(row.value))}`;
    case 'quantity':
      return row.system !== null && row.code !== null
        ? `${row.param}=${q(`${row.value}|${escapeValue(row.system)}|${escapeValue(row.code)}`)}`
        : `${row.param}=${q(String(row.value))}`;
    case 'uri':
      return `${row.param}=${q(row.value)}`;
  }
}

interface Created {
  readonly type: string;
  readonly id: string;
  /** What was sent, references rewritten. */
  readonly expected: Json;
}

describe('FHIR server against a synthetic Vietnamese corpus', () => {
  let t: TestApp;
  let fhir: Fhir;
  const created: Created[] = [];
  const corpus = vnCorpus(PATIENTS);

  beforeAll(async () => {
    t = await startApp(PlatformModule.register);
    fhir = new Fhir(t.url, await systemToken(t.url));
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.drop();
  });

  it('generates valid CCCD numbers, unique, consistent with birth date and gender', () => {
    const invalid = corpus.filter((p) => !isValidCccd(p.cccd, p.gender, p.birthDate));
    expect(invalid).toEqual([]);
    expect(new Set(corpus.map((p) => p.cccd)).size).toBe(PATIENTS);
    expect(new Set(corpus.map((p) => p.bhyt)).size).toBe(PATIENTS);
    expect(corpus.every((p) => /^\d{10}$/.test(p.bhyt))).toBe(true);
    // Children and adults, and Vietnamese diacritics in the names.
    const years = corpus.map((p) => Number(p.birthDate.slice(0, 4)));
    expect(years.some((y) => y >= 2011)).toBe(true);
    expect(years.some((y) => y < 2000)).toBe(true);
    expect(
      corpus.some((p) => /[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/i.test(`${p.family}${p.given.join('')}`)),
    ).toBe(true);
  });

  it('loads the corpus through transaction bundles', async () => {
    const failures: string[] = [];
    for (const p of corpus) {
      const bundle: TransactionBundle = p.bundle;
      const res = await fhir.post('', bundle);
      if (res.status !== 200 || res.body.type !== 'transaction-response') {
        failures.push(`transaction → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
        continue;
      }
      const entries = res.body.entry as { response: { status: string; location?: string } }[];
      const ids = new Map<string, string>();
      bundle.entry.forEach((e, i) => {
        const location = entries[i]?.response.location ?? '';
        const m = /(?:^|\/)([A-Za-z]+)\/([^/]+)\/_history\/\d+$/.exec(location);
        if (!m || m[1] !== e.resource.resourceType || !entries[i]!.response.status.startsWith('201')) {
          failures.push(`entry ${i} (${e.resource.resourceType}): ${JSON.stringify(entries[i])}`);
          return;
        }
        ids.set(e.fullUrl, `${m[1]}/${m[2]}`);
      });
      for (const e of bundle.entry) {
        const ref = ids.get(e.fullUrl);
        if (ref === undefined) continue;
        const [type, id] = ref.split('/') as [string, string];
        created.push({ type, id, expected: rewrite(e.resource, ids) as Json });
      }
    }
    expect(failures).toEqual([]);
    expect(created.length).toBeGreaterThan(PATIENTS * 8);
    expect(new Set(created.map((c) => c.type))).toEqual(
      new Set([
        'Patient',
        'Encounter',
        'Observation',
        'Condition',
        'Immunization',
        'MedicationRequest',
        'DocumentReference',
      ]),
    );
  });

  it('reads every resource back exactly as sent (references rewritten to Type/id)', async () => {
    const failures: string[] = [];
    for (const c of created) {
      const res = await fhir.get(`${c.type}/${c.id}`);
      if (res.status !== 200) {
        failures.push(`GET ${c.type}/${c.id} → ${res.status}`);
        continue;
      }
      if (res.body.id !== c.id) failures.push(`GET ${c.type}/${c.id}: id ${String(res.body.id)}`);
      const meta = res.body.meta as { versionId?: string; lastUpdated?: string } | undefined;
      if (meta?.versionId !== '1' || typeof meta.lastUpdated !== 'string') {
        failures.push(`GET ${c.type}/${c.id}: meta ${JSON.stringify(meta)}`);
      }
      const got = canonical(content(res.body));
      const want = canonical(content(c.expected));
      if (got !== want) failures.push(`GET ${c.type}/${c.id}:\n  sent ${want}\n  got  ${got}`);
    }
    expect(failures).toEqual([]);
  });

  it('finds every resource by each of its own search parameters', async () => {
    const failures: string[] = [];
    const skipped = new Map<string, number>();
    let checks = 0;
    const perType = new Map<string, Set<string>>();
    for (const c of created) {
      const stored = (await fhir.get(`${c.type}/${c.id}`)).body as FhirJson;
      const params = searchParametersFor(c.type);
      const seen = new Set<string>();
      for (const row of extractIndex(stored)) {
        const def = params.get(row.param);
        if (def === undefined || def.type === 'composite' || def.type === 'special') continue;
        const query = queryFor(row);
        if (query === undefined) {
          skipped.set(`${c.type}.${row.param}`, (skipped.get(`${c.type}.${row.param}`) ?? 0) + 1);
          continue;
        }
        if (seen.has(query)) continue;
        seen.add(query);
        const url = `${c.type}?${query}&_id=${q(c.id)}`;
        checks++;
        const res = await fhir.get(url);
        if (res.status !== 200) {
          failures.push(`${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        } else if (!Fhir.ids(res.body).includes(c.id)) {
          failures.push(`${url} → not found (${row.kind} row ${JSON.stringify(row)})`);
        } else {
          perType.set(c.type, (perType.get(c.type) ?? new Set()).add(row.param));
        }
      }
    }
    // Print the coverage once, to see which parameters were exercised.
    process.stdout.write(
      `corpus search checks: ${checks}, failures: ${failures.length}\n${[...perType]
        .map(([type, ps]) => `  ${type}: ${[...ps].sort().join(' ')}`)
        .join('\n')}\n  skipped rows: ${JSON.stringify(Object.fromEntries(skipped))}\n`,
    );
    expect(failures).toEqual([]);
    expect(checks).toBeGreaterThan(500);
  }, 600_000); // ~3,500 HTTP searches: 40 s on a quiet 2-core machine, minutes when it is loaded

  it('can evaluate every search parameter expression on every resource (nothing silently unindexed)', async () => {
    // extractIndex skips a parameter whose FHIRPath throws on a resource, so the search above
    // cannot see what is missing: evaluate each expression here, as the extractor does.
    const failures = new Map<string, string>();
    for (const c of created) {
      const stored = (await fhir.get(`${c.type}/${c.id}`)).body;
      for (const def of searchParametersFor(c.type).values()) {
        const key = `${c.type}.${def.code} (${def.expression})`;
        if (def.type === 'composite' || def.type === 'special' || failures.has(key)) continue;
        try {
          compile(def.expression, r4model, { resolveInternalTypes: false })(stored);
        } catch (error) {
          failures.set(key, `throws on ${c.type}/${c.id}: ${(error as Error).message.slice(0, 80)}`);
        }
      }
    }
    expect([...failures].map(([key, why]) => `${key} ${why}`)).toEqual([]);
  });

  it('finds blood pressure panels by their component values', async () => {
    const failures: string[] = [];
    for (const c of created) {
      const components = c.expected.component as
        { valueQuantity: { value: number; code: string } }[] | undefined;
      if (c.type !== 'Observation' || components === undefined) continue;
      for (const comp of components) {
        const value = `${comp.valueQuantity.value}|http://unitsofmeasure.org|${comp.valueQuantity.code}`;
        for (const url of [
          `Observation?component-value-quantity=${q(value)}&_id=${c.id}`,
          `Observation?combo-value-quantity=${q(value)}&_id=${c.id}`,
        ]) {
          const res = await fhir.get(url);
          if (res.status !== 200)
            failures.push(`${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          else if (!Fhir.ids(res.body).includes(c.id)) failures.push(`${url} → not found`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('does not find resources by values they do not have', async () => {
    const patient = created.find((c) => c.type === 'Patient')!;
    const obs = created.find((c) => c.type === 'Observation')!;
    const cond = created.find((c) => c.type === 'Condition')!;
    const negatives = [
      `Patient?name=zzzz&_id=${patient.id}`,
      `Patient?identifier=${q(`${CCCD_SYSTEM}|000000000000`)}&_id=${patient.id}`,
      `Patient?birthdate=lt1800-01-01&_id=${patient.id}`,
      `Patient?gender=other&_id=${patient.id}`,
      `Observation?code=${q('http://loinc.org|0000-0')}&_id=${obs.id}`,
      `Observation?subject=Patient/does-not-exist&_id=${obs.id}`,
      `Observation?date=gt2100-01-01&_id=${obs.id}`,
      `Condition?code=${q('http://hl7.org/fhir/sid/icd-10|Z99.9')}&_id=${cond.id}`,
    ];
    const failures: string[] = [];
    for (const url of negatives) {
      const res = await fhir.get(url);
      if (res.status !== 200) failures.push(`${url} → ${res.status}`);
      else if (Fhir.ids(res.body).length > 0) failures.push(`${url} → ${Fhir.ids(res.body).join(', ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('finds patients by CCCD and by accent-free name', async () => {
    const p = corpus[0]!;
    const byCccd = await fhir.get(`Patient?identifier=${q(`${CCCD_SYSTEM}|${p.cccd}`)}`);
    expect(Fhir.ids(byCccd.body)).toHaveLength(1);
    const plain = p.family
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd')
      .replace(/Đ/g, 'D');
    const byName = await fhir.get(`Patient?family=${q(plain.toLowerCase())}&_count=100`);
    expect(Fhir.ids(byName.body)).toContain(Fhir.ids(byCccd.body)[0]);
  });
});
