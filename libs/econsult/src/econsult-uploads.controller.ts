import { Controller, Get, Head, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { CurrentPrincipal, type Principal, RequireScope, Roles } from '@mekong/auth';
import { DomainError } from '@mekong/common';
import { AccessService, AuditService, FhirStore } from '@mekong/health-record';
import type { Request, Response } from 'express';
import { EconsultCaseRepository } from './econsult-case.repository';
import { ECONSULT } from './econsult-duty';
import { CaseParams, UploadParams } from './econsult.dto';
import { EconsultService } from './econsult.service';
import { EconsultUploadsService } from './econsult-uploads.service';

const noUpload = (): DomainError =>
  new DomainError('ECONSULT.NOT_FOUND', 404, 'No such upload / Không có tệp tải lên này');

/**
 * A case's photos and documents: tus resumable uploads (POST creates, HEAD tells the offset,
 * PATCH appends) mounted under the case, each request through the one AuthGuard (bearer token,
 * scope, role) and checked here: only the sending facility's staff upload, to an open case; HEAD
 * and PATCH only by the account that created the upload. GET a stored document's bytes (anyone
 * who sees the case).
 */
@Controller('econsult/cases/:id')
export class EconsultUploadsController {
  constructor(
    private readonly econsult: EconsultService,
    private readonly cases: EconsultCaseRepository,
    private readonly uploads: EconsultUploadsService,
    private readonly store: FhirStore,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  @Post('uploads')
  @RequireScope('DocumentReference.c')
  @Roles('clinic-staff', 'practitioner')
  async create(
    @Param() params: CaseParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { c, role } = await this.econsult.visible(params.id, p);
    if (role !== 'sender')
      throw new DomainError(
        'ECONSULT.SENDER_ONLY',
        403,
        'Only the sending facility adds files to a case / Chỉ cơ sở gửi được thêm tệp',
      );
    if (c.status === 'completed')
      throw new DomainError(
        'ECONSULT.ALREADY_ANSWERED',
        409,
        'This case was already answered / Ca này đã được trả lời',
      );
    // The finished file is written to the record with the uploader's own access: refused now, not
    // after the last byte, for a colleague of the facility who does not reach this patient.
    if (!(await this.access.contextFor(p, req.ip)).canReachPatient(c.patientId))
      throw new DomainError(
        'ECONSULT.NO_PATIENT_ACCESS',
        403,
        "You have no access to this patient's record / Bạn không có quyền truy cập hồ sơ bệnh nhân này",
      );
    await this.uploads.handle(req, res, { case: c, principal: p, address: req.ip });
  }

  @Head('uploads/:uploadId')
  @RequireScope('DocumentReference.c')
  @Roles('clinic-staff', 'practitioner')
  async offset(
    @Param() params: UploadParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.resume(params, p, req, res);
  }

  @Patch('uploads/:uploadId')
  @RequireScope('DocumentReference.c')
  @Roles('clinic-staff', 'practitioner')
  async append(
    @Param() params: UploadParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.resume(params, p, req, res);
  }

  /** HEAD and PATCH: the upload's own account, on its own case, while it is still uploading. */
  private async resume(params: UploadParams, p: Principal, req: Request, res: Response): Promise<void> {
    const upload = await this.cases.upload(params.uploadId);
    if (
      !upload ||
      upload.caseId !== params.id ||
      upload.uploader !== p.subject ||
      upload.status !== 'uploading'
    )
      throw noUpload();
    const { c } = await this.econsult.visible(params.id, p);
    await this.uploads.handle(req, res, { case: c, principal: p, address: req.ip });
  }

  /** A stored document's bytes, to whoever sees the case (the read audited as theirs). */
  @Get('documents/:uploadId')
  @RequireScope('DocumentReference.rs')
  @Roles('clinic-staff', 'practitioner', 'patient')
  async document(
    @Param() params: UploadParams,
    @CurrentPrincipal() p: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { c } = await this.econsult.visible(params.id, p);
    const upload = await this.cases.upload(params.uploadId);
    if (!upload || upload.caseId !== c.id || upload.status !== 'stored' || !upload.documentId)
      throw noUpload();
    const documentId = upload.documentId;
    const v = await this.store.transaction((em) =>
      this.store.current(em, 'DocumentReference', documentId, ECONSULT),
    );
    const attachment = (
      v?.content as
        { content?: { attachment?: { data?: string; contentType?: string } }[] } | null | undefined
    )?.content?.[0]?.attachment;
    if (!v || v.deleted || !attachment?.data) throw noUpload();
    const access = await this.access.contextFor(p, req.ip);
    await this.audit.record(
      access.audit('R', 'read', `DocumentReference/${documentId}/_history/${v.versionId}`, [c.patientId]),
    );
    res
      .status(200)
      .type(attachment.contentType ?? 'application/octet-stream')
      .setHeader('Content-Disposition', 'attachment')
      .send(Buffer.from(attachment.data, 'base64'));
  }
}
