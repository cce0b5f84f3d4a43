import {
  SIGN_IN_PATH,
  type SignInRequest,
  type SignInResponse,
  SUBMIT_PATH,
  type SubmitRequest,
} from './national-api';

/** Worth trying again later: the system could not be reached, timed out or failed (5xx, 429, 401 after sign-in). */
export class TransientFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientFailure';
  }
}

export type SubmitOutcome =
  | { readonly kind: 'accepted'; readonly message: string }
  | { readonly kind: 'refused'; readonly status: number; readonly reasons: readonly string[] };

export type SignInOutcome =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'refused'; readonly reasons: readonly string[] };

/** One error of the list as text: a string as it is, an object as `field: message` (both shapes were seen). */
export function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const field = o.truong ?? o.field ?? o.ten_truong;
    const msg = o.thong_bao ?? o.message ?? o.noi_dung ?? o.ma_loi;
    if (typeof msg === 'string') return typeof field === 'string' ? `${field}: ${msg}` : msg;
  }
  return JSON.stringify(e);
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function reasonsOf(body: unknown, status: number): string[] {
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    const list = o.danh_sach_cac_loi;
    const reasons = Array.isArray(list) ? list.map(errorText) : [];
    for (const k of ['success', 'message'])
      if (typeof o[k] === 'string' && reasons.length === 0) reasons.push(o[k]);
    if (reasons.length > 0) return reasons;
  }
  return [typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}`];
}

/**
 * A code the system already holds: the answer to sending the same prescription twice. Its wording is
 * [unverified] (a third-party integration quotes "Đơn thuốc đã được sử dụng trước đó"); the
 * stand-in answers `ma_don_thuoc: … đã tồn tại`.
 */
export function isAlreadyHeld(reasons: readonly string[]): boolean {
  return reasons.some(
    (r) => /đã được sử dụng/i.test(r) || (/ma_don_thuoc/i.test(r) && /(đã tồn tại|already)/i.test(r)),
  );
}

/**
 * HTTP to the national system. Never logs bodies (they carry the CCCD and the drugs); the password
 * and token live only in this call's memory.
 */
export class NationalClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  private async post(path: string, body: unknown, token?: string): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          Accept: 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new TransientFailure(`${path} unreachable: ${err instanceof Error ? err.name : 'error'}`);
    }
  }

  async signIn(req: SignInRequest): Promise<SignInOutcome> {
    const res = await this.post(SIGN_IN_PATH, req);
    const body = await bodyOf(res);
    if (res.status >= 500 || res.status === 429) throw new TransientFailure(`sign-in: HTTP ${res.status}`);
    if (
      res.status === 200 &&
      body &&
      typeof body === 'object' &&
      typeof (body as SignInResponse).token === 'string'
    )
      return { kind: 'token', token: (body as SignInResponse).token };
    if (res.status === 200) throw new TransientFailure('sign-in: an answer without a token');
    return {
      kind: 'refused',
      reasons: reasonsOf(body, res.status).map((r) => `sign-in refused (HTTP ${res.status}): ${r}`),
    };
  }

  async submit(req: SubmitRequest, token: string): Promise<SubmitOutcome> {
    const res = await this.post(SUBMIT_PATH, req, token);
    const body = await bodyOf(res);
    if (res.status >= 500 || res.status === 429 || res.status === 401)
      throw new TransientFailure(`submit: HTTP ${res.status}`);
    if (res.status >= 200 && res.status < 300) {
      const message = body && typeof body === 'object' ? (body as { success?: unknown }).success : body;
      return { kind: 'accepted', message: typeof message === 'string' ? message : '' };
    }
    return { kind: 'refused', status: res.status, reasons: reasonsOf(body, res.status) };
  }
}
