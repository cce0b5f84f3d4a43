import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the Zalo OA's tokens at rest (notify.zalo_token). The key is derived from
 * ZALO_SECRET_KEY, which lives in the environment and never in the database: a copy of the
 * database alone does not give the tokens. `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export class TokenCipher {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'mekong-health', 'notify.zalo_token v1', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plain text; throws if the key is not the one it was written with or the text was altered. */
  decrypt(stored: string): string {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a v1 encrypted token');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Tells refresh tokens apart without keeping them: which ZALO_REFRESH_TOKEN the stored tokens descend from. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
