import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryMiB: number;
  node: string;
  natsServer: string;
  platform: string;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1]!.trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The machine a run was measured on: CPU, cores, memory, Node and nats-server versions. */
export function machine(natsBinary: string): Machine {
  let natsServer = 'unknown';
  try {
    natsServer = execFileSync(natsBinary, ['--version'], { encoding: 'utf8' })
      .trim()
      .replace(/^nats-server:\s*/, '');
  } catch {
    // reported as unknown
  }
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    natsServer,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** VmRSS of a process in MiB, from /proc/<pid>/status; undefined when it cannot be read. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s*(\d+)\s*kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The 1-minute load average and how many processes are runnable right now, from /proc/loadavg. */
export function loadAverage(): { oneMinute: number; runnable: number } | undefined {
  try {
    const [one, , , running] = readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/);
    return { oneMinute: Number(one), runnable: Number(running!.split('/')[0]) };
  } catch {
    return undefined;
  }
}

/**
 * Which code was measured: the git commit, and whether the node's own folders had
 * uncommitted changes. Outside a checkout (an exported tree), ENLACE_BENCH_COMMIT names it.
 */
export function codeVersion(repo: string): { commit: string; uncommittedChanges: boolean | undefined } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'services', 'keys', 'cli', 'generated', 'proto', 'scripts'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, uncommittedChanges: status.trim().length > 0 };
  } catch {
    return { commit: process.env.ENLACE_BENCH_COMMIT ?? 'unknown', uncommittedChanges: undefined };
  }
}
