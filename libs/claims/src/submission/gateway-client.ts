import { createHash } from 'node:crypto';

/**
 * The BHXH claims gateway ("Cổng tiếp nhận dữ liệu Hệ thống thông tin giám định BHYT") as BHXH
 * Việt Nam's Công văn 1245/BHXH-CNTT (03/05/2024), Phụ lục mục I, describes it (the same shape as
 * Công văn 3190/BHXH-CNTT (03/10/2023) for QĐ 130): JSON web services, form-encoded requests.
 * - mục 1 `POST /api/token/take` — body `username`, `password` (MD5, uppercase hex); answer
 *   `maKetQua` and `APIKey` {access_token, id_token, token_type, username, expires_in (UTC)}.
 * - mục 3 `POST /api/qd130/guiHoSoXmlQD4750` — headers `accessToken`, `tokenId` (the id_token),
 *   `passwordHash` (MD5 of the password); body `username`, `loaiHoSo` ("130"), `maTinh`, `maCSKCB`,
 *   `fileHSBase64` (the GIAMDINHHS envelope, base64); answer `maKetQua` ("200 – success, 401
 *   unauthen, 403 – unauthoried…"), `maGiaoDich`, `thoiGianTiepNhan` (yyyyMMddHHmmss), `thongDiep`.
 * [unverified]: the letter case of `passwordHash` (the letter says only "md5"; uppercase is used,
 * like the sign-in's), the maKetQua of a business rejection and of a duplicate MA_LK, and how
 * `thongDiep` lists several errors (docs/claims-submission.md "Protocol").
 */
export interface GatewaySettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
  /** Submission path; CV 1245 mục 3 (QĐ 4750). CV 3190 mục 3 named `/api/qd130/guiHoSoXmlQD130`. */
  readonly submitPath?: string;
  /** Check-in path; CV 1245 mục 2 (QĐ 4750). */
  readonly checkInPath?: string;
}

/** The gateway's answer to a submission (CV 1245 Phụ lục mục 3.3). */
export interface GatewayAnswer {
  readonly maKetQua?: string;
  readonly maGiaoDich?: string;
  readonly thoiGianTiepNhan?: string;
  readonly thongDiep?: string;
  readonly [k: string]: unknown;
}

export type SubmitOutcome =
  | { readonly kind: 'accepted'; readonly httpStatus: number; readonly answer: GatewayAnswer }
  | {
      readonly kind: 'rejected';
      readonly httpStatus: number;
      readonly answer: GatewayAnswer;
      readonly reasons: string[];
    };

/** Unreachable, timed out, 5xx, 429, a sign-in refused, a token refused twice: tried again later. */
export class TransientFailure extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
    readonly answer?: unknown,
  ) {
    super(message);
    this.name = 'TransientFailure';
  }
}

/** MD5 as uppercase hex (CV 1245 Phụ lục mục 1.2: "mã hóa MD5 uppercase"). */
export function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

/** The province code of a facility: the first two characters of its MA_CSKCB [unverified rule]. */
export function provinceOf(facilityCode: string): string {
  return facilityCode.slice(0, 2);
}

/** Reasons of a rejection, one per line or `;` of thongDiep [unverified separator]. */
export function reasonsOf(thongDiep: string | undefined): string[] {
  const parts = (thongDiep ?? '')
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return parts.length > 0 ? parts : ['(the gateway gave no message)'];
}

interface Token {
  readonly accessToken: string;
  readonly idToken: string;
}

/** One sign-in per submission: tokens are not shared between jobs (they are short and cheap). */
export class GatewayClient {
  constructor(private readonly s: GatewaySettings) {}

  private async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    let res: Response;
    try {
      res = await fetch(`${this.s.url.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.s.timeoutMs),
      });
    } catch (err) {
      // Never the request (it holds the password hash): only what went wrong.
      const what =
        err instanceof Error ? (err.name === 'TimeoutError' ? 'timed out' : err.message) : String(err);
      throw new TransientFailure(`gateway ${path}: ${what}`);
    }
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
    if (res.status >= 500 || res.status === 429)
      throw new TransientFailure(
        `gateway ${path}: HTTP ${res.status}`,
        res.status,
        body ?? text.slice(0, 500),
      );
    return { status: res.status, body: (body ?? {}) as Record<string, unknown>, text };
  }

  async signIn(): Promise<Token> {
    const r = await this.post('/api/token/take', {
      username: this.s.username,
      password: md5Upper(this.s.password),
    });
    const key = r.body.APIKey as { access_token?: string; id_token?: string } | undefined;
    if (String(r.body.maKetQua) !== '200' || !key?.access_token || !key.id_token)
      throw new TransientFailure(
        `gateway sign-in refused (HTTP ${r.status}, maKetQua ${String(r.body.maKetQua)})`,
        r.status,
        {
          maKetQua: r.body.maKetQua,
        },
      );
    return { accessToken: key.access_token, idToken: key.id_token };
  }

  /** Sends one envelope (CV 1245 mục 3, `loaiHoSo` 130); a refused token (401) signs in again once. */
  submit(envelope: string, facilityCode: string): Promise<SubmitOutcome> {
    return this.sendFile(this.s.submitPath ?? '/api/qd130/guiHoSoXmlQD4750', '130', envelope, facilityCode);
  }

  /**
   * Sends a visit's check-in (CV 1245 mục 2: `checkInKcbQd4750`, `loaiHoSo` 0, `fileHSBase64` =
   * the CHI_TIEU_TRANG_THAI_KCB document), same headers and answers as a submission.
   */
  checkIn(document: string, facilityCode: string): Promise<SubmitOutcome> {
    return this.sendFile(this.s.checkInPath ?? '/api/qd130/checkInKcbQd4750', '0', document, facilityCode);
  }

  private async sendFile(
    path: string,
    loaiHoSo: string,
    file: string,
    facilityCode: string,
  ): Promise<SubmitOutcome> {
    for (let round = 0; round < 2; round++) {
      const token = await this.signIn();
      const r = await this.post(
        path,
        {
          username: this.s.username,
          loaiHoSo,
          maTinh: provinceOf(facilityCode),
          maCSKCB: facilityCode,
          fileHSBase64: Buffer.from(file, 'utf8').toString('base64'),
        },
        { accessToken: token.accessToken, tokenId: token.idToken, passwordHash: md5Upper(this.s.password) },
      );
      const answer = r.body as GatewayAnswer;
      const code = answer.maKetQua === undefined ? String(r.status) : String(answer.maKetQua);
      if (code === '200' && r.status < 300) return { kind: 'accepted', httpStatus: r.status, answer };
      if (code === '401' || r.status === 401) {
        if (round === 0) continue;
        throw new TransientFailure('gateway refused the token twice (401)', r.status, answer);
      }
      if (code.startsWith('5')) throw new TransientFailure(`gateway maKetQua ${code}`, r.status, answer);
      return { kind: 'rejected', httpStatus: r.status, answer, reasons: reasonsOf(answer.thongDiep) };
    }
    throw new TransientFailure('unreachable');
  }
}
