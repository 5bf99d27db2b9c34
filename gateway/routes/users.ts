import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import type { GatewayContext } from '../context.js';
import { isContentRole, USER_ROLES, type User, type UserRole } from '../db/users.js';
import { GatewayError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { languageSchema } from '../../services/vocabulary.js';
import { approvalsPage } from '../ui/pages/approvals.js';
import { usersPage, type UsersPageOpts } from '../ui/pages/users.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

/** Roles a user admin may ask for (the node operator's role is given on the command line only). */
export const ASSIGNABLE = USER_ROLES.filter((r) => r !== 'operator') as [UserRole, ...UserRole[]];

const rolesField = z.preprocess((x) => (typeof x === 'string' ? [x] : (x ?? [])), z.array(z.enum(ASSIGNABLE)).min(1, 'v.chooseRole'));

const newUserSchema = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'v.username'),
  displayName: z.string().trim().min(2).max(100),
  roles: rolesField,
  lang: languageSchema.default('es'),
});

const idSchema = z.object({ id: z.coerce.number().int().positive(), action: z.enum(['disable', 'enable', 'reset', 'roles']) });
const grantSchema = z.object({ id: z.coerce.number().int().positive(), decision: z.enum(['approve', 'refuse']) });

/**
 * Accounts (user admins) and the four-eyes approval of content roles (people who hold them).
 * A user admin's request for a focal point or prosecutor role only waits for approval; roles
 * without content access take effect at once; lowering is never held back.
 */
export function userRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/admin/users', async (req, reply) => {
    requireUser(req, SCREEN_ROLES.users);
    return sendPage(reply, page(ctx, req, {}));
  });
  app.post('/admin/users', (req, reply) => createUser(ctx, req, reply));
  app.post('/admin/users/:id/:action', (req, reply) => changeUser(ctx, req, reply));
  app.get('/approvals', async (req, reply) => approvals(ctx, req, reply));
  app.post('/approvals/:id/:decision', async (req, reply) => decideGrant(ctx, req, reply));
}

function page(ctx: GatewayContext, req: FastifyRequest, o: Omit<UsersPageOpts, 'users' | 'pending'>) {
  return usersPage(viewOf(ctx, req), { users: ctx.users.list(), pending: ctx.grants.pending(), ...o });
}

/** Sets what takes effect now and asks for the content roles; returns the ones now waiting. */
function applyRoles(ctx: GatewayContext, targetId: number, wanted: UserRole[], actor: string): UserRole[] {
  const target = ctx.users.byId(targetId)!;
  const now = ctx.now();
  const immediate = USER_ROLES.filter((r) => (wanted.includes(r) ? !isContentRole(r) || target.roles.includes(r) : r === 'operator' && target.roles.includes(r)));
  ctx.users.setRoles(target.id, immediate, actor, now);
  ctx.grants.withdraw(target.id, wanted, actor, now);
  return ctx.grants.request(ctx.users.byId(target.id)!, wanted, actor, now);
}

/** "Roles … await approval", after the notice, when some do. */
function awaiting(t: Translate, roles: readonly UserRole[]): string {
  return roles.length ? ' ' + t('users.awaiting', { roles: roles.map((r) => t(`role.${r}`)).join(', ') }) : '';
}

async function createUser(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const admin = requireUser(req, SCREEN_ROLES.users);
  const body = bodyOf(req);
  const lang = req.enlace.lang;
  const t = viewOf(ctx, req).t;
  try {
    const input = parseInput(newUserSchema, body);
    if (ctx.users.byUsername(input.username)) {
      throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'username', key: 'v.usernameTaken' }] });
    }
    const password = generatePassword();
    const created = ctx.users.create(
      { username: input.username, displayName: input.displayName, roles: [], lang: input.lang, passwordHash: await hashPassword(password, ctx.cfg.auth.passwordStrength), mustChangePassword: true },
      admin.username,
      ctx.now(),
    );
    const waiting = applyRoles(ctx, created.id, input.roles, admin.username);
    const notice = t('users.created', { username: input.username }) + awaiting(t, waiting);
    return sendPage(reply, page(ctx, req, { issued: { username: input.username, password }, notice }));
  } catch (e) {
    if (!(e instanceof GatewayError) || e.code !== 'ERR_INVALID_ARGUMENT') throw e;
    return sendPage(reply, page(ctx, req, { values: body as Record<string, string>, problems: translateProblems(lang, e.problems), ...(e.problems.length ? {} : { error: errorText(lang, e) }) }), 400);
  }
}

/** Disable, enable, reset the password of, or set the roles of another account. */
async function changeUser(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const admin = requireUser(req, SCREEN_ROLES.users);
  const { id, action } = parseInput(idSchema, req.params);
  const target = ctx.users.byId(id);
  if (!target) throw new GatewayError('ERR_NOT_FOUND', 'error.ERR_NOT_FOUND');
  if (target.id === admin.id) throw new GatewayError('ERR_PERMISSION_DENIED', 'users.notSelf');
  if (action === 'reset') return resetPassword(ctx, req, reply, admin, target);
  if (action === 'roles') return setRoles(ctx, req, reply, admin, target);
  const t = viewOf(ctx, req).t;
  ctx.users.setDisabled(id, action === 'disable', admin.username, ctx.now());
  return sendPage(reply, page(ctx, req, { notice: t(action === 'disable' ? 'users.wasDisabled' : 'users.wasEnabled', { username: target.username }) }));
}

async function resetPassword(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, admin: User, target: User) {
  const t = viewOf(ctx, req).t;
  const password = generatePassword();
  const suspended = ctx.users.setPassword(target.id, await hashPassword(password, ctx.cfg.auth.passwordStrength), true, admin.username, ctx.now());
  const notice = t('users.wasReset', { username: target.username }) + awaiting(t, suspended);
  return sendPage(reply, page(ctx, req, { issued: { username: target.username, password }, notice }));
}

function setRoles(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, admin: User, target: User) {
  const t = viewOf(ctx, req).t;
  const lang = req.enlace.lang;
  try {
    const { roles } = parseInput(z.object({ roles: rolesField }), bodyOf(req));
    const waiting = applyRoles(ctx, target.id, roles, admin.username);
    const notice = t('users.rolesSet', { username: target.username }) + awaiting(t, waiting);
    return sendPage(reply, page(ctx, req, { notice }));
  } catch (e) {
    if (!(e instanceof GatewayError) || e.code !== 'ERR_INVALID_ARGUMENT') throw e;
    return sendPage(reply, page(ctx, req, { error: errorText(lang, new GatewayError('ERR_INVALID_ARGUMENT', 'v.chooseRole')) }), 400);
  }
}

function approvals(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.approvals);
  const pending = ctx.grants.pending().filter((g) => user.roles.includes(g.role));
  return sendPage(reply, approvalsPage(viewOf(ctx, req), { pending, mayDecide: (g) => ctx.grants.mayDecide(g, user) }));
}

function decideGrant(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply) {
  const user = requireUser(req, SCREEN_ROLES.approvals);
  const { id, decision } = parseInput(grantSchema, req.params);
  const g = ctx.grants.decide(id, decision === 'approve' ? 'approved' : 'refused', user, ctx.now());
  const v = viewOf(ctx, req);
  const pending = ctx.grants.pending().filter((x) => user.roles.includes(x.role));
  const notice = v.t(decision === 'approve' ? 'grants.approved' : 'grants.refused', { username: g.username, role: v.t(`role.${g.role}`) });
  return sendPage(reply, approvalsPage(v, { pending, mayDecide: (x) => ctx.grants.mayDecide(x, user), notice }));
}
