import { Content, Envelope, Receipt, receiptOutcomeToJSON } from '../../generated/enlace/v1/envelope.js';
import { b64u, describeNode, keySetFromSecrets, signDescriptor, signingKeyFromSeed, type NodeKeySet, type RejectionCode, type SigningKey, type Sodium } from '../../keys/index.js';
import { KIND, seal, sealReceipt, uuidv7, type Sealed, type SealInput } from '../../services/envelope/index.js';
import { contentOf, DAY, headerJson, NETWORK_ID, NOW, PLANS, randomFor, seed, sha256, VALID_DAYS, type CaseOut, type Node, type Random } from './envelope-kit.js';

type Signer = { kid: string; privateKey: SigningKey['privateKey'] };
type SealCaseInput = Omit<SealInput, 'fixedRandom' | 'id' | 'networkId'> & { networkId?: string };

/** The test network of the envelope vectors: the anchor, every node's key generations and signed descriptors. */
export interface VectorNetwork {
  anchorKey: SigningKey;
  nodes: Map<string, Node>;
  descriptors: Record<string, string>;
  /** An Ed25519 key no descriptor lists. */
  stranger: SigningKey;
}

export async function buildNetwork(): Promise<VectorNetwork> {
  const anchorKey = await signingKeyFromSeed(seed('anchor'));
  const anchor = { networkId: NETWORK_ID, key: anchorKey };
  const nodes = new Map<string, Node>();
  const descriptors: Record<string, string> = {};
  for (const plan of PLANS) {
    const sets = await Promise.all(
      plan.generations.map((createdAt, i) =>
        keySetFromSecrets({ createdAt, signingSeed: seed(`key ${plan.country} ${i + 1} signing`), encryptionSecret: seed(`key ${plan.country} ${i + 1} encryption`) }),
      ),
    );
    nodes.set(plan.country, { plan, sets });
    const revokedKids = (plan.revokedGenerations ?? []).flatMap((g) => [sets[g - 1]!.signing.kid, sets[g - 1]!.encryption.kid]);
    const descriptor = describeNode(NETWORK_ID, { country: plan.country, sets }, { now: NOW - DAY, validDays: VALID_DAYS, serial: plan.serial ?? 1, status: plan.status, revokedKids });
    descriptors[plan.country] = await signDescriptor(descriptor, anchor);
  }
  return { anchorKey, nodes, descriptors, stranger: await signingKeyFromSeed(seed('key stranger signing')) };
}

/**
 * The cases of the envelope vector file as they are written, in order, with the keys they are
 * built from. Valid cases are sealed with `seal` (or `sealReceipt`) and deterministic
 * randomness; invalid cases arrive as bytes built elsewhere.
 */
export class EnvelopeCaseBook {
  readonly cases: CaseOut[] = [];
  readonly AR: NodeKeySet;
  readonly UY: NodeKeySet;
  readonly CL: NodeKeySet;
  private readonly sealed = new Map<string, Sealed>();
  private readonly contentKeys = new Map<string, Random>();

  constructor(
    readonly network: VectorNetwork,
    private readonly sodium: Sodium,
  ) {
    this.AR = this.set('AR');
    this.UY = this.set('UY');
    this.CL = this.set('CL');
  }

  /** A node's key set of the given generation (1-based), its latest by default. */
  readonly set = (country: string, generation?: number): NodeKeySet => {
    const sets = this.network.nodes.get(country)!.sets;
    return sets[(generation ?? sets.length) - 1]!;
  };

  readonly to = (address: string, s: NodeKeySet) => ({ address, keyId: s.encryption.kid, publicKey: s.encryption.publicKey });

  readonly signer = (s: NodeKeySet | SigningKey): Signer => ('signing' in s ? { kid: s.signing.kid, privateKey: s.signing.privateKey } : { kid: s.kid, privateKey: s.privateKey });

  /** Seals a valid envelope with `seal` and deterministic randomness. */
  async sealCase(label: string, input: SealCaseInput): Promise<Sealed> {
    const random = randomFor(label, input.to.length);
    const s = await seal({ networkId: NETWORK_ID, ...input, id: uuidv7(input.now, random.idRandom), fixedRandom: random });
    this.remember(label, s, random);
    return s;
  }

  /** Seals UY's receipt to AR with `sealReceipt` and deterministic randomness. */
  async sealReceiptCase(label: string, facts: Parameters<typeof sealReceipt>[0]): Promise<void> {
    const random = randomFor(label, 1);
    const s = await sealReceipt(facts, {
      networkId: NETWORK_ID,
      from: 'UY',
      to: [this.to('AR', this.AR)],
      signer: this.signer(this.UY),
      now: facts.receivedAt,
      id: uuidv7(facts.receivedAt, random.idRandom),
      fixedRandom: random,
    });
    this.remember(label, s, random);
  }

  addValid(name: string, description: string, recipient: string, label: string, extra: Record<string, unknown> = {}): void {
    const s = this.sealed.get(label)!;
    const r = this.contentKeys.get(label)!;
    const jws = this.decryptedJws(s.bytes, r.contentKey);
    const body = Content.decode(contentOf(jws)).body;
    this.cases.push({
      name,
      description,
      valid: true,
      recipient,
      envelope: b64u(s.bytes),
      expected: {
        header: headerJson(s.header),
        body: b64u(body),
        bodyType: s.header.kind === KIND.receipt ? 'enlace.v1.Receipt' : 'enlace.v1.RequestBody',
        ...extra,
        sha256: b64u(sha256(s.bytes)),
        intermediate: { headerBytes: b64u(s.headerBytes), jws, contentKey: b64u(r.contentKey), ephemeralSecrets: r.ephemeral.map(b64u) },
      },
    });
  }

  readonly addInvalid = (name: string, description: string, error: RejectionCode, recipient: string, bytes: Uint8Array, maxBytes?: number, section?: string): void => {
    this.cases.push({ name, ...(section === undefined ? {} : { section }), description, valid: false, error, recipient, ...(maxBytes === undefined ? {} : { maxBytes }), envelope: b64u(bytes) });
  };

  /** The decoded receipt of a sealed receipt case, in its JSON form. */
  receiptJson(label: string): Record<string, unknown> {
    const s = this.sealed.get(label)!;
    const r = this.contentKeys.get(label)!;
    const receipt = Receipt.decode(Content.decode(contentOf(this.decryptedJws(s.bytes, r.contentKey))).body);
    return {
      envelopeId: receipt.envelopeId,
      envelopeSha256: b64u(receipt.envelopeSha256),
      receivedAt: receipt.receivedAt,
      outcome: receiptOutcomeToJSON(receipt.outcome),
      reasonCode: receipt.reasonCode,
    };
  }

  private remember(label: string, s: Sealed, random: Random): void {
    this.sealed.set(label, s);
    this.contentKeys.set(label, random);
  }

  private decryptedJws(bytes: Uint8Array, contentKey: Uint8Array): string {
    const e = Envelope.decode(bytes);
    return new TextDecoder().decode(this.sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, e.ciphertext, e.header, e.nonce, contentKey));
  }
}
