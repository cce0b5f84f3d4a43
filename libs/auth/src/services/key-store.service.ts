import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@mekong/database';
import { exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { SigningKeyEntity } from '../entities/signing-key.entity';
import { IDENTITY_CONTEXT } from '../identity.database';

export const SIGNING_ALG = 'ES256';

interface ActiveKey {
  readonly kid: string;
  readonly key: KeyLike | Uint8Array;
}

/**
 * Token-signing keys, persisted in identity.signing_key so restarts keep tokens valid. The
 * newest unretired key signs; every unretired key is published in the JWKS.
 */
@Injectable()
export class KeyStore {
  private active?: ActiveKey;
  private jwksDocument: { keys: JWK[] } = { keys: [] };

  constructor(@InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource) {}

  /** Loads the keys, creating the first key pair on a new database. */
  async load(): Promise<void> {
    const repo = this.db.getRepository(SigningKeyEntity);
    let keys = await repo.find({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
    if (keys.length === 0) {
      const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
      const kid = randomUUID();
      await repo.insert({
        kid,
        alg: SIGNING_ALG,
        publicJwk: { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' },
        privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG },
      });
      keys = await repo.find({ where: { retiredAt: IsNull() }, order: { createdAt: 'DESC' } });
    }
    const newest = keys[0] as SigningKeyEntity;
    this.active = { kid: newest.kid, key: await importJWK(newest.privateJwk, SIGNING_ALG) };
    this.jwksDocument = { keys: keys.map((k) => k.publicJwk) };
  }

  signingKey(): ActiveKey {
    if (!this.active) throw new Error('signing keys not loaded yet');
    return this.active;
  }

  /** The public JSON Web Key Set (RFC 7517); the same object until the keys change. */
  jwks(): { keys: JWK[] } {
    return this.jwksDocument;
  }
}
