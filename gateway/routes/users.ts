import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import type { GatewayContext } from '../context.js';
import { USER_ROLES } from '../db/users.js';
import { GatewayError } from '../errors.js';
import { LANGS } from '../i18n/index.js';
import { usersPage, type UsersPageOpts } from '../ui/pages/users.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { bodyOf, errorText, requireUser, sendPage, translateProblems, viewOf } from '../web.js';

const ASSIGNABLE = USER_ROLES.filter((r) => r !== 'operator') as [string, ...string[]];

const newUserSchema = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'v.username'),
  displayName: z.string().trim().min(2).max(100),
  roles: z.preprocess((x) => (typeof x === 'string' ? [x] : x ?? []), z.array(z.enum(ASSIGNABLE)).min(1, 'v.chooseRole')),
  lang: z.enum(LANGS).default('es'),
});

const idSchema = z.object({ id: z.coerce.number().int().positive(), action: z.enum(['disable', 'enable', 'reset']) });

export function userRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const page = (req: FastifyRequest, o: Omit<UsersPageOpts, 'users'>) => usersPage(viewOf(ctx, req), { users: ctx.users.list(), ...o });

  app.get('/admin/users', async (req, reply) => {
    requireUser(req, SCREEN_ROLES.users);
    return sendPage(reply, page(req, {}));
  });

  app.post('/admin/users', async (req, reply) => {
    const admin = requireUser(req, SCREEN_ROLES.users);
    const body = bodyOf(req);
    const lang = req.enlace.lang;
    try {
      const input = parseInput(newUserSchema, body);
      if (ctx.users.byUsername(input.username)) {
        throw new GatewayError('ERR_INVALID_ARGUMENT', 'v.summary', { problems: [{ field: 'username', key: 'v.usernameTaken' }] });
      }
      const password = generatePassword();
      ctx.users.create(
        { username: input.username, displayName: input.displayName, roles: input.roles as (typeof USER_ROLES)[number][], lang: input.lang, passwordHash: await hashPassword(password, ctx.cfg.auth.passwordStrength), mustChangePassword: true },
        admin.username,
        ctx.now(),
      );
      return sendPage(reply, page(req, { issued: { username: input.username, password }, notice: viewOf(ctx, req).t('users.created', { username: input.username }) }));
    } catch (e) {
      if (!(e instanceof GatewayError) || e.code !== 'ERR_INVALID_ARGUMENT') throw e;
      return sendPage(reply, page(req, { values: body as Record<string, string>, problems: translateProblems(lang, e.problems), ...(e.problems.length ? {} : { error: errorText(lang, e) }) }), 400);
    }
  });

  app.post('/admin/users/:id/:action', async (req, reply) => {
    const admin = requireUser(req, SCREEN_ROLES.users);
    const { id, action } = parseInput(idSchema, req.params);
    const target = ctx.users.byId(id);
    if (!target) throw new GatewayError('ERR_NOT_FOUND', 'error.ERR_NOT_FOUND');
    if (target.id === admin.id) throw new GatewayError('ERR_PERMISSION_DENIED', 'users.notSelf');
    const t = viewOf(ctx, req).t;
    if (action === 'reset') {
      const password = generatePassword();
      ctx.users.setPassword(id, await hashPassword(password, ctx.cfg.auth.passwordStrength), true, admin.username, ctx.now());
      return sendPage(reply, page(req, { issued: { username: target.username, password }, notice: t('users.wasReset', { username: target.username }) }));
    }
    ctx.users.setDisabled(id, action === 'disable', admin.username, ctx.now());
    return sendPage(reply, page(req, { notice: t(action === 'disable' ? 'users.wasDisabled' : 'users.wasEnabled', { username: target.username }) }));
  });
}
