import { gsmSeptets } from './gsm7';

/** SMPP data_coding: 0 = the SMSC's default alphabet (GSM-7), 8 = UCS-2 (UTF-16BE). */
export type SmsCoding = 'gsm7' | 'ucs2';

/** One submit_sm's short_message: the UDH (if any) and the payload, and the flags that go with it. */
export interface SmsPart {
  readonly dataCoding: 0 | 8;
  /** 0x40 (UDHI) when `bytes` starts with a UDH. */
  readonly esmClass: 0 | 0x40;
  readonly bytes: Buffer;
}

/** Characters (septets for GSM-7, UTF-16 units for UCS-2) in one part, alone or concatenated. */
export const LIMITS = {
  gsm7: { single: 160, concatenated: 153 },
  ucs2: { single: 70, concatenated: 67 },
} as const;

/** Most parts a message may have (the 8-bit concatenation header allows 255; operators far fewer). */
export const MAX_PARTS = 10;

/** Units of `text`: each a character's bytes, never split between parts. */
function units(text: string, coding: SmsCoding): { bytes: number[]; size: number }[] {
  return [...text].map((ch) => {
    if (coding === 'ucs2') {
      const b = Buffer.from(ch, 'utf16le').swap16();
      return { bytes: [...b], size: b.length / 2 };
    }
    const septets = gsmSeptets(ch);
    if (!septets) throw new Error(`character U+${ch.codePointAt(0)?.toString(16)} is not in GSM-7`);
    return { bytes: septets, size: septets.length };
  });
}

/**
 * The parts of one SMS: a text within one part's limit goes alone (no UDH); a longer one is split
 * into parts of at most 153 septets (GSM-7) or 67 UCS-2 units, each behind the concatenation UDH
 * `05 00 03 <reference> <total> <sequence>` (IEI 0x00, 8-bit reference). A GSM-7 escape pair and a
 * UTF-16 surrogate pair stay in one part. Throws when GSM-7 cannot write the text or it needs more
 * than MAX_PARTS parts.
 */
export function encodeSms(text: string, coding: SmsCoding, reference: number): SmsPart[] {
  const dataCoding = coding === 'ucs2' ? 8 : 0;
  const us = units(text, coding);
  const size = us.reduce((n, u) => n + u.size, 0);
  const limit = LIMITS[coding];
  if (size <= limit.single)
    return [{ dataCoding, esmClass: 0, bytes: Buffer.from(us.flatMap((u) => u.bytes)) }];
  const chunks: number[][] = [];
  let current: number[] = [];
  let used = 0;
  for (const u of us) {
    if (used + u.size > limit.concatenated) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(...u.bytes);
    used += u.size;
  }
  if (current.length > 0) chunks.push(current);
  if (chunks.length > MAX_PARTS)
    throw new Error(`SMS of ${size} characters needs ${chunks.length} parts (at most ${MAX_PARTS})`);
  const ref = reference & 0xff;
  return chunks.map((c, i) => ({
    dataCoding,
    esmClass: 0x40,
    bytes: Buffer.from([0x05, 0x00, 0x03, ref, chunks.length, i + 1, ...c]),
  }));
}

/** How many parts `text` needs (for tests and capacity planning). */
export function partsNeeded(text: string, coding: SmsCoding): number {
  return encodeSms(text, coding, 0).length;
}
