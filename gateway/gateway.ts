import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EnlaceError } from '../keys/index.js';
import { loadOrCreateIssuer } from '../services/index.js';
import { hashPassword } from './auth/passwords.js';
import { LoginLimiter } from './auth/rate-limit.js';
import { loadOrCreateSessionKey } from './auth/session.js';
import { gatewayPaths, type GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { RoleGrants } from './db/grants.js';
import { openGatewayDb } from './db/open.js';
import { SessionStore } from './db/sessions.js';
import { personRoleSchema } from '../services/vocabulary.js';
import { Users } from './db/users.js';
import { createGatewayLogger, type Logger } from './logger.js';
import { NodeClient } from './node/client.js';
import { buildApp } from './server.js';
import { Drafts } from './db/drafts.js';
import { DEFAULT_NOTIFY_SCAN_SECONDS } from './config.js';
import { Mailer } from './notifications/mailer.js';
import { Notifier } from './notifications/notifier.js';
import { NotificationStore } from './notifications/store.js';

export interface GatewaySecrets {
  /** The node's key passphrase: the gateway mints the node's API tokens with its issuer key. */
  passphrase: string;
  /** The SMTP password of notification e-mail, when the relay asks for one (ENLACE_SMTP_PASSWORD_FILE). */
  smtpPassword?: string;
}

export interface GatewayOverrides {
  logger?: Logger;
  now?: () => number;
}

const seedSchema = z.array(
  z.object({
    username: z.string().min(1),
    displayName: z.string().min(1),
    roles: z.array(personRoleSchema).min(1),
    password: z.string().min(12),
    lang: z.string().default(''),
  }),
);

export type SeedUser = z.input<typeof seedSchema>[number];

/**
 * One gateway beside one node: HTTP UI and JSON API for that node's people.
 * `create` loads keys and the user database; `start` listens; `destroy` closes everything.
 */
export class Gateway {
  readonly ctx: GatewayContext;
  readonly app: FastifyInstance;
  /** Follows the node and records notifications (started with the gateway). */
  readonly notifier: Notifier;
  #address: string | undefined;

  private constructor(ctx: GatewayContext, app: FastifyInstance, notifier: Notifier) {
    this.ctx = ctx;
    this.app = app;
    this.notifier = notifier;
  }

  static async create(cfg: GatewayConfig, secrets: GatewaySecrets, overrides: GatewayOverrides = {}): Promise<Gateway> {
    const logger = overrides.logger ?? createGatewayLogger(cfg.log.level, cfg.node.country);
    const paths = gatewayPaths(cfg);
    const issuer = await loadOrCreateIssuer(paths.apiIssuer, cfg.node.country, secrets.passphrase);
    const db = openGatewayDb(paths.db);
    const now = overrides.now ?? Date.now;
    const key = await loadOrCreateSessionKey(paths.sessionKey);
    const sessions = new SessionStore(db, key, { idleSeconds: cfg.auth.sessionIdleSeconds, maxSeconds: cfg.auth.sessionMaxSeconds, secondFactorSeconds: 5 * 60 });
    const users = new Users(db, sessions);
    const ctx: GatewayContext = {
      cfg,
      country: cfg.node.country,
      logger,
      db,
      users,
      sessions,
      grants: new RoleGrants(db, users),
      deviceKey: key,
      limiter: new LoginLimiter(cfg.auth.loginLimit),
      drafts: await Drafts.create(db, key),
      notifications: new NotificationStore(db),
      node: new NodeClient(cfg.node.grpc, issuer, logger, now, cfg.node.grpcCa ? await readFile(cfg.node.grpcCa) : undefined),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      now,
    };
    if (cfg.seedUsersFile) await seedUsers(ctx, cfg.seedUsersFile);
    const mail = cfg.notifications?.mail;
    const notifier = new Notifier({
      node: ctx.node,
      store: ctx.notifications,
      ...(mail ? { mailer: new Mailer(mail, secrets.smtpPassword, ctx.country, logger) } : {}),
      country: ctx.country,
      logger,
      now,
      scanMs: (cfg.notifications?.scanSeconds ?? DEFAULT_NOTIFY_SCAN_SECONDS) * 1000,
    });
    return new Gateway(ctx, await buildApp(ctx), notifier);
  }

  async start(): Promise<void> {
    await this.app.listen({ host: this.ctx.cfg.http.host, port: this.ctx.cfg.http.port });
    const a = this.app.server.address();
    if (!a || typeof a === 'string') throw new EnlaceError('ERR_CONFIG', 'the gateway is not listening on a TCP port');
    this.#address = `${a.address}:${a.port}`;
    this.notifier.start();
    this.ctx.logger.info({ url: this.url, node: this.ctx.cfg.node.grpc }, 'gateway started');
  }

  /** http://host:port */
  get url(): string {
    if (!this.#address) throw new Error('the gateway is not started');
    return `http://${this.#address}`;
  }

  async destroy(): Promise<void> {
    this.notifier.destroy();
    await this.app.close();
    this.ctx.node.close();
    this.ctx.db.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}

/** Creates the listed users that do not exist yet; existing users are never changed. */
export async function seedUsers(ctx: GatewayContext, file: string): Promise<number> {
  let parsed: z.infer<typeof seedSchema>;
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
    // A list of users, or lists by country (the demo file of npm start) of which this gateway takes its own.
    parsed = seedSchema.parse(Array.isArray(json) ? json : ((json as Record<string, unknown>)[ctx.country] ?? []));
  } catch (e) {
    throw new EnlaceError('ERR_CONFIG', `${file} is not a list of users (username, displayName, roles, password)`, { cause: e });
  }
  let created = 0;
  for (const u of parsed) {
    if (ctx.users.byUsername(u.username)) continue;
    const passwordHash = await hashPassword(u.password, ctx.cfg.auth.passwordStrength);
    ctx.users.create({ username: u.username, displayName: u.displayName, roles: u.roles, lang: u.lang, passwordHash, mustChangePassword: false }, 'seed', ctx.now());
    created++;
  }
  return created;
}
