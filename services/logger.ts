import { pino, type Logger } from 'pino';

/** The node's root logger; services take children. Secrets are redacted by path. */
export function createLogger(level: string, country: string): Logger {
  return pino({
    level,
    base: { node: country },
    redact: { paths: ['passphrase', '*.passphrase', 'authorization', '*.authorization', 'token'], censor: '[redacted]' },
    serializers: { err: serializeError },
  });
}

/**
 * What the log shows of an error: its code and message. A plain object that carries them (the
 * store's fault reports pass `{ code, message }`) shows them too, not "[object Object]".
 */
export function serializeError(e: unknown): { code?: unknown; message: string } {
  if (e instanceof Error) return { code: (e as { code?: unknown }).code, message: e.message };
  if (typeof e === 'object' && e !== null && 'message' in e) {
    const { code, message } = e as { code?: unknown; message: unknown };
    return { code, message: typeof message === 'string' ? message : JSON.stringify(message) };
  }
  return { message: typeof e === 'string' ? e : (JSON.stringify(e) ?? typeof e) };
}

export type { Logger };
