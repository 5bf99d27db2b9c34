import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseVault } from './case-vault.js';
import { openDb, type Db } from './db.js';

describe('CaseVault keys and transactions', () => {
  let dir: string;
  let file: string;
  const dataKey = new Uint8Array(randomBytes(32));
  const open: Db[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'enlace-vault-'));
    file = join(dir, 'node.db');
  });

  afterEach(async () => {
    for (const db of open.splice(0)) if (db.open) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function vaultAt(path: string): Promise<{ db: Db; vault: CaseVault }> {
    const db = openDb(path);
    open.push(db);
    return { db, vault: await CaseVault.create(db, dataKey) };
  }

  const plain = new TextEncoder().encode('{"names":["M. R."]}');

  it('a key created in a transaction that rolls back is not used by a later one; the payload reads back after a restart', async () => {
    const { db, vault } = await vaultAt(file);
    expect(() =>
      db.transaction(() => {
        vault.seal('req-1', plain);
        throw new Error('commit fails');
      })(),
    ).toThrow('commit fails');
    const sealed = db.transaction(() => vault.seal('req-1', plain))()!;
    db.close();

    const { vault: fresh } = await vaultAt(file);
    expect(fresh.isErased('req-1')).toBe(false);
    expect(fresh.open('req-1', sealed)).toEqual(plain);
  });

  it('a savepoint that rolls back inside a committed transaction leaves no key behind', async () => {
    const { db, vault } = await vaultAt(file);
    let sealed: Uint8Array | undefined;
    db.transaction(() => {
      try {
        db.transaction(() => {
          vault.seal('req-2', plain);
          throw new Error('this item fails');
        })();
      } catch {
        // only the savepoint rolls back, as in Store.group
      }
      sealed = vault.seal('req-2', plain);
    })();
    db.close();

    const { vault: fresh } = await vaultAt(file);
    expect(fresh.open('req-2', sealed!)).toEqual(plain);
  });

  it('a destruction that rolls back leaves the case readable', async () => {
    const { db, vault } = await vaultAt(file);
    const sealed = vault.seal('req-3', plain)!;
    expect(vault.open('req-3', sealed)).toEqual(plain);
    expect(() =>
      db.transaction(() => {
        vault.destroy('req-3', Date.now());
        throw new Error('erasure fails');
      })(),
    ).toThrow('erasure fails');
    expect(vault.isErased('req-3')).toBe(false);
    expect(vault.open('req-3', sealed)).toEqual(plain);

    db.transaction(() => vault.destroy('req-3', Date.now()))();
    expect(vault.isErased('req-3')).toBe(true);
    expect(vault.open('req-3', sealed)).toBeUndefined();
  });

  it('a case erased before it had content stays erased and seals nothing', async () => {
    const { db, vault } = await vaultAt(file);
    db.transaction(() => vault.destroy('req-4', Date.now()))();
    expect(vault.seal('req-4', plain)).toBeUndefined();
    db.close();
    const { vault: fresh } = await vaultAt(file);
    expect(fresh.isErased('req-4')).toBe(true);
  });
});
