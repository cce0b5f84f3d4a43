import { Injectable } from '@nestjs/common';
import {
  type CodeSystemFolder,
  type CodeSystemMeta,
  type ConceptMapMeta,
  type ConceptRow,
  type MapRow,
  type PropertyValue,
  defaultDataDir,
  readDataDir,
} from './data-files';
import { filterWords, fold } from './fold';

/** A concept as the service answers it. */
export interface Concept extends ConceptRow {
  readonly system: string;
  readonly version: string;
  /** Chapters, blocks, provinces' groupings: a heading, not a code to record. */
  readonly abstract: boolean;
}

interface IndexedConcept extends Concept {
  readonly foldedCode: string;
  readonly foldedText: string;
  /** Folded words of the displays, for "starts a word" ranking. */
  readonly words: readonly string[];
  readonly joinedWords: string;
  readonly foldedVi: string;
  readonly foldedEn: string;
}

interface SystemIndex {
  readonly meta: CodeSystemMeta;
  readonly hash: string;
  readonly concepts: ReadonlyMap<string, IndexedConcept>;
  readonly ordered: readonly IndexedConcept[];
  /** `ordered` without headings (what an expansion holds by default). */
  readonly selectable: readonly IndexedConcept[];
  readonly children: ReadonlyMap<string, readonly string[]>;
}

interface MapIndex {
  readonly meta: ConceptMapMeta;
  readonly bySource: ReadonlyMap<string, readonly MapRow[]>;
}

/** A request the service cannot answer: unknown system, value set or map (the owner makes it a 404). */
export class TerminologyNotFound extends Error {}

export interface ExpandRequest {
  readonly url: string;
  readonly filter?: string;
  readonly offset?: number;
  readonly count?: number;
  /** Include chapters/blocks and other headings (default: only codes that can be recorded). */
  readonly includeAbstract?: boolean;
}

export interface ExpandResult {
  readonly valueSet: string;
  readonly system: SystemIndex['meta'];
  readonly total: number;
  readonly offset: number;
  readonly contains: readonly Concept[];
}

export interface ValidateRequest {
  /** A code system URL, or a value set URL (`valueSet`) whose codes are those of one system. */
  readonly system?: string;
  readonly valueSet?: string;
  readonly code: string;
  readonly display?: string;
  readonly version?: string;
  /** `primary-diagnosis`: the code must be allowed as the main diagnosis. */
  readonly usage?: 'primary-diagnosis';
  /** The patient's administrative gender: a code for the other sex only is refused. */
  readonly sex?: 'male' | 'female';
}

export interface ValidateResult {
  readonly result: boolean;
  readonly message?: string;
  readonly display?: string;
  readonly concept?: Concept;
}

export interface TranslateMatch {
  readonly relationship: string;
  readonly code: string;
  readonly display: string;
  readonly system: string;
  readonly note: string;
}

const MAX_COUNT = 1000;

/**
 * The national code lists (docs/terminology.md; decision 028): ICD-10 in Vietnamese and English,
 * the administrative units and their 2025 old→new map, the claim and prescription lists. Loaded
 * once per process from the versioned data folders (libs/terminology/data), held in memory and
 * never changed while running: a build answers with exactly the list versions it ships.
 */
@Injectable()
export class TerminologyService {
  private systems?: Map<string, SystemIndex>;
  private valueSets?: Map<string, string>;
  private maps?: Map<string, MapIndex>;

  constructor(private readonly dataDir: string = defaultDataDir()) {}

  /** Loads the data (at first use; the module calls it at start-up so a broken file stops the start). */
  load(): void {
    if (this.systems) return;
    const systems = new Map<string, SystemIndex>();
    const valueSets = new Map<string, string>();
    const maps = new Map<string, MapIndex>();
    for (const folder of readDataDir(this.dataDir)) {
      const index = indexFolder(folder);
      if (systems.has(folder.meta.url))
        throw new Error(`Two folders define the code system ${folder.meta.url}`);
      systems.set(folder.meta.url, index);
      valueSets.set(`${folder.meta.url}?fhir_vs`, folder.meta.url);
      if (folder.meta.valueSet) valueSets.set(folder.meta.valueSet, folder.meta.url);
      if (folder.map) {
        const bySource = new Map<string, MapRow[]>();
        for (const row of folder.map.rows) {
          const list = bySource.get(row.sourceCode) ?? [];
          list.push(row);
          bySource.set(row.sourceCode, list);
        }
        maps.set(folder.map.meta.url, { meta: folder.map.meta, bySource });
      }
    }
    this.systems = systems;
    this.valueSets = valueSets;
    this.maps = maps;
  }

