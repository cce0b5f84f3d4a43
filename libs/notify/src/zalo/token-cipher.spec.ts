import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = new TokenCipher('zalo-app-secret-key');

  it('encrypts so that the text is not in what is stored, differently each time, and decrypts it', () => {
    const token = 'RT-abcdefghijklmnopqrstuvwxyz0123456789';
    const a = cipher.encrypt(token);
    const b = cipher.encrypt(token);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain('abcdefghijklmnop');
    expect(a).not.toBe(b);
    expect(cipher.decrypt(a)).toBe(token);
    expect(cipher.decrypt(b)).toBe(token);
  });

  it('refuses another key and an altered text', () => {
    const stored = cipher.encrypt('AT-token');
    expect(() => new TokenCipher('another-secret-key').decrypt(stored)).toThrow();
    const [v, iv, tag, ct] = stored.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => cipher.decrypt('not-a-token')).toThrow('not a v1 encrypted token');
  });
});
