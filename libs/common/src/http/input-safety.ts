/** How deeply a request body may nest: FHIR resources stay far below it (Questionnaire items included). */
export const MAX_BODY_DEPTH = 100;

/** A UTF-16 surrogate without its partner (not UTF-8: PostgreSQL's jsonb refuses `\ud800`). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored (NUL, which PostgreSQL refuses in text, or a lone surrogate), or undefined. */
export function unstorableText(s: string): string | undefined {
  if (s.includes('\0')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate';
  return undefined;
}

/**
 * Why a parsed request body cannot be accepted, or undefined: strings (and keys) PostgreSQL cannot
 * store, numbers out of range (JSON `1e999999` parses to Infinity), or nesting deeper than
 * MAX_BODY_DEPTH. Iterative, so a hostile depth cannot overflow the stack.
 */
export function bodyProblem(body: unknown, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const stack: [unknown, number][] = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value === 'string') {
      const why = unstorableText(value);
      if (why) return `A string in the body ${why}`;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return 'A number in the body is out of range';
    } else if (typeof value === 'object' && value !== null) {
      if (depth >= maxDepth) return `The body nests deeper than ${maxDepth} levels`;
      if (Array.isArray(value)) {
        for (const v of value) stack.push([v, depth + 1]);
      } else {
        for (const [k, v] of Object.entries(value)) {
          const why = unstorableText(k);
          if (why) return `A key in the body ${why}`;
          stack.push([v, depth + 1]);
        }
      }
    }
  }
  return undefined;
}
