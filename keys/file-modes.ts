import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EnlaceError } from './errors.js';

/**
 * Files at rest: everything a node or gateway creates (keys, SQLite files, logs) is
 * readable by its owner only. Modes are set explicitly after creation, so the result
 * does not depend on the process umask. POSIX modes mean nothing on Windows; there
 * these functions do nothing.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const POSIX = process.platform !== 'win32';

/**
 * Creates `path` and any missing parents with mode 0700; folders that already existed
 * keep their mode (they may be an operator's, such as /var/lib).
 *
 * @example makePrivateDir('/var/lib/enlace/AR/keys')
 */
export function makePrivateDir(path: string): void {
  const first = mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!first || !POSIX) return;
  // mkdir returns the first folder it created: every one from `path` up to it is ours.
  const top = resolve(first);
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chmodSync(dir, PRIVATE_DIR_MODE);
    if (dir === top || dir === dirname(dir)) break;
  }
}

/** Sets mode 0600 on a file if it exists. */
export function makePrivateFile(path: string): void {
  if (POSIX && existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Prepares a SQLite database file before `new Database(path)`: its folder (0700) and the
 * file itself (created empty if absent, 0600). SQLite gives the -wal and -shm files the
 * mode of the database file; call `makePrivateSqliteFiles` after opening for older ones.
 */
export function prepareSqliteFile(path: string): void {
  makePrivateDir(dirname(path));
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  makePrivateFile(path);
}

/** The database file and its -wal and -shm companions, 0600. */
export function makePrivateSqliteFiles(path: string): void {
  for (const p of sqliteFiles(path)) makePrivateFile(p);
}

export function sqliteFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/**
 * Refuses files that group or others can read or write (any of the 0077 bits), naming
 * the file and the command that fixes it. Absent files are fine (they are created 0600).
 *
 * @example assertPrivateFiles([keysFile, ...sqliteFiles(dbFile)]) // throws ERR_FILE_PERMISSIONS
 */
export function assertPrivateFiles(paths: readonly string[]): void {
  if (!POSIX) return;
  for (const path of paths) {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) {
      throw new EnlaceError(
        'ERR_FILE_PERMISSIONS',
        `${path} can be read or written by other users (mode ${mode.toString(8).padStart(4, '0')}); it must be private to the node's user: run "chmod 600 ${path}" and start again`,
      );
    }
  }
}