  /** The loaded code systems' metadata (url, version, citation, licence, size, content hash). */
  codeSystems(): { meta: CodeSystemMeta; count: number; hash: string }[] {
    return [...this.all().values()].map((s) => ({ meta: s.meta, count: s.ordered.length, hash: s.hash }));
  }

  conceptMaps(): ConceptMapMeta[] {
    this.load();
    return [...this.maps!.values()].map((m) => m.meta);
  }

  /** The code system a value set URL expands from (all-codes value sets and `?fhir_vs`). */
  systemOfValueSet(url: string): string | undefined {
    this.load();
    return this.valueSets!.get(url);
  }

  meta(system: string): CodeSystemMeta {
    return this.index(system).meta;
  }

  /** One concept, or undefined. */
  find(system: string, code: string): Concept | undefined {
    return this.index(system).concepts.get(code);
  }

  children(system: string, code: string): readonly string[] {
    return this.index(system).children.get(code) ?? [];
  }

  expand(req: ExpandRequest): ExpandResult {
    const systemUrl = this.systemOfValueSet(req.url);
    if (!systemUrl) throw new TerminologyNotFound(`Unknown value set ${req.url}`);
    const index = this.index(systemUrl);
    const offset = Math.max(0, req.offset ?? 0);
    const count = Math.min(MAX_COUNT, Math.max(0, req.count ?? MAX_COUNT));
    const pool = req.includeAbstract ? index.ordered : index.selectable;
    const words = req.filter ? filterWords(req.filter) : [];
    let hits: readonly IndexedConcept[] = pool;
    if (words.length > 0) {
      const scored: { c: IndexedConcept; score: number; at: number }[] = [];
      const phrase = words.join(' ');
      // Only the concepts holding every 3-letter piece of the words can hold the words: scan those
      // (the same hits, checked below as before) instead of the whole list.
      const candidates = trigramCandidates(pool, words);
      const n = candidates ? candidates.length : pool.length;
      for (let i = 0; i < n; i++) {
        const at = candidates ? candidates[i]! : i;
        const c = pool[at]!;
        let all = true;
        for (const w of words)
          if (!c.foldedText.includes(w)) {
            all = false;
            break;
          }
        if (!all) continue;
        // Codes typed (I10, j18) first, then names starting with the phrase, names holding the
        // phrase as typed, every word starting a word of the name, then anything containing the
        // words; the list's own order within.
        const { foldedVi: vi, foldedEn: en } = c;
        const score =
          c.foldedCode === phrase
            ? 0
            : c.foldedCode.startsWith(phrase)
              ? 1
              : c.joinedWords.startsWith(phrase) || vi.startsWith(phrase) || en.startsWith(phrase)
                ? 2
                : vi.includes(phrase) || en.includes(phrase)
                  ? 3
                  : words.every((w) => c.words.some((x) => x.startsWith(w)))
                    ? 4
                    : 5;
        scored.push({ c, score, at });
      }
      scored.sort((a, b) => a.score - b.score || a.at - b.at);
      hits = scored.map((s) => s.c);
    }
    return {
      valueSet: req.url,
      system: index.meta,
      total: hits.length,
      offset,
      contains: hits.slice(offset, offset + count),
    };
  }

