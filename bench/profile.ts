/**
 * Summarizes V8 CPU profiles (node --cpu-prof): self time by function and by package.
 *
 *   npx tsx bench/profile.ts <file.cpuprofile>...
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time, percent. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  wallMs: number;
  busyMs: number;
  topFunctions: SelfTime[];
  byPackage: SelfTime[];
  /** Time with a function of the project (services/, keys/, cli/) on the stack, callees included. */
  projectInclusive: SelfTime[];
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

function where(url: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith(REPO) ? path.slice(REPO.length) : path;
}

/** The package (or project folder, or Node itself) a function belongs to. */
function packageOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const w = where(url);
  if (url.startsWith('node:')) return 'node: internals';
  if (w !== url && !url.includes('node_modules/')) return w.split('/').slice(0, 2).join('/');
  const parts = w.split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

export async function summarizeProfile(file: string, top = 15): Promise<ProfileSummary> {
  const p = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const dt = p.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const fns = new Map<string, { name: string; where: string; us: number }>();
  const pkgs = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += us;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const name = functionName || '(anonymous)';
    const w = where(url);
    const loc = !url ? '' : /^(services|keys|cli|scripts)\//.test(w) ? w : `${w}:${lineNumber + 1}`;
    const key = `${name} ${loc}`;
    const f = fns.get(key) ?? { name, where: loc, us: 0 };
    f.us += us;
    fns.set(key, f);
    const pkg = packageOf(url, name);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const busy = total - idle;
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const inclusive = new Map<string, { name: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      const w = where(url);
      if (!/^(services|keys|cli)\//.test(w)) continue;
      // tsx transpiles without keeping line numbers, so a project function is named by its file only.
      const loc = w;
      const key = `${functionName} ${loc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const f = inclusive.get(key) ?? { name: functionName || '(anonymous)', where: loc, us: 0 };
      f.us += us;
      inclusive.set(key, f);
    }
  }
  const pct = (us: number) => Math.round((1000 * us) / busy) / 10;
  return {
    file: basename(file),
    wallMs: Math.round((p.endTime - p.startTime) / 1000),
    busyMs: Math.round(busy / 1000),
    topFunctions: [...fns.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: Math.round(f.us / 1000), percent: pct(f.us) })),
    byPackage: [...pkgs.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, where: '', ms: Math.round(us / 1000), percent: pct(us) })),
    projectInclusive: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, ms: Math.round(f.us / 1000), percent: pct(f.us) })),
  };
}

export function profileMarkdown(s: ProfileSummary): string {
  const rows = (xs: SelfTime[], withWhere: boolean) => xs.map((x) => `| ${x.name.replace(/\|/g, '\\|')}${withWhere && x.where ? ` \`${x.where}\`` : ''} | ${x.ms} | ${x.percent}% |`).join('\n');
  return `#### ${s.file}: ${s.busyMs} ms busy of ${s.wallMs} ms

| self time by package | ms | share of busy |
|---|---:|---:|
${rows(s.byPackage.slice(0, 10), false)}

| self time by function | ms | share of busy |
|---|---:|---:|
${rows(s.topFunctions, true)}

| time inside the project's functions (callees included) | ms | share of busy |
|---|---:|---:|
${rows(s.projectInclusive, true)}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: npx tsx bench/profile.ts <file.cpuprofile>...');
    process.exitCode = 2;
  }
  for (const f of files) console.log(profileMarkdown(await summarizeProfile(f, 25)));
}
