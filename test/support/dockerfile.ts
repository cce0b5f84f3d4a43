/** A small Dockerfile reader for tests: instructions grouped by build stage. */

export interface DockerInstruction {
  /** Upper-cased keyword: FROM, RUN, COPY, ENV, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
}

export interface DockerStage {
  /** The `AS` name, or the stage index when unnamed. */
  readonly name: string;
  /** The image or earlier stage it starts from. */
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/** Splits a Dockerfile into logical instructions (comments dropped, `\` continuations joined). */
export function parseInstructions(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let pending = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    // Comment lines inside a continued instruction are ignored by Docker too.
    if (pending !== '' && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const match = /^(\S+)\s*(.*)$/s.exec(full);
    if (!match) continue;
    instructions.push({ keyword: match[1].toUpperCase(), args: match[2].replace(/\s+/g, ' ').trim() });
  }
  if (pending.trim() !== '') throw new Error('Dockerfile: ends inside a continued instruction');
  return instructions;
}

/** The Dockerfile's build stages in order. */
export function parseStages(text: string): DockerStage[] {
  const stages: { name: string; from: string; instructions: DockerInstruction[] }[] = [];
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(' ').filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? words[asIndex + 1] : String(stages.length);
      stages.push({ name, from: words[0], instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    } else if (instruction.keyword !== 'ARG') {
      throw new Error(`Dockerfile: ${instruction.keyword} before the first FROM`);
    }
  }
  return stages;
}

/** The stage and the earlier stages it builds on, nearest first. */
export function stageChain(stages: readonly DockerStage[], name: string): DockerStage[] {
  const chain: DockerStage[] = [];
  let current = stages.find((s) => s.name === name);
  while (current) {
    chain.push(current);
    const parent: string = current.from;
    current = stages.find((s) => s.name === parent && !chain.includes(s));
  }
  return chain;
}

/** The ENV variables in effect at the end of a stage, including those of the stages it builds on. */
export function stageEnv(stages: readonly DockerStage[], name: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const stage of stageChain(stages, name).reverse()) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword !== 'ENV') continue;
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*) ([^=]*)$/.exec(instruction.args);
      if (legacy) {
        env.set(legacy[1], legacy[2]);
        continue;
      }
      for (const pair of instruction.args.split(' ')) {
        const eq = pair.indexOf('=');
        if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
      }
    }
  }
  return env;
}

/** The instructions with `keyword` in a stage and the stages it builds on. */
export function stageInstructions(
  stages: readonly DockerStage[],
  name: string,
  keyword: string,
): DockerInstruction[] {
  return stageChain(stages, name)
    .reverse()
    .flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword));
}

/** The last instruction with `keyword` in effect for a stage (CMD, USER, HEALTHCHECK...). */
export function lastInstruction(
  stages: readonly DockerStage[],
  name: string,
  keyword: string,
): DockerInstruction | undefined {
  return stageInstructions(stages, name, keyword).at(-1);
}