  validateCode(req: ValidateRequest): ValidateResult {
    let systemUrl = req.system;
    if (req.valueSet !== undefined) {
      const fromVs = this.systemOfValueSet(req.valueSet);
      if (!fromVs) throw new TerminologyNotFound(`Unknown value set ${req.valueSet}`);
      if (systemUrl !== undefined && systemUrl !== fromVs)
        return {
          result: false,
          message: `${systemUrl} is not the code system of the value set ${req.valueSet} (${fromVs})`,
        };
      systemUrl = fromVs;
    }
    if (!systemUrl) throw new TerminologyNotFound('A code system (system or url) or a value set is required');
    const index = this.index(systemUrl);
    if (req.version !== undefined && req.version !== index.meta.version)
      return {
        result: false,
        message: `Version ${req.version} of ${systemUrl} is not loaded; this server has ${index.meta.version}`,
      };
    const c = index.concepts.get(req.code);
    if (!c) {
      // ICD-10 written without its dot (J189), a common way codes are typed: point at the right one.
      const hint = index.concepts.get(req.code.replace(/^([A-Z]\d\d)(\w)$/, '$1.$2'));
      return {
        result: false,
        message: `${req.code} is not a code of ${index.meta.title} (${index.meta.version})${hint ? `; did you mean ${hint.code}?` : ''}`,
      };
    }
    const display = c.vi || c.en;
    if (c.abstract && req.valueSet !== undefined)
      return {
        result: false,
        display,
        concept: c,
        message: `${c.code} (${display}) is a heading of the list, not a code that can be recorded`,
      };
    if (req.display !== undefined && req.display.trim() !== '') {
      const given = fold(req.display.trim());
      if (given !== fold(c.vi) && given !== fold(c.en))
        return {
          result: false,
          display,
          concept: c,
          message: `The display "${req.display}" is not the list's name of ${c.code}: "${c.vi}"${c.en ? ` / "${c.en}"` : ''}`,
        };
    }
    if (req.usage === 'primary-diagnosis' && c.properties.primary === false)
      return {
        result: false,
        display,
        concept: c,
        message: `${c.code} (${display}) may not be the main diagnosis (${String(c.properties.primary_rule ?? 'rule')}: ${ruleText(String(c.properties.primary_rule ?? ''))})`,
      };
    // The Ministry's list marks codes "only or mainly" seen in one sex (TT 06/2026 columns 28–29):
    // a mismatch is a warning for the clinician to look at, not a refusal (FHIR: result true + message).
    const warnings: string[] = [];
    const sex = c.properties.sex;
    if (req.sex !== undefined && (sex === 'M' || sex === 'F') && (sex === 'M') !== (req.sex === 'male'))
      warnings.push(
        `${c.code} (${display}) is listed for ${sex === 'M' ? 'males' : 'females'} only or mainly; the patient is ${req.sex}`,
      );
    if (req.usage === 'primary-diagnosis' && c.properties.primary_rule === 'discouraged')
      warnings.push(
        `${c.code} (${display}) is not encouraged as the main diagnosis (${ruleText('discouraged')})`,
      );
    if (warnings.length > 0) return { result: true, display, concept: c, message: warnings.join('; ') };
    return { result: true, display, concept: c };
  }

  translate(
    url: string | undefined,
    system: string | undefined,
    code: string,
  ): { meta: ConceptMapMeta; matches: TranslateMatch[] } {
    this.load();
    const map = url
      ? this.maps!.get(url)
      : [...this.maps!.values()].find((m) => system === undefined || m.meta.sourceSystem === system);
    if (!map) throw new TerminologyNotFound(`Unknown concept map ${url ?? `from ${system ?? '?'}`}`);
    if (system !== undefined && system !== map.meta.sourceSystem)
      throw new TerminologyNotFound(
        `The map ${map.meta.url} maps from ${map.meta.sourceSystem}, not ${system}`,
      );
    const rows = map.bySource.get(code) ?? [];
    return {
      meta: map.meta,
      matches: rows.map((r) => ({
        relationship: r.relationship,
        code: r.targetCode,
        display: r.targetDisplay,
        system: map.meta.targetSystem,
        note: r.note,
      })),
    };
  }

  private all(): Map<string, SystemIndex> {
    this.load();
    return this.systems!;
  }

  private index(system: string): SystemIndex {
    const index = this.all().get(system);
    if (!index) throw new TerminologyNotFound(`Unknown code system ${system}`);
    return index;
  }
}

