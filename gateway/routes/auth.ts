import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cookieNames, serializeCookie } from '../auth/cookies.js';
import { newCsrfToken } from '../auth/csrf.js';
import { PASSWORD_MAX, verifyPassword } from '../auth/passwords.js';
import { deviceToken, isDeviceOf } from '../auth/session.js';
import { totpStep } from '../auth/totp.js';
import type { GatewayContext } from '../context.js';
import { recordAudit } from '../db/audit.js';
import type { User } from '../db/users.js';
import { GatewayError } from '../errors.js';
import { isLang } from '../i18n/index.js';
import { codePage, loginPage } from '../ui/pages/login.js';
import { parseInput } from '../validate.js';
import { bodyOf, clearSession, errorText, landingFor, safeNext, sendPage, setCookie, translateProblems, viewOf } from '../web.js';

const loginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(PASSWORD_MAX),
  next: z.string().max(500).optional(),
});

const codeSchema = z.object({ code: z.string().trim().min(1, 'v.required').max(20), next: z.string().max(500).optional() });

export interface SignIn {
  user: User;
  /** The session cookie value. */
  token: string;
  /** The password was right; the session opens only the code form until the TOTP code is given. */
  needsCode: boolean;
}

/**
 * Checks a password: the throttle first (ERR_RATE_LIMITED with the seconds to wait), then the
 * password; opens a session, full or waiting for the second factor.
 */
export async function login(ctx: GatewayContext, ip: string, username: string, password: string, device?: string): Promise<SignIn> {
  const known = isDeviceOf(ctx.deviceKey, username, device);
  ctx.limiter.check(ip, username, ctx.now(), known);
  const user = ctx.users.byUsername(username);
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!user || !ok || user.disabled) {
    ctx.limiter.fail(ip, username, ctx.now(), known);
    throw new GatewayError('ERR_UNAUTHENTICATED', 'login.failed');
  }
  ctx.limiter.succeed(username);
  const needsCode = !!user.totpSecret;
  if (!needsCode) signedIn(ctx, user, ip);
  return { user, needsCode, token: ctx.sessions.open(user.id, needsCode ? 'password' : 'full', ip, ctx.now()) };
}

function signedIn(ctx: GatewayContext, user: User, ip: string): void {
  ctx.users.touchLogin(user.id, ctx.now());
  recordAudit(ctx.db, { at: ctx.now(), actor: user.username, action: 'sign_in', target: user.username, detail: ip });
}

export function authRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/', async (req, reply) => {
    const user = req.enlace.user;
    return reply.redirect(user ? landingFor(user.roles) : req.enlace.secondFactorFor ? '/login/code' : '/login');
  });
  app.get('/login', async (req, reply) => loginForm(ctx, req, reply));
  app.post('/login', (req, reply) => loginPost(ctx, req, reply));
  /** The second step of a sign-in with TOTP: only a session whose password was right opens it. */
  app.get('/login/code', async (req, reply) => codeForm(ctx, req, reply));
  app.post('/login/code', (req, reply) => codePost(ctx, req, reply));
  /** Signing out ends every session of that person, on every device, event streams included. */
  app.post('/logout', async (req, reply) => logout(ctx, req, reply));
  /** Switching language is a GET link (no state but a preference cookie), so it works from every page without a form. */
  app.get('/lang/:lang', async (req, reply) => switchLanguage(ctx, req, reply));
}

function sessionCookie(ctx: GatewayContext, req: FastifyRequest, token: string): void {
  const names = cookieNames(ctx.country);
  setCookie(req, serializeCookie(names.session, token, { secure: req.enlace.secure }));
  setCookie(req, serializeCookie(names.csrf, newCsrfToken(), { secure: req.enlace.secure }));
}

function deviceCookie(ctx: GatewayContext, req: FastifyRequest, user: User): void {
  setCookie(req, serializeCookie(cookieNames(ctx.country).device, deviceToken(ctx.deviceKey, user.username), { maxAgeSeconds: 31536000, secure: req.enlace.secure }));
}

function langCookie(ctx: GatewayContext, req: FastifyRequest, lang: string): void {
  setCookie(req, serializeCookie(cookieNames(ctx.country).lang, lang, { maxAgeSeconds: 31536000, secure: req.enlace.secure }));
}

/** A failed sign-in step: 429 when throttled, 400 for bad input, 401 for a wrong secret, 500 otherwise. */
function failureStatus(err: GatewayError | undefined): number {
  return err?.code === 'ERR_RATE_LIMITED' ? 429 : err?.code === 'ERR_INVALID_ARGUMENT' ? 400 : err ? 401 : 500;
}

