import { Direction, type Request } from '../../generated/enlace/v1/exchange.js';
import { RequestPayload } from '../../generated/enlace/v1/requests.js';
import { REQUEST_KINDS, type RequestKind } from './codes.js';
import { formFromBody, plainPath, REQUEST_FORMS, TYPED_PREFIX } from './typed-forms.js';

/** The parts of a person's identity (typed-forms.ts `person`): copied only when asked for. */
const IDENTITY = new Set(['given_names', 'family_names', 'name_variants', 'date_of_birth', 'place_of_birth', 'documents.number', 'father_name', 'mother_name', 'last_known_address']);

const isIdentity = (path: string) => [...IDENTITY].some((p) => plainPath(path) === p || plainPath(path).endsWith(`.${p}`));

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Proto JSON (camelCase) with the snake_case names the typed forms' paths use. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), snakeKeys(x)]));
}

/**
 * The compose form of a new request started from an earlier one: its type, the other state
 * and (for a request this node sent) the authority, and the typed form's fields as the node
 * returned them, which is the case content only for roles that see it (the node sends the
 * others no subject and no typed form). Never copied: the documents, the references, the
 * links; the identity of the persons only when `withPersons`. A received request with use
 * restrictions is passed on, not copied: the new one names it as its source (`derived`), so
 * the node carries its restrictions over and refuses it toward a third state unless a reason
 * is given (docs/protocol.md §25.3), as the "pass on" of its page does.
 */
export function duplicateValues(r: Request, withPersons: boolean): Record<string, string | string[]> {
  const outbound = r.direction === Direction.DIRECTION_OUTBOUND;
  const [country = '', authority = ''] = (outbound ? r.to : r.from).split('/');
  const out: Record<string, string | string[]> = { kind: r.kind, toCountry: country };
  if (outbound && authority) out.toAuthority = authority;
  if (!outbound && (r.links?.handling.length ?? 0) > 0) out.derived = r.id;
  if (r.subject) out.subject = r.subject;
  const kind = (REQUEST_KINDS as readonly string[]).includes(r.kind) ? (r.kind as RequestKind) : undefined;
  if (!kind || !r.typed || r.erased) return out;
  const json = snakeKeys(RequestPayload.toJSON(r.typed)) as Record<string, unknown>;
  const body = json[kind];
  if (!body || typeof body !== 'object') return out;
  const fields = REQUEST_FORMS[kind].filter((f) => withPersons || !isIdentity(f.path));
  return { ...out, ...formFromBody(fields, body as Record<string, unknown>, TYPED_PREFIX) };
}
