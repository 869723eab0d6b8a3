import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { AppDeps } from '../../deps';
import { isPublic } from './release.service';

/**
 * Permalinks of the results site: `/ket-qua/<release>/` and `/ket-qua/<release>/tinh/<code>` are the
 * site's page for a release that is public, and a 404 for any other (embargoed, only prepared, or
 * unknown) — the same answer, so a URL never tells that a release exists before it is out. The site's
 * own files (`/ket-qua/`, app.js, style.css) are served with the other browser apps.
 */
export function publicSitePermalinks(deps: AppDeps, siteDir: string): express.Router {
  const router = express.Router();
  const index = path.join(siteDir, 'index.html');
  router.get(/^\/ket-qua\/([0-9]{4}\.[1-9][0-9]{0,3})(?:\/|\/tinh\/[0-9]{2}\/?)?$/, async (req, res, next) => {
    try {
      const releaseId = (req.params as Record<string, string | undefined>)[0] ?? '';
      const release = await deps.repos.releases.findById(releaseId);
      if (!release || !isPublic(release, new Date()) || !existsSync(index)) return next();
      res.set('Cache-Control', 'no-cache');
      res.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
      res.sendFile(index);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
