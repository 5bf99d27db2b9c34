import { describe, expect, it } from 'vitest';
import { CODE_LANGUAGES } from './code-table.js';
import { CODE_TABLES, CODE_TABLE_NAMES, codes, isCode, label, labels, requiresText } from './codes.js';
import { EXTRADITION_STAGES, STATUSES } from './lifecycle.js';

/**
 * Labels that are legitimately the same word in two languages (cognates). Any other pair of
 * equal labels is an untranslated copy.
 */
const SAME_WORD: Record<string, string[]> = {
  'request_types.extradition': ['en=fr'],
  'request_statuses.submitted': ['es=pt'],
  'request_statuses.withdrawn': ['es=pt'],
  'urgency.normal': ['en=pt'],
  'urgency.urgent': ['es=fr', 'es=pt', 'fr=pt'],
  'exploitation_forms.servitude': ['en=fr'],
  'offence_categories.corruption': ['en=fr'],
  'sentence_types.fine': ['es=pt'],
  'sentence_types.confiscation': ['en=fr'],
  'legal_bases.bilateral_treaty': ['es=pt'],
  'person_roles.expert': ['es=pt'],
  'sex.male': ['es=pt'],
  'verification_outcomes.confirmed': ['es=pt'],
};

const all = CODE_TABLE_NAMES.flatMap((table) => codes(table).map((code) => ({ table, code })));

describe('code tables', () => {
  it('give every code a non-empty label in es, en, fr and pt', () => {
    for (const { table, code } of all) {
      const l = labels(table, code);
      for (const lang of CODE_LANGUAGES) {
        expect(l?.[lang]?.trim(), `${table}.${code} ${lang}`).toBeTruthy();
        expect(l?.[lang], `${table}.${code} ${lang}`).toBe(l?.[lang]?.trim());
      }
    }
  });

  it('translate every label: equal labels across languages only for listed cognates', () => {
    const found: Record<string, string[]> = {};
    for (const { table, code } of all) {
      const l = labels(table, code)!;
      for (let i = 0; i < CODE_LANGUAGES.length; i++) {
        for (let j = i + 1; j < CODE_LANGUAGES.length; j++) {
          const [a, b] = [CODE_LANGUAGES[i]!, CODE_LANGUAGES[j]!];
          if (l[a].toLowerCase() === l[b].toLowerCase()) (found[`${table}.${code}`] ??= []).push(`${a}=${b}`);
        }
      }
    }
    expect(found).toEqual(SAME_WORD);
  });

  it('never give two codes of one table the same label in a language', () => {
    for (const table of CODE_TABLE_NAMES) {
      for (const lang of CODE_LANGUAGES) {
        const seen = codes(table).map((c) => label(table, c, lang).toLowerCase());
        expect(new Set(seen).size, `${table} ${lang}`).toBe(seen.length);
      }
    }
  });

  it('use lower-case codes, and every "other" code needs text', () => {
    for (const { table, code } of all) {
      expect(code, `${table}.${code}`).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/);
      // A person's sex recorded as "other" is deliberately not asked to be described.
      const exempt = table === 'sex';
      if ((code === 'other' || code.endsWith('.other')) && !exempt) expect(requiresText(table, code), `${table}.${code}`).toBe(true);
    }
    expect(requiresText('legal_bases', 'bilateral_treaty')).toBe(true);
    expect(requiresText('measures', 'testimony')).toBe(false);
  });

  it('hold the tables and codes the issue names', () => {
    expect(codes('exploitation_forms')).toEqual([
      'sexual_exploitation.prostitution',
      'sexual_exploitation.sex_tourism',
      'sexual_exploitation.other',
      'forced_labour',
      'slavery',
      'servitude',
      'removal_of_organs',
      'other',
    ]);
    expect(codes('measures')).toEqual([
      'testimony',
      'documents',
      'bank_records',
      'search_and_seizure',
      'freezing_and_confiscation',
      'locating_persons',
      'service_of_documents',
      'joint_investigation',
      'other',
    ]);
    expect(codes('request_statuses')).toEqual([
      'submitted',
      'delivered',
      'received',
      'acknowledged',
      'in_progress',
      'information_requested',
      'completed',
      'partially_executed',
      'refused',
      'withdrawn',
      'failed',
    ]);
    expect(codes('extradition_stages')).toEqual([
      'provisional_arrest',
      'formal_request_received',
      'judicial_proceedings',
      'judicial_decision',
      'executive_decision',
      'surrender_scheduled',
      'surrendered',
      'refused',
      'withdrawn',
    ]);
    for (const c of ['untoc.art16', 'untoc.art18', 'trafficking_protocol', 'inter_american.mutual_assistance_1992', 'inter_american.extradition_1981', 'bilateral_treaty', 'reciprocity']) {
      expect(isCode('legal_bases', c), c).toBe(true);
    }
    for (const c of ['political_offence', 'dual_criminality', 'ne_bis_in_idem', 'essential_interests', 'insufficient_information', 'death_penalty', 'nationality', 'statute_of_limitations', 'other']) {
      expect(isCode('refusal_grounds', c), c).toBe(true);
    }
  });

  it('label every status and extradition stage the lifecycle uses', () => {
    expect([...STATUSES].sort()).toEqual([...codes('request_statuses')].sort());
    expect([...EXTRADITION_STAGES]).toEqual(codes('extradition_stages'));
  });

  it('use the legal terms of each language', () => {
    expect(label('request_types', 'mla', 'es')).toBe('Asistencia judicial recíproca');
    expect(label('request_types', 'mla', 'pt')).toBe('Auxílio jurídico mútuo');
    expect(label('request_types', 'mla', 'fr')).toBe('Entraide judiciaire');
    expect(label('exploitation_forms', 'removal_of_organs', 'fr')).toBe("Prélèvement d'organes");
    expect(label('offence_categories', 'trafficking_in_persons', 'es')).toBe('Trata de personas');
  });

  it('look codes up safely', () => {
    expect(isCode('urgency', 'urgent')).toBe(true);
    expect(isCode('urgency', 'URGENT')).toBe(false);
    expect(isCode('measures', 'constructor')).toBe(false);
    expect(isCode('measures', '__proto__')).toBe(false);
    expect(label('measures', 'not_a_code', 'es')).toBe('not_a_code');
    expect(labels('measures', 'toString')).toBeUndefined();
    expect(Object.keys(CODE_TABLES)).toEqual(CODE_TABLE_NAMES);
  });
});