/** Short texts of the primary-diagnosis rules named in the data (their citations are in the data's docs). */
function ruleText(rule: string): string {
  switch (rule) {
    case 'asterisk':
      return 'an asterisk (*) code names a manifestation and is used only with its dagger (†) code';
    case 'external-cause':
      return 'an external cause (chapter XX) is recorded beside the injury, not as the main condition';
    case 'use-more-specific':
      return 'the list has more specific codes under this one: use one of them';
    case 'not-main':
      return 'the list says this code is never the main diagnosis';
    case 'mortality-only':
      return 'the list keeps this code for coding causes of death';
    case 'discouraged':
      return 'the list advises a more informative main diagnosis';
    default:
      return 'see the list’s notes';
  }
}

/** Per list of concepts: 3-letter piece of the folded text → positions holding it (ascending). */
const trigramIndexes = new WeakMap<readonly IndexedConcept[], Map<string, Uint32Array>>();

function trigramIndex(pool: readonly IndexedConcept[]): Map<string, Uint32Array> {
  const known = trigramIndexes.get(pool);
  if (known) return known;
  const lists = new Map<string, number[]>();
  for (let at = 0; at < pool.length; at++) {
    const text = pool[at]!.foldedText;
    const seen = new Set<string>();
    for (let i = 0; i + 3 <= text.length; i++) seen.add(text.slice(i, i + 3));
    for (const g of seen) {
      const list = lists.get(g);
      if (list) list.push(at);
      else lists.set(g, [at]);
    }
  }
  const index = new Map<string, Uint32Array>();
  for (const [g, list] of lists) index.set(g, Uint32Array.from(list));
  trigramIndexes.set(pool, index);
  return index;
}

/**
 * Positions (ascending) of the concepts whose text holds every 3-letter piece of every word of 3
 * letters or more — a superset of the concepts holding the words; undefined when no word is that
 * long (then every concept is a candidate).
 */
function trigramCandidates(
  pool: readonly IndexedConcept[],
  words: readonly string[],
): Uint32Array | undefined {
  const grams = new Set<string>();
  for (const w of words) for (let i = 0; i + 3 <= w.length; i++) grams.add(w.slice(i, i + 3));
  if (grams.size === 0) return undefined;
  const index = trigramIndex(pool);
  const lists: Uint32Array[] = [];
  for (const g of grams) {
    const list = index.get(g);
    if (!list) return new Uint32Array(0);
    lists.push(list);
  }
  lists.sort((a, b) => a.length - b.length);
  let out = lists[0]!;
  for (const list of lists.slice(1)) {
    const kept: number[] = [];
    let j = 0;
    for (const at of out) {
      while (j < list.length && list[j]! < at) j++;
      if (j < list.length && list[j] === at) kept.push(at);
    }
    out = Uint32Array.from(kept);
    if (out.length === 0) break;
  }
  return out;
}

/** A sequential copy of a string (V8 keeps concatenations as ropes, slow to search repeatedly). */
const flat = (x: string): string => Buffer.from(x, 'utf8').toString('utf8');

function indexFolder(folder: CodeSystemFolder): SystemIndex {
  const children = new Map<string, string[]>();
  const ordered: IndexedConcept[] = folder.concepts.map((row) => {
    if (row.parent !== undefined) {
      const list = children.get(row.parent) ?? [];
      list.push(row.code);
      children.set(row.parent, list);
    }
    const displays = `${row.vi} ${row.en}`;
    const words = fold(displays)
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    return {
      ...row,
      system: folder.meta.url,
      version: folder.meta.version,
      abstract: row.properties.abstract === true,
      foldedCode: fold(row.code),
      // Flat strings (not concatenation ropes): every filter scans each one.
      foldedText: flat(`${fold(row.code)} ${fold(displays)}`),
      words,
      joinedWords: words.join(' '),
      foldedVi: flat(fold(row.vi)),
      foldedEn: flat(fold(row.en)),
    };
  });
  return {
    meta: folder.meta,
    hash: folder.hash,
    concepts: new Map(ordered.map((c) => [c.code, c])),
    ordered,
    selectable: ordered.filter((c) => !c.abstract),
    children,
  };
}

export type { PropertyValue };
