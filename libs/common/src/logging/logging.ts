import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Where a credential travels in a path (a capability URL): everything after `/calendar/`, the
 * calendar feed `/scheduling/calendar/<token>.ics` that calendar apps fetch without an
 * Authorization header. Case-insensitive and to the end of the path (also a malformed or
 * unrouted variant may carry a real token). Links that carry their token in the fragment
 * (`/a#<token>`, `/visit/<id>#join=<token>`; decision 026) never send it, but a messaging app that
 * mangles one may: an encoded `#` (`%23`) and `/a/<token>` are redacted too.
 */
const CAPABILITY_PATHS: readonly RegExp[] = [/(\/calendar\/)(.*)$/i, /(%23)(.*)$/i, /^(\/a\/)(.*)$/i];

/**
 * A request URL as it may be logged: no query string or fragment (identifiers, `code`, `token`...
 * travel there) and every capability replaced by `[redacted]`, keeping the route's shape
 * (`/scheduling/calendar/[redacted].ics`).
 */
export function loggablePath(url: string): string {
  let path = url.split(/[?#]/)[0] ?? '';
  for (const re of CAPABILITY_PATHS)
    path = path.replace(
      re,
      (_m, pre: string, rest: string) => `${pre}[redacted]${/\.ics\/?$/i.test(rest) ? '.ics' : ''}`,
    );
  return path;
}

/** The request id: the caller's X-Request-Id when well-formed, else a fresh UUID; echoed back. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * pino-http options: JSON lines with a request id. Query strings are dropped from the logged URL,
 * capability tokens in paths redacted (`loggablePath`) and headers left out, because identifiers
 * (CCCD, BHYT) and tokens must never reach the logs (ASVS 7.1.1).
 */
export function loggerParams(config: AppConfig, service: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { service },
      genReqId: requestIdOf,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: loggablePath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
    },
  };
}
