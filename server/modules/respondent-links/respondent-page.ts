import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import type { AppDeps } from '../../deps';
import { HttpProblem } from '../../http/problem';
import type { RespondentGate } from './respondent-gate';
import { readToken, type RespondentLinkDeps } from './respondent-link.service';
import { isTokenShaped, tokenForLogs, tokenHash } from './respondent-token';

/** Where the respondent page's built files are (`npm run build:web`), served at /respond/. */
const pageDir = (webAppDir: string): string => path.join(webAppDir, 'respond');

/** Headers of every respondent page: the token in the address must never leave in a Referer, nor be kept or indexed. */
function pageHeaders(res: express.Response): void {
  res.set('Cache-Control', 'no-store');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Robots-Tag', 'noindex, nofollow');
  // Validators are built with the page (ajv standalone code): no 'unsafe-eval'.
  res.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
}

type PageKind = 'unknown' | 'used' | 'withdrawn' | 'expired' | 'busy' | 'unavailable';

const PAGES: Record<PageKind, { status: number; vi: [string, string]; en: [string, string] }> = {
  unknown: {
    status: 404,
    vi: ['Không tìm thấy phiếu hỏi', 'Đường dẫn này không mở phiếu hỏi nào. Hãy kiểm tra lại đường dẫn (hoặc quét lại mã QR) trên phiếu giấy.'],
    en: ['No questionnaire found', 'This link opens no questionnaire. Check the address (or scan the QR code) on the paper questionnaire again.'],
  },
  used: {
    status: 410,
    vi: ['Câu trả lời đã được nhận', 'Cảm ơn Ông/Bà: câu trả lời của phiếu này đã được nhận. Đường dẫn chỉ dùng được một lần.'],
    en: ['Your answers were received', 'Thank you: the answers for this questionnaire were received. The link can be used only once.'],
  },
  withdrawn: {
    status: 410,
    vi: ['Đường dẫn đã bị thu hồi', 'Đường dẫn này không còn dùng được. Nếu Ông/Bà đã nhận được đường dẫn hoặc phiếu mới, hãy dùng đường dẫn đó.'],
    en: ['The link was withdrawn', 'This link can no longer be used. If you were given a new link or a new paper form, use that one.'],
  },
  expired: {
    status: 410,
    vi: ['Đường dẫn đã hết hạn', 'Đợt khảo sát đã kết thúc thu thập thông tin, nên đường dẫn này không còn dùng được.'],
    en: ['The link has expired', 'The survey’s fieldwork is over, so this link can no longer be used.'],
  },
  busy: {
    status: 429,
    vi: ['Quá nhiều yêu cầu', 'Có quá nhiều yêu cầu từ địa chỉ này. Hãy thử lại sau ít phút.'],
    en: ['Too many requests', 'Too many requests came from this address. Try again in a few minutes.'],
  },
  unavailable: {
    status: 503,
    vi: ['Trang tạm thời không dùng được', 'Trang trả lời phiếu chưa sẵn sàng trên máy chủ này. Hãy thử lại sau.'],
    en: ['The page is not available', 'The questionnaire page is not ready on this server. Try again later.'],
  },
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A short page in Vietnamese and English saying why the link opens nothing. */
export function statusPage(kind: PageKind): { status: number; html: string } {
  const page = PAGES[kind];
  const [viTitle, viText] = page.vi;
  const [enTitle, enText] = page.en;
  return {
    status: page.status,
    html: `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(viTitle)} – SIPAS</title><link rel="stylesheet" href="/respond/style.css"></head>
<body><main class="status-page" data-page="${kind}">
<h1>${escapeHtml(viTitle)}</h1><p>${escapeHtml(viText)}</p>
<section lang="en"><h2>${escapeHtml(enTitle)}</h2><p>${escapeHtml(enText)}</p></section>
</main></body></html>
`,
  };
}

/**
 * Guards every request carrying a respondent token: rate limits per token and per address, then an
 * unknown token (or one not even shaped like a token) is counted as a guess, logged, held a little
 * longer each time, and answered 404 — as JSON on the API, as a page on /r/.
 */
export function respondentGuard(deps: AppDeps, linkDeps: RespondentLinkDeps, gate: RespondentGate, kind: 'api' | 'page'): RequestHandler {
  return async (req, res, next) => {
    const token = decodeSegment(req.path.split('/')[1] ?? '');
    const address = req.ip ?? 'unknown';
    try {
      const wait = await gate.admit(address, tokenHash(token).slice(0, 32));
      if (wait !== undefined) {
        res.set('Retry-After', String(wait));
        deps.logger.warn({ address, token: tokenForLogs(token) }, 'respondent requests refused: rate limit');
        if (kind === 'api') return next(new HttpProblem('too_many_requests', `Too many requests; try again in ${wait} s.`));
        return sendPage(res, 'busy');
      }
      if (!isTokenShaped(token) || !(await linkDeps.links.findByTokenHash(tokenHash(token)))) {
        const delay = await gate.recordGuess(address);
        deps.logger.warn({ address, token: tokenForLogs(token), delayMs: delay }, 'unknown respondent token (guessing is slowed)');
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (kind === 'api') return next(new HttpProblem('not_found', 'No questionnaire opens with this link.'));
        return sendPage(res, 'unknown');
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendPage(res: express.Response, kind: PageKind): void {
  const page = statusPage(kind);
  pageHeaders(res);
  res.status(page.status).type('html').send(page.html);
}

/** The respondent page, /r/:token: the questionnaire when the link is open, else a page saying why not. */
export function respondentPages(deps: AppDeps, linkDeps: RespondentLinkDeps, gate: RespondentGate, webAppDir: string): express.Router {
  const router = express.Router();
  const index = path.join(pageDir(webAppDir), 'index.html');
  router.use('/r', respondentGuard(deps, linkDeps, gate, 'page'));
  router.get('/r/:token', async (req, res, next) => {
    try {
      const state = await readToken(linkDeps, req.params.token);
      if (state.kind !== 'open') return sendPage(res, state.kind);
      if (!existsSync(index)) return sendPage(res, 'unavailable');
      pageHeaders(res);
      res.status(200).type('html').send(readFileSync(index, 'utf8'));
    } catch (error) {
      next(error);
    }
  });
  // Anything else under /r/ (a path with more segments): no such page.
  router.use('/r', (_req, res) => sendPage(res, 'unknown'));
  return router;
}
