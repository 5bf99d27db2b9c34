/**
 * The gateway process: `tsx gateway/main.ts [--exit-with-parent]` serves one node's people;
 * `tsx gateway/main.ts add-user --username U --name "Full Name" --roles focal_point[,auditor]`
 * creates an account and prints its one-time password (the first administrator of a node);
 * `grants` lists the content roles waiting for approval and `approve --grant N` (or `refuse`)
 * decides one as the node operator, the second person of the four-eyes rule.
 * Configuration comes from the environment (gateway/config.ts).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { passphraseFromEnv, readEnv } from '../services/index.js';
import { generatePassword, hashPassword } from './auth/passwords.js';
import { gatewayEnvToCfg, gatewayPaths } from './config.js';
import { loadOrCreateSessionKey } from './auth/session.js';
import { OPERATOR_CLI, RoleGrants } from './db/grants.js';
import { openGatewayDb } from './db/open.js';
import { SessionStore } from './db/sessions.js';
import { GatewayError } from './errors.js';
import { USER_ROLES, Users, type UserRole } from './db/users.js';
import { Gateway } from './gateway.js';

async function addUser(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { username: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, lang: { type: 'string' } } });
  const roles = (values.roles ?? '').split(',').filter(Boolean);
  if (!values.username || !values.name || roles.length === 0 || !roles.every((r) => (USER_ROLES as readonly string[]).includes(r))) {
    process.stderr.write(`usage: add-user --username U --name "Full Name" --roles ${USER_ROLES.join(',')} [--lang es|en|fr|pt]\n`);
    return 2;
  }
  const { db, users } = await openAccounts();
  if (users.byUsername(values.username)) {
    process.stderr.write(`user ${values.username} exists already\n`);
    db.close();
    return 1;
  }
  const password = generatePassword();
  users.create(
    { username: values.username, displayName: values.name, roles: roles as UserRole[], lang: values.lang ?? '', passwordHash: await hashPassword(password, 'interactive'), mustChangePassword: true },
    'cli',
    Date.now(),
  );
  db.close();
  process.stdout.write(`created ${values.username}; one-time password: ${password}\n`);
  return 0;
}

async function openAccounts() {
  const cfg = gatewayEnvToCfg(readEnv(), process.cwd());
  const paths = gatewayPaths(cfg);
  const db = openGatewayDb(paths.db);
  const sessions = new SessionStore(db, await loadOrCreateSessionKey(paths.sessionKey), { idleSeconds: cfg.auth.sessionIdleSeconds, maxSeconds: cfg.auth.sessionMaxSeconds, secondFactorSeconds: 300 });
  const users = new Users(db, sessions);
  return { db, users, grants: new RoleGrants(db, users) };
}

async function decideGrants(command: string, argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { grant: { type: 'string' } } });
  const { db, grants } = await openAccounts();
  try {
    if (command === 'grants') {
      for (const g of grants.pending()) process.stdout.write(`${g.id}\t${g.username}\t${g.role}\tasked by ${g.requestedBy} at ${new Date(g.requestedAt).toISOString()}\n`);
      return 0;
    }
    const id = Number(values.grant);
    if (!Number.isInteger(id) || id <= 0) {
      process.stderr.write(`usage: ${command} --grant N   (N from: grants)\n`);
      return 2;
    }
    const g = grants.decide(id, command === 'approve' ? 'approved' : 'refused', OPERATOR_CLI, Date.now());
    process.stdout.write(`${g.username}: ${g.role} ${g.decision} by the node operator\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`grant ${values.grant}: ${e instanceof GatewayError && e.code === 'ERR_NOT_FOUND' ? 'not open (unknown, or decided already)' : String(e)}\n`);
    return 1;
  } finally {
    db.close();
  }
}

async function serve(argv: string[]): Promise<number> {
  const env = readEnv();
  const cfg = gatewayEnvToCfg(env, process.cwd());
  const passphrase = await passphraseFromEnv(env, (p) => readFile(p, 'utf8'));
  const smtpPassword = env.ENLACE_SMTP_PASSWORD_FILE ? (await readFile(env.ENLACE_SMTP_PASSWORD_FILE, 'utf8')).trim() : undefined;
  const gateway = await Gateway.create(cfg, { passphrase, ...(smtpPassword !== undefined ? { smtpPassword } : {}) });
  await gateway.start();
  process.stdout.write(JSON.stringify({ event: 'ready', country: cfg.node.country, url: gateway.url }) + '\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (argv.includes('--exit-with-parent')) {
      process.stdin.on('close', () => resolve());
      process.stdin.on('end', () => resolve());
      process.stdin.resume();
    }
  });
  await gateway.destroy();
  process.stdin.destroy();
  return 0;
}

const argv = process.argv.slice(2);
try {
  const command = argv[0] ?? '';
  process.exitCode = command === 'add-user' ? await addUser(argv.slice(1)) : ['grants', 'approve', 'refuse'].includes(command) ? await decideGrants(command, argv.slice(1)) : await serve(argv);
} catch (e) {
  process.stderr.write(`enlace gateway: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
