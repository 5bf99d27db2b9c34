import type {
  ContactPoint as ContactPointProto,
  CountryProfile as CountryProfileProto,
  DirectoryEntry,
  LocalizedText,
  LogRecord,
  NodeMembership as NodeMembershipProto,
  RejectedRecord,
} from '../../generated/enlace/v1/directory.js';
import type { ContactEntry, ContactPoint, CountryProfile, HistoryRecord, NodeMembership, RejectedRow } from '../registry/index.js';

/** Conversions between the registry's model and the DirectoryService messages. */

const toTexts = (m: Record<string, string>): LocalizedText[] => Object.entries(m).map(([lang, text]) => ({ lang, text }));

function fromTexts(list: LocalizedText[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list) out[t.lang] = t.text;
  return out;
}

export function contactFromProto(c: ContactPointProto): ContactPoint {
  return {
    id: c.id,
    country: c.country,
    authority: fromTexts(c.authority),
    unit: fromTexts(c.unit),
    themes: c.themes,
    requestKinds: c.requestKinds,
    languages: c.languages,
    roleTitle: c.roleTitle,
    person: c.person,
    email: c.email,
    phone: c.phone,
    available247: c.available247,
    timeZone: c.timeZone,
    officeHours: c.officeHours.map((h) => ({ days: h.days, open: h.open, close: h.close })),
    address: c.address,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    notes: c.notes,
    lastVerified: c.lastVerified,
  };
}

export function contactToProto(c: ContactPoint): ContactPointProto {
  return {
    ...c,
    authority: toTexts(c.authority),
    unit: toTexts(c.unit),
    officeHours: c.officeHours.map((h) => ({ ...h })),
  };
}

export function entryToProto(e: ContactEntry, active: boolean): DirectoryEntry {
  return {
    contact: contactToProto(e.data),
    address: `${e.country}/${e.id}`,
    version: e.version,
    status: e.status,
    active,
    updatedAt: e.updatedAt,
    updatedBy: e.updatedBy,
    seq: e.seq,
  };
}

export function profileFromProto(p: CountryProfileProto): CountryProfile {
  return {
    country: p.country,
    languages: p.languages,
    channels: p.channels.map((c) => ({ kind: c.kind, detail: c.detail, notes: c.notes })),
    serviceLevels: p.serviceLevels.map((s) => ({ requestKind: s.requestKind, workingDays: s.workingDays, urgentWorkingDays: s.urgentWorkingDays })),
    calendar: {
      timeZone: p.calendar?.timeZone ?? '',
      workingDays: p.calendar?.workingDays ?? [],
      holidays: (p.calendar?.holidays ?? []).map((h) => ({ date: h.date, name: h.name })),
    },
    notes: p.notes,
  };
}

export function profileToProto(p: CountryProfile): CountryProfileProto {
  return {
    country: p.country,
    languages: p.languages,
    channels: p.channels.map((c) => ({ ...c })),
    serviceLevels: p.serviceLevels.map((s) => ({ ...s })),
    calendar: { timeZone: p.calendar.timeZone, workingDays: p.calendar.workingDays, holidays: p.calendar.holidays.map((h) => ({ ...h })) },
    notes: p.notes,
  };
}

export function historyToProto(h: HistoryRecord): LogRecord {
  return { country: h.country, seq: h.seq, prevHash: h.prevHash, hash: h.hash, by: h.by, at: h.at, changes: h.changes, signerKeyId: h.signerKid };
}

export function membershipToProto(m: NodeMembership): NodeMembershipProto {
  return {
    country: m.country,
    status: m.status,
    serial: m.serial,
    validFrom: m.validFrom,
    validUntil: m.validUntil,
    signingKeyIds: m.signingKeyIds,
    encryptionKeyIds: m.encryptionKeyIds,
    descriptorSource: m.source,
    contactPoints: m.contactPoints,
    logSeq: m.logSeq,
    logHead: m.logHead,
    thisNode: m.thisNode,
  };
}

export function rejectedToProto(r: RejectedRow): RejectedRecord {
  return { receivedAt: r.receivedAt, key: r.kvKey, revision: r.kvRevision, code: r.code, detail: r.detail, claimedCountry: r.claimedCountry, sha256: r.sha256 };
}
