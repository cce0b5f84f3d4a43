import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ZnsRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
  readonly answer: Record<string, unknown>;
}

/**
 * A stand-in for Zalo's ZNS API and OAuth v4 on loopback (node:http), as docs/notifications-zalo.md
 * describes them. It checks each request's shape — the `access_token` header and a JSON body of
 * exactly phone (84…), template_id, template_data (string values) and tracking_id; the refresh's
 * `secret_key` header and form of app_id, grant_type=refresh_token, refresh_token — and answers a
 * malformed one with HTTP 400 and the problem in `problems`. Refresh tokens are single-use: each
 * refresh answers a new pair and the spent token is refused after. Tests steer the answers:
 * `invalidPhones` get -108, the next `quotaExceeded` sends get -144, `expireAccessTokens()` makes
 * the tokens given so far answer -124.
 */
export class StandInZns {
  readonly sends: ZnsRequest[] = [];
  readonly refreshes: { readonly refreshToken: string; readonly ok: boolean }[] = [];
  readonly problems: string[] = [];
  readonly invalidPhones = new Set<string>();
  quotaExceeded = 0;
  refuseRefresh = false;
  private readonly accessTokens = new Set<string>();
  private refreshToken: string;
  private server!: Server;

  private constructor(
    private readonly appId: string,
    private readonly secretKey: string,
    refreshToken: string,
  ) {
    this.refreshToken = refreshToken;
  }

  static async start(appId: string, secretKey: string, refreshToken: string): Promise<StandInZns> {
    const s = new StandInZns(appId, secretKey, refreshToken);
    s.server = createServer((req, res) => void s.handle(req, res));
    await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The refresh token that is valid now (the newest one answered). */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** The access tokens given so far stop working: the next send with one answers -124. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    const bad = (problem: string): void => {
      this.problems.push(problem);
      reply(400, { error: -1, message: problem });
    };
    if (req.method !== 'POST') return bad(`${req.method} ${req.url}`);
    if (req.url === '/v4/oa/access_token') return this.refresh(req, raw, reply, bad);
    if (req.url === '/message/template') return this.send(req, raw, reply, bad);
    return bad(`unknown path ${req.url}`);
  }

  private refresh(
    req: IncomingMessage,
    raw: string,
    reply: (status: number, body: unknown) => void,
    bad: (p: string) => void,
  ): void {
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return bad(`refresh content-type ${req.headers['content-type']}`);
    if (req.headers.secret_key !== this.secretKey) return bad('refresh without the app’s secret_key header');
    const form = new URLSearchParams(raw);
    const keys = [...form.keys()].sort().join(',');
    if (keys !== 'app_id,grant_type,refresh_token') return bad(`refresh form fields ${keys}`);
    if (form.get('app_id') !== this.appId) return bad('refresh with another app_id');
    if (form.get('grant_type') !== 'refresh_token') return bad(`grant_type ${form.get('grant_type')}`);
    const given = form.get('refresh_token') ?? '';
    const ok = !this.refuseRefresh && given === this.refreshToken;
    this.refreshes.push({ refreshToken: given, ok });
    if (!ok)
      return reply(200, {
        error: -14014,
        error_name: 'Invalid refresh token',
        error_description: 'refresh token is invalid or used',
      });
    const access = `AT-${randomBytes(24).toString('base64url')}`;
    this.refreshToken = `RT-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.add(access);
    reply(200, { access_token: access, refresh_token: this.refreshToken, expires_in: '90000' });
  }

  private send(
    req: IncomingMessage,
    raw: string,
    reply: (status: number, body: unknown) => void,
    bad: (p: string) => void,
  ): void {
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return bad(`send content-type ${req.headers['content-type']}`);
    const token = req.headers.access_token;
    if (typeof token !== 'string' || token === '') return bad('send without the access_token header');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return bad('send body is not JSON');
    }
    const keys = Object.keys(body).sort().join(',');
    if (keys !== 'phone,template_data,template_id,tracking_id') return bad(`send body fields ${keys}`);
    if (typeof body.phone !== 'string' || !/^84\d{9}$/.test(body.phone))
      return bad(`phone ${String(body.phone)}`);
    if (typeof body.template_id !== 'string' || !/^\d+$/.test(body.template_id))
      return bad(`template_id ${String(body.template_id)}`);
    const data = body.template_data as Record<string, unknown> | null;
    if (typeof data !== 'object' || data === null || Object.values(data).some((v) => typeof v !== 'string'))
      return bad('template_data is not an object of strings');
    if (typeof body.tracking_id !== 'string' || body.tracking_id.length > 48)
      return bad(`tracking_id ${String(body.tracking_id)}`);

    const answer = ((): Record<string, unknown> => {
      if (!this.accessTokens.has(token)) return { error: -124, message: 'Access token is invalid' };
      if (this.invalidPhones.has(body.phone as string))
        return { error: -108, message: 'Phone number invalid' };
      if (this.quotaExceeded > 0) {
        this.quotaExceeded--;
        return { error: -144, message: 'OA has exceeded daily quota' };
      }
      return {
        error: 0,
        message: 'Success',
        data: {
          msg_id: randomBytes(16).toString('hex'),
          sent_time: String(Date.now()),
          quota: { dailyQuota: '500', remainingQuota: String(499 - this.sends.length) },
        },
      };
    })();
    this.sends.push({ headers: req.headers, body, answer });
    reply(200, answer);
  }
}
