import { describe, expect, it } from 'vitest';
import { AuditEntry } from '../../../generated/enlace/v1/node.js';
import { AUDIT_ACTIONS } from '../../../services/vocabulary.js';
import { hasKey, LANGS, translator, type Lang } from '../../i18n/index.js';
import { auditPage } from './audit.js';

const view = (lang: Lang) => ({ lang, t: translator(lang), country: 'AR', csrf: 'x', path: '/audit', timeZone: 'UTC' });

describe('audit page: actions in the reader’s words', () => {
  it('every action the node records has a label in each language', () => {
    for (const a of AUDIT_ACTIONS) expect(hasKey(`audit.code.${a}`), a).toBe(true);
  });

  it('shows each entry’s action and field classes as words, the code beside it, in every language', () => {
    const entries = AUDIT_ACTIONS.map((action, i) =>
      AuditEntry.fromPartial({ seq: i + 1, at: Date.UTC(2026, 0, 1), actor: 'gateway:focal.ar', roles: 'focal_point', action, fields: 'identity,metadata' }),
    );
    for (const lang of LANGS) {
      const t = translator(lang);
      const page = auditPage(view(lang), { q: {}, node: { entries, chainIntact: true, total: entries.length }, accounts: [], grants: [] });
      const body = page.slice(page.indexOf('<main'));
      for (const a of AUDIT_ACTIONS) {
        const words = t(`audit.code.${a}` as Parameters<typeof t>[0]);
        expect(words, `${lang} ${a}`).not.toMatch(/⟦|^audit\./);
        expect(body, `${lang} ${a}`).toContain(`<span data-action="${a}">${words}</span> <code class="muted small">${a}</code>`);
      }
      expect(body).toContain(`${t('audit.fieldClass.identity')}, ${t('audit.fieldClass.metadata')}`);
      expect(body).not.toMatch(/<td><code>(read_content|identity)/);
      // The filter offers the same words, never the bare codes.
      expect(body).toContain(`<option value="read_content">${t('audit.code.read_content')}</option>`);
    }
  });

  it('names the table a statistics read or download asked for, in every language', () => {
    const entries = [
      AuditEntry.fromPartial({
        seq: 2,
        at: 2,
        actor: 'gateway:auditor.ar',
        roles: 'auditor',
        action: 'export_stats',
        detail: 'table=counts&rows=form&columns=sex&from=2026-01&to=2026-06&direction=outbound&kind=mla&file=by_form.xlsx',
      }),
      AuditEntry.fromPartial({ seq: 1, at: 1, actor: 'gateway:auditor.ar', roles: 'auditor', action: 'read_stats', detail: 'table=network&quarter=2026-Q1' }),
      AuditEntry.fromPartial({ seq: 3, at: 3, actor: 'gateway:auditor.ar', roles: 'auditor', action: 'read_stats', detail: 'table=structure&country=UY' }),
    ];
    const expected: Record<Lang, string[]> = {
      en: [
        'counts by Form of exploitation × Sex · from Jan 2026 · until Jun 2026 · Sent',
        'XLSX file of the table <code data-technical>by_form</code>',
        'network figures of',
        'structure indicators · Uruguay',
      ],
      es: ['recuentos por', '· desde Ene 2026 · hasta Jun 2026', 'archivo XLSX de la tabla <code data-technical>by_form</code>', 'cifras de la red de', 'indicadores de estructura · Uruguay'],
      fr: ['décomptes par', 'fichier XLSX du tableau <code data-technical>by_form</code>', 'chiffres du réseau de', 'indicateurs de structure · Uruguay'],
      pt: ['contagens por', 'arquivo XLSX da tabela <code data-technical>by_form</code>', 'números da rede de', 'indicadores de estrutura · Uruguai'],
    };
    for (const lang of LANGS) {
      const page = auditPage(view(lang), { q: {}, node: { entries, chainIntact: true, total: 3 }, accounts: [], grants: [] });
      const body = page.slice(page.indexOf('<main'));
      for (const words of expected[lang]) expect(body, lang).toContain(words);
      const shown = [...body.matchAll(/<span data-stats-detail>(.*?)<\/span><\/td>/g)].map((m) => m[1]!.replace(/<code data-technical>[^<]*<\/code>/g, ''));
      expect(shown).toHaveLength(3);
      // No code of the detail shows through: neither the parameters' names nor their values.
      for (const text of shown) expect(text, `${lang}: ${text}`).not.toMatch(/table=|rows|form\b|outbound|mla|2026-Q1|\bUY\b|by_form/);
      expect(body).toContain(`<span data-action="export_stats">${translator(lang)('audit.code.export_stats')}</span>`);
    }
  });

  it('an action from a newer node is still shown, as its code', () => {
    const entries = [AuditEntry.fromPartial({ seq: 1, at: 1, actor: 'x', action: 'read_case' })];
    expect(auditPage(view('en'), { q: {}, node: { entries, chainIntact: true, total: 1 }, accounts: [], grants: [] })).toContain('<span data-action="read_case">read_case</span>');
  });
});
