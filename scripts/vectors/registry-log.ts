/**
 * The log the registry vectors are checked against (scripts/vectors/registry.ts): a chain held in
 * memory, a record offered to it as a node offers one, and the contact point the records carry.
 */
import { EnlaceError, type ErrorCode, type TrustStore } from '../../keys/index.js';
import { placeRecord, verifyRecord, type ChainView, type ContactPoint, type EntryType, type VerifiedRecord } from '../../services/registry/index.js';

/** The outcome of offering a record to a log, as the vectors write it. */
export type Outcome = 'appended' | 'duplicate' | 'waits' | ErrorCode;

/** A log held in memory: what placeRecord needs (§17.4 steps 7-9). */
export class MemoryLog implements ChainView {
  readonly #records = new Map<string, { seq: number; hash: string; at: number }[]>();
  readonly #entries = new Map<string, { version: number; status: 'active' | 'retired' }>();
  head(country: string) {
    return this.#records.get(country)?.at(-1);
  }
  hashAt(country: string, seq: number) {
    return this.#records.get(country)?.[seq - 1]?.hash;
  }
  entry(country: string, type: EntryType, id: string) {
    return this.#entries.get(`${country}/${type}/${id}`);
  }
  append(rec: VerifiedRecord): void {
    const { country, seq, at } = rec.payload;
    const log = this.#records.get(country) ?? [];
    log.push({ seq, hash: rec.hash, at });
    this.#records.set(country, log);
    for (const c of rec.payload.changes) this.#entries.set(`${country}/${c.type}/${c.id}`, { version: c.version, status: c.op === 'retire' ? 'retired' : 'active' });
  }
}

/** Offers one record to `log` as a node does: verify (§17.4 1-6), then place (7-9). */
export async function offer(log: MemoryLog, trust: TrustStore, jws: string, where: { country: string; seq: number }, now: number): Promise<Outcome> {
  try {
    const rec = await verifyRecord(jws, where, { networkId: trust.networkId, trust, now });
    const placed = placeRecord(log, rec);
    if (placed.kind === 'append') log.append(rec);
    return placed.kind === 'append' ? 'appended' : placed.kind === 'duplicate' ? 'duplicate' : 'waits';
  } catch (e) {
    if (e instanceof EnlaceError) return e.code === 'ERR_UNKNOWN_NODE' ? 'waits' : e.code;
    throw e;
  }
}

export function contact(id: string, over: Partial<ContactPoint> = {}): ContactPoint {
  return {
    id,
    country: 'UY',
    authority: { es: 'Ministerio del Interior', en: 'Ministry of the Interior' },
    unit: { es: 'Dirección Nacional de Identificación Civil' },
    themes: ['victim_identification'],
    requestKinds: ['nationality_verification'],
    languages: ['es', 'pt'],
    roleTitle: 'Jefa del Departamento de Verificación de Identidad',
    person: 'Sofía Barreiro',
    email: 'verificacion@dnic-uy.example',
    phone: '+59825550202',
    available247: false,
    timeZone: 'America/Montevideo',
    officeHours: [{ days: [1, 2, 3, 4, 5], open: '09:30', close: '16:30' }],
    address: '',
    validFrom: '2025-01-01',
    validUntil: '',
    notes: '',
    lastVerified: '2025-11-14',
    ...over,
  };
}
