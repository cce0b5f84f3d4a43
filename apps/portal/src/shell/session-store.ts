/**
 * The signed-in user's tokens, kept for the browser tab (sessionStorage): the access token (read
 * by the visit page too) and the rotating refresh token. Claims are read from the token only to
 * choose what to show; the server decides what is allowed.
 */
const ACCESS = 'mekong.accessToken';
const REFRESH = 'mekong.refreshToken';
/** The signed-in person's name for the header (shell/UserName), cleared with the tokens. */
export const USER_NAME_KEY = 'mekong.userName';

/** The token's role: the shared contract (libs/contracts), the server's own type. */
export type { Role } from '../../../../libs/contracts/src';
import type { Role } from '../../../../libs/contracts/src';

export interface Claims {
  sub: string;
  role: Role;
  fhirUser?: string;
  patient?: string;
  organization?: string;
  exp: number;
}

export function decodeClaims(token: string | null): Claims | undefined {
  if (!token) return undefined;
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Claims;
  } catch {
    return undefined;
  }
}

/** A child whose record a parent may open. */
export interface Dependent {
  patient: string;
  name?: string;
  birthDate?: string;
}

type Listener = () => void;

/**
 * A refusal of the token endpoint, with what a sign-in screen acts on: the HTTP status, the OAuth
 * `error`, the server's `code` (`AUTH.OTP_REQUIRED`, `AUTH.OTP_INVALID`, `AUTH.TOO_MANY_ATTEMPTS`)
 * and Retry-After in seconds.
 */
export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error?: string,
    readonly code?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(error ?? `HTTP ${status}`);
  }
}

class SessionStore {
  private readonly listeners = new Set<Listener>();
  private refreshing?: Promise<string | null>;

  get token(): string | null {
    return sessionStorage.getItem(ACCESS);
  }

  get claims(): Claims | undefined {
    return decodeClaims(this.token);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  /** Asks the token endpoint (password grant) without keeping the answer: see `signIn`. */
  async requestToken(
    username: string,
    password: string,
    totp?: string,
    patient?: string,
  ): Promise<{ access_token: string; refresh_token?: string }> {
    const body = new URLSearchParams({ grant_type: 'password', username, password });
    // The token endpoint reads the authenticator code as `otp` (libs/auth token.controller).
    if (totp) body.set('otp', totp);
    // A parent opening their child's record: a token in that child's context (SMART `patient`).
    if (patient) body.set('patient', patient);
    const res = await fetch('/auth/token', { method: 'POST', body });
    const json = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      error?: string;
      code?: string;
    };
    if (!res.ok || !json.access_token) {
      const retry = Number(res.headers.get('Retry-After'));
      throw new TokenError(res.status, json.error, json.code, retry > 0 ? retry : undefined);
    }
    return { access_token: json.access_token, refresh_token: json.refresh_token };
  }

  /** Signs in with a username and password (OAuth 2.0 password grant) and keeps the tokens. */
  async signIn(username: string, password: string, totp?: string, patient?: string): Promise<void> {
    const t = await this.requestToken(username, password, totp, patient);
    this.store(t.access_token, t.refresh_token);
  }

  store(access: string, refresh?: string): void {
    sessionStorage.setItem(ACCESS, access);
    if (refresh) sessionStorage.setItem(REFRESH, refresh);
    this.emit();
  }

  /** A valid access token, refreshed shortly before it expires. */
  async accessToken(): Promise<string | null> {
    const token = this.token;
    const claims = decodeClaims(token);
    if (!token || !claims) return null;
    if (claims.exp * 1000 - Date.now() > 60_000) return token;
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<string | null> {
    return this.refreshGrant().catch(() => this.token);
  }

  /** The refresh grant (rotating: the old refresh token is spent), kept; throws when refused. */
  private async refreshGrant(extra: Record<string, string> = {}): Promise<string> {
    const refresh = sessionStorage.getItem(REFRESH);
    if (!refresh) throw new Error('no session');
    const res = await fetch('/auth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh, ...extra }),
    });
    const json = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      refresh_token?: string;
      error?: string;
    };
    if (!res.ok || !json.access_token) throw new Error(json.error ?? `HTTP ${res.status}`);
    this.store(json.access_token, json.refresh_token);
    return json.access_token;
  }

  /**
   * A parent opens another record in the same session — their own or a child's — without the
   * password again (the server checks they are the child's guardian). One refresh at a time:
   * a refresh token used twice ends the whole session.
   */
  async switchPatient(patient: string): Promise<void> {
    await this.refreshing;
    const switching = this.refreshGrant({ patient });
    this.refreshing = switching.catch(() => this.token).finally(() => (this.refreshing = undefined));
    await switching;
  }

  /** The children this patient account may open (Patient.link → RelatedPerson), or none. */
  async dependents(token?: string): Promise<Dependent[]> {
    const bearer = token ?? (await this.accessToken());
    if (!bearer) return [];
    const res = await fetch('/auth/dependents', { headers: { Authorization: `Bearer ${bearer}` } }).catch(
      () => undefined,
    );
    return res?.ok ? ((await res.json()) as { dependents: Dependent[] }).dependents : [];
  }

  /** The server refused the token: sign out locally. */
  expired(): void {
    if (this.token && (this.claims?.exp ?? 0) * 1000 < Date.now()) this.clear();
  }

  async signOut(): Promise<void> {
    const refresh = sessionStorage.getItem(REFRESH);
    if (refresh)
      await fetch('/auth/revoke', { method: 'POST', body: new URLSearchParams({ token: refresh }) }).catch(
        () => undefined,
      );
    this.clear();
  }

  private clear(): void {
    sessionStorage.removeItem(ACCESS);
    sessionStorage.removeItem(REFRESH);
    sessionStorage.removeItem(USER_NAME_KEY);
    this.emit();
  }
}

export const session = new SessionStore();
