import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Why loop mounts cannot be used here, or undefined when they can. */
export function cannotMount(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  let dir: { path: string } | undefined;
  try {
    dir = { path: execFileSync('mktemp', ['-d']).toString().trim() };
    execFileSync('truncate', ['-s', '4M', join(dir.path, 'img')]);
    execFileSync('mkfs.ext4', ['-q', join(dir.path, 'img')]);
    mkdirSync(join(dir.path, 'mnt'));
    execFileSync('mount', ['-o', 'loop', join(dir.path, 'img'), join(dir.path, 'mnt')]);
    execFileSync('umount', [join(dir.path, 'mnt')]);
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  } finally {
    if (dir) rmSync(dir.path, { recursive: true, force: true });
  }
}

/** A node's data folder moved onto a fresh ext4 filesystem of `mb` MiB (no blocks reserved for root). */
export class SmallDisk {
  readonly #img: string;
  readonly #mnt: string;
  readonly #filler: string;
  mounted = false;

  constructor(
    workDir: string,
    dataDir: string,
    readonly mb: number,
  ) {
    this.#img = join(workDir, `${dataDir.replaceAll('/', '_')}.img`);
    this.#mnt = dataDir;
    this.#filler = join(dataDir, 'filler');
  }

  mount(): void {
    const saved = `${this.#mnt}.before-mount`;
    renameSync(this.#mnt, saved);
    mkdirSync(this.#mnt, { mode: 0o700 });
    execFileSync('truncate', ['-s', `${this.mb}M`, this.#img]);
    execFileSync('mkfs.ext4', ['-q', '-m', '0', this.#img]);
    execFileSync('mount', ['-o', 'loop', this.#img, this.#mnt]);
    this.mounted = true;
    execFileSync('chmod', ['0700', this.#mnt]);
    execFileSync('cp', ['-a', `${saved}/.`, this.#mnt]);
    rmSync(saved, { recursive: true });
  }

  /** Writes a file until the filesystem has no block left. */
  fill(): void {
    const fd = openSync(this.#filler, 'a');
    const chunk = Buffer.alloc(16 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      closeSync(fd);
    }
  }

  free(): void {
    rmSync(this.#filler, { force: true });
  }

  unmount(): void {
    if (!this.mounted) return;
    try {
      execFileSync('umount', [this.#mnt]);
    } catch {
      execFileSync('umount', ['-l', this.#mnt]);
    }
    this.mounted = false;
  }
}
