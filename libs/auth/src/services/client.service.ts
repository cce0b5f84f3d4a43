import { Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { randomBytes } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import type { ClientNames } from '../client-names';
import { OAuthClientEntity } from '../entities/oauth-client.entity';
import { IDENTITY_CONTEXT } from '../identity.database';
import { maximumScopes, grantScopes } from '../scopes';
import { AuthEvents } from './auth-events.service';
import { PasswordService } from './password.service';

export interface RegisteredClient {
  readonly client_id: string;
  /** Shown once, at registration; only its argon2id hash is stored. */
  readonly client_secret: string;
  readonly scope: string;
}

/** A client as administrators see it (never its secret or hash). */
export interface ClientView {
  readonly client_id: string;
  readonly name: string;
  readonly scope: string;
  readonly active: boolean;
  readonly created_at: string;
  readonly revoked_at?: string;
}

/** OAuth clients for the client_credentials grant (hospital systems, the contexts themselves). */
@Injectable()
export class ClientService implements ClientNames {
  constructor(
    @InjectDataSource(IDENTITY_CONTEXT) private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly events: AuthEvents,
  ) {}

  private readonly revokedListeners: ((clientId: string) => void)[] = [];

  /** Called with a client id when it is revoked in this process (other replicas: within the cache time). */
  onRevoked(listener: (clientId: string) => void): void {
    this.revokedListeners.push(listener);
  }

  /** Whether a client may still act: registered and not revoked (an unknown subject may not). */
  async isActive(clientId: string): Promise<boolean> {
    const client = await this.db.getRepository(OAuthClientEntity).findOneBy({ clientId });
    return client?.active === true;
  }

  async names(clientIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (clientIds.length === 0) return new Map();
    const rows = await this.db
      .getRepository(OAuthClientEntity)
      .findBy({ clientId: In([...new Set(clientIds)]) });
    return new Map(rows.map((c) => [c.clientId, c.name]));
  }

  async list(): Promise<ClientView[]> {
    const rows = await this.db.getRepository(OAuthClientEntity).find({ order: { createdAt: 'ASC' } });
    return rows.map(toView);
  }

  /**
   * Revokes a client: no token for it from now on, and those it holds are refused at once in this
   * process (within the cache time elsewhere). Revoking twice answers the same; it is not undone.
   */
  async revoke(clientId: string, actor: string): Promise<ClientView> {
    const repo = this.db.getRepository(OAuthClientEntity);
    const client = await repo.findOneBy({ clientId });
    if (!client) throw new DomainError('AUTH.CLIENT_NOT_FOUND', 404, 'No such client');
    if (client.revokedAt) return toView(client);
    const revokedAt = new Date();
    await repo.update({ clientId }, { active: false, revokedAt, revokedBy: actor });
    for (const l of this.revokedListeners) l(clientId);
    await this.events.record({
      event: 'client-revoked',
      outcome: 'success',
      accountId: actor,
      detail: `client ${clientId}`,
    });
    return toView({ ...client, active: false, revokedAt });
  }

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
    await this.events.record({
      event: 'client-create',
      outcome: 'success',
      accountId: createdBy,
      detail: `client ${clientId}`,
    });
    return { client_id: clientId, client_secret: secret, scope: granted.join(' ') };
  }

  async authenticate(clientId: string, secret: string): Promise<OAuthClientEntity | null> {
    const client = await this.db.getRepository(OAuthClientEntity).findOneBy({ clientId });
    const ok = await this.passwords.verify(client?.secretHash, secret);
    return ok && client?.active ? client : null;
  }
}

function toView(c: OAuthClientEntity): ClientView {
  return {
    client_id: c.clientId,
    name: c.name,
    scope: c.scope,
    active: c.active,
    created_at: c.createdAt.toISOString(),
    ...(c.revokedAt ? { revoked_at: c.revokedAt.toISOString() } : {}),
  };
}
