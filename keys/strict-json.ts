/**
 * A JSON reader that refuses what JSON.parse lets through silently: duplicate member names
 * (JSON.parse keeps the last, so `{"alg":"none","alg":"EdDSA"}` reads as EdDSA while a
 * first-wins reader sees none; docs/protocol.md §6 requires rejection, RFC 7515 §4 allows it).
 * No kept dependency does this (JSON.parse's reviver sees only the surviving member; zod and
 * secure-json-parse work on its result), and the grammar is small, so it is written here.
 *
 * It scans the text once against RFC 8259 (no BOM, no comments, no trailing commas), with an
 * explicit stack so nesting depth cannot exhaust the call stack, comparing member names after
 * unescaping (`"kid"` and `"\u006bid"` are the same name) in every object at every depth. Only
 * a text that passes is handed to JSON.parse, which then builds the value.
 */
export class StrictJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

const WS = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;

/**
 * Parses an RFC 8259 JSON text, throwing StrictJsonError on a syntax error or a duplicate
 * member name in any object.
 *
 * @example
 * parseStrictJson('{"alg":"EdDSA","kid":"k"}'); // { alg: 'EdDSA', kid: 'k' }
 * parseStrictJson('{"alg":"none","alg":"EdDSA"}'); // throws StrictJsonError
 */
export function parseStrictJson(text: string): unknown {
  let at = 0;
  /** One entry per open container: the member names seen so far (object) or null (array). */
  const stack: (Set<string> | null)[] = [];
  const fail = (what: string): never => {
    throw new StrictJsonError(`${what} at offset ${at}`);
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    at = re.lastIndex;
    return m[0];
  };
  const memberName = (): void => {
    match(WS);
    const raw = match(STRING) ?? fail('expected a member name');
    const name = JSON.parse(raw) as string;
    const names = stack[stack.length - 1]!;
    if (names.has(name)) fail(`duplicate member ${JSON.stringify(name)}`);
    names.add(name);
    match(WS);
    if (text[at++] !== ':') fail('expected ":"');
  };

  value: for (;;) {
    match(WS);
    const c = text[at];
    if (c === '{' || c === '[') {
      at++;
      match(WS);
      if (text[at] === (c === '{' ? '}' : ']')) {
        at++;
      } else {
        stack.push(c === '{' ? new Set() : null);
        if (c === '{') memberName();
        continue value;
      }
    } else if (c === '"') {
      if (match(STRING) === undefined) fail('invalid string');
    } else if (match(NUMBER) === undefined && match(LITERAL) === undefined) {
      fail('expected a value');
    }
    // A value just ended: close containers until one continues with a comma.
    for (;;) {
      match(WS);
      if (stack.length === 0) {
        if (at !== text.length) fail('text after the value');
        return JSON.parse(text);
      }
      const top = stack[stack.length - 1];
      const next = text[at++];
      if (next === ',') {
        if (top) memberName();
        continue value;
      }
      if (next !== (top ? '}' : ']')) fail(top ? 'expected "," or "}"' : 'expected "," or "]"');
      stack.pop();
    }
  }
}
