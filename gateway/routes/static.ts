import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../ui/static/', import.meta.url));
const FILES: Record<string, string> = { 'app.css': 'text/css; charset=utf-8', 'app.js': 'text/javascript; charset=utf-8' };

/** The UI's own CSS and script, read once; no CDN, nothing fetched from elsewhere. */
export function staticRoutes(app: FastifyInstance): void {
  const cache = new Map(Object.keys(FILES).map((f) => [f, readFileSync(DIR + f)]));
  app.get('/static/:file', async (req, reply) => {
    const { file } = req.params as { file: string };
    const body = cache.get(file);
    if (!body) return reply.code(404).type('text/plain').send('not found');
    return reply.type(FILES[file]!).header('cache-control', 'no-cache').send(body);
  });
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
}
