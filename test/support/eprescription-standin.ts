import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the national prescription system's doctor-facing API (docs/eprescription.md):
 * POST /api/auth/dang-nhap-bac-si (a registered doctor at a facility gets a bearer token) and
 * POST /api/v1/gui-don-thuoc (a prescription; malformed input answers 422 with the error list
 * `danh_sach_cac_loi`; a code already held answers 422 too). It can hold its answers (the
 * prescription is accepted, the answer not sent — to kill the sender mid-send) and fail with 5xx.
 * The shapes are those documented as [unverified] in docs/eprescription.md.
 */
export interface Submitted {
  readonly code: string;
  readonly body: Record<string, unknown>;
  readonly authorization?: string;
}

const CODE = /^[0-9A-Za-z]{5}[0-9a-z]{7}-[NHCnhc]$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export class EprescriptionStandIn {
  /** Every prescription accepted (once per code), in order. */
  readonly accepted: Submitted[] = [];
  /** Every submission received (accepted, refused, held or failed). */
  readonly received: Submitted[] = [];
  readonly signIns: { facility: string; doctor: string }[] = [];
  /** Hold the answers of accepted prescriptions (the sender waits; it may be killed meanwhile). */
  hold = false;
  /** Answer the next N submissions 503 without accepting them. */
  failNext = 0;
  /** Drug codes refused with a 422. */
  readonly unknownDrugs = new Set<string>();
  private readonly held: ServerResponse[] = [];
  private readonly doctors = new Map<string, string>();
  private readonly tokens = new Map<string, string>();
  private readonly codes = new Set<string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<EprescriptionStandIn> {
    const ref: { self?: EprescriptionStandIn } = {};
    const server = createServer((req, res) => {
      void ref.self!.handle(req, res);
    });
    const self = (ref.self = new EprescriptionStandIn(server));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A doctor known to the system at a facility (ma_lien_thong_co_so_kham_chua_benh, ma_lien_thong_bac_si). */
  addDoctor(facility: string, doctor: string, password: string): void {
    this.doctors.set(`${facility}|${doctor}`, password);
  }

  /** Answers held now (accepted, not yet answered). */
  get heldCount(): number {
    return this.held.filter((r) => !r.writableEnded && !r.destroyed).length;
  }

  /** Sends the held answers (accepted). */
  release(): void {
    for (const res of this.held.splice(0))
      if (!res.writableEnded) this.json(res, 200, { success: 'Gửi đơn thuốc thành công' });
  }

  async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.body(req);
    if (req.method === 'POST' && req.url === '/api/auth/dang-nhap-bac-si') return this.signIn(body, res);
    if (req.method === 'POST' && req.url === '/api/v1/gui-don-thuoc') return this.submit(req, body, res);
    this.json(res, 404, { message: 'Not found' });
  }

  private signIn(body: unknown, res: ServerResponse): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const errors: string[] = [];
    for (const k of ['ma_lien_thong_co_so_kham_chua_benh', 'ma_lien_thong_bac_si', 'password'])
      if (typeof b[k] !== 'string' || b[k] === '') errors.push(`${k}: bắt buộc`);
    if (errors.length > 0)
      return this.json(res, 422, { success: 'Dữ liệu không hợp lệ', danh_sach_cac_loi: errors });
    const facility = b.ma_lien_thong_co_so_kham_chua_benh as string;
    const doctor = b.ma_lien_thong_bac_si as string;
    this.signIns.push({ facility, doctor });
    if (this.doctors.get(`${facility}|${doctor}`) !== b.password)
      return this.json(res, 401, { message: 'Mã liên thông bác sĩ hoặc mật khẩu không đúng' });
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, `${facility}|${doctor}`);
    this.json(res, 200, { token, token_type: 'bearer', expires_in: 604800 });
  }

  private submit(req: IncomingMessage, body: unknown, res: ServerResponse): void {
    const auth = req.headers.authorization;
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const code = typeof b.ma_don_thuoc === 'string' ? b.ma_don_thuoc : '';
    this.received.push({ code, body: b, ...(auth ? { authorization: auth } : {}) });
    if (!auth?.startsWith('Bearer ') || !this.tokens.has(auth.slice(7)))
      return this.json(res, 401, { message: 'Unauthenticated' });
    if (this.failNext > 0) {
      this.failNext--;
      return this.json(res, 503, { message: 'Hệ thống đang bảo trì' });
    }
    const errors = this.problems(b);
    if (errors.length > 0)
      return this.json(res, 422, { success: 'Dữ liệu không hợp lệ', danh_sach_cac_loi: errors });
    if (this.codes.has(code))
      return this.json(res, 422, {
        success: 'Dữ liệu không hợp lệ',
        danh_sach_cac_loi: ['ma_don_thuoc: Mã đơn thuốc đã tồn tại'],
      });
    this.codes.add(code);
    this.accepted.push({ code, body: b, authorization: auth });
    if (this.hold) {
      this.held.push(res);
      return;
    }
    this.json(res, 200, { success: 'Gửi đơn thuốc thành công' });
  }

  private problems(b: Record<string, unknown>): string[] {
    const out: string[] = [];
    const str = (k: string): boolean => typeof b[k] === 'string' && (b[k] as string).trim() !== '';
    if (!['c', 'n', 'h', 'y'].includes(b.loai_don_thuoc as string)) out.push('loai_don_thuoc: không hợp lệ');
    if (typeof b.ma_don_thuoc !== 'string' || b.ma_don_thuoc.length !== 14 || !CODE.test(b.ma_don_thuoc))
      out.push('ma_don_thuoc: không đúng cấu trúc');
    else if (b.ma_don_thuoc.slice(-1).toLowerCase() !== b.loai_don_thuoc)
      out.push('ma_don_thuoc: không khớp loại đơn thuốc');
    if (!str('ho_ten_benh_nhan')) out.push('ho_ten_benh_nhan: bắt buộc');
    if (b.ma_dinh_danh_cong_dan !== undefined && !/^\d{12}$/.test(String(b.ma_dinh_danh_cong_dan)))
      out.push('ma_dinh_danh_cong_dan: không hợp lệ');
    if (typeof b.ngay_gio_ke_don !== 'string' || !DATE_TIME.test(b.ngay_gio_ke_don))
      out.push('ngay_gio_ke_don: không hợp lệ');
    const diagnoses = b.chan_doan;
    if (!Array.isArray(diagnoses) || diagnoses.length === 0) out.push('chan_doan: bắt buộc');
    else
      diagnoses.forEach((d: Record<string, unknown>, i) => {
        if (typeof d?.ma_chan_doan !== 'string' || !/^[A-Z]\d\d(\.\w{1,4})?$/.test(d.ma_chan_doan))
          out.push(`chan_doan[${i}].ma_chan_doan: không hợp lệ`);
      });
    const drugs = b.thong_tin_don_thuoc;
    if (!Array.isArray(drugs) || drugs.length === 0) out.push('thong_tin_don_thuoc: bắt buộc');
    else
      drugs.forEach((d: Record<string, unknown>, i) => {
        for (const k of ['ma_thuoc', 'ten_thuoc', 'don_vi_tinh', 'cach_dung'])
          if (typeof d?.[k] !== 'string' || d[k] === '') out.push(`thong_tin_don_thuoc[${i}].${k}: bắt buộc`);
        if (typeof d?.so_luong !== 'number' || d.so_luong <= 0)
          out.push(`thong_tin_don_thuoc[${i}].so_luong: phải lớn hơn 0`);
        if (typeof d?.ma_thuoc === 'string' && this.unknownDrugs.has(d.ma_thuoc))
          out.push(`thong_tin_don_thuoc[${i}].ma_thuoc: không có trong danh mục thuốc`);
      });
    return out;
  }
}
