import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { AccessService, FhirStore } from '@mekong/health-record';
import { JobQueue } from '@mekong/notify';
import { FileStore } from '@tus/file-store';
import { Server, type Upload } from '@tus/server';
import { type EconsultCase, EconsultCaseRepository } from './econsult-case.repository';

/**
 * LOCAL POLICY: an upload not finished within this many hours is removed (its file and its offset);
 * the station sends the file again. Long enough for a link that is down for a day or more.
 */
export const UPLOAD_EXPIRY_HOURS = 48;
/** The hourly job that removes expired unfinished uploads. */
export const EXPIRY_QUEUE = 'econsult.uploads-expire';

/** Largest file a case takes (a phone photo of skin, a wound or an eye; a scanned result). */
export const ECONSULT_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** Accepted types, each recognised by its first bytes (the declared type must match the content). */
export const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) =>
    b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'application/pdf': (b) => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** What the controller binds to a tus request before the tus server sees it. */
export interface UploadBinding {
  readonly case: EconsultCase;
  readonly principal: Principal;
  readonly address?: string;
}
const BINDING = Symbol('econsult-upload');
type BoundRequest = IncomingMessage & { [BINDING]?: UploadBinding };

/** A tus refusal: the status and a JSON body like every other error of the API. */
function refusal(
  status: number,
  code: string,
  en: string,
  vi: string,
): { status_code: number; body: string } {
  return {
    status_code: status,
    body: JSON.stringify({ statusCode: status, code, message: `${en} / ${vi}` }),
  };
}

/**
 * Resumable uploads (tus 1.0 via @tus/server and @tus/file-store; docs/econsult.md § Uploads) of a
 * case's photos and documents. Every tus request first passes the one AuthGuard and the
 * controller's case check; the upload is bound to the case and the uploading account at creation
 * (Upload-Metadata: filename, filetype, sha256 as hex). When the last byte arrives the file's
 * SHA-256, size and type (declared and by its first bytes) are checked: a mismatch is a clear
 * error (460 checksum, 415 type), the partial file is removed and nothing of the case changes;
 * a match becomes a DocumentReference in the patient's record (content inline, so it is under the
 * patient's access rules), written with the uploader's own access.
 */
@Injectable()
export class EconsultUploadsService implements OnModuleInit {
  private readonly store: FileStore;
  private readonly tus: Server;

  constructor(
    private readonly cases: EconsultCaseRepository,
    private readonly record: FhirStore,
    private readonly access: AccessService,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.store = new FileStore({
      directory: config.econsult.uploadDir,
      expirationPeriodInMilliseconds: UPLOAD_EXPIRY_HOURS * 3600_000,
    });
    this.tus = new Server({
      path: '/econsult/cases',
      datastore: this.store,
      maxSize: ECONSULT_FILE_MAX_BYTES,
      relativeLocation: true,
      namingFunction: () => randomBytes(16).toString('hex'),
      generateUrl: (req, { id }) =>
        `/econsult/cases/${(req as BoundRequest)[BINDING]?.case.id ?? ''}/uploads/${id}`,
      getFileIdFromRequest: (_req, lastPath) => lastPath,
      onUploadCreate: (req, res, upload) => this.created(req as BoundRequest, res, upload),
      onUploadFinish: (req, res, upload) => this.finished(req as BoundRequest, res, upload),
    });
  }

  onModuleInit(): void {
    this.jobs.work(EXPIRY_QUEUE, () => this.expire().then(() => undefined));
    this.jobs.cron(EXPIRY_QUEUE, '17 * * * *');
  }

  /**
   * Removes unfinished uploads older than UPLOAD_EXPIRY_HOURS (tus's expiration extension: their
   * file and offset), and marks every unfinished upload whose file is gone as rejected (ECONSULT.EXPIRED),
   * so it is no longer resumable. Returns how many were marked. A row is written just before tus
   * creates its file: only rows created before `settled` (a minute ago) are judged.
   */
  async expire(settled = new Date(Date.now() - 60_000)): Promise<number> {
    await this.tus.cleanUpExpiredUploads();
    let marked = 0;
    for (const id of await this.cases.unfinishedUploads(settled)) {
      const exists = await this.store.getUpload(id).then(
        () => true,
        () => false,
      );
      if (exists) continue;
      await this.cases.finishUpload(id, { status: 'rejected', reason: 'ECONSULT.EXPIRED' });
      marked++;
    }
    return marked;
  }

  /** Hands a tus request, already authenticated and checked against the case, to the tus server. */
  async handle(req: IncomingMessage, res: ServerResponse, binding: UploadBinding): Promise<void> {
    (req as BoundRequest)[BINDING] = binding;
    // tus honours X-HTTP-Method-Override: the method the guard and the route checked is the one run
    // (a PATCH must not become a DELETE, a termination no route offers).
    delete req.headers['x-http-method-override'];
    await this.tus.handle(req, res);
  }

