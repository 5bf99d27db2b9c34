import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { accountPage } from '../ui/pages/account.js';
import { mailSection, notificationsPage } from '../ui/pages/notifications.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { bodyOf, requireUser, sendPage, viewOf } from '../web.js';
import { pendingStep } from './account.js';

const idSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
/** An address, or nothing (opting out). */
const mailSchema = z.object({ email: z.union([z.literal(''), z.string().trim().max(254).pipe(z.email())]) });

export function notificationRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/notifications', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.notifications);
    return sendPage(reply, notificationsPage(viewOf(ctx, req), ctx.notifications.list(user)));
  });

  /** Opening a notification marks it read (for this person only) and goes to its request. */
  app.get('/notifications/:id/open', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.notifications);
    const { id } = parseInput(idSchema, req.params);
    const requestId = ctx.notifications.markRead(user, id);
    if (!requestId) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    return reply.redirect(`/requests/${requestId}`, 303);
  });

  app.post('/notifications/read', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.notifications);
    ctx.notifications.markRead(user, 'all');
    return reply.redirect('/notifications', 303);
  });

  /** The unread count, for the bell after a live event. */
  app.get('/api/v1/notifications/unread', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.notifications);
    return { unread: ctx.notifications.unreadCount(user) };
  });

  app.post('/account/notifications', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.notifications);
    if (!ctx.cfg.notifications?.mail) throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
    const r = mailSchema.safeParse(bodyOf(req));
    if (!r.success) {
      const v = viewOf(ctx, req);
      const address = typeof bodyOf(req).email === 'string' ? String(bodyOf(req).email).slice(0, 254) : '';
      const page = accountPage(v, {
        mustChange: pendingStep(ctx, user) === 'password',
        mustEnrol: pendingStep(ctx, user) === 'totp',
        lastLoginAt: user.lastLoginAt,
        totpEnrolled: !!user.totpSecret,
        pendingRoles: ctx.grants.pendingFor(user.id),
        mail: mailSection(v, address, { problems: { email: v.t('notify.mail.invalid') } }),
      });
      return sendPage(reply, page, 400);
    }
    ctx.notifications.setMailAddress(user.id, r.data.email);
    return reply.redirect('/account?mail=saved#mail-title', 303);
  });
}
