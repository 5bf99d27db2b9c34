import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The pid of a running process whose command line contains `needle` (first match), if any. */
export function findPid(needle: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(needle)) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

/**
 * CPU used by a set of processes between `start()` and `stop()`, per process. A process
 * that was restarted in between counts from its own start.
 */
export class CpuMeter {
  readonly #pids: Record<string, () => number | undefined>;
  #before = new Map<string, { pid: number; seconds: number }>();

  constructor(pids: Record<string, () => number | undefined>) {
    this.#pids = pids;
  }

  start(): void {
    this.#before = this.#read();
  }

  /** CPU seconds per process since start(). */
  stop(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, now] of this.#read()) {
      const before = this.#before.get(name);
      const used = before && before.pid === now.pid ? now.seconds - before.seconds : now.seconds;
      out[name] = Math.round(used * 100) / 100;
    }
    return out;
  }

  #read(): Map<string, { pid: number; seconds: number }> {
    const out = new Map<string, { pid: number; seconds: number }>();
    for (const [name, pidOf] of Object.entries(this.#pids)) {
      const pid = pidOf();
      const seconds = pid === undefined ? undefined : cpuSeconds(pid);
      if (pid !== undefined && seconds !== undefined) out.set(name, { pid, seconds });
    }
    return out;
  }
}
