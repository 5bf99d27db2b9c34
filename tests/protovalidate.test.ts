import { readFileSync } from 'node:fs';
import { fromBinary, getOption, hasOption, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import { createValidator } from '@bufbuild/protovalidate';
import { field as fieldRules } from '@bufbuild/protovalidate/gen/buf/validate/validate_pb.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttachmentRef, RequestBody, StatusUpdate } from '../generated/enlace/v1/envelope.js';
import { ListCasesRequest } from '../generated/enlace/v1/cases.js';
import { ListRequestsRequest, SubmitRequestRequest, TransitionRequest } from '../generated/enlace/v1/exchange.js';
import { RequestPayload, ResponsePayload } from '../generated/enlace/v1/requests.js';
import { fromB64u, InvalidArgumentError } from '../keys/index.js';
import { MAX_FUTURE_SKEW_MS } from '../services/envelope/index.js';
import { refsProblem } from '../services/attachments/receive.js';
import { extensionProblem, fileNameProblem } from '../services/attachments/rules.js';
import { validSubmitRequest, validTransition } from '../services/grpc/validate.js';
import { validAttachments } from '../services/grpc/validate-attachments.js';
import { validIds } from '../services/grpc/validate-links.js';
import { checkReceivedRequest, checkReceivedStep } from '../services/requests/content-rules.js';
import { codes, CODE_TABLE_NAMES, REQUEST_TYPE_CODES } from '../services/requests/codes.js';
import { TYPED_REQUEST } from '../services/requests/typed.js';
import { completeProvidedInformation, completeResponse, TEST_NOW } from '../services/requests/testkit.js';
import { payloadKind, validProvidedInformation, validRequestPayload, validResponsePayload } from '../services/requests/validate-payload.js';
import { annotatedFields, FILE_NAME, probedField, probes, protoRegistry, type Probe } from './_protovalidate.js';

// The contract's field rules (protovalidate annotations in proto/) against the node's checks
// (services/requests/content-rules.ts, validate-*.ts): @bufbuild/protovalidate reads the
// annotations from a `buf build` image of proto/ and runs on the same bytes as the node.
// Every value an annotation forbids must be refused by the node; every boundary value an
// annotation allows must be accepted, except where the node enforces a rule the annotation
// cannot say (listed below with the reason, and written in docs/protocol.md §18.7).

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
const payloads = read<{ now: number; cases: { name: string; valid: boolean; requestBody: string }[] }>('payloads-v1.json');
const attachments = read<{ cases: { name: string; requestId: string; refs: { encoded: string }[] }[] }>('attachments-v1.json');
const steps = read<{ now: number; content: { name: string; kind: string; valid: boolean; body: string }[] }>('steps-v1.json');

/** Rules the node adds to an allowed value, by probe: what it refuses and why no annotation says it. */
const NODE_ONLY: { where: RegExp; what: RegExp; why: string }[] = [
  {
    where: /^mla\.measures$/,
    what: /^max_items \d+$/,
    why: 'the outcome rules of an answer (§18.2): partially_executed lists measures both executed and not, so 30 copies of one measure are refused',
  },
  { where: /^stage$/, what: /^in, empty/, why: 'the action record_stage needs a stage, and only it may have one (§18.5), a rule across fields' },
  { where: /^attachments\[\d+\]\.size$/, what: /^lte /, why: 'the sizes of all the attachments of a request add up to at most 50 MiB (§18.4), a rule across the list' },
  { where: /\.consent\.date$/, what: /^pattern, ""$/, why: 'a consent without its date is not a recorded consent: the request then needs a legal ground (§18.8), a rule across fields' },
];

function nodeRefuses(check: () => void): boolean {
  try {
    check();
    return false;
  } catch (e) {
    if (e instanceof InvalidArgumentError) return true;
    throw e;
  }
}

interface Outcome {
  probe: Probe;
  node: boolean;
}

function disagreements(outcomes: Outcome[]): string[] {
  return outcomes
    .filter(({ probe, node }) => {
      if (!probe.allowed) return !node; // the annotation forbids it: the node must refuse it
      if (!node) return false;
      return !NODE_ONLY.some((x) => x.where.test(probe.where) && x.what.test(probe.what));
    })
    .map(({ probe, node }) => `${probe.where} (${probe.what}): annotations ${probe.allowed ? 'allow' : 'forbid'}, node ${node ? 'refuses' : 'accepts'}`);
}

describe('protovalidate annotations agree with the node (protocol §18.5, §18.7)', () => {
  let registry: FileRegistry;
  let desc: (name: string) => DescMessage;
  beforeAll(() => {
    registry = protoRegistry();
    desc = (name) => registry.getMessage(`enlace.v1.${name}`)!;
  }, 60_000);

  it('every code list in an annotation is exactly one of the code tables (docs/codes)', () => {
    const tables = CODE_TABLE_NAMES.map((name) => [name, codes(name).join(',')] as const);
    const lists: string[] = [];
    for (const name of ['RequestPayload', 'ResponsePayload', 'RequestBody', 'StatusUpdate']) {
      const seen = new Set<string>();
      const walk = (d: DescMessage) => {
        if (seen.has(d.typeName)) return;
        seen.add(d.typeName);
        for (const f of d.fields) {
          if (hasOption(f, fieldRules)) {
            const r = getOption(f, fieldRules).type;
            const s = r.case === 'string' ? r.value : r.case === 'repeated' && r.value.items?.type.case === 'string' ? r.value.items.type.value : undefined;
            if (s && s.in.length > 0 && !['media_type', 'action'].includes(f.name)) {
              lists.push(`${d.name}.${f.name}`);
              expect(tables.find(([, codes]) => codes === s.in.join(','))?.[0], `${d.name}.${f.name}`).toBeDefined();
            }
          }
          if (f.message) walk(f.message);
        }
      };
      walk(desc(name));
    }
    expect(lists.length).toBeGreaterThan(20);
  });

  it('typed request forms: every annotated field, on the valid forms of the payload vectors', () => {
    const root = desc('RequestPayload');
    const validator = createValidator({ registry });
    const outcomes: Outcome[] = [];
    const probed = new Set<string>();
    for (const c of payloads.cases.filter((x) => x.valid)) {
      const body = RequestBody.decode(fromB64u(c.requestBody));
      if (body.payloadType !== TYPED_REQUEST) continue;
      const kind = payloadKind(RequestPayload.decode(body.payload))!;
      expect(validator.validate(root, fromBinary(root, body.payload)).kind, c.name).toBe('valid');
      for (const p of probes(registry, root, body.payload, validator)) {
        probed.add(probedField(registry, root, p.where));
        outcomes.push({ probe: p, node: nodeRefuses(() => validRequestPayload(kind, RequestPayload.decode(p.bytes), { now: payloads.now })) });
      }
    }
    expect(disagreements(outcomes)).toEqual([]);
    const forbidden = outcomes.filter((o) => !o.probe.allowed).length;
    expect(forbidden).toBeGreaterThan(300);
    const unreached = [...annotatedFields(root)].filter((f) => !probed.has(f));
    // Every annotated field of the request forms is reached in at least one valid form.
    expect(unreached).toEqual([]);
  });

  it('typed answers: every annotated field, on a complete answer of each type and on provided information', () => {
    const root = desc('ResponsePayload');
    const validator = createValidator({ registry });
    const outcomes: Outcome[] = [];
    const probed = new Set<string>();
    const forms: [string, ResponsePayload, (p: ResponsePayload) => void][] = [
      ...REQUEST_TYPE_CODES.map(
        (kind) => [kind, completeResponse(kind), (p: ResponsePayload) => void validResponsePayload(kind, p, { now: TEST_NOW })] as [string, ResponsePayload, (p: ResponsePayload) => void],
      ),
      ['provided_information', completeProvidedInformation(), (p: ResponsePayload) => void validProvidedInformation(p, { now: TEST_NOW })],
      // Refusals, so that the refusal grounds of these answers are reached too.
      [
        'mla refused',
        ResponsePayload.fromPartial({
          language: 'es',
          body: {
            $case: 'mla',
            value: {
              outcome: 'refused',
              measures: [{ measure: 'testimony', executed: false, details: 'Not allowed here', ground: 'dual_criminality' }],
              refusalGrounds: [{ code: 'dual_criminality', details: '' }],
              summary: '',
              executionDate: '',
            },
          },
        }),
        (p: ResponsePayload) => void validResponsePayload('mla', p, { now: TEST_NOW }),
      ],
      [
        'criminal_records refused',
        ResponsePayload.fromPartial({
          language: 'es',
          body: { $case: 'criminalRecords', value: { outcome: 'refused', convictions: [], refusalGrounds: [{ code: 'domestic_law', details: '' }], remarks: '' } },
        }),
        (p: ResponsePayload) => void validResponsePayload('criminal_records', p, { now: TEST_NOW }),
      ],
    ];
    for (const [name, form, check] of forms) {
      const bytes = ResponsePayload.encode(form).finish();
      expect(validator.validate(root, fromBinary(root, bytes)).kind, name).toBe('valid');
      expect(
        nodeRefuses(() => check(form)),
        name,
      ).toBe(false);
      for (const p of probes(registry, root, bytes, validator)) {
        probed.add(probedField(registry, root, p.where));
        outcomes.push({ probe: p, node: nodeRefuses(() => check(ResponsePayload.decode(p.bytes))) });
      }
    }
    expect(disagreements(outcomes)).toEqual([]);
    expect(outcomes.filter((o) => !o.probe.allowed).length).toBeGreaterThan(200);
    // The answer forms' own fields (not the shared parts, reached through the request forms above).
    const own = [...annotatedFields(root)].filter((f) => /Response|MeasureExecution|DocumentOffer|Answer|ProvidedInformation|InformationItem|DocumentReference/.test(f));
    expect(own.filter((f) => !probed.has(f))).toEqual([]);
  });

  it('request bodies: every annotated field of RequestBody', () => {
    const root = desc('RequestBody');
    const outcomes: Outcome[] = [];
    for (const c of payloads.cases.filter((x) => x.valid)) {
      for (const p of probes(registry, root, fromB64u(c.requestBody))) {
        const b = RequestBody.decode(p.bytes);
        outcomes.push({ probe: p, node: nodeRefuses(() => checkReceivedRequest({ ...b, kind: b.requestKind }, payloads.now)) });
      }
    }
    expect(disagreements(outcomes)).toEqual([]);
    expect(new Set(outcomes.filter((o) => !o.probe.allowed).map((o) => o.probe.where))).toEqual(
      new Set(['request_kind', 'to_authority', 'subject', 'payload', 'payload_type', 'sender_reference', 'urgency']),
    );
  });

  it('the gRPC API: every annotated field of SubmitRequestRequest and TransitionRequest', () => {
    const submit = desc('SubmitRequestRequest');
    const transition = desc('TransitionRequest');
    const outcomes: Outcome[] = [];
    const baseSubmit = SubmitRequestRequest.encode(
      SubmitRequestRequest.fromPartial({
        toCountry: 'UY',
        kind: 'mla',
        subject: 'Bank records of a company',
        payload: new TextEncoder().encode('{"note":"synthetic"}'),
        payloadType: 'application/json',
        idempotencyKey: 'case-0001-submit',
        senderReference: 'REF-1',
        urgency: 'urgent',
      }),
    ).finish();
    for (const p of probes(registry, submit, baseSubmit)) outcomes.push({ probe: p, node: nodeRefuses(() => validSubmitRequest(SubmitRequestRequest.decode(p.bytes), 'AR', payloads.now)) });
    const baseTransition = TransitionRequest.encode(
      TransitionRequest.fromPartial({ requestId: '019bc2a0-0000-7000-8000-000000000000', action: 'record_stage', stage: 'judicial_proceedings', stageDate: '2026-01-10', note: 'Hearing held' }),
    ).finish();
    for (const p of probes(registry, transition, baseTransition))
      outcomes.push({ probe: p, node: nodeRefuses(() => validTransition(TransitionRequest.decode(p.bytes), 'focal_point', 'extradition', payloads.now)) });
    expect(disagreements(outcomes)).toEqual([]);
    expect(new Set(outcomes.filter((o) => !o.probe.allowed).map((o) => o.probe.where))).toEqual(
      new Set([
        'to_country',
        'also_to_countries',
        'to_authority',
        'kind',
        'subject',
        'payload',
        'payload_type',
        'idempotency_key',
        'sender_reference',
        'urgency',
        'request_id',
        'action',
        'note',
        'response',
        'stage',
        'stage_date',
      ]),
    );
  });

  it('the gRPC API: the ids filters of ListRequestsRequest and ListCasesRequest', () => {
    const outcomes: Outcome[] = [];
    const requestIds = ['019bc2a0-0000-7000-8000-000000000001', '019bc2a0-0000-7000-8000-000000000002'];
    for (const p of probes(registry, desc('ListRequestsRequest'), ListRequestsRequest.encode(ListRequestsRequest.fromPartial({ ids: requestIds })).finish()))
      outcomes.push({ probe: p, node: nodeRefuses(() => validIds(ListRequestsRequest.decode(p.bytes).ids, 'request')) });
    const caseIds = ['3f0c2a9e-8b1d-4c2e-9f3a-0123456789ab', '7d1e4b2c-0a9f-4e3d-8c2b-ba9876543210'];
    for (const p of probes(registry, desc('ListCasesRequest'), ListCasesRequest.encode(ListCasesRequest.fromPartial({ ids: caseIds })).finish()))
      outcomes.push({ probe: p, node: nodeRefuses(() => validIds(ListCasesRequest.decode(p.bytes).ids, 'case')) });
    expect(disagreements(outcomes)).toEqual([]);
    // Per message: more than 50, a repeated id and an id off the pattern, each refused by the node.
    expect(outcomes.filter((o) => !o.probe.allowed).map((o) => `${o.probe.where}: ${o.probe.what.split(',')[0]}`)).toEqual(
      Array(2).fill(['ids: max_items 50 + 1', 'ids: unique', 'ids: items pattern']).flat(),
    );
  });

  it('lifecycle steps: every annotated field of StatusUpdate', () => {
    const root = desc('StatusUpdate');
    const outcomes: Outcome[] = [];
    for (const c of steps.content.filter((x) => x.valid)) {
      for (const p of probes(registry, root, fromB64u(c.body))) {
        outcomes.push({ probe: p, node: nodeRefuses(() => checkReceivedStep(StatusUpdate.decode(p.bytes), c.kind, steps.now, MAX_FUTURE_SKEW_MS)) });
      }
    }
    expect(disagreements(outcomes)).toEqual([]);
    expect(new Set(outcomes.filter((o) => !o.probe.allowed).map((o) => o.probe.where))).toEqual(new Set(['action', 'stage', 'stage_date', 'note', 'at', 'response']));
  });

  it('attachments: every annotated field of AttachmentRef and RequestBody.attachments, refused ERR_ATTACHMENT_INVALID (§18.4)', () => {
    const root = desc('RequestBody');
    const two = attachments.cases.find((c) => c.name === 'two-attachments')!;
    const base = RequestBody.decode(fromB64u(payloads.cases.find((x) => x.valid)!.requestBody));
    base.attachments = two.refs.map((r) => AttachmentRef.decode(fromB64u(r.encoded)));
    const baseline = RequestBody.encode(base).finish();
    expect(createValidator({ registry }).validate(root, fromBinary(root, baseline)).kind).toBe('valid');
    const outcomes: Outcome[] = [];
    for (const p of probes(registry, root, baseline)) {
      if (!p.where.startsWith('attachments')) continue;
      outcomes.push({ probe: p, node: refsProblem(two.requestId, RequestBody.decode(p.bytes).attachments) !== undefined });
    }
    expect(disagreements(outcomes)).toEqual([]);
    const forbidden = new Set(outcomes.filter((o) => !o.probe.allowed).map((o) => o.probe.where.replace(/\[\d+\]/g, '[]')));
    expect(forbidden).toEqual(new Set(['attachments', ...['id', 'file_name', 'media_type', 'size', 'key', 'header', 'ciphertext_sha256', 'object_name'].map((f) => `attachments[].${f}`)]));
    expect(outcomes.filter((o) => /^message rule attachment\.(extension|object_name)/.test(o.probe.what) && !o.probe.allowed && o.node)).toHaveLength(4);
  });

  it('the gRPC API: every annotated field of NewAttachment and SubmitRequestRequest.attachments', () => {
    const root = desc('SubmitRequestRequest');
    const pdf = new TextEncoder().encode('%PDF-1.7\n%synthetic\n');
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const submit = SubmitRequestRequest.fromPartial({
      toCountry: 'UY',
      kind: 'mla',
      subject: 'Bank records of a company',
      payload: new TextEncoder().encode('{"note":"synthetic"}'),
      payloadType: 'application/json',
      attachments: [
        { fileName: 'Acta.PDF', mediaType: 'application/pdf', content: pdf },
        { fileName: 'foto.png', mediaType: 'image/png', content: png },
      ],
    });
    const node = (req: SubmitRequestRequest) =>
      nodeRefuses(() => {
        validSubmitRequest(req, 'AR', payloads.now);
        validAttachments(req.attachments);
      });
    expect(node(submit)).toBe(false);
    const outcomes: Outcome[] = [];
    for (const p of probes(registry, root, SubmitRequestRequest.encode(submit).finish())) {
      if (p.where.startsWith('attachments')) outcomes.push({ probe: p, node: node(SubmitRequestRequest.decode(p.bytes)) });
    }
    expect(disagreements(outcomes)).toEqual([]);
    const forbidden = new Set(outcomes.filter((o) => !o.probe.allowed).map((o) => o.probe.where.replace(/\[\d+\]/g, '[]')));
    expect(forbidden).toEqual(new Set(['attachments', 'attachments[].file_name', 'attachments[].media_type', 'attachments[].content']));
  });

  it('the file name pattern and the node agree on names at the edges of the rule (§18.4)', () => {
    const validator = createValidator({ registry });
    const ref = desc('AttachmentRef');
    const names = [
      'acta.pdf',
      '.pdf',
      ' acta.pdf',
      'acta.pdf ',
      'acta\u00a0final.pdf',
      '\u00a0acta.pdf',
      'acta.pdf\u3000',
      '\ufeffacta.pdf',
      'acta\tfinal.pdf',
      'acta\u0085.pdf',
      'acta\u202egdp.pdf',
      'acta\u2066.pdf',
      'scans\\acta.pdf',
      'scans/acta.pdf',
      '.',
      '..',
      'informe-ñandú (copia).pdf',
      '\u{1f600}'.repeat(251) + '.pdf',
      '\u{1f600}'.repeat(252) + '.pdf',
      'a'.repeat(251) + '.pdf',
      'a'.repeat(252) + '.pdf',
    ];
    // The pattern the probes know is the one in the protos (probes() throws on a pattern without samples).
    expect(
      getOption(
        ref.fields.find((f) => f.name === 'file_name')!,
        fieldRules,
      ).type.value,
    ).toMatchObject({ pattern: FILE_NAME });
    for (const name of names) {
      const msg = AttachmentRef.fromPartial({ fileName: name, mediaType: 'application/pdf' });
      const nodeOk = fileNameProblem(name) === undefined && extensionProblem(name, 'application/pdf') === undefined;
      expect(!violatesName(validator, ref, msg), JSON.stringify(name)).toBe(nodeOk);
    }
  });
});

/** Whether protovalidate finds a violation on file_name (or the extension rule) of `msg`, ignoring its other fields. */
function violatesName(validator: ReturnType<typeof createValidator>, ref: DescMessage, msg: AttachmentRef): boolean {
  const r = validator.validate(ref, fromBinary(ref, AttachmentRef.encode(msg).finish()));
  if (r.kind !== 'invalid') return false;
  return r.error.violations.some((v) => {
    const last = v.field.at(-1);
    return (last?.kind === 'field' && last.name === 'file_name') || v.ruleId === 'attachment.extension';
  });
}
