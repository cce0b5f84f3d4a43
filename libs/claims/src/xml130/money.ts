/**
 * Exact decimal arithmetic for claim amounts (no binary floating point in sums).
 * A `Dec` is an integer count of 1/1000 đồng (three decimals, the finest precision any table
 * uses: DON_GIA and SO_LUONG carry at most 3 decimals).
 */
export type Dec = bigint;

const SCALE = 1000n;

/** Converts a JS number with at most 3 decimals to a Dec; throws on more precision or non-finite. */
export function dec(n: number, what = 'value'): Dec {
  if (!Number.isFinite(n)) throw new RangeError(`${what} is not a finite number`);
  const fixed = n.toFixed(3);
  if (Number(fixed) !== n) throw new RangeError(`${what} has more than 3 decimals: ${n}`);
  const neg = fixed.startsWith('-');
  const [int, frac] = (neg ? fixed.slice(1) : fixed).split('.');
  const v = BigInt(int) * SCALE + BigInt(frac);
  return neg ? -v : v;
}

/** Rounds numerator/denominator half away from zero to an integer. */
function divRound(num: bigint, den: bigint): bigint {
  const neg = num < 0n !== den < 0n;
  const a = num < 0n ? -num : num;
  const b = den < 0n ? -den : den;
  const q = (a * 2n + b) / (2n * b);
  return neg ? -q : q;
}

/**
 * Product of Decs and integer percentages, rounded (half away from zero) to `digits` decimals.
 * `mulRound([qty, price], [ratePct], 2)` = round(qty × price × rate/100, 2).
 */
export function mulRound(factors: readonly Dec[], percents: readonly number[], digits: 0 | 1 | 2 | 3): Dec {
  let num = 1n;
  let den = 1n;
  for (const f of factors) {
    num *= f;
    den *= SCALE;
  }
  for (const p of percents) {
    if (!Number.isInteger(p)) throw new RangeError(`percentage must be an integer: ${p}`);
    num *= BigInt(p);
    den *= 100n;
  }
  // result in units of 10^-digits, then back to Dec
  const unit = 10n ** BigInt(3 - digits);
  return divRound(num * SCALE, den * unit) * unit;
}

export function sum(values: readonly Dec[]): Dec {
  return values.reduce((a, b) => a + b, 0n);
}

/** Renders a Dec without superfluous zeros: 15000, 1234.5, 0.125. */
export function fmt(v: Dec): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const int = a / SCALE;
  const frac = (a % SCALE).toString().padStart(3, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Parses a decimal string as written in the XML ("1234.56") back to a Dec; null if malformed. */
export function parseDec(s: string): Dec | null {
  const m = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2]) * SCALE + BigInt((m[3] ?? '').padEnd(3, '0'));
  return m[1] ? -v : v;
}
