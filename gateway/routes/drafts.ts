import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayContext } from '../context.js';
import { Drafts, type DraftValues } from '../db/drafts.js';
import { GatewayError } from '../errors.js';
import { draftsPage } from '../ui/pages/drafts.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { bodyOf, requireUser, sendPage, viewOf } from '../web.js';

/** The form values worth keeping: every named field but the token and the wizard's step button. */
export function draftValuesOf(body: Record<string, unknown>): DraftValues {
  const out: DraftValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || k === 'step' || k === 'draft' || k === 'templateName') continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String);
  }
  return out;
}

export function draftRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  /** Saves the compose form as one types (app.js); answers the draft's id. */
  app.post('/api/v1/drafts', async (req) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const body = bodyOf(req);
    try {
      const saved = ctx.drafts.save(user.id, typeof body.draft === 'string' ? body.draft : undefined, draftValuesOf(body), ctx.now());
      return { id: saved.id, savedAt: saved.updatedAt };
    } catch (e) {
      if (e instanceof RangeError) throw new GatewayError('ERR_INVALID_ARGUMENT', 'drafts.tooLarge');
      throw e;
    }
  });

  app.get('/drafts', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const v = viewOf(ctx, req);
    const q = req.query as Record<string, unknown>;
    return sendPage(reply, draftsPage(v, ctx.drafts.list(user.id), q.discarded ? v.t('drafts.discarded') : undefined));
  });

  app.post('/drafts/:id/delete', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.compose);
    const { id } = z.object({ id: z.string().refine(Drafts.isId, 'error.pageNotFound') }).parse(req.params);
    ctx.drafts.delete(user.id, id);
    return reply.redirect('/drafts?discarded=1', 303);
  });
}