function loginForm(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const q = req.query as Record<string, unknown>;
  if (req.enlace.user) return reply.redirect(safeNext(q.next, landingFor(req.enlace.user.roles)));
  const v = viewOf(ctx, req);
  const notice = q.bye ? v.t('login.bye') : q.ended ? v.t('login.ended') : undefined;
  return sendPage(reply, loginPage(v, { next: safeNext(q.next, ''), ...(notice ? { notice } : {}) }));
}

async function loginPost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const names = cookieNames(ctx.country);
  const v = viewOf(ctx, req);
  const body = bodyOf(req);
  const username = typeof body.username === 'string' ? body.username : '';
  try {
    const input = parseInput(loginSchema, body);
    const { user, token, needsCode } = await login(ctx, req.ip, input.username, input.password, req.enlace.cookies[names.device]);
    sessionCookie(ctx, req, token);
    if (!req.enlace.cookies[names.lang] && isLang(user.lang)) langCookie(ctx, req, user.lang);
    const next = safeNext(input.next, '');
    if (needsCode) return reply.redirect(`/login/code${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303);
    deviceCookie(ctx, req, user);
    return reply.redirect(user.mustChangePassword ? '/account' : next || landingFor(user.roles), 303);
  } catch (e) {
    const err = e instanceof GatewayError ? e : undefined;
    if (err?.code === 'ERR_RATE_LIMITED') reply.header('retry-after', String(err.params.seconds ?? 1));
    return sendPage(reply, loginPage(v, { username, next: safeNext(body.next, ''), error: errorText(v.lang, e), problems: err ? translateProblems(v.lang, err.problems) : {} }), failureStatus(err));
  }
}

function codeForm(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const q = req.query as Record<string, unknown>;
  if (req.enlace.user) return reply.redirect(landingFor(req.enlace.user.roles));
  if (!req.enlace.secondFactorFor) return reply.redirect('/login');
  return sendPage(reply, codePage(viewOf(ctx, req), { next: safeNext(q.next, '') }));
}

async function codePost(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = req.enlace.secondFactorFor;
  const session = req.enlace.session;
  if (!user || !session || !user.totpSecret) return reply.redirect('/login', 303);
  const v = viewOf(ctx, req);
  const body = bodyOf(req);
  const next = safeNext(body.next, '');
  try {
    const input = parseInput(codeSchema, body);
    ctx.limiter.check(req.ip, `code:${user.username}`, ctx.now());
    const step = totpStep(user.totpSecret, input.code, ctx.now());
    if (step === undefined || !ctx.users.useTotpStep(user.id, step)) {
      ctx.limiter.fail(req.ip, `code:${user.username}`, ctx.now());
      throw new GatewayError('ERR_UNAUTHENTICATED', 'login.codeWrong', { problems: [{ field: 'code', key: 'login.codeWrong' }] });
    }
    ctx.limiter.succeed(`code:${user.username}`);
    sessionCookie(ctx, req, ctx.sessions.promote(session.idHash, ctx.now()));
    deviceCookie(ctx, req, user);
    signedIn(ctx, user, req.ip);
    return reply.redirect(user.mustChangePassword ? '/account' : next || landingFor(user.roles), 303);
  } catch (e) {
    const err = e instanceof GatewayError ? e : undefined;
    return sendPage(reply, codePage(v, { next, error: errorText(v.lang, e), problems: err ? translateProblems(v.lang, err.problems) : {} }), failureStatus(err));
  }
}

function logout(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const who = req.enlace.user ?? req.enlace.secondFactorFor;
  if (who) {
    ctx.sessions.endAllFor(who.id, 'logout', ctx.now());
    recordAudit(ctx.db, { at: ctx.now(), actor: who.username, action: 'logout', target: who.username, detail: '' });
  }
  clearSession(ctx, req);
  setCookie(req, serializeCookie(cookieNames(ctx.country).csrf, newCsrfToken(), { secure: req.enlace.secure }));
  return reply.redirect('/login?bye=1', 303);
}

function switchLanguage(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const { lang } = req.params as { lang: string };
  const next = safeNext((req.query as Record<string, unknown>).next);
  if (!isLang(lang)) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
  langCookie(ctx, req, lang);
  if (req.enlace.user) ctx.users.setLang(req.enlace.user.id, lang);
  return reply.redirect(next);
}
