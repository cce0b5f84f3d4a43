import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { triageRulesMarkdown } from '../triage/triage-doc';
import { eligibilityMarkdown } from './eligibility-doc';

/** The Markdown between `<!-- name:start -->` and `<!-- name:end -->` in docs/care.md. */
function section(name: string): string {
  const doc = readFileSync(join(__dirname, '../../../../docs/care.md'), 'utf8');
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc);
  expect(m).not.toBeNull();
  return m![1]!;
}

/** Table cells compared without their padding (prettier aligns the doc's tables). */
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

describe('docs/care.md renders the eligibility list and the triage rules from the data', () => {
  it('the table between the telehealth-eligibility markers is the generator output', () => {
    expect(norm(section('telehealth-eligibility'))).toEqual(norm(eligibilityMarkdown()));
  });

  it('the table between the triage-rules markers is the generator output', () => {
    expect(norm(section('triage-rules'))).toEqual(norm(triageRulesMarkdown()));
  });

  it('a changed row makes the comparison fail (the test can fail)', () => {
    const doc = norm(eligibilityMarkdown());
    const edited = norm(eligibilityMarkdown().replace('| E66 |', '| E66.9 |'));
    expect(edited).not.toEqual(doc);
  });
});
