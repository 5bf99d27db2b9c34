import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cookieNames, serializeCookie } from '../auth/cookies.js';
import { passwordProblem } from '../auth/password-policy.js';
import { hashPassword, PASSWORD_MAX, verifyPassword } from '../auth/passwords.js';
import { newTotpSecret, totpEnrolment, totpStep } from '../auth/totp.js';
import type { GatewayContext } from '../context.js';
import { isContentRole, type User } from '../db/users.js';
import { GatewayError } from '../errors.js';
import { accountPage, type AccountPageOpts } from '../ui/pages/account.js';
import { mailSection } from '../ui/pages/notifications.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, setCookie, translateProblems, viewOf } from '../web.js';

const newPasswordSchema = z
  .object({
    current: z.string().min(1).max(PASSWORD_MAX),
    password: z
      .string()
      .min(1, 'v.required')
      .max(PASSWORD_MAX * 4),
    confirm: z.string().min(1),
  })
  .refine((x) => x.password === x.confirm, { path: ['confirm'], message: 'v.passwordMismatch' });

const codeSchema = z.object({ code: z.string().trim().min(1, 'v.required').max(20) });

/** What a signed-in person must do before anything else opens: change a one-time password, or set up TOTP. */
export function pendingStep(ctx: GatewayContext, user: User): 'password' | 'totp' | undefined {
  if (user.mustChangePassword) return 'password';
  if (ctx.cfg.auth.requireTotpForContent && !user.totpSecret && user.roles.some(isContentRole)) return 'totp';
  return undefined;
}

export function accountRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/account', async (req, reply) => accountView(ctx, req, reply));
  app.post('/account/password', (req, reply) => changePassword(ctx, req, reply));
  /** Starts TOTP set-up: a new secret, shown as a QR code until a code from the app confirms it. */
  app.post('/account/totp/start', async (req, reply) => {
    const user = requireUser(req);
    if (user.totpSecret) return reply.redirect('/account', 303);
    ctx.users.setTotpPending(user.id, newTotpSecret());
    return render(ctx, req, reply, ctx.users.byId(user.id)!);
  });
  app.post('/account/totp/confirm', async (req, reply) => confirmTotp(ctx, req, reply));
}

async function render(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, user: User, o: Partial<AccountPageOpts> = {}, status = 200) {
  const v = viewOf(ctx, req);
  const enrolment = !user.totpSecret && user.totpPending ? await totpEnrolment(user.totpPending, user.username, ctx.country) : undefined;
  const step = pendingStep(ctx, user);
  return sendPage(
    reply,
    accountPage(v, {
      mustChange: step === 'password',
      mustEnrol: step === 'totp',
      lastLoginAt: user.lastLoginAt,
      totpEnrolled: !!user.totpSecret,
      pendingRoles: ctx.grants.pendingFor(user.id),
      ...(ctx.cfg.notifications?.mail ? { mail: mailSection(v, ctx.notifications.mailAddress(user.id), { saved: (req.query as Record<string, unknown>).mail === 'saved' }) } : {}),
      ...(enrolment ? { enrolment: { svg: enrolment.svg, secret: user.totpPending! } } : {}),
      ...o,
    }),
    status,
  );
}

/** The form again with what was wrong (400); anything but bad input or a wrong secret goes on as an error. */
function fail(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, user: User, e: unknown) {
  const err = e instanceof GatewayError ? e : undefined;
  if (!err || (err.code !== 'ERR_INVALID_ARGUMENT' && err.code !== 'ERR_UNAUTHENTICATED')) throw e;
  const lang = req.enlace.lang;
  return render(ctx, req, reply, user, { problems: translateProblems(lang, err.problems), ...(err.problems.length ? {} : { error: errorText(lang, e) }) }, 400);
}

/** After a change that ended every session of this person, this browser gets a new one. */
function reopen(ctx: GatewayContext, req: FastifyRequest, user: User): void {
  setCookie(req, serializeCookie(cookieNames(ctx.country).session, ctx.sessions.open(user.id, 'full', req.ip, ctx.now()), { secure: req.enlace.secure }));
}

function accountView(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req);
  const q = req.query as Record<string, unknown>;
  const t = viewOf(ctx, req).t;
  const notice = q.changed ? t('account.changed') : q.enrolled ? t('account.totpEnrolled') : undefined;
  return render(ctx, req, reply, user, notice ? { notice } : {});
}

async function changePassword(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req);
  try {
    const input = parseInput(newPasswordSchema, bodyOf(req));
    if (!(await verifyPassword(user.passwordHash, input.current))) {
      throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'current', key: 'account.wrongCurrent' }] });
    }
    const problem = passwordProblem(input.password, user.username);
    if (problem) throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [problem] });
    if (await verifyPassword(user.passwordHash, input.password)) {
      throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'password', key: 'v.passwordSame' }] });
    }
    ctx.users.setPassword(user.id, await hashPassword(input.password, ctx.cfg.auth.passwordStrength), false, user.username, ctx.now());
    reopen(ctx, req, user);
    return reply.redirect('/account?changed=1', 303);
  } catch (e) {
    return fail(ctx, req, reply, user, e);
  }
}

function confirmTotp(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req);
  if (user.totpSecret || !user.totpPending) return reply.redirect('/account', 303);
  try {
    const { code } = parseInput(codeSchema, bodyOf(req));
    const step = totpStep(user.totpPending, code, ctx.now());
    if (step === undefined) throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'code', key: 'login.codeWrong' }] });
    ctx.users.setTotp(user.id, user.totpPending, step, user.username, ctx.now());
    reopen(ctx, req, user);
    return reply.redirect('/account?enrolled=1', 303);
  } catch (e) {
    return fail(ctx, req, reply, user, e);
  }
}
