import { pino, type Logger } from 'pino';

/** The node's root logger; services take children. Secrets are redacted by path. */
export function createLogger(level: string, country: string): Logger {
  return pino({
    level,
    base: { node: country },
    redact: { paths: ['passphrase', '*.passphrase', 'authorization', '*.authorization', 'token'], censor: '[redacted]' },
    serializers: {
      err: (e: unknown) => (e instanceof Error ? { code: (e as { code?: unknown }).code, message: e.message } : { message: String(e) }),
    },
  });
}

export type { Logger };
