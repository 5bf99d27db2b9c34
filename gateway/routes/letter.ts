import type { FastifyInstance } from 'fastify';
import { letterOfRequest } from '../app/letter.js';
import { principalOf, type GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import { SCREEN_ROLES } from '../ui/view.js';
import { parseInput } from '../validate.js';
import { requireUser } from '../web.js';
import { requestIdSchema } from './requests.js';

/** The letter of request (PDF) of one request, for the roles that see its page, with the contents the node gives each role. */
export function letterRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/requests/:id/letter.pdf', async (req, reply) => {
    const user = requireUser(req, SCREEN_ROLES.requests);
    const { id } = parseInput(requestIdSchema, req.params);
    const letter = await letterOfRequest(ctx, principalOf(user), id).catch((e: unknown) => {
      if (e instanceof GatewayError && e.code === 'ERR_INVALID_ARGUMENT') throw new GatewayError('ERR_NOT_FOUND', 'error.pageNotFound');
      throw e;
    });
    const name = `letter-${letter.request.senderReference.replace(/[^\w.-]+/g, '_') || id}.pdf`;
    return (
      reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}"`)
        // No sandbox: Chromium's PDF viewer refuses a sandboxed document; the file holds no script.
        .header('content-security-policy', "default-src 'none'; object-src 'self'; frame-ancestors 'none'")
        .header('cache-control', 'no-store')
        .send(letter.pdf)
    );
  });
}
