import express, { type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';

/** Finds apps/portal/dist by walking up from this file (works from src/ under jest and from dist/). */
export function portalDistDir(from = __dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'portal', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * The build's Brotli/gzip copies (scripts/run.mjs) of hashed assets, for clients that accept
 * them: no compression work per request, and a phone on 3G downloads a fraction of the bytes.
 */
export function portalPrecompressed(dir: string): RequestHandler {
  return (req, res, next) => {
    const type = TYPES[extname(req.path)];
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !type || !req.path.startsWith('/assets/'))
      return next();
    const file = resolve(dir, `.${req.path}`);
    if (!file.startsWith(resolve(dir) + sep)) return next();
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = ['br', 'gzip'].find(
      (e) => new RegExp(`\\b${e}\\b`).test(accepts) && existsSync(`${file}.${e === 'br' ? 'br' : 'gz'}`),
    );
    res.setHeader('Vary', 'Accept-Encoding');
    if (!encoding) return next();
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`);
  };
}

/** Serves the built portal at `/`: hashed assets cached for a year, index.html never cached. */
export function portalStatic(dir: string): RequestHandler {
  return express.static(dir, {
    index: 'index.html',
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
}

/** Client-side routes of the portal; anything else unknown stays a 404. */
export const PORTAL_ROUTES = ['/visit', '/record', '/appointments', '/doctor', '/station', '/a'];

/**
 * Client-side routes of the portal (e.g. `/visit/<appointment id>` from a reminder link): a
 * browser's GET (Accept: text/html) for one of them gets index.html.
 */
export function portalFallback(dir: string): RequestHandler {
  const index = join(dir, 'index.html');
  return (req, res, next) => {
    const path = req.path;
    const isRoute = PORTAL_ROUTES.some((p) => path === p || path.startsWith(`${p}/`));
    if (req.method !== 'GET' || !isRoute || !(req.headers.accept ?? '').includes('text/html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  };
}
