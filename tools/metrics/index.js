// Reports the files over 400 lines and the functions over 80 lines (CONVENTIONS 2), so that a
// change that shortens code can show its before and after. It parses with the classic TypeScript
// compiler API from tools/lint (the project's TypeScript 7 has no JavaScript API) and counts every
// function body: declarations, methods, accessors, constructors, function expressions and arrow
// functions, nested ones included, from the line of their first token to the line of their last.
//
// Run: `npm run metrics` (add `--all` to list every long function, `--json` for a machine reading).
// Generated code is left out; data written as TypeScript (the i18n tables, the demo registry) and
// the tests are reported apart, because the rule is about code that a person reads as logic.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from '../lint/node_modules/typescript/lib/typescript.js';

const FILE_LIMIT = 400;
const FUNCTION_LIMIT = 80;
const DATA = [/^gateway\/i18n\//, /^services\/registry\/demo-data\.ts$/];
const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles() {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\n')
    .filter((path) => path.length > 0 && !path.startsWith('generated/') && !path.includes('node_modules/') && !path.endsWith('.d.ts'))
    .sort();
}

function groupOf(path) {
  if (path.startsWith('tests/') || path.endsWith('.test.ts')) return 'tests';
  if (DATA.some((pattern) => pattern.test(path))) return 'data';
  return 'source';
}

function nameOf(node, source) {
  if (node.name) return node.name.getText(source);
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText(source).slice(0, 40)})`;
  return '(anonymous)';
}

function functionsOf(path) {
  const text = readFileSync(new URL(path, `file://${root}`), 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ path, line: first + 1, name: nameOf(node, source), lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), functions: found };
}

function measure() {
  const groups = { source: { files: [], functions: [] }, tests: { files: [], functions: [] }, data: { files: [], functions: [] } };
  for (const path of sourceFiles()) {
    const { lines, functions } = functionsOf(path);
    const group = groups[groupOf(path)];
    group.files.push({ path, lines });
    group.functions.push(...functions);
  }
  return groups;
}

function report(groups, all) {
  for (const [name, group] of Object.entries(groups)) {
    const longFiles = group.files.filter((file) => file.lines > FILE_LIMIT).sort((a, b) => b.lines - a.lines);
    const longFunctions = group.functions.filter((fn) => fn.lines > FUNCTION_LIMIT).sort((a, b) => b.lines - a.lines);
    const longest = [...group.functions].sort((a, b) => b.lines - a.lines)[0];
    console.log(`${name}: ${group.files.length} files, ${longFiles.length} over ${FILE_LIMIT} lines; ${group.functions.length} functions, ${longFunctions.length} over ${FUNCTION_LIMIT} lines`);
    if (longest) console.log(`  longest function: ${longest.name} (${longest.path}:${longest.line}), ${longest.lines} lines`);
    for (const file of longFiles) console.log(`  file ${file.path}: ${file.lines} lines`);
    for (const fn of all || name === 'source' ? longFunctions : []) console.log(`  function ${fn.name} (${fn.path}:${fn.line}): ${fn.lines} lines`);
  }
}

const groups = measure();
if (process.argv.includes('--json')) console.log(JSON.stringify(groups, null, 2));
else report(groups, process.argv.includes('--all'));
