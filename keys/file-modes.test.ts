import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEnlaceError } from './errors.js';
import { assertPrivateFiles, makePrivateDir, prepareSqliteFile, sqliteFiles } from './file-modes.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('private files and folders', () => {
  let dir: string;
  let umask: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'enlace-modes-'));
    umask = process.umask(0);
  });

  afterEach(async () => {
    process.umask(umask);
    await rm(dir, { recursive: true, force: true });
  });

  it('creates every missing folder 0700 and leaves an existing one as it was', () => {
    mkdirSync(join(dir, 'shared'), { mode: 0o755 });
    makePrivateDir(join(dir, 'shared', 'a', 'b'));
    expect(mode(join(dir, 'shared'))).toBe(0o755);
    expect(mode(join(dir, 'shared', 'a'))).toBe(0o700);
    expect(mode(join(dir, 'shared', 'a', 'b'))).toBe(0o700);
  });

  it('prepares a SQLite file 0600 in a 0700 folder', () => {
    const db = join(dir, 'data', 'node.db');
    prepareSqliteFile(db);
    expect(mode(join(dir, 'data'))).toBe(0o700);
    expect(mode(db)).toBe(0o600);
  });

  it('refuses a file other users can read, naming it and the fix; absent and private files pass', async () => {
    const db = join(dir, 'node.db');
    writeFileSync(db, '', { mode: 0o600 });
    expect(() => assertPrivateFiles(sqliteFiles(db))).not.toThrow();
    await chmod(db, 0o644);
    let error: unknown;
    try {
      assertPrivateFiles(sqliteFiles(db));
    } catch (e) {
      error = e;
    }
    expect(isEnlaceError(error) && error.code).toBe('ERR_FILE_PERMISSIONS');
    expect((error as Error).message).toContain(`chmod 600 ${db}`);
  });
});
