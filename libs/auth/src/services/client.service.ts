import { Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OAuthClientEntity } from '../entities/oauth-client.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import { maximumScopes, grantScopes } from '../scopes';
import { PasswordService } from './password.service';

export interface RegisteredClient {
  readonly client_id: string;
  /** Shown once, at registration; only its argon2id hash is stored. */
  readonly client_secret: string;
  readonly scope: string;
}

/** OAuth clients for the client_credentials grant (hospital systems, the contexts themselves). */
@Injectable()
export class ClientService {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly passwords: PasswordService,
  ) {}

  async register(name: string, scope: string, createdBy: string): Promise<RegisteredClient> {
    const granted = grantScopes(scope, maximumScopes('system'));
    if (!granted || !granted.every((s) => s.startsWith('system/'))) {
      throw new DomainError(
        'AUTH.INVALID_SCOPE',
        400,
        'scope must be SMART system/ scopes, e.g. system/*.rs',
      );
    }
    const clientId = `mh-${randomBytes(12).toString('base64url')}`;
    const secret = randomBytes(32).toString('base64url');
    await this.db.getRepository(OAuthClientEntity).insert({
      clientId,
      name,
      secretHash: await this.passwords.hash(secret),
      scope: granted.join(' '),
      createdBy,
    });
    return { client_id: clientId, client_secret: secret, scope: granted.join(' ') };
  }

  async authenticate(clientId: string, secret: string): Promise<OAuthClientEntity | null> {
    const client = await this.db.getRepository(OAuthClientEntity).findOneBy({ clientId });
    const ok = await this.passwords.verify(client?.secretHash, secret);
    return ok && client?.active ? client : null;
  }
}
