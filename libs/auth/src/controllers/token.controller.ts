import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { Public } from '@mekong/common';
import type { Request } from 'express';
import { OAuthError } from '../oauth-error';
import { type TokenResponse, TokenService } from '../services/token.service';

type Form = Record<string, unknown>;

function param(form: Form, name: string, required: true): string;
function param(form: Form, name: string, required: false): string | undefined;
function param(form: Form, name: string, required: boolean): string | undefined {
  const v = form[name];
  if (v === undefined || v === '') {
    if (required) throw new OAuthError('invalid_request', `${name} is required`);
    return undefined;
  }
  if (typeof v !== 'string' || v.length > 4096)
    throw new OAuthError('invalid_request', `${name} must be a single string`);
  return v;
}

/** client_secret_basic credentials from an Authorization: Basic header, if any. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/** POST /auth/token — OAuth 2.0 token endpoint (password, client_credentials, refresh_token). */
@Controller('auth')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Body() body: unknown, @Req() req: Request): Promise<TokenResponse> {
    const form: Form = typeof body === 'object' && body !== null ? (body as Form) : {};
    const grant = param(form, 'grant_type', true);
    const scope = param(form, 'scope', false);
    switch (grant) {
      case 'password':
        return this.tokens.passwordGrant(
          param(form, 'username', true),
          param(form, 'password', true),
          scope,
          req.ip ?? 'unknown',
          {
            patient: param(form, 'patient', false),
            otp: param(form, 'otp', false),
          },
        );
      case 'client_credentials': {
        const basic = basicCredentials(req.headers.authorization);
        const id = basic?.id ?? param(form, 'client_id', true);
        const secret = basic?.secret ?? param(form, 'client_secret', true);
        return this.tokens.clientCredentialsGrant(id, secret, scope);
      }
      case 'refresh_token':
        // `patient`: a parent switching between their own record and a child's (same session).
        return this.tokens.refreshGrant(
          param(form, 'refresh_token', true),
          scope,
          param(form, 'patient', false),
          req.ip ?? 'unknown',
        );
      default:
        throw new OAuthError('unsupported_grant_type', `grant_type ${grant} is not supported`);
    }
  }

  /** RFC 7009 token revocation (sign-out). Always 200, whether or not the token was known. */
  @Public()
  @Post('revoke')
  @HttpCode(200)
  async revoke(@Body() body: unknown): Promise<Record<string, never>> {
    const form: Form = typeof body === 'object' && body !== null ? (body as Form) : {};
    await this.tokens.revoke(param(form, 'token', true));
    return {};
  }
}
