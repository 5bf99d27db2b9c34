import { pino, type Logger } from 'pino';

/** The gateway's root logger (fastify logs through it); passwords, cookies and tokens are redacted. */
export function createGatewayLogger(level: string, country: string): Logger {
  return pino({
    level,
    base: { gateway: country },
    redact: {
      paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'token', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      err: (e: unknown) => (e instanceof Error ? { code: (e as { code?: unknown }).code, message: e.message } : { message: String(e) }),
    },
  });
}

export type { Logger };