  private async created(req: BoundRequest, res: ServerResponse, upload: Upload): Promise<ServerResponse> {
    const binding = req[BINDING];
    if (!binding)
      throw refusal(404, 'ECONSULT.NOT_FOUND', 'No such e-consultation', 'Không có yêu cầu tư vấn này');
    const meta = upload.metadata ?? {};
    const type = (meta.filetype ?? '').toLowerCase();
    if (!SIGNATURES[type])
      throw refusal(
        415,
        'ECONSULT.UNSUPPORTED_TYPE',
        'Send JPEG, PNG or PDF files',
        'Chỉ nhận tệp JPEG, PNG hoặc PDF',
      );
    const sha256 = (meta.sha256 ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw refusal(
        400,
        'ECONSULT.CHECKSUM_REQUIRED',
        'Upload-Metadata must carry the file’s sha256 (hex)',
        'Cần gửi mã SHA-256 của tệp trong Upload-Metadata',
      );
    if (upload.size === undefined || upload.size < 1)
      throw refusal(
        400,
        'ECONSULT.LENGTH_REQUIRED',
        'Upload-Length is required',
        'Cần khai báo kích thước tệp',
      );
    const filename =
      (meta.filename ?? '').replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 200) ||
      `case-file.${type.split('/')[1]}`;
    await this.cases.insertUpload({
      id: upload.id,
      caseId: binding.case.id,
      uploader: binding.principal.subject,
      filename,
      contentType: type,
      size: upload.size,
      sha256,
    });
    return res;
  }

  private async finished(
    req: BoundRequest,
    res: ServerResponse,
    upload: Upload,
  ): Promise<{ res: ServerResponse; headers: Record<string, string> }> {
    const binding = req[BINDING];
    const row = await this.cases.upload(upload.id);
    if (!binding || !row)
      throw refusal(404, 'ECONSULT.NOT_FOUND', 'No such upload', 'Không có tệp tải lên này');
    const path = join(this.config.econsult.uploadDir, upload.id);
    const { sha256, head, size } = await digest(path);
    const reject = async (status: number, code: string, en: string, vi: string): Promise<never> => {
      await this.cases.finishUpload(upload.id, { status: 'rejected', reason: code });
      await this.store.remove(upload.id).catch(() => undefined);
      throw refusal(status, code, en, vi);
    };
    if (size !== row.size)
      await reject(
        460,
        'ECONSULT.SIZE_MISMATCH',
        'The file’s size is not the one declared',
        'Kích thước tệp không khớp',
      );
    if (sha256 !== row.sha256)
      await reject(
        460,
        'ECONSULT.CHECKSUM_MISMATCH',
        'The file’s SHA-256 does not match the one sent: the file was damaged on the way, send it again',
        'Mã SHA-256 của tệp không khớp: tệp bị hỏng trên đường truyền, vui lòng gửi lại',
      );
    if (!SIGNATURES[row.contentType]?.(head))
      await reject(
        415,
        'ECONSULT.TYPE_MISMATCH',
        `The file is not a ${row.contentType}`,
        'Nội dung tệp không đúng định dạng đã khai báo',
      );
    const c = binding.case;
    const data = await readAll(path);
    const access = await this.access.contextFor(binding.principal, binding.address);
    const documentId = randomUUID();
    const write = this.record.transaction(async (em, pending) => {
      await this.record.create(
        em,
        'DocumentReference',
        {
          resourceType: 'DocumentReference',
          status: 'current',
          identifier: [
            {
              system: 'urn:ietf:rfc:6920',
              value: `ni:///sha-256;${Buffer.from(sha256, 'hex').toString('base64url')}`,
            },
          ],
          type: { text: 'Tài liệu gửi kèm yêu cầu tư vấn từ xa / E-consultation attachment' },
          subject: { reference: `Patient/${c.patientId}` },
          date: new Date().toISOString(),
          ...(binding.principal.fhirUser ? { author: [{ reference: binding.principal.fhirUser }] } : {}),
          description: row.filename,
          content: [
            {
              attachment: {
                contentType: row.contentType,
                data: data.toString('base64'),
                size: data.length,
                hash: createHash('sha1').update(data).digest('base64'),
                title: row.filename,
                creation: new Date().toISOString(),
              },
            },
          ],
          context: {
            related: [
              { reference: `ServiceRequest/${c.serviceRequestId}` },
              { reference: `Task/${c.taskId}` },
            ],
          },
        },
        { id: documentId, pending, access },
      );
      await this.cases.finishUpload(upload.id, { status: 'stored', documentId, em });
    });
    // A file the record refuses (the uploader lost access meanwhile...) must not stay complete but
    // unstored: a client resuming it would find nothing left to send. It is rejected like a bad one.
    await write.catch(async (err: unknown) => {
      const e = err as { status?: unknown; getStatus?: () => number };
      const status = typeof e.getStatus === 'function' ? e.getStatus() : e.status;
      await reject(
        typeof status === 'number' && status >= 400 && status < 500 ? status : 500,
        'ECONSULT.NOT_STORED',
        'The file could not be stored in the patient’s record: send it again, or ask the station',
        'Không lưu được tệp vào hồ sơ bệnh nhân: vui lòng gửi lại hoặc liên hệ trạm y tế',
      );
    });
    await this.store.remove(upload.id).catch(() => undefined);
    return { res, headers: { 'Econsult-Document': `DocumentReference/${documentId}` } };
  }
}

async function digest(path: string): Promise<{ sha256: string; head: Buffer; size: number }> {
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), head, size };
}

async function readAll(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
