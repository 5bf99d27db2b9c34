import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFileRegistry,
  fromBinary,
  fromJson,
  getOption,
  hasOption,
  isFieldSet,
  toBinary,
  toJson,
  type DescField,
  type DescMessage,
  type FileRegistry,
  type JsonObject,
  type JsonValue,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { createValidator, type Validator } from '@bufbuild/protovalidate';
import {
  BytesRulesSchema,
  field as fieldRules,
  Ignore,
  message as messageRules,
  oneof as oneofRules,
  RepeatedRulesSchema,
  StringRulesSchema,
  type BytesRules,
  type RepeatedRules,
  type StringRules,
} from '@bufbuild/protovalidate/gen/buf/validate/validate_pb.js';

/** Whether a proto2 member of a rule is set (unset ones read as their zero value). */
const hasS = (r: StringRules, name: keyof typeof StringRulesSchema.field) => isFieldSet(r, StringRulesSchema.field[name]);
const hasB = (r: BytesRules, name: keyof typeof BytesRulesSchema.field) => isFieldSet(r, BytesRulesSchema.field[name]);
const hasR = (r: RepeatedRules, name: keyof typeof RepeatedRulesSchema.field) => isFieldSet(r, RepeatedRulesSchema.field[name]);

/**
 * The protovalidate annotations of proto/ against the reference node's own checks: for every
 * annotated field reached in a valid baseline message, values the annotation forbids and the
 * boundary values it allows, each run through @bufbuild/protovalidate (reading the annotations
 * from a `buf build` image of proto/, offline) and through the node's validator on the same bytes.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A `buf build` image of proto/ (with the vendored buf/validate/validate.proto), as a registry. */
export function protoRegistry(): FileRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'enlace-image-'));
  try {
    const out = join(dir, 'image.binpb');
    execFileSync(join(ROOT, 'node_modules/.bin/buf'), ['build', '--exclude-source-info', '-o', out], { cwd: join(ROOT, 'proto') });
    return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Path = (string | number)[];

/** One probe: a change to a baseline and what the annotations say of the result. */
export interface Probe {
  /** Where, as proto field names: `mla.offences[0].category`. */
  where: string;
  /** What the probe does, e.g. `max_len 200 + 1`. */
  what: string;
  /** True when the annotations allow the changed message. */
  allowed: boolean;
  bytes: Uint8Array;
}

interface Site {
  path: Path;
  field: DescField;
}

const LINE = '^[^\\x00-\\x1f\\x7f]*$';
const TEXT = '^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$';
/** The file name rule of attachments (§18.4), as written in envelope.proto and exchange.proto. */
const NAME_ANYWHERE = '/\\\\\\x00-\\x1f\\x7f-\\x9f\\x{2028}\\x{2029}\\x{061c}\\x{200e}\\x{200f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}';
const NAME_EDGE = ' \\x{00a0}\\x{1680}\\x{2000}-\\x{200a}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
export const FILE_NAME = `^[^${NAME_ANYWHERE}${NAME_EDGE}]([^${NAME_ANYWHERE}]*[^${NAME_ANYWHERE}${NAME_EDGE}])?$`;
/** For each pattern of the annotations: a value it refuses and one it accepts. */
const PATTERN_SAMPLES: Record<string, { refuse: string; accept: string }> = {
  [LINE]: { refuse: 'line\nbreak', accept: 'a line' },
  [TEXT]: { refuse: 'bell\u0007', accept: 'two\nlines' },
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': { refuse: '2026-1-05', accept: '' },
  '^[A-Z]{2}$': { refuse: 'uy', accept: 'UY' },
  '^[a-z]{2}$': { refuse: 'ES', accept: 'es' },
  '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$': { refuse: '019bc2a0-0000-4000-8000-000000000000', accept: '019bc2a0-0000-7000-8000-000000000000' },
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': { refuse: '019BC2A0-0000-4000-8000-000000000000', accept: '019bc2a0-0000-4000-8000-000000000000' },
  '^[a-z0-9][a-z0-9-]{0,62}$': { refuse: 'Fiscalía', accept: 'fiscalia-trata' },
  '^[\\x21-\\x7e]{8,128}$': { refuse: 'has space', accept: 'retry-key-0001' },
  '^[a-z]+/[a-z0-9.+-]+$': { refuse: 'application json', accept: 'application/json' },
  [FILE_NAME]: { refuse: 'scans/acta.pdf', accept: 'Acta de nacimiento.pdf' },
  '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$': { refuse: 'another/object', accept: '' },
};

function sites(desc: DescMessage, json: JsonObject, path: Path, out: Site[]): void {
  for (const f of desc.fields) {
    out.push({ path: [...path, f.name], field: f });
    const value = json[f.jsonName];
    if (f.message === undefined || value === undefined || value === null) continue;
    if (f.fieldKind === 'list') (value as JsonObject[]).forEach((v, i) => sites(f.message, v, [...path, f.name, i], out));
    else if (f.fieldKind === 'message') sites(f.message, value as JsonObject, [...path, f.name], out);
  }
}

function parentOf(json: JsonObject, desc: DescMessage, path: Path): { obj: JsonObject; desc: DescMessage } {
  let obj: JsonValue = json;
  let d = desc;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') {
      obj = (obj as JsonValue[])[seg]!;
      continue;
    }
    const f = d.fields.find((x) => x.name === seg)!;
    obj = (obj as JsonObject)[f.jsonName]!;
    d = f.message!;
  }
  return { obj: obj as JsonObject, desc: d };
}

