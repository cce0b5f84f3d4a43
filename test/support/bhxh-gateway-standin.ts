import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the BHXH claims gateway as Công văn 1245/BHXH-CNTT (03/05/2024), Phụ lục mục I,
 * describes it (docs/claims-submission.md "Protocol"):
 * - `POST /api/token/take` (form: username, password = MD5 uppercase) → `{ maKetQua, APIKey:
 *   { access_token, id_token, token_type, username, expires_in } }`;
 * - `POST /api/qd130/guiHoSoXmlQD4750` (headers accessToken, tokenId, passwordHash; form: username,
 *   loaiHoSo 130, maTinh, maCSKCB, fileHSBase64) → `{ maKetQua, maGiaoDich, thoiGianTiepNhan, thongDiep }`;
 * - `POST /api/qd130/checkInKcbQd4750`: the same with loaiHoSo 0 and the check-in table (XML0).
 * What the letter does not document is the stand-in's own choice, [unverified] in the docs: the
 * maKetQua of malformed input and business rejections ("400"), of a facility not the account's
 * ("403"), errors joined with "; ", and a second submission of an MA_LK replacing the first.
 */
export interface Receipt {
  readonly maLk: string;
  readonly maCSKCB: string;
  readonly maTinh: string;
  readonly envelope: string;
  readonly maGiaoDich: string;
}

const md5Upper = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex').toUpperCase();

export class BhxhGatewayStandIn {
  /** Every submission that reached the gateway and was well formed (held ones included), in order. */
  readonly received: Receipt[] = [];
  /** The hồ sơ the gateway holds: one per MA_LK (a resend replaces it). */
  readonly records = new Map<string, Receipt>();
  /** Each accepted answer actually sent, per MA_LK. */
  readonly acceptedAnswers = new Map<string, number>();
  readonly signIns: string[] = [];
  /** Every well-formed check-in received (XML0), and the one held per MA_LK. */
  readonly checkInsReceived: Receipt[] = [];
  readonly checkIns = new Map<string, Receipt>();
  /** Answer the next N submissions 503 (nothing received). */
  failNext = 0;
  /** Keep the answer of accepted submissions (received, not answered) until release(). */
  hold = false;
  /** MA_LK → the business reasons its claim is refused with. */
  readonly reject = new Map<string, string[]>();
  /** Refuse the next well-formed submission with these business reasons. */
  rejectNext?: string[];
  private readonly held: { res: ServerResponse; receipt: Receipt }[] = [];
  private readonly tokens = new Map<string, { idToken: string; username: string }>();

  private constructor(
    private readonly server: Server,
    private readonly account: { username: string; password: string; facility: string },
  ) {}

