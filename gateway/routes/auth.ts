import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cookieNames, serializeCookie } from '../auth/cookies.js';
import { newCsrfToken } from '../auth/csrf.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../auth/passwords.js';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { isLang } from '../i18n/index.js';
import { accountPage } from '../ui/pages/account.js';
import { loginPage } from '../ui/pages/login.js';
import { parseInput } from '../validate.js';
import { bodyOf, clearSession, errorText, landingFor, requireUser, safeNext, sendPage, setCookie, translateProblems, viewOf } from '../web.js';

const loginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX),
  next: z.string().max(500).optional(),
});

const newPasswordSchema = z
  .object({
    current: z.string().min(1).max(PASSWORD_MAX),
    password: z.string().min(PASSWORD_MIN, 'v.passwordShort').max(PASSWORD_MAX),
    confirm: z.string().min(1),
  })
  .refine((x) => x.password === x.confirm, { path: ['confirm'], message: 'v.passwordMismatch' });

/** Signs a user in: checks the limiter first, the password second, then sets a fresh session and CSRF cookie. */
export async function login(ctx: GatewayContext, ip: string, username: string, password: string) {
  ctx.limiter.check(ip, username, ctx.now());
  const user = ctx.users.byUsername(username);
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!user || !ok || user.disabled) {
    ctx.limiter.fail(ip, username, ctx.now());
    throw new GatewayError('ERR_UNAUTHENTICATED', 'login.failed');
  }
  ctx.limiter.succeed(username);
  ctx.users.touchLogin(user.id, ctx.now());
  const token = await ctx.sessions.mint({ userId: user.id, username: user.username, displayName: user.displayName, roles: user.roles, sessionVersion: user.sessionVersion }, ctx.now());
  return { user, token };
}

export function authRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const names = cookieNames(ctx.country);
  const secure = ctx.cfg.http.secureCookies;

  app.get('/', async (req, reply) => {
    const user = req.enlace.user;
    return reply.redirect(user ? landingFor(user.roles) : '/login');
  });

  app.get('/login', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (req.enlace.user) return reply.redirect(safeNext(q.next, landingFor(req.enlace.user.roles)));
    const v = viewOf(ctx, req);
    return sendPage(reply, loginPage(v, { next: safeNext(q.next, ''), ...(q.bye ? { notice: v.t('login.bye') } : {}) }));
  });

  app.post('/login', async (req, reply) => {
    const v = viewOf(ctx, req);
    const body = bodyOf(req);
    const username = typeof body.username === 'string' ? body.username : '';
    try {
      const input = parseInput(loginSchema, body);
      const { user, token } = await login(ctx, req.ip, input.username, input.password);
      setCookie(req, serializeCookie(names.session, token, { maxAgeSeconds: ctx.sessions.ttlSeconds, secure }));
      setCookie(req, serializeCookie(names.csrf, newCsrfToken(), { secure }));
      if (!req.enlace.cookies[names.lang] && isLang(user.lang)) setCookie(req, serializeCookie(names.lang, user.lang, { maxAgeSeconds: 31536000, secure }));
      return reply.redirect(user.mustChangePassword ? '/account' : safeNext(input.next, landingFor(user.roles)), 303);
    } catch (e) {
      const err = e instanceof GatewayError ? e : undefined;
      const status = err?.code === 'ERR_RATE_LIMITED' ? 429 : err?.code === 'ERR_INVALID_ARGUMENT' ? 400 : err ? 401 : 500;
      return sendPage(
        reply,
        loginPage(v, { username, next: safeNext(body.next, ''), error: errorText(v.lang, e), problems: err ? translateProblems(v.lang, err.problems) : {} }),
        status,
      );
    }
  });

  app.post('/logout', async (req, reply) => {
    clearSession(ctx, req);
    setCookie(req, serializeCookie(names.csrf, newCsrfToken(), { secure }));
    return reply.redirect('/login?bye=1', 303);
  });

  /** Switching language is a GET link (no state but a preference cookie), so it works from every page without a form. */
  app.get('/lang/:lang', async (req, reply) => {
    const { lang } = req.params as { lang: string };
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (!isLang(lang)) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    setCookie(req, serializeCookie(names.lang, lang, { maxAgeSeconds: 31536000, secure }));
    if (req.enlace.user) ctx.users.setLang(req.enlace.user.id, lang);
    return reply.redirect(next);
  });

  app.get('/account', async (req, reply) => {
    const user = requireUser(req);
    const q = req.query as Record<string, unknown>;
    const v = viewOf(ctx, req);
    return sendPage(reply, accountPage(v, { mustChange: user.mustChangePassword, lastLoginAt: user.lastLoginAt, ...(q.changed ? { notice: v.t('account.changed') } : {}) }));
  });

  app.post('/account/password', async (req, reply) => {
    const user = requireUser(req);
    const v = viewOf(ctx, req);
    try {
      const input = parseInput(newPasswordSchema, bodyOf(req));
      if (!(await verifyPassword(user.passwordHash, input.current))) {
        throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'current', key: 'account.wrongCurrent' }] });
      }
      ctx.users.setPassword(user.id, await hashPassword(input.password, ctx.cfg.auth.passwordStrength), false, user.username, ctx.now());
      const fresh = ctx.users.byId(user.id)!;
      const token = await ctx.sessions.mint({ userId: fresh.id, username: fresh.username, displayName: fresh.displayName, roles: fresh.roles, sessionVersion: fresh.sessionVersion }, ctx.now());
      setCookie(req, serializeCookie(names.session, token, { maxAgeSeconds: ctx.sessions.ttlSeconds, secure }));
      return reply.redirect('/account?changed=1', 303);
    } catch (e) {
      const err = e instanceof GatewayError ? e : undefined;
      return sendPage(
        reply,
        accountPage(v, { mustChange: user.mustChangePassword, lastLoginAt: user.lastLoginAt, problems: err ? translateProblems(v.lang, err.problems) : {}, ...(err?.problems.length ? {} : { error: errorText(v.lang, e) }) }),
        err?.code === 'ERR_INVALID_ARGUMENT' ? 400 : 500,
      );
    }
  });
}
