import type { ZaloConfig } from '@mekong/common';

const TIMEOUT_MS = 10_000;

/** The body of a ZNS send (POST {api}/message/template). */
export interface ZnsSend {
  /** The recipient in 84… form (no `+`, no leading 0). */
  readonly phone: string;
  readonly template_id: string;
  readonly template_data: Readonly<Record<string, string>>;
  /** Ours, for reconciliation with Zalo's reports. */
  readonly tracking_id: string;
}

/** ZNS's envelope: `error` 0 is success, a negative code otherwise (docs/notifications-zalo.md). */
export interface ZnsAnswer {
  readonly error: number;
  readonly message?: string;
  readonly data?: {
    readonly msg_id?: string;
    readonly sent_time?: string;
    readonly quota?: { readonly dailyQuota?: string | number; readonly remainingQuota?: string | number };
  };
}

export interface ZaloTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token is valid. */
  readonly expiresIn: number;
}

/** Zalo's OAuth server refused a refresh (its `error`, `error_name` and `error_description`). */
export class ZaloOAuthError extends Error {}

/**
 * The two HTTP calls of ZNS: the template send with the OA's access token in the `access_token`
 * header, and the OAuth v4 refresh with the app's `secret_key` header. Network failures, timeouts
 * and non-JSON or 5xx answers throw plain Errors: the caller retries those.
 */
export class ZnsClient {
  constructor(private readonly cfg: ZaloConfig) {}

  async send(accessToken: string, body: ZnsSend): Promise<ZnsAnswer> {
    const res = await fetch(`${this.cfg.apiUrl}/message/template`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', access_token: accessToken },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const answer = (await json(res, 'ZNS')) as Partial<ZnsAnswer>;
    if (typeof answer.error !== 'number')
      throw new Error(`ZNS answered HTTP ${res.status} without an error code`);
    return answer as ZnsAnswer;
  }

  async refresh(refreshToken: string): Promise<ZaloTokens> {
    const res = await fetch(`${this.cfg.oauthUrl}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: this.cfg.secretKey },
      body: new URLSearchParams({
        app_id: this.cfg.appId,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      }).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const a = (await json(res, 'Zalo OAuth')) as Record<string, unknown>;
    if (typeof a.access_token === 'string' && typeof a.refresh_token === 'string') {
      const expiresIn = Number(a.expires_in);
      return {
        accessToken: a.access_token,
        refreshToken: a.refresh_token,
        expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600,
      };
    }
    // Never the request or the tokens in the message: only Zalo's code and words.
    const words = [a.error, a.error_name, a.error_description ?? a.message]
      .filter((v) => v !== undefined)
      .map(String)
      .join(' ');
    throw new ZaloOAuthError(
      `Zalo OAuth refused the refresh: ${words.slice(0, 200) || `HTTP ${res.status}`}`,
    );
  }
}

async function json(res: Response, who: string): Promise<unknown> {
  if (res.status >= 500) throw new Error(`${who} answered HTTP ${res.status}`);
  try {
    return (await res.json()) as unknown;
  } catch {
    throw new Error(`${who} answered HTTP ${res.status} with a body that is not JSON`);
  }
}
