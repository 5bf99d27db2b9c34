import { fastify, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { cookieNames, parseCookies, serializeCookie } from './auth/cookies.js';
import { checkCsrf, newCsrfToken } from './auth/csrf.js';
import type { GatewayContext } from './context.js';
import { GatewayError, httpStatusOf, toGatewayError } from './errors.js';
import { isLang, negotiateLang, translateDynamic } from './i18n/index.js';
import { registerRoutes } from './routes/index.js';
import { errorPage } from './ui/pages/error.js';
import { viewOf } from './web.js';
import { Drafts } from './db/drafts.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/** Form posts arrive as a record; a field sent several times (checkboxes) becomes an array. */
function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * Resolves the session from the server's records: an ended, idle or expired session, or one
 * of a disabled account, is no session (and its cookie is cleared). A session still waiting
 * for its second factor identifies nobody; it only opens the code form.
 */
function identify(ctx: GatewayContext, req: FastifyRequest): void {
  const names = cookieNames(ctx.country);
  const state = req.enlace;
  const token = state.cookies[names.session];
  const session = ctx.sessions.resolve(token, ctx.now());
  const user = session && ctx.users.byId(session.userId);
  if (!session || !user || user.disabled) {
    if (token) state.setCookies.push(serializeCookie(names.session, '', { maxAgeSeconds: 0, secure: state.secure }));
    return;
  }
  state.session = session;
  if (session.stage === 'password') state.secondFactorFor = user;
  else state.user = user;
}

/** HTTPS as configured, or as a trusted proxy says (fastify reads X-Forwarded-Proto only from those). */
export function isSecure(ctx: GatewayContext, req: FastifyRequest): boolean {
  return ctx.cfg.http.secureCookies || ((ctx.cfg.http.trustedProxies?.length ?? 0) > 0 && req.protocol === 'https');
}

export function ownOrigins(ctx: GatewayContext, req: FastifyRequest): string[] {
  const scheme = req.enlace.secure ? 'https' : 'http';
  return req.headers.host ? [`${scheme}://${req.headers.host}`] : [];
}

function sendError(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, e: unknown): FastifyReply {
  const err = toGatewayError(e);
  req.enlace ??= { cookies: {}, lang: negotiateLang(req.headers['accept-language']), csrf: '', setCookies: [], secure: isSecure(ctx, req) };
  const status = httpStatusOf(err.code);
  if (err.code === 'ERR_INTERNAL') req.log.error({ err: (err.cause as Error | undefined) ?? err }, 'request failed');
  else req.log.info({ code: err.code, url: req.url }, 'request refused');
  const lang = req.enlace?.lang ?? 'es';
  const message = translateDynamic(lang, err.messageKey, translateDynamic(lang, `error.${err.code}`, translateDynamic(lang, 'error.ERR_INTERNAL', 'error')), err.params);
  if (req.url.startsWith('/api/')) {
    return reply.code(status).send({
      error: {
        code: err.code,
        message,
        problems: err.problems.map((p) => ({ field: p.field, message: translateDynamic(lang, p.key, p.key, p.params) })),
      },
    });
  }
  if (err.code === 'ERR_UNAUTHENTICATED' && req.method === 'GET') {
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
  }
  // The session ended while a request was being written: what was typed is in its draft
  // (saved as one types); signing in again leads back to it.
  if (err.code === 'ERR_UNAUTHENTICATED' && req.method === 'POST' && req.url === '/compose') {
    const draft = (req.body as Record<string, unknown> | undefined)?.draft;
    return reply.redirect(`/login?next=${encodeURIComponent(Drafts.isId(draft) ? `/compose?draft=${draft}` : '/compose')}`, 303);
  }
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(errorPage(viewOf(ctx, req), status, message));
}

/** The fastify app of one gateway: hooks for cookies, language, session and CSRF, then the routes. */
export async function buildApp(ctx: GatewayContext): Promise<FastifyInstance> {
  const proxies = ctx.cfg.http.trustedProxies ?? [];
  const logger: FastifyBaseLogger = ctx.logger;
  const app: FastifyInstance = fastify({ loggerInstance: logger, bodyLimit: 6 * 1024 * 1024, trustProxy: proxies.length ? proxies : false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, parseForm(body as string)));
  app.decorateRequest('enlace', undefined as never);

  app.addHook('onRequest', async (req) => {
    const names = cookieNames(ctx.country);
    const cookies = parseCookies(req.headers.cookie);
    const setCookies: string[] = [];
    const secure = isSecure(ctx, req);
    let csrf = cookies[names.csrf] ?? '';
    if (csrf.length < 16) {
      csrf = newCsrfToken();
      setCookies.push(serializeCookie(names.csrf, csrf, { secure }));
    }
    const cookieLang = cookies[names.lang];
    req.enlace = { cookies, lang: isLang(cookieLang) ? cookieLang : negotiateLang(req.headers['accept-language']), csrf, setCookies, secure };
    identify(ctx, req);
    if (!isLang(cookieLang) && req.enlace.user && isLang(req.enlace.user.lang)) req.enlace.lang = req.enlace.user.lang;
  });

  app.addHook('preHandler', async (req) => {
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    const header = req.headers['x-csrf-token'];
    checkCsrf({
      method: req.method,
      ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      ...(req.headers.referer ? { referer: req.headers.referer } : {}),
      ownOrigins: ownOrigins(ctx, req),
      cookie: req.enlace.cookies[cookieNames(ctx.country).csrf],
      ...(typeof sent === 'string' ? { sent } : typeof header === 'string' ? { sent: header } : {}),
    });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.enlace?.setCookies.length) reply.header('set-cookie', req.enlace.setCookies);
    // A route may set a stricter one (downloads: sandbox).
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (req.enlace?.secure) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });

  app.setErrorHandler((e, req, reply) => {
    // fastify's own errors (body too large, bad JSON) carry a statusCode; they are input errors.
    const fe = e as { statusCode?: number; validation?: unknown };
    if (!(e instanceof GatewayError) && fe.statusCode && fe.statusCode < 500) {
      return sendError(ctx, req, reply, new GatewayError('ERR_INVALID_ARGUMENT', 'error.badInput', { cause: e }));
    }
    return sendError(ctx, req, reply, e);
  });
  app.setNotFoundHandler((req, reply) => sendError(ctx, req, reply, new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound')));

  await registerRoutes(app, ctx);
  return app;
}
