import { chmod, readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { generatePassword } from './auth/passwords.js';
import { personRoleSchema } from '../services/vocabulary.js';
import type { UserRole } from './db/users.js';

/** One demo account per role a person can hold. */
const DEMO_ROLES: { role: UserRole; name: string }[] = [
  { role: 'focal_point', name: 'focal' },
  { role: 'prosecutor', name: 'prosecutor' },
  { role: 'directory_admin', name: 'admin' },
  { role: 'user_admin', name: 'users' },
  { role: 'auditor', name: 'auditor' },
  { role: 'operator', name: 'operator' },
];

const LANG: Record<string, string> = { AR: 'es', UY: 'es', BR: 'pt', US: 'en', CA: 'en', HT: 'fr' };

const fileSchema = z.record(z.string(), z.array(z.object({ username: z.string(), displayName: z.string(), roles: z.array(personRoleSchema), password: z.string(), lang: z.string() })));
export type DemoLogins = z.infer<typeof fileSchema>;

/**
 * The demo accounts of `npm start`: created with random passwords on first start, kept in
 * `path` (mode 0600, under .data/, which git ignores) and reused afterwards. Each gateway is
 * given the same file as ENLACE_GATEWAY_SEED_USERS and takes its own country's entries.
 */
export async function ensureDemoLogins(path: string, countries: string[]): Promise<DemoLogins> {
  let logins: DemoLogins = {};
  try {
    logins = fileSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    // absent or unreadable: made again below
  }
  let changed = false;
  for (const country of countries) {
    if (logins[country]?.length) continue;
    const c = country.toLowerCase();
    logins[country] = DEMO_ROLES.map(({ role, name }) => ({
      username: `${name}.${c}`,
      displayName: `${name[0]!.toUpperCase()}${name.slice(1)} ${country} (demo)`,
      roles: [role],
      password: generatePassword(),
      lang: LANG[country] ?? 'es',
    }));
    changed = true;
  }
  if (changed) await writeFile(path, JSON.stringify(logins, null, 2) + '\n', { mode: 0o600 });
  await chmod(path, 0o600);
  return logins;
}

/** Lines for the terminal: each demo account with its role and password. */
export function demoLoginLines(logins: DemoLogins, country: string): string[] {
  return (logins[country] ?? []).map((u) => `    ${u.username.padEnd(16)} ${u.password}   ${u.roles.join(', ')}`);
}
