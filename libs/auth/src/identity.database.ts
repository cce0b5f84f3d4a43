import type { ContextDatabase } from '@mekong/database';
import { AccountEntity } from './entities/account.entity';
import { LoginFailureEntity } from './entities/login-failure.entity';
import { OAuthClientEntity } from './entities/oauth-client.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SigningKeyEntity } from './entities/signing-key.entity';
import { IdentityInit1763830000000 } from './migrations/1763830000000-identity-init';
import { IdentityMfaAndContext1763830500000 } from './migrations/1763830500000-identity-mfa-and-context';
import { IdentityAuthEvents1763830600000 } from './migrations/1763830600000-identity-auth-events';
import { IdentityAccountCreator1765000000000 } from './migrations/1765000000000-identity-account-creator';
import { IdentitySessionsValidAfter1765400000000 } from './migrations/1765400000000-identity-sessions-valid-after';
import { IdentityAccountRecovery1765300000000 } from './migrations/1765300000000-identity-account-recovery';
import { IdentityClientRevocation1765500000000 } from './migrations/1765500000000-identity-client-revocation';

export const IDENTITY_CONTEXT = 'identity';

/** The identity context's database: accounts, OAuth clients, refresh tokens, signing keys. */
export const IDENTITY_DATABASE: ContextDatabase = {
  name: IDENTITY_CONTEXT,
  schema: 'identity',
  entities: [AccountEntity, OAuthClientEntity, RefreshTokenEntity, SigningKeyEntity, LoginFailureEntity],
  migrations: [
    IdentityInit1763830000000,
    IdentityMfaAndContext1763830500000,
    IdentityAuthEvents1763830600000,
    IdentityAccountCreator1765000000000,
    IdentityAccountRecovery1765300000000,
    IdentitySessionsValidAfter1765400000000,
    IdentityClientRevocation1765500000000,
  ],
};
