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
