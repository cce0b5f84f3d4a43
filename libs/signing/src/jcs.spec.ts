import { canonicalize } from './jcs';

describe('RFC 8785 JCS', () => {
  it('sorts members by UTF-16 code units and drops whitespace', () => {
    expect(canonicalize({ b: 1, a: [true, null, 'x'], c: { z: 1, y: 2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}',
    );
  });

  it('orders non-ASCII names by code units (RFC 8785 §3.2.3 example ordering)', () => {
    // "\u20ac" (€) < "\ud83d\ude00" (😀, surrogates D83D...) < "\ufb33" by UTF-16 code units.
    const keys = ['\ufb33', '\u20ac', '\ud83d\ude00', '1', '\r', '\u00f6', '\u0080'];
    const obj = Object.fromEntries(keys.map((k, i) => [k, i]));
    // (Compared as text: JSON.parse would move the integer-like key "1" first again.)
    expect(canonicalize(obj)).toBe(
      '{"\\r":4,"1":3,"\u0080":6,"\u00f6":5,"\u20ac":1,"\ud83d\ude00":2,"\ufb33":0}',
    );
  });

  it('serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(canonicalize([1e21, 1e-7, 0.000001, -0, 333333333.3333333, 1.0])).toBe(
      '[1e+21,1e-7,0.000001,0,333333333.3333333,1]',
    );
  });

  it('keeps Vietnamese text as UTF-8 characters, escapes only what JSON requires', () => {
    expect(canonicalize({ name: 'Nguyễn Văn An', q: 'a"b\\c\n' })).toBe(
      '{"name":"Nguyễn Văn An","q":"a\\"b\\\\c\\n"}',
    );
  });

  it('rejects what is not I-JSON', () => {
    expect(() => canonicalize({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalize({ s: '\ud800' })).toThrow(/lone surrogate/);
  });
});
