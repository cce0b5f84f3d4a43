import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NEWS2_BAND_TABLE, NEWS2_RULES_VERSION, NEWS2_SCALE_RULES, news2BandsMarkdown } from './news2-bands';
import { news2, type News2Input, type News2Parameter } from './news2';

/**
 * The source's own table, typed in from docs/research/issue-17-sources.md § 1.2 (RCP NEWS2 2017
 * Chart 1 as transcribed in the openEHR archetype openEHR-EHR-OBSERVATION.news2.v1 rev 1.0.5 and
 * cross-checked against Thorax Table 1; SECONDARY). Independent of news2-bands.ts: every edge of
 * every printed band is scored through news2() and must give the printed score.
 */
const SOURCE: readonly [string, string, number][] = [
  ['respirationRate', '≤8', 3],
  ['respirationRate', '9–11', 1],
  ['respirationRate', '12–20', 0],
  ['respirationRate', '21–24', 2],
  ['respirationRate', '≥25', 3],
  ['spo2Scale1', '≤91', 3],
  ['spo2Scale1', '92–93', 2],
  ['spo2Scale1', '94–95', 1],
  ['spo2Scale1', '≥96', 0],
  ['spo2Scale2', '≤83', 3],
  ['spo2Scale2', '84–85', 2],
  ['spo2Scale2', '86–87', 1],
  ['spo2Scale2', '88–92', 0],
  ['spo2Scale2', '≥93 on air', 0],
  ['spo2Scale2', '93–94 on oxygen', 1],
  ['spo2Scale2', '95–96 on oxygen', 2],
  ['spo2Scale2', '≥97 on oxygen', 3],
  ['systolicBp', '≤90', 3],
  ['systolicBp', '91–100', 2],
  ['systolicBp', '101–110', 1],
  ['systolicBp', '111–219', 0],
  ['systolicBp', '≥220', 3],
  ['pulse', '≤40', 3],
  ['pulse', '41–50', 1],
  ['pulse', '51–90', 0],
  ['pulse', '91–110', 1],
  ['pulse', '111–130', 2],
  ['pulse', '≥131', 3],
  ['temperature', '≤35.0', 3],
  ['temperature', '35.1–36.0', 1],
  ['temperature', '36.1–38.0', 0],
  ['temperature', '38.1–39.0', 1],
  ['temperature', '≥39.1', 2],
];

/** Every parameter in its 0 band: RR 16, SpO2 98 %, air, SBP 120, pulse 70, Alert, 37.0 °C. */
const NORMAL: News2Input = {
  respirationRate: 16,
  spo2: 98,
  spo2Scale: 1,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
  ageYears: 40,
  pregnant: false,
};

/** The lowest and highest plausible value of an open band (as news2.ts accepts them). */
const OPEN: Record<string, [number, number]> = {
  respirationRate: [0, 100],
  spo2Scale1: [0, 100],
  spo2Scale2: [0, 100],
  systolicBp: [0, 350],
  pulse: [0, 350],
  temperature: [20, 45],
};

/** The edge values of a printed band: both ends of "a–b"; the printed end and the far end of "≤a"/"≥a". */
function edges(parameter: string, label: string): { values: number[]; supply?: 'air' | 'oxygen' } {
  const supply = label.endsWith('on air') ? 'air' : label.endsWith('on oxygen') ? 'oxygen' : undefined;
  const text = label.replace(/ on (air|oxygen)$/, '');
  const [lo, hi] = OPEN[parameter]!;
  let m: RegExpMatchArray | null;
  if ((m = /^≤(\d+(?:\.\d)?)$/.exec(text))) return { values: [lo, Number(m[1])], supply };
  if ((m = /^≥(\d+(?:\.\d)?)$/.exec(text))) return { values: [Number(m[1]), hi], supply };
  if ((m = /^(\d+(?:\.\d)?)–(\d+(?:\.\d)?)$/.exec(text)))
    return { values: [Number(m[1]), Number(m[2])], supply };
  throw new Error(`unparsed band ${label}`);
}

const cases = SOURCE.flatMap(([parameter, label, score]) => {
  const { values, supply } = edges(parameter, label);
  // A Scale 2 band below 93 % prints no air/oxygen: it holds on both.
  const supplies: ('air' | 'oxygen')[] = supply ? [supply] : ['air', 'oxygen'];
  return values.flatMap((value) => supplies.map((s) => [parameter, label, value, s, score] as const));
});

