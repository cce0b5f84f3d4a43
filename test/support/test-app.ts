import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type AppConfig, createApp, loadConfig } from '@mekong/common';
import { freshDatabase, type TestDatabase } from './test-database';

export const ADMIN = { username: 'admin', password: 'Quan-tri-vien-2026!' } as const;

/** Settings every test app shares; a fixed PUBLIC_URL keeps tokens valid across restarts. */
export const BASE_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  PUBLIC_URL: 'http://mekong.test',
  MEDIA_WORKERS: '1',
  ADMIN_USERNAME: ADMIN.username,
  ADMIN_PASSWORD: ADMIN.password,
  // Suites send thousands of requests from one address; the limits have their own test.
  RATE_LIMIT_PER_ACCOUNT: '1000000',
  RATE_LIMIT_PER_ADDRESS: '1000000',
  // The per-request time budget has its own test (fhir-limits): elsewhere a suite on two busy cores
  // must not see a 503 for a transaction that is merely slow on a cold embedded engine.
  FHIR_REQUEST_BUDGET_MS: '60000',
  // Quiet hours would hold back SMS and email whenever the suite runs at night in Vietnam; the
  // notify-preferences suite sets a window around its own clock.
  NOTIFY_QUIET_HOURS: 'off',
};

export interface TestApp {
  readonly url: string;
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly db: TestDatabase;
  close(): Promise<void>;
}

/**
 * Boots a deployable on a real HTTP port (listen 0) against a fresh database (or `db`, to share
 * one across restarts). `close()` shuts the app down; `db.drop()` is the caller's to call.
 */
export async function startApp(
  module: (config: AppConfig) => DynamicModule,
  env: Record<string, string> = {},
  db?: TestDatabase,
): Promise<TestApp> {
  const database = db ?? (await freshDatabase());
  const config = loadConfig({ ...BASE_ENV, ...database.env, ...env }, { port: 0 });
  const { app, url } = await createApp(module(config), config, { port: 0, host: '127.0.0.1' });
  return { url, app, config, db: database, close: () => app.close() };
}

/** POSTs an OAuth form to /auth/token. */
export function tokenRequest(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** Signs in with the password grant and returns the token response body. */
export async function login(
  url: string,
  username: string,
  password: string,
): Promise<{ access_token: string; refresh_token: string; scope: string; patient?: string }> {
  const res = await tokenRequest(url, { grant_type: 'password', username, password });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as {
    access_token: string;
    refresh_token: string;
    scope: string;
    patient?: string;
  };
}

/** A JSON request with an optional bearer token. */
export function api(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * A token of a system client with `system/*.cruds` (registered by the bootstrap admin): the caller
 * for tests of the FHIR engine itself, which every patient's record is open to.
 */
export async function systemToken(url: string, scope = 'system/*.cruds'): Promise<string> {
  const admin = (await login(url, ADMIN.username, ADMIN.password)).access_token;
  const reg = await api(url, 'POST', '/auth/clients', admin, { name: 'test system client', scope });
  const client = (await reg.json()) as { client_id: string; client_secret: string };
  const res = await tokenRequest(url, {
    grant_type: 'client_credentials',
    client_id: client.client_id,
    client_secret: client.client_secret,
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** [username, role, fhirUser, organization?] */
export type AccountSpec = readonly [string, string, string, string?];

/** Creates accounts (as the admin) and signs each in: their access tokens by username. */
export async function createAccounts(
  url: string,
  adminToken: string,
  accounts: readonly AccountSpec[],
  password: string,
): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const [username, role, fhirUser, organization] of accounts) {
    const res = await api(url, 'POST', '/auth/accounts', adminToken, {
      username,
      password,
      role,
      fhirUser,
      ...(organization ? { organization } : {}),
    });
    if (res.status !== 201) throw new Error(`account ${username}: ${res.status} ${await res.text()}`);
    tokens[username] = (await login(url, username, password)).access_token;
  }
  return tokens;
}
