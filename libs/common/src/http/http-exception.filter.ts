import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from './domain-error';
import { defaultCode, errorBody } from './error-body';
import { loggablePath } from '../logging/logging';

/**
 * What of an unexpected error may reach the log: its class, message, stack and database error
 * code/constraint — never the SQL parameters or the driver's DETAIL line, which carry the values
 * of the row (identifiers, clinical values; ASVS 7.1.1/7.1.2).
 */
export function loggable(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const driver = (err as { driverError?: { code?: string; constraint?: string; table?: string } })
    .driverError;
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    message: driver ? `database error ${driver.code ?? ''}` : err.message,
    stack: err.stack?.split('\n').slice(1).join('\n'),
    ...(driver
      ? { code: driver.code, constraint: driver.constraint, table: driver.table }
      : typeof code === 'string'
        ? { code }
        : {}),
  };
}

/** A body that is already in its transport's format (OAuth error, OperationOutcome) passes as is. */
function isPreformatted(body: unknown): body is object {
  return (
    typeof body === 'object' &&
    body !== null &&
    ('resourceType' in body || ('error' in body && !('statusCode' in body)))
  );
}

function messageOf(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (typeof m === 'string') return m;
  }
  return fallback;
}

/**
 * The one HTTP exception filter: domain errors and Nest HTTP exceptions keep their status;
 * anything else is a 500 whose details stay in the log under an error id, never in the body.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) return;
    const correlationId = typeof req.id === 'string' ? req.id : randomUUID();
    const path = req.originalUrl ?? req.url;

    if (exception instanceof DomainError) {
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
      res
        .status(exception.status)
        .json(errorBody(path, exception.status, exception.code, exception.message, correlationId));
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const headers = (exception as HttpException & { headers?: Record<string, string> }).headers;
      for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
      const body = exception.getResponse();
      if (isPreformatted(body)) {
        res.status(status).json(body);
        return;
      }
      const message = messageOf(body, exception.message);
      res.status(status).json(errorBody(path, status, defaultCode(status), message, correlationId));
      return;
    }
    this.logger.error(
      { err: loggable(exception), errorId: correlationId },
      `Unhandled error on ${req.method} ${loggablePath(path)}`,
    );
    res
      .status(500)
      .json(errorBody(path, 500, 'INTERNAL', `Internal error; reference ${correlationId}`, correlationId));
  }
}