  static async start(account: {
    username: string;
    password: string;
    facility: string;
  }): Promise<BhxhGatewayStandIn> {
    const ref: { self?: BhxhGatewayStandIn } = {};
    const server = createServer((req, res) => {
      void ref.self!.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    const self = (ref.self = new BhxhGatewayStandIn(server, account));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Sends the held answers (accepted). */
  release(): void {
    for (const h of this.held.splice(0))
      if (!h.res.writableEnded && !h.res.destroyed) this.accept(h.res, h.receipt);
  }

  async close(): Promise<void> {
    for (const h of this.held.splice(0)) h.res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private answer(
    res: ServerResponse,
    maKetQua: string,
    thongDiep: string,
    status = 200,
    maGiaoDich = '',
  ): void {
    this.json(res, status, { maKetQua, maGiaoDich, thoiGianTiepNhan: stamp(), thongDiep });
  }

  private accept(res: ServerResponse, r: Receipt): void {
    this.acceptedAnswers.set(r.maLk, (this.acceptedAnswers.get(r.maLk) ?? 0) + 1);
    this.answer(res, '200', 'Tiếp nhận hồ sơ thành công', 200, r.maGiaoDich);
  }

  private async form(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST') return this.answer(res, '404', 'Not found', 404);
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return this.answer(res, '400', 'Content-Type phải là application/x-www-form-urlencoded', 400);
    const form = await this.form(req);
    if (path === '/api/token/take') {
      if (
        form.get('username') !== this.account.username ||
        form.get('password') !== md5Upper(this.account.password)
      )
        return this.answer(res, '401', 'Sai tên đăng nhập hoặc mật khẩu', 401);
      const accessToken = randomBytes(24).toString('base64url');
      const idToken = randomBytes(16).toString('hex');
      this.tokens.set(accessToken, { idToken, username: this.account.username });
      this.signIns.push(this.account.username);
      return this.json(res, 200, {
        maKetQua: '200',
        APIKey: {
          access_token: accessToken,
          id_token: idToken,
          token_type: 'Bearer',
          username: this.account.username,
          expires_in: new Date(Date.now() + 3600_000).toISOString(),
        },
      });
    }
    const checkIn = path === '/api/qd130/checkInKcbQd4750';
    if (path !== '/api/qd130/guiHoSoXmlQD4750' && !checkIn) return this.answer(res, '404', 'Not found', 404);
    const token = this.tokens.get(String(req.headers.accesstoken ?? ''));
    if (
      !token ||
      token.idToken !== req.headers.tokenid ||
      req.headers.passwordhash !== md5Upper(this.account.password) ||
      form.get('username') !== token.username
    )
      return this.answer(res, '401', 'Phiên làm việc không hợp lệ', 401);
    if (this.failNext > 0) {
      this.failNext--;
      return this.answer(res, '503', 'Hệ thống đang bận', 503);
    }
    if (checkIn) return this.checkIn(res, form);
    const problems: string[] = [];
    if (form.get('loaiHoSo') !== '130') problems.push('loaiHoSo phải là 130');
    const maCSKCB = form.get('maCSKCB') ?? '';
    const maTinh = form.get('maTinh') ?? '';
    if (!/^\d{2}$/.test(maTinh)) problems.push('maTinh không hợp lệ');
    const b64 = form.get('fileHSBase64') ?? '';
    const envelope = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : '';
    if (!/<GIAMDINHHS[\s>]/.test(envelope))
      problems.push('fileHSBase64 không phải hồ sơ GIAMDINHHS mã hóa base64');
    const files = [
      ...envelope.matchAll(
        /<FILEHOSO>\s*<LOAIHOSO>(XML\d+)<\/LOAIHOSO>\s*<NOIDUNGFILE>([^<]*)<\/NOIDUNGFILE>\s*<\/FILEHOSO>/g,
      ),
    ];
    if (envelope && files.length === 0) problems.push('Hồ sơ không có FILEHOSO');
    const xml1 = files.find((f) => f[1] === 'XML1');
    const xml1Text =
      xml1 && /^[A-Za-z0-9+/]+={0,2}$/.test(xml1[2]!) ? Buffer.from(xml1[2]!, 'base64').toString('utf8') : '';
    const maLk = /<MA_LK>(?:<!\[CDATA\[)?([^<\]]+)/.exec(xml1Text)?.[1] ?? '';
    if (envelope && !maLk) problems.push('XML1 không có MA_LK (NOIDUNGFILE phải là base64)');
    const envFacility = /<THONGTINDONVI>\s*<MACSKCB>([^<]*)<\/MACSKCB>/.exec(envelope)?.[1];
    if (envelope && envFacility !== maCSKCB)
      problems.push(`MACSKCB của hồ sơ (${envFacility ?? ''}) khác maCSKCB (${maCSKCB})`);
    if (problems.length > 0) return this.answer(res, '400', problems.join('; '));
    if (maCSKCB !== this.account.facility)
      return this.answer(res, '403', `Tài khoản không được gửi hồ sơ của cơ sở ${maCSKCB}`);
    const receipt: Receipt = { maLk, maCSKCB, maTinh, envelope, maGiaoDich: randomBytes(8).toString('hex') };
    const reasons = this.reject.get(maLk) ?? this.rejectNext;
    this.rejectNext = undefined;
    if (reasons) {
      this.received.push(receipt);
      return this.answer(res, '400', reasons.join('; '), 200, receipt.maGiaoDich);
    }
    this.received.push(receipt);
    this.records.set(maLk, receipt);
    if (this.hold) {
      this.held.push({ res, receipt });
      return;
    }
    this.accept(res, receipt);
  }

  /**
   * CV 1245 mục 2 (`checkInKcbQd4750`): `loaiHoSo` 0, `fileHSBase64` = the CHI_TIEU_TRANG_THAI_KCB
   * document (base64); the same answers as a submission. A second check-in of an MA_LK is
   * accepted and replaces the first (the stand-in's choice; the letter is silent).
   */
  private checkIn(res: ServerResponse, form: URLSearchParams): void {
    const problems: string[] = [];
    if (form.get('loaiHoSo') !== '0') problems.push('loaiHoSo phải là 0');
    const maCSKCB = form.get('maCSKCB') ?? '';
    const maTinh = form.get('maTinh') ?? '';
    if (!/^\d{2}$/.test(maTinh)) problems.push('maTinh không hợp lệ');
    const b64 = form.get('fileHSBase64') ?? '';
    const document = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : '';
    if (!/<CHI_TIEU_TRANG_THAI_KCB[\s>]/.test(document))
      problems.push('fileHSBase64 không phải bảng check-in CHI_TIEU_TRANG_THAI_KCB mã hóa base64');
    const maLk = /<MA_LK>(?:<!\[CDATA\[)?([^<\]]+)/.exec(document)?.[1] ?? '';
    if (document && !maLk) problems.push('Bảng check-in không có MA_LK');
    const docFacility = /<MA_CSKCB>(?:<!\[CDATA\[)?([^<\]]*)/.exec(document)?.[1];
    if (document && docFacility !== maCSKCB)
      problems.push(`MA_CSKCB của bảng (${docFacility ?? ''}) khác maCSKCB (${maCSKCB})`);
    if (problems.length > 0) return this.answer(res, '400', problems.join('; '));
    if (maCSKCB !== this.account.facility)
      return this.answer(res, '403', `Tài khoản không được gửi dữ liệu của cơ sở ${maCSKCB}`);
    const receipt: Receipt = {
      maLk,
      maCSKCB,
      maTinh,
      envelope: document,
      maGiaoDich: randomBytes(8).toString('hex'),
    };
    const reasons = this.rejectNext;
    this.rejectNext = undefined;
    this.checkInsReceived.push(receipt);
    if (reasons) return this.answer(res, '400', reasons.join('; '), 200, receipt.maGiaoDich);
    this.checkIns.set(maLk, receipt);
    this.answer(res, '200', 'Tiếp nhận check-in thành công', 200, receipt.maGiaoDich);
  }
}

function stamp(): string {
  const t = new Date(Date.now() + 7 * 3600_000).toISOString();
  return t.slice(0, 19).replace(/[-T:]/g, '');
}
