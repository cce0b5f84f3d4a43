import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the doctors' national-system passwords at rest (eprescription.credential), as
 * notify's Zalo tokens are kept: the key derives from EPRESCRIPTION_SECRET_KEY, which lives in the
 * environment, never in the database — a copy of the database alone does not give the passwords.
 * The practitioner is bound as associated data: a row copied onto another doctor does not decrypt.
 * `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export class CredentialCipher {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'mekong-health', 'eprescription.credential v1', 32));
  }

  encrypt(plain: string, practitioner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(practitioner, 'utf8'));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ct.toString('base64url'),
    ].join('.');
  }

  /** Throws if the key is not the one it was written with, the text was altered, or it is another doctor's. */
  decrypt(stored: string, practitioner: string): string {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a v1 encrypted credential');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(practitioner, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}
