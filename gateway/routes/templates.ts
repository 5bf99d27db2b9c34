import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { duplicateValues } from '../app/duplicate.js';
import { getRequest } from '../app/requests.js';
import { principalOf, type GatewayContext } from '../context.js';
import { Drafts, TEMPLATE_NAME } from '../db/drafts.js';
import type { User } from '../db/users.js';
import type { Translate } from '../i18n/index.js';
import type { ComposeValues } from '../ui/pages/compose.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { UUID_V7 } from '../../services/vocabulary.js';
import { bodyOf, requireUser } from '../web.js';
import { draftValuesOf } from './drafts.js';

/** Where a new compose form starts from: one of the person's templates, or an earlier request. */
export async function startingPoint(ctx: GatewayContext, user: User, q: Record<string, unknown>, t: Translate): Promise<{ values: ComposeValues; notice: string } | undefined> {
  if (Drafts.isId(q.template)) {
    const name = ctx.drafts.templateName(user.id, q.template);
    const values = name !== undefined ? ctx.drafts.get(user.id, q.template) : undefined;
    if (name === undefined || !values) return undefined;
    return { values, notice: t('templates.started', { name }) };
  }
  if (typeof q.from === 'string' && UUID_V7.test(q.from)) {
    // The node decides what this person is shown (and audits the read): content for content roles, metadata for the others.
    const res = await getRequest(ctx, principalOf(user), q.from);
    if (!res.request) return undefined;
    return { values: duplicateValues(res.request, q.persons === '1'), notice: t('duplicate.started') };
  }
  return undefined;
}

/** What the compose page says after a template was saved, refused or deleted. */
export function templateNotice(ctx: GatewayContext, user: User, q: Record<string, unknown>, t: Translate): { ok?: string; error?: string } {
  const saved = Drafts.isId(q.saved) ? ctx.drafts.templateName(user.id, q.saved) : undefined;
  if (saved !== undefined) return { ok: t('templates.saved', { name: saved }) };
  if (q.template_name === 'missing') return { error: t('templates.needName') };
  if (q.template_deleted) return { ok: t('templates.deleted') };
  return {};
}

const idParams = z.object({ id: z.string().refine(Drafts.isId, 'error.pageNotFound') });

export function templateRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  /**
   * "Save as template" of the compose form: the form as it is becomes the named template, and
   * the draft being typed is saved too, so the form comes back as it was (with or without JavaScript).
   */
  app.post('/templates', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const body = bodyOf(req);
    const values = draftValuesOf(body);
    const name = typeof body.templateName === 'string' ? body.templateName.trim() : '';
    const draft = ctx.drafts.save(user.id, typeof body.draft === 'string' ? body.draft : undefined, values, ctx.now());
    if (!TEMPLATE_NAME.test(name)) return reply.redirect(`/compose?draft=${draft.id}&template_name=missing`, 303);
    const saved = ctx.drafts.saveTemplate(user.id, name, values, ctx.now());
    return reply.redirect(`/compose?draft=${draft.id}&saved=${saved.id}`, 303);
  });

  app.post('/templates/:id/delete', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const { id } = idParams.parse(req.params);
    ctx.drafts.deleteTemplate(user.id, id);
    return reply.redirect('/compose?template_deleted=1', 303);
  });
}
