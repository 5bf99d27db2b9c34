import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../keys/cli-io.js';
import { CommandFailedError, parseOptions, pathFrom, required, UsageError } from '../keys/cli-args.js';
import { loadNodeKeys, readPinnedAnchor, TrustStore } from '../keys/index.js';
import { natsPasswordFromEnv, parseDuration, passphraseFromEnv } from '../services/index.js';
import { formatReport, runChecks } from './conformance/checks.js';
import { Probe } from './conformance/probe.js';

const HELP = `usage: enlace conformance --nats <url> --network <id> --target <CC> --keys <tester key file> --trust <folder>
                         [--nats-user <user>] [--nats-ca <file>] [--timeout 20s] [--join] [--receive] [--answer]

Drives the node <CC> under test through the live protocol (docs/protocol.md) on the given NATS, as a
tester node of the network: a request and its receipt, a re-sent copy, a replay, a tampered
envelope, a JWS with alg twice, a non-canonical signature segment, alg none, a foreign key, a
forwarded content, an expired copy, an envelope ahead of its lane position (held until the missing
one), content breaking a rule, a to_authority its envelope is not addressed to, an unknown kind, a
proposal and its ordering, a declined proposal, a typed request of each of the 8 types, typed forms
breaking a rule and the consent rule, a withdrawal of consent, a case erasure and a step after it,
erasures of an unknown request and scope, a document in parts before its request, parts after it, an
altered part. Prints a report by spec section (a line per check, then a tally per section) and exits
1 when a check fails. With --join it first joins the running
network (docs/protocol.md §14.2): the node under test, started without the tester's descriptor,
must accept nothing from the tester until the kit publishes that descriptor at node.<tester> of the
registry, then answer the tester's request without a restart. With --receive it then waits (three timeouts)
for a request with a document from the node under test to the tester's country, submitted there by
whoever runs the kit, checks its parts and opens the document, answers it as the requested state
with positioned steps and a typed answer of the request's form (one of another form refused), then
waits for an erasure of that case (erased there by whoever runs the kit) and answers it erased,
then for a withdrawal of consent on the tester's spontaneous information (recorded there) and answers it. With
--answer it sends one more typed request of each of the 8 types and waits (three timeouts) for the
node under test to answer each with the answer form of its type in positioned steps (answered there
by whoever runs the kit). Each wait prints a line saying what to do at the node under test.

The tester is a node of the network like any other: its key file (ENLACE_KEY_PASSPHRASE or
ENLACE_KEY_PASSPHRASE_FILE), its descriptor certified by the anchor and trusted by the node under
test (or, with --join, published by the kit), and a NATS user of its own (password in
ENLACE_NATS_PASSWORD_FILE). --trust is a trust folder (anchor.pub.json, descriptors/*.jws) holding
the target's descriptor (and, with --join, the tester's).`;

export async function runConformanceCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const opts = parseOptions(argv, {
    nats: { type: 'string' },
    network: { type: 'string' },
    target: { type: 'string' },
    keys: { type: 'string' },
    trust: { type: 'string' },
    'nats-user': { type: 'string' },
    'nats-ca': { type: 'string' },
    timeout: { type: 'string' },
    join: { type: 'boolean' },
    receive: { type: 'boolean' },
    answer: { type: 'boolean' },
  });
  const target = required(opts.target, '--target');
  if (!/^[A-Z]{2}$/.test(target)) throw new UsageError('--target must be a country code like UY');
  const ring = await loadNodeKeys(pathFrom(io, required(opts.keys, '--keys')), await passphraseFromEnv(io.env, (p) => readFile(p, 'utf8')));
  const trustDir = pathFrom(io, required(opts.trust, '--trust'));
  const trust = new TrustStore(await readPinnedAnchor(join(trustDir, 'anchor.pub.json')));
  for (const f of (await readdir(join(trustDir, 'descriptors')).catch(() => [] as string[])).filter((n) => n.endsWith('.jws')).sort()) {
    await trust.add((await readFile(join(trustDir, 'descriptors', f), 'utf8')).trim()).catch(() => undefined);
  }
  if (!trust.descriptor(target)) throw new CommandFailedError(`no trusted descriptor for ${target} in ${trustDir}`);
  const password = await natsPasswordFromEnv(io.env, (p) => readFile(p, 'utf8'));
  const probe = new Probe({
    servers: [required(opts.nats, '--nats')],
    networkId: required(opts.network, '--network'),
    ring,
    trust,
    target,
    ...(opts['nats-user'] ? { user: opts['nats-user'], password: password ?? '' } : {}),
    ...(opts['nats-ca'] ? { tls: { caFile: pathFrom(io, opts['nats-ca']) } } : {}),
  });
  await probe.start();
  try {
    const results = await runChecks(probe, parseDuration('--timeout', opts.timeout ?? '20s'), {
      join: opts.join === true,
      receive: opts.receive === true,
      answer: opts.answer === true,
      onWaiting: (line) => io.err(line),
    });
    io.out(formatReport(target, results));
    return results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await probe.stop();
  }
}
