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

  it('an action from a newer node is still shown, as its code', () => {
    const entries = [AuditEntry.fromPartial({ seq: 1, at: 1, actor: 'x', action: 'read_case' })];
    expect(auditPage(view('en'), { q: {}, node: { entries, chainIntact: true, total: 1 }, accounts: [], grants: [] })).toContain('<span data-action="read_case">read_case</span>');
  });
});
