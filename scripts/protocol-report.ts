/**
 * What the protocol gives another implementation, counted from the files themselves: the
 * numbered sections of docs/protocol.md, and the vectors of tests/vectors/ per layer, with how
 * many are valid and how many invalid. Exits 1 when a vector names no spec section (every case
 * must, docs/protocol.md §15.1) or names a section the spec does not have.
 *
 * Run: `npm run protocol:report` (add `--markdown` for tables to paste into a note).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
type Json = Record<string, unknown>;
const vectors = (name: string) => JSON.parse(readFileSync(root(`tests/vectors/${name}`), 'utf8')) as Json;
const list = (v: unknown) => v as Json[];

/** `## 4. Trust…` and `### 4.2 Node descriptors` headings: number and title. */
export function protocolSections(text: string): { number: string; title: string }[] {
  return [...text.matchAll(/^#{2,3} (\d+(?:\.\d+)*)\.? (.+)$/gm)].map((m) => ({ number: m[1]!, title: m[2]!.trim() }));
}

export interface Layer {
  layer: string;
  file: string;
  cases: Json[];
  /** Whether a case is a valid one: accepted, a step the machine allows, a chain whose every record is placed. */
  valid: (c: Json) => boolean;
}

export function layers(): Layer[] {
  const env = vectors('envelope-v1.json');
  const desc = vectors('descriptors-v1.json');
  const steps = vectors('steps-v1.json');
  const reg = vectors('registry-v1.json');
  const isValid = (c: Json) => c.valid === true;
  const envCases = list(env.cases);
  const twoChecks = envCases.filter((c) => String(c.name).startsWith('two-checks-'));
  return [
    { layer: 'envelopes (one check each)', file: 'envelope-v1.json', cases: envCases.filter((c) => !twoChecks.includes(c)), valid: isValid },
    { layer: 'envelopes failing two checks (which code wins)', file: 'envelope-v1.json', cases: twoChecks, valid: isValid },
    { layer: 'node descriptors', file: 'descriptors-v1.json', cases: list(desc.cases), valid: isValid },
    {
      layer: 'descriptor serial rule (steps of a sequence)',
      file: 'descriptors-v1.json',
      cases: list((desc.serialSequence as Json).steps).map((s) => ({ ...s, section: (desc.serialSequence as Json).section })),
      valid: (s) => s.error === undefined,
    },
    { layer: 'receipts', file: 'receipts-v1.json', cases: list(vectors('receipts-v1.json').cases), valid: isValid },
    { layer: 'typed payloads (request bodies)', file: 'payloads-v1.json', cases: list(vectors('payloads-v1.json').cases), valid: isValid },
    { layer: 'status steps: the machine', file: 'steps-v1.json', cases: list(steps.machine), valid: (c) => c.expected !== undefined },
    { layer: 'status steps: StatusUpdate content', file: 'steps-v1.json', cases: list(steps.content), valid: isValid },
    {
      layer: 'status steps: positioned sequences (§19), their steps',
      file: 'steps-v1.json',
      cases: list(steps.sequences).flatMap((q) => list(q.steps).map((x) => ({ ...x, name: `${String(q.name)} ${String(x.label)}`, section: q.section }))),
      valid: (x) => !String(x.receipt).startsWith('ERR_'),
    },
    { layer: 'registry records', file: 'registry-v1.json', cases: list(reg.records), valid: isValid },
    { layer: 'registry chains', file: 'registry-v1.json', cases: list(reg.chains), valid: (c) => list(c.steps).every((x) => !String(x.expected).startsWith('ERR_')) },
    { layer: 'attachments', file: 'attachments-v1.json', cases: list(vectors('attachments-v1.json').cases), valid: isValid },
    // Every lane sequence is one a conforming receiver must follow, a gap given up included.
    { layer: 'lanes: arrival sequences (§24)', file: 'lanes-v1.json', cases: list(vectors('lanes-v1.json').cases), valid: () => true },
    { layer: 'links of a request (§25)', file: 'links-v1.json', cases: list(vectors('links-v1.json').cases), valid: isValid },
    { layer: 'statistics: aggregate records', file: 'stats-v1.json', cases: list(vectors('stats-v1.json').records), valid: (c) => c.valid === true },
  ];
}

/** Problems: a case without a section, or one naming a section docs/protocol.md does not have. */
export function sectionProblems(all: Layer[], known: Set<string>): string[] {
  const out: string[] = [];
  for (const l of all) {
    for (const [i, c] of l.cases.entries()) {
      const section = typeof c.section === 'string' ? c.section : '';
      const label = `${l.file} ${l.layer} ${typeof c.name === 'string' ? c.name : String(i)}`;
      if (!section) out.push(`${label}: no section`);
      for (const m of section.matchAll(/§(\d+(?:\.\d+)*)/g)) if (!known.has(m[1]!)) out.push(`${label}: §${m[1]} is not a section of docs/protocol.md`);
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const markdown = process.argv.includes('--markdown');
  const sections = protocolSections(readFileSync(root('docs/protocol.md'), 'utf8'));
  const all = layers();
  const row = (cells: (string | number)[]) => (markdown ? `| ${cells.join(' | ')} |` : cells.join('\t'));
  console.log(markdown ? '### Sections of docs/protocol.md\n' : 'sections of docs/protocol.md');
  if (markdown) console.log('| § | title |\n|---|---|');
  for (const s of sections) console.log(row([`§${s.number}`, s.title]));
  console.log(markdown ? '\n### Vectors per layer\n' : '\nvectors per layer');
  if (markdown) console.log('| layer | file | cases | valid | invalid |\n|---|---|---|---|---|');
  for (const l of all) {
    const valid = l.cases.filter(l.valid).length;
    console.log(row([l.layer, l.file, l.cases.length, valid, l.cases.length - valid]));
  }
  const total = all.reduce((n, l) => n + l.cases.length, 0);
  console.log(row(['all layers', 'tests/vectors/', total, '', '']));
  const problems = sectionProblems(all, new Set(sections.map((s) => s.number)));
  for (const p of problems) console.error(p);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
