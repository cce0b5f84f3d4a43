import {
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import type { Request } from 'express';
import { type Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { AuditService } from './audit.service';

const ACTION: Record<string, 'C' | 'R' | 'U' | 'D' | 'E'> = {
  GET: 'R',
  POST: 'C',
  PUT: 'U',
  PATCH: 'U',
  DELETE: 'D',
};

/**
 * Records refused FHIR requests (403, 404, 405) with outcome 4 (ASVS 7.2.2): a patient probing
 * someone else's record leaves a trace even though the answer reveals nothing.
 */
@Injectable()
export class AuditDeniedInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    return next.handle().pipe(
      catchError((err: unknown) => {
        const status = err instanceof HttpException ? err.getStatus() : 500;
        const principal = req.principal;
        if (!principal || ![403, 404, 405].includes(status)) return throwError(() => err);
        return from(
          this.audit.record({
            action: ACTION[req.method] ?? 'E',
            subtype: `refused-${req.method.toLowerCase()}`,
            outcome: '4',
            agent: principal.subject,
            agentRole: principal.role,
            agentWho: principal.fhirUser,
            patientIds: [],
            entity: req.path.replace(/^\/fhir\//, ''),
            sourceAddress: req.ip,
            detail: String(status),
          }),
        ).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }
}
