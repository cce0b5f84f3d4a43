import { readFileSync } from 'node:fs';
import type { AppConfig } from '@mekong/common';
import type { GatewaySettings } from './gateway-client';

/** The BHXH gateway's settings as the app config read them, with retry policy; absent: not configured. */
export interface ClaimsGatewaySettings extends GatewaySettings {
  readonly retryDelaySeconds: number;
  readonly retryLimit: number;
  readonly expireSeconds: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * BHXH_GATEWAY_URL with BHXH_USERNAME and BHXH_PASSWORD (or BHXH_PASSWORD_FILE, its first line).
 * No URL: the gateway is not configured (claims stay queued). A URL without the account, or a
 * plain-http URL to another machine (claims carry patients' identities), stops the start.
 */
export class ClaimsGatewayConfig {
  readonly settings?: ClaimsGatewaySettings;

  constructor(config: AppConfig) {
    const g = config.claims.gateway;
    if (!g) return;
    const url = new URL(g.url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
      throw new Error('BHXH_GATEWAY_URL must be https:// (claims carry patient identities)');
    if (!g.username) throw new Error('BHXH_USERNAME is required with BHXH_GATEWAY_URL');
    let password = g.password;
    if (!password && g.passwordFile) password = readFileSync(g.passwordFile, 'utf8').split(/\r?\n/)[0];
    if (!password) throw new Error('BHXH_PASSWORD or BHXH_PASSWORD_FILE is required with BHXH_GATEWAY_URL');
    this.settings = {
      url: g.url.replace(/\/+$/, ''),
      username: g.username,
      password,
      timeoutMs: g.timeoutMs,
      retryDelaySeconds: g.retryDelaySeconds,
      retryLimit: g.retryLimit,
      expireSeconds: g.expireSeconds,
    };
  }
}
