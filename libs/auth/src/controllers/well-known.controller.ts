import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Public } from '@mekong/common';
import type { JWK } from 'jose';
import { IDENTITY_SCOPES } from '../scopes';
import { KeyStore } from '../services/key-store.service';

/** SMART App Launch discovery and the JWKS that verifies this issuer's tokens. */
@Controller('.well-known')
export class WellKnownController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyStore,
  ) {}

  @Public()
  @Get('smart-configuration')
  smartConfiguration(): Record<string, unknown> {
    const base = this.config.publicUrl;
    return {
      issuer: base,
      jwks_uri: `${base}/.well-known/jwks.json`,
      token_endpoint: `${base}/auth/token`,
      revocation_endpoint: `${base}/auth/revoke`,
      grant_types_supported: ['password', 'client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256'],
      scopes_supported: [...IDENTITY_SCOPES, 'patient/*.cruds', 'user/*.cruds', 'system/*.cruds'],
      response_types_supported: ['token'],
      capabilities: ['client-confidential-symmetric', 'permission-v2', 'context-standalone-patient'],
    };
  }

  @Public()
  @Get('jwks.json')
  jwks(): { keys: JWK[] } {
    return this.keys.jwks();
  }
}