const label = (path: Path) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/**
 * Every probe of the annotated fields reachable in `baseline` (a valid message of type
 * `desc`): for each rule, the values it forbids, and the boundary or sample values it allows.
 */
export function probes(registry: FileRegistry, desc: DescMessage, baseline: Uint8Array, validator: Validator = createValidator({ registry })): Probe[] {
  const base = toJson(desc, fromBinary(desc, baseline), { registry }) as JsonObject;
  const found: Site[] = [];
  sites(desc, base, [], found);
  const out: Probe[] = [];
  const probe = (path: Path, what: string, change: (parent: JsonObject, key: string) => void) => {
    const json = structuredClone(base);
    const { obj, desc: parentDesc } = parentOf(json, desc, path);
    const last = path[path.length - 1] as string;
    const f = parentDesc.fields.find((x) => x.name === last)!;
    change(obj, f.jsonName);
    const msg = fromJson(desc, json, { registry });
    out.push({ where: label(path), what, allowed: validator.validate(desc, msg).kind === 'valid', bytes: toBinary(desc, msg) });
  };
  const set = (v: JsonValue | undefined) => (o: JsonObject, k: string) => {
    if (v === undefined) delete o[k];
    else o[k] = v;
  };

  for (const { path, field } of found) {
    if (!hasOption(field, fieldRules)) continue;
    const r = getOption(field, fieldRules);
    if (r.required) probe(path, 'required, removed', set(undefined));
    const t = r.type;
    if (t.case === 'string') {
      const s = t.value;
      if (s.in.length > 0) {
        probe(path, 'in, a value outside', set('not_a_code'));
        if (field.fieldKind === 'scalar' && r.ignore === Ignore.IF_ZERO_VALUE) probe(path, 'in, empty (ignored)', set(''));
      }
      if (hasS(s, 'maxLen')) {
        probe(path, `max_len ${s.maxLen} + 1`, set('a'.repeat(Number(s.maxLen) + 1)));
        probe(path, `max_len ${s.maxLen}`, set('a'.repeat(Number(s.maxLen))));
      }
      if (hasS(s, 'minLen') && s.minLen > 0n) probe(path, 'min_len 1, empty', set(''));
      if (hasS(s, 'pattern')) {
        const sample = PATTERN_SAMPLES[s.pattern];
        if (!sample) throw new Error(`no samples for the pattern ${s.pattern} of ${label(path)}`);
        probe(path, `pattern, ${JSON.stringify(sample.refuse)}`, set(sample.refuse));
        if (sample.accept !== '' || r.ignore === Ignore.IF_ZERO_VALUE) probe(path, `pattern, ${JSON.stringify(sample.accept)}`, set(sample.accept));
      }
    } else if (t.case === 'bytes') {
      if (hasB(t.value, 'len')) {
        const n = Number(t.value.len);
        probe(path, `bytes len ${n} - 1`, set(Buffer.alloc(n - 1, 0x5a).toString('base64')));
        probe(path, `bytes len ${n} + 1`, set(Buffer.alloc(n + 1, 0x5a).toString('base64')));
      }
      if (hasB(t.value, 'minLen') && t.value.minLen > 0n) probe(path, 'bytes min_len, empty', set(undefined));
      if (hasB(t.value, 'maxLen')) probe(path, `bytes max_len ${t.value.maxLen} + 1`, set(Buffer.alloc(Number(t.value.maxLen) + 1, 0xff).toString('base64')));
    } else if (t.case === 'uint32') {
      const gte = t.value.greaterThan.case === 'gte' ? t.value.greaterThan.value : undefined;
      if (gte !== undefined && gte > 0) {
        probe(path, `gte ${gte} - 1`, set(gte - 1));
        probe(path, `gte ${gte}`, set(gte));
      }
      const lte = t.value.lessThan.case === 'lte' ? t.value.lessThan.value : undefined;
      if (lte !== undefined) {
        probe(path, `lte ${lte} + 1`, set(lte + 1));
        probe(path, `lte ${lte}`, set(lte));
      }
    } else if (t.case === 'uint64') {
      const gte = t.value.greaterThan.case === 'gte' ? t.value.greaterThan.value : undefined;
      if (gte !== undefined && gte > 0n) {
        probe(path, `gte ${gte} - 1`, set(String(gte - 1n)));
        probe(path, `gte ${gte}`, set(String(gte)));
      }
      const lte = t.value.lessThan.case === 'lte' ? t.value.lessThan.value : undefined;
      if (lte !== undefined) {
        probe(path, `lte ${lte} + 1`, set(String(lte + 1n)));
        probe(path, `lte ${lte}`, set(String(lte)));
      }
    } else if (t.case === 'int64') {
      const gt = t.value.greaterThan.case === 'gt' ? t.value.greaterThan.value : undefined;
      if (gt !== undefined) {
        probe(path, `gt ${gt}`, set(String(gt)));
        probe(path, `gt ${gt}, ${gt + 1n}`, set(String(gt + 1n)));
      }
    } else if (t.case === 'repeated') {
      const rr = t.value;
      const parent = parentOf(base, desc, path).obj;
      const current = (parent[field.jsonName] as JsonValue[] | undefined) ?? [];
      let element: JsonValue | undefined = current[0];
      if (element === undefined && rr.items?.type.case === 'string') {
        const items = rr.items.type.value;
        element = items.in[0] ?? (hasS(items, 'pattern') ? PATTERN_SAMPLES[items.pattern]?.accept : undefined) ?? 'a';
      }
      if (hasR(rr, 'minItems') && rr.minItems > 0n) probe(path, `min_items ${rr.minItems}, none`, set([]));
      if (hasR(rr, 'maxItems') && element !== undefined) {
        const n = Number(rr.maxItems);
        if (rr.unique && element !== undefined && typeof element === 'string' && rr.items?.type.case === 'string' && rr.items.type.value.in.length > n) {
          probe(path, `max_items ${n} + 1 distinct`, set(rr.items.type.value.in.slice(0, n + 1)));
        } else {
          probe(path, `max_items ${n} + 1`, set(Array.from({ length: n + 1 }, () => structuredClone(element!))));
        }
        if (!rr.unique) probe(path, `max_items ${n}`, set(Array.from({ length: n }, () => structuredClone(element!))));
      }
      if (rr.unique && element !== undefined) probe(path, 'unique, repeated', set([element, element]));
      if (rr.items?.type.case === 'string') {
        const items = rr.items.type.value;
        if (items.in.length > 0) probe(path, 'items in, a value outside', set(['not_a_code']));
        if (hasS(items, 'maxLen')) probe(path, `items max_len ${items.maxLen} + 1`, set(['a'.repeat(Number(items.maxLen) + 1)]));
        if (hasS(items, 'minLen') && items.minLen > 0n) probe(path, 'items min_len 1, empty', set(['']));
        if (hasS(items, 'pattern')) probe(path, `items pattern, ${JSON.stringify(PATTERN_SAMPLES[items.pattern]!.refuse)}`, set([PATTERN_SAMPLES[items.pattern]!.refuse]));
      }
    }
  }
  // Message rules (CEL) and required oneofs: break each by clearing what it asks for.
  const messages: { path: Path; desc: DescMessage }[] = [{ path: [], desc }];
  for (const { path, field } of found) {
    if (field.message === undefined || field.fieldKind === 'map') continue;
    const parent = parentOf(base, desc, path).obj;
    const value = parent[field.jsonName];
    if (value === undefined) continue;
    if (field.fieldKind === 'list') (value as JsonValue[]).forEach((_, i) => messages.push({ path: [...path, i], desc: field.message }));
    else messages.push({ path, desc: field.message });
  }
  for (const m of messages) {
    if (hasOption(m.desc, messageRules)) {
      for (const rule of getOption(m.desc, messageRules).cel) {
        const names = [...rule.expression.matchAll(/this\.(\w+)/g)].map((x) => x[1]!);
        probe([...m.path, names[0]!], `message rule ${rule.id}, all cleared`, (obj) => {
          for (const n of names) delete obj[m.desc.fields.find((f) => f.name === n)!.jsonName];
        });
      }
    }
    for (const o of m.desc.oneofs) {
      if (!hasOption(o, oneofRules) || !getOption(o, oneofRules).required) continue;
      probe([...m.path, o.fields[0]!.name], `oneof ${o.name} required, none set`, (obj) => {
        for (const f of o.fields) delete obj[f.jsonName];
      });
    }
  }
  return out;
}

/** The fields of `desc` (and the messages it holds) that carry a field annotation, as `Message.field`. */
export function annotatedFields(desc: DescMessage, seen = new Set<string>(), out = new Set<string>()): Set<string> {
  if (seen.has(desc.typeName)) return out;
  seen.add(desc.typeName);
  for (const f of desc.fields) {
    if (hasOption(f, fieldRules)) out.add(`${desc.name}.${f.name}`);
    if (f.message) annotatedFields(f.message, seen, out);
  }
  return out;
}

/** `Message.field` of a probe, for coverage: the message holding the last field of `where`. */
export function probedField(registry: FileRegistry, desc: DescMessage, where: string): string {
  let d = desc;
  const names = where.replace(/\[\d+\]/g, '').split('.');
  for (const n of names.slice(0, -1)) d = d.fields.find((f) => f.name === n)!.message!;
  return `${d.name}.${names[names.length - 1]}`;
}
