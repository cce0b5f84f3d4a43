import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig, DEPLOYABLES } from '@mekong/common';
import { DatabaseModule } from '@mekong/database';
import { AccountsController } from './controllers/accounts.controller';
import { AccountRecoveryController } from './controllers/account-recovery.controller';
import { ClientsController } from './controllers/clients.controller';
import { PasswordController } from './controllers/password.controller';
import { MfaController } from './controllers/mfa.controller';
import { AuthEventsController } from './controllers/auth-events.controller';
import { TokenController } from './controllers/token.controller';
import { DependentsController } from './controllers/dependents.controller';
import { WellKnownController } from './controllers/well-known.controller';
import { CLIENT_NAMES } from './client-names';
import { ACCOUNT_STATUS, AuthGuard, TOKEN_VERIFIER } from './guard/auth.guard';
import { AccountActivity, CLIENT_STATUS } from './guard/account-activity';
import { SocketAuth } from './guard/socket-auth';
import { IDENTITY_DATABASE } from './identity.database';
import { AccountService } from './services/account.service';
import { AccountRecoveryService } from './services/account-recovery.service';
import { AuthEvents } from './services/auth-events.service';
import { IdentityStartup } from './services/admin-bootstrap';
import { ClientService } from './services/client.service';
import { KeyStore } from './services/key-store.service';
import { LoginThrottle } from './services/login-throttle.service';
import { MfaService } from './services/mfa.service';
import { PasswordService } from './services/password.service';
import { tokenAudience, TokenService } from './services/token.service';
import { TokenVerifier } from './services/token-verifier';
import { TotpCodes } from './services/totp.service';

/**
 * Identity and access. `forIssuer()` (the deployable that owns the identity schema: health-record,
 * or the all-in-one platform) issues tokens and verifies them with its own keys; `forVerifier()`
 * (scheduling, consultation deployed apart) verifies them against the issuer's JWKS. Both install
 * the global AuthGuard, so every route of every context is authenticated unless @Public().
 */
/**
 * The modules that implement the identity context's ports, named by the deployable that composes
 * the contexts: `patients` exports PATIENT_CONTEXT_AUTHORIZER (the record: who may act for a
 * patient, which facility manages one), `notices` exports ACCOUNT_NOTICES (telling a patient of a
 * change to their sign-in). Identity imports neither context itself (no cycle, no global token).
 */
export interface IdentityPorts {
  readonly patients: Type<unknown>;
  readonly notices: Type<unknown>;
}

@Module({})
export class AuthModule {
  static forIssuer(ports: IdentityPorts): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [DatabaseModule.forContext(IDENTITY_DATABASE), ports.patients, ports.notices],
      controllers: [
        TokenController,
        AccountsController,
        AccountRecoveryController,
        ClientsController,
        PasswordController,
        MfaController,
        AuthEventsController,
        WellKnownController,
        DependentsController,
      ],
      providers: [
        PasswordService,
        AuthEvents,
        KeyStore,
        AccountService,
        ClientService,
        LoginThrottle,
        TotpCodes,
        MfaService,
        AccountRecoveryService,
        TokenService,
        IdentityStartup,
        {
          provide: TOKEN_VERIFIER,
          inject: [KeyStore, APP_CONFIG],
          useFactory: (keys: KeyStore, config: AppConfig) =>
            TokenVerifier.local(() => keys.jwks(), config.publicUrl, tokenAudience(config)),
        },
        { provide: ACCOUNT_STATUS, useExisting: AccountService },
        { provide: CLIENT_STATUS, useExisting: ClientService },
        { provide: CLIENT_NAMES, useExisting: ClientService },
        AccountActivity,
        SocketAuth,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER, AccountService, TokenService, SocketAuth, AccountActivity, CLIENT_NAMES],
    };
  }

  static forVerifier(): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: TOKEN_VERIFIER,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            TokenVerifier.remote(
              config.auth.jwksUrl ??
                `http://localhost:${DEPLOYABLES['health-record'].defaultPort}/.well-known/jwks.json`,
              config.publicUrl,
              tokenAudience(config),
            ),
        },
        AccountActivity,
        SocketAuth,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER, SocketAuth, AccountActivity],
    };
  }
}
