import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieNames, serializeCookie } from './auth/cookies.js';
import type { GatewayContext } from './context.js';
import type { SessionRecord } from './db/sessions.js';
import type { User, UserRole } from './db/users.js';
import { GatewayError, toGatewayError, type FieldProblem } from './errors.js';
import { translateDynamic, translator, type Lang } from './i18n/index.js';
import type { Problems } from './ui/form.js';
import { SCREEN_ROLES, type View } from './ui/view.js';

/** What the gateway knows about one HTTP request once its hooks ran. */
export interface RequestState {
  cookies: Record<string, string>;
  lang: Lang;
  csrf: string;
  user?: User;
  /** The live session of `user`, or of `secondFactorFor` while a sign-in awaits its code. */
  session?: SessionRecord;
  secondFactorFor?: User;
  /** Served over HTTPS (configured, or told so by a trusted proxy): Secure cookies and HSTS. */
  secure: boolean;
  setCookies: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    enlace: RequestState;
  }
}

export function viewOf(ctx: GatewayContext, req: FastifyRequest): View {
  const s = req.enlace;
  const v: View = { lang: s.lang, t: translator(s.lang), country: ctx.country, csrf: s.csrf, path: req.url, timeZone: ctx.timeZone };
  if (s.user) v.user = { username: s.user.username, displayName: s.user.displayName, roles: s.user.roles };
  if (s.user && s.user.roles.some((r) => (SCREEN_ROLES.notifications as readonly string[]).includes(r))) v.unread = ctx.notifications.unreadCount(s.user);
  return v;
}

/** The signed-in user, holding one of `roles` when given; otherwise ERR_UNAUTHENTICATED / ERR_PERMISSION_DENIED. */
export function requireUser(req: FastifyRequest, roles?: readonly UserRole[]): User {
  const user = req.enlace.user;
  if (!user) throw new GatewayError('ERR_UNAUTHENTICATED', 'error.ERR_UNAUTHENTICATED');
  if (roles && !user.roles.some((r) => roles.includes(r))) throw new GatewayError('ERR_PERMISSION_DENIED', 'error.ERR_PERMISSION_DENIED');
  return user;
}

export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

export function setCookie(req: FastifyRequest, cookie: string): void {
  req.enlace.setCookies.push(cookie);
}

export function clearSession(ctx: GatewayContext, req: FastifyRequest): void {
  setCookie(req, serializeCookie(cookieNames(ctx.country).session, '', { maxAgeSeconds: 0, secure: req.enlace.secure }));
}

const LOCAL = 'http://gateway.invalid';

/**
 * Only a path of this gateway ("/inbox?x"), as the browser will read it: anything with
 * control characters, spaces or backslashes (browsers drop tabs and newlines and read `\`
 * as `/`, so "/%09/evil" becomes "//evil"), or that resolves to another origin, gives
 * `fallback`. The result is re-serialised from the parsed URL.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > 500 || !next.startsWith('/') || /[\u0000-\u0020\u007f-\u009f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, LOCAL);
  } catch {
    return fallback;
  }
  if (url.origin !== LOCAL || url.pathname.startsWith('//')) return fallback;
  return url.pathname + url.search + url.hash;
}

/** A form or JSON body as a flat record of strings (repeated fields keep the last value unless listed). */
export function bodyOf(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  return b && typeof b === 'object' ? (b as Record<string, unknown>) : {};
}

export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

/** FieldProblems of a GatewayError in the user's language, by field. */
export function translateProblems(lang: Lang, problems: readonly FieldProblem[]): Problems {
  const out: Problems = {};
  for (const p of problems) out[p.field] = translateDynamic(lang, p.key, p.key, p.params);
  return out;
}

/** The message of any error in the user's language. */
export function errorText(lang: Lang, e: unknown): string {
  const err = toGatewayError(e);
  return translateDynamic(lang, err.messageKey, translateDynamic(lang, `error.${err.code}`, translateDynamic(lang, 'error.ERR_INTERNAL', 'error')), err.params);
}

/** Where a person lands after signing in: the first screen their roles open. */
export function landingFor(roles: readonly UserRole[]): string {
  if (roles.some((r) => (SCREEN_ROLES.requests as readonly string[]).includes(r))) return '/inbox';
  if (roles.includes('user_admin')) return '/admin/users';
  if (roles.includes('directory_admin')) return '/directory';
  return '/network';
}
