import { Controller, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import { AccessService, AuditService, FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { ConsultationGateway } from './consultation.gateway';
import { RoomsService } from './rooms.service';

/** Largest file a participant may share in a visit (a phone photo of a prescription, a PDF result). */
export const VISIT_FILE_MAX_BYTES = 5 * 1024 * 1024;

/** Accepted types, each recognised by its first bytes (the declared type must match the content). */
const SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) =>
    b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'application/pdf': (b) => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** Past this, an oversized upload is cut off instead of read to its end. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * The body, at most `max` bytes. An oversized one is read to its end and discarded (up to
 * DRAIN_LIMIT) before the 413, so the client sees the answer instead of a reset connection.
 */
async function readBody(req: Request, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DRAIN_LIMIT) {
      req.destroy();
      break;
    }
    if (size <= max) chunks.push(chunk);
  }
  if (size > max)
    throw new DomainError(
      'too-large',
      413,
      `Files are limited to ${max / 1024 / 1024} MB / Tệp tối đa ${max / 1024 / 1024} MB`,
    );
  return Buffer.concat(chunks);
}

/**
 * Files shared during a visit (`POST /consultation/visits/{appointmentId}/files`, body = the file,
 * Content-Type image/jpeg, image/png or application/pdf, ≤ 5 MB, optional `X-File-Name`):
 * only an admitted participant, only after the patient consented to keep the visit's content.
 * Stored as a DocumentReference in the patient's record with the content inline (so it is under
 * the patient's access rules; a separate Binary would be outside the patient compartment), the
 * write audited as the uploader; the room gets a `file` event.
 */
@Controller('consultation/visits/:appointmentId/files')
export class VisitFilesController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly gateway: ConsultationGateway,
  ) {}

  @Post()
  @RequireScope('Communication.c')
  @HttpCode(201)
  async upload(
    @Param('appointmentId') appointmentId: string,
    @Req() req: Request,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-file-name') fileName: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ documentReference: string; size: number; contentType: string }> {
    const room = this.rooms.get(appointmentId);
    const me = room?.participants.get(principal.subject);
    if (!room || !me || me.state !== 'admitted')
      throw new DomainError(
        'NOT_A_PARTICIPANT',
        403,
        'Only participants of a running visit share files / Chỉ người tham gia buổi khám',
      );
    if (!room.consentId)
      throw new DomainError(
        'CONSENT_REQUIRED',
        409,
        'The patient has not agreed to keep this visit in their record / Bệnh nhân chưa đồng ý lưu vào hồ sơ',
      );
    const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const matches = SIGNATURES[type];
    if (!matches)
      throw new DomainError(
        'unsupported-type',
        415,
        'Share JPEG, PNG or PDF files / Chỉ nhận JPEG, PNG hoặc PDF',
      );
    const data = await readBody(req, VISIT_FILE_MAX_BYTES);
    if (data.length === 0 || !matches(data))
      throw new DomainError(
        'unsupported-type',
        415,
        `The file is not a ${type} / Nội dung tệp không đúng định dạng`,
      );
    // Header values are Latin-1: clients send the name URI-encoded (Vietnamese names).
    let name = fileName ?? '';
    try {
      name = decodeURIComponent(name);
    } catch {
      // not encoded: used as is
    }
    const title =
      name.replace(/[^\p{L}\p{N} ._()-]/gu, '').slice(0, 200) || `visit-file.${type.split('/')[1]}`;
    const id = randomUUID();
    const { version } = await this.store.createOne(
      'DocumentReference',
      {
        resourceType: 'DocumentReference',
        id,
        status: 'current',
        type: { text: 'Tệp chia sẻ trong buổi khám từ xa / File shared in a video visit' },
        subject: { reference: `Patient/${room.patientId}` },
        date: new Date().toISOString(),
        author: [{ reference: me.actor }],
        description: title,
        content: [
          {
            attachment: {
              contentType: type,
              data: data.toString('base64'),
              size: data.length,
              hash: createHash('sha1').update(data).digest('base64'),
              title,
              creation: new Date().toISOString(),
            },
          },
        ],
        context: {
          related: [
            { reference: `Appointment/${appointmentId}` },
            { reference: `Consent/${room.consentId}` },
          ],
        },
      },
      SystemReason.of(SYSTEM_REASONS.visitFile),
    );
    const access = await this.access.contextFor(principal, req.ip);
    await this.audit.record(
      access.audit('C', 'create', `DocumentReference/${version.id}/_history/1`, [room.patientId]),
    );
    this.gateway.announceFile(room, {
      documentReference: `DocumentReference/${version.id}`,
      title,
      contentType: type,
      size: data.length,
      from: me.actor,
    });
    return { documentReference: `DocumentReference/${version.id}`, size: data.length, contentType: type };
  }
}
