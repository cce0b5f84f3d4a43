/** ECDSA P-256 signature encodings: DER (X9.62 / what OpenSSL emits) <-> r||s (JOSE, XMLDSig 1.1). */

const SIZE = 32;

function readLen(buf: Buffer, at: number): [number, number] {
  const first = buf[at];
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = (len << 8) | buf[at + 1 + i];
  return [len, at + 1 + n];
}

function fixed(int: Buffer): Buffer {
  let v = int;
  while (v.length > SIZE && v[0] === 0) v = v.subarray(1);
  if (v.length > SIZE) throw new RangeError('ECDSA integer longer than 32 octets');
  return Buffer.concat([Buffer.alloc(SIZE - v.length), v]);
}

/** DER SEQUENCE { r INTEGER, s INTEGER } → 64-octet r||s. */
export function derToRaw(der: Buffer): Buffer {
  if (der[0] !== 0x30) throw new RangeError('not a DER ECDSA signature');
  let [, at] = readLen(der, 1);
  const ints: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) throw new RangeError('not a DER ECDSA signature');
    const [len, start] = readLen(der, at + 1);
    ints.push(der.subarray(start, start + len));
    at = start + len;
  }
  return Buffer.concat([fixed(ints[0]), fixed(ints[1])]);
}

/** Normalises what a signing service returned for ES256 (raw r||s or DER) to r||s. */
export function toRawEcdsa(sig: Buffer): Buffer {
  return sig.length === 2 * SIZE ? sig : derToRaw(sig);
}
