import express, { type RequestHandler } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Finds apps/portal/dist by walking up from this file (works from src/ under jest and from dist/). */
export function portalDistDir(from = __dirname): string | undefined {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'portal', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
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
export const PORTAL_ROUTES = ['/visit', '/record', '/appointments', '/doctor', '/station'];

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