describe(`NEWS2 Chart 1 from the source table (${NEWS2_RULES_VERSION.id}), every band edge`, () => {
  it.each(cases)('%s %s: %d on %s scores %d', (parameter, _label, value, supply, score) => {
    const scale: 1 | 2 = parameter === 'spo2Scale2' ? 2 : 1;
    const p: News2Parameter = parameter.startsWith('spo2') ? 'spo2' : (parameter as News2Parameter);
    const result = news2({ ...NORMAL, spo2Scale: scale, onOxygen: supply === 'oxygen', [p]: value });
    expect(result.components.find((c) => c.parameter === p)?.score).toBe(score);
  });

  it('SpO2 Scale 2 at 93 % or more with air/oxygen unknown is not scored (never a guessed 0)', () => {
    for (const spo2 of [93, 97]) {
      const r = news2({ ...NORMAL, spo2Scale: 2, spo2, onOxygen: undefined });
      expect(r.components.find((c) => c.parameter === 'spo2')).toBeUndefined();
      expect(r.missing).toContain('spo2');
    }
  });

  it("the issue's cases: 88 % on air scores 0 on Scale 2 (3 on Scale 1); 97 % on oxygen scores 3 on Scale 2 (0 on Scale 1)", () => {
    const spo2Of = (i: Partial<News2Input>): number | undefined =>
      news2({ ...NORMAL, ...i }).components.find((c) => c.parameter === 'spo2')?.score;
    expect(spo2Of({ spo2: 88, onOxygen: false, spo2Scale: 2 })).toBe(0);
    expect(spo2Of({ spo2: 88, onOxygen: false, spo2Scale: 1 })).toBe(3);
    expect(spo2Of({ spo2: 97, onOxygen: true, spo2Scale: 2 })).toBe(3);
    expect(spo2Of({ spo2: 97, onOxygen: true, spo2Scale: 1 })).toBe(0);
  });

  it('each scored component cites its row: evidence, archetype at-code and version', () => {
    const r = news2({ ...NORMAL, spo2Scale: 2, spo2: 97, onOxygen: true });
    expect(r.components.find((c) => c.parameter === 'spo2')).toMatchObject({
      rule: 'news2.spo2.scale2.ge97-on-o2',
      source: expect.stringMatching(
        /^SECONDARY: RCP NEWS2 2017 Chart 1 via .*news2\.v1 rev 1\.0\.5 at0051 "≥97 on oxygen"/,
      ),
    });
  });

  it('the data has one row per printed band (at0048 split in its two halves), every row cited', () => {
    const numeric = NEWS2_BAND_TABLE.filter((r) => r.category === undefined);
    expect(numeric).toHaveLength(SOURCE.length);
    for (const r of NEWS2_BAND_TABLE) {
      expect(r.evidence).toBe('SECONDARY');
      expect(r.citation).toMatch(/at00\d\d/);
    }
    // Air 0 / oxygen 2; Alert 0 / C, V, P or U 3 (archetype at0036/at0037, at0024/at0025).
    expect(NEWS2_BAND_TABLE.filter((r) => r.category).map((r) => [r.parameter, r.category, r.score])).toEqual(
      [
        ['airOrOxygen', ['air'], 0],
        ['airOrOxygen', ['oxygen'], 2],
        ['consciousness', ['A'], 0],
        ['consciousness', ['C', 'V', 'P', 'U'], 3],
      ],
    );
  });

  it('the scale rules say which words are primary, secondary and local policy', () => {
    expect(NEWS2_SCALE_RULES.map((r) => [r.rule, r.evidence])).toEqual([
      ['news2.spo2.scale2.target-88-92', 'PRIMARY'],
      ['news2.spo2.scale1.default', 'SECONDARY'],
      ['news2.spo2.scale2.clinical-decision', 'SECONDARY'],
      ['news2.spo2.scale2.recorded-goal', 'LOCAL POLICY'],
    ]);
  });
});

describe('docs/care.md renders the NEWS2 rows from the data', () => {
  it('the table between the news2-bands markers is the generator output (whitespace of cells aside)', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/care.md'), 'utf8');
    const m = /<!-- news2-bands:start -->\n([\s\S]*?)\n<!-- news2-bands:end -->/.exec(doc);
    expect(m).not.toBeNull();
    const norm = (md: string): string[] =>
      md
        .trim()
        .split('\n')
        .map((l) =>
          l.startsWith('|')
            ? l
                .split(/(?<!\\)\|/)
                .map((c) => c.trim().replace(/^-+$/, '---'))
                .join('|')
            : l,
        );
    expect(norm(m![1]!)).toEqual(norm(news2BandsMarkdown()));
  });
});
