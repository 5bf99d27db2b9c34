import type { DraftSummary } from '../../db/drafts.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { countryName, formatTime, label, type View } from '../view.js';

/** The requests a person has started and not sent: resume one, or discard it. */
export function draftsPage(v: View, drafts: readonly DraftSummary[], notice?: string): string {
  const body = html`
  <h1>${v.t('drafts.title')}</h1>
  <p class="muted">${v.t('drafts.intro')}</p>
  ${
    drafts.length === 0
      ? html`<p class="empty">${v.t('drafts.empty')}</p>`
      : html`<ul class="plain drafts">${drafts.map(
          (d) => html`<li data-draft="${d.id}">
        <a href="/compose?draft=${d.id}"><strong>${d.kind ? label(v, 'kind', d.kind) : v.t('drafts.noKind')}</strong>${d.toCountry ? html` → ${countryName(v, d.toCountry)}` : ''}</a>
        <span class="muted small">${v.t('drafts.savedAt', { time: formatTime(v, d.updatedAt) })}</span>
        <form method="post" action="/drafts/${d.id}/delete" class="inline"><input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit" class="link danger">${v.t('drafts.discard')}</button></form>
      </li>`,
        )}</ul>`
  }`;
  return layout(v, { title: v.t('drafts.title'), active: 'drafts', body, ...(notice ? { flash: html`<p class="flash ok" role="status">${notice}</p>` } : {}) });
}
