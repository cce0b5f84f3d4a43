/**
 * GSM 03.38 (3GPP TS 23.038) default alphabet, as SMPP carries it with data_coding 0: one septet
 * per octet, unpacked; a character of the extension table is ESC (0x1B) and its code, two septets.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION: Record<string, number> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};
const BASIC_CODE = new Map([...BASIC].map((c, i) => [c, i]));

/** The septets of one character (1 or 2), or undefined when GSM-7 cannot write it. */
export function gsmSeptets(ch: string): number[] | undefined {
  if (ch === '\u001b') return undefined;
  const basic = BASIC_CODE.get(ch);
  if (basic !== undefined) return [basic];
  const ext = EXTENSION[ch];
  return ext !== undefined ? [0x1b, ext] : undefined;
}

/** True when every character of `text` is in the GSM-7 default alphabet or its extension. */
export function isGsm7(text: string): boolean {
  return [...text].every((c) => gsmSeptets(c) !== undefined);
}

/**
 * Vietnamese (or any Latin text) without diacritics, as GSM-7 can carry it: marks removed (NFD),
 * đ/Đ to d/D, typographic quotes and dashes to their ASCII forms, anything else left unwritable
 * becomes '?'.
 */
export function toGsm7(text: string): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...');
  return [...plain].map((c) => (gsmSeptets(c) ? c : '?')).join('');
}
