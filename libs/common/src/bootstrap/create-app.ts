import type { INestApplication, Type, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { errorBody } from '../http/error-body';
import { bodyProblem } from '../http/input-safety';
import { requestIdOf } from '../logging/logging';
import { StartupTasks } from '../health/startup-tasks';

const JSON_TYPES = [
  'application/json',
  'application/fhir+json',
  'application/json-patch+json',
  'application/*+json',
];

interface BodyParserError extends Error {
  status?: number;
  type?: string;
}

/** A request PostgreSQL could not store or the server should not walk: refused (400) before any route. */
const UNSAFE_INPUT = 'request.unsafe';

/**
 * Refuses, at the door, input no route can use: a NUL byte in the address (`%00`, refused by
 * PostgreSQL in text) and parsed bodies with NUL or lone surrogates in strings, numbers that
 * overflowed to Infinity, or thousands of nesting levels.
 */
function rejectUnsafeInput(req: Request, _res: Response, next: NextFunction): void {
  const why = /%00/.test(req.originalUrl)
    ? 'The address contains a NUL character'
    : req.body !== undefined
      ? bodyProblem(req.body)
      : undefined;
  if (!why) return next();
  next(Object.assign(new Error(why), { status: 400, type: UNSAFE_INPUT }));
}

/** Paths whose answers are never compressed: the sign-in and account routes (BREACH-style oracles). */
const NOT_COMPRESSED = /^\/(auth|\.well-known)(\/|$)/;

function compressible(req: Request, res: Response): boolean {
  return !NOT_COMPRESSED.test(req.path) && compression.filter(req, res);
}

/**
 * Nothing is stored by the browser or a proxy unless a route says so (`Cache-Control: no-store`):
 * patient data never sits in a shared or disk cache. A route with its own policy (the calendar
 * feed, the portal's static files) replaces this default.
 */
function noStoreByDefault(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Maps body-parser failures (oversized 413, malformed 400) to the project's error bodies. */
function bodyErrorHandler(err: BodyParserError, req: Request, res: Response, next: NextFunction): void {
  if (!err.type || !err.status) return next(err);
  const status = err.status;
  const message =
    err.type === 'entity.too.large'
      ? 'Request body too large'
      : err.type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : err.type === UNSAFE_INPUT
          ? err.message
          : 'Unreadable request body';
  const id = (req as Request & { id?: string }).id ?? requestIdOf(req, res);
  res
    .status(status)
    .json(
      errorBody(req.originalUrl, status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', message, id),
    );
}

export interface CreatedApp {
  readonly app: NestExpressApplication;
  /** The base URL the server listens on (e.g. http://127.0.0.1:40123). */
  readonly url: string;
}

/**
 * Creates, listens and starts a deployable: the HTTP server listens first (so /health answers
 * 503 while starting), then the startup tasks (migrations, key setup, admin bootstrap) run.
 */
export async function createApp(
  rootModule: Type | DynamicModule,
  config: AppConfig,
  options: { port?: number; host?: string } = {},
): Promise<CreatedApp> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bodyParser: false,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // Security headers (CSP, HSTS, no sniffing, frame denial...) on every response.
  app.use(helmet());
  // Cross-origin browsers only from the configured allow-list; same-origin needs nothing.
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? [...config.corsOrigins] : false,
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Exist', 'Prefer', 'X-Request-Id'],
    exposedHeaders: ['ETag', 'Location', 'Last-Modified', 'X-Request-Id'],
    maxAge: 600,
  });
  // Weak links (issue 18 item 18): answers are compressed (br or gzip by Accept-Encoding), except
  // the sign-in routes (tokens and secrets: no compression oracle); what the API answers is not
  // kept by the browser or a proxy — the portal revalidates its own copy with ETags (304).
  app.use(compression({ threshold: 1024, filter: compressible }));
  app.use(noStoreByDefault);
  app.use(express.json({ limit: config.bodyLimit, type: JSON_TYPES }));
  app.use(express.urlencoded({ limit: config.bodyLimit, extended: false }));
  app.use(rejectUnsafeInput);
  app.use(bodyErrorHandler);

  await app.listen(options.port ?? config.port, options.host ?? config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? config.port);
  const url = `http://127.0.0.1:${port}`;
  try {
    await app.get(StartupTasks).runAll();
  } catch (err) {
    await closeQuietly(app);
    throw err;
  }
  return { app, url };
}

async function closeQuietly(app: INestApplication): Promise<void> {
  try {
    await app.close();
  } catch {
    // the startup error is the one worth reporting
  }
}
