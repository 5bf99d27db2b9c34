import type { Request } from '../../../generated/enlace/v1/exchange.js';
import { directionCode } from '../../app/codes.js';
import { codeText, deadlineOf } from '../../app/lifecycle.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { subjectLine } from '../subject.js';
import { countryName, formatTime, type View } from '../view.js';
import { deadlineCell } from './requests-list.js';

/** Stages as columns (a first column for cases with no stage yet); overdue cards in red. */
export function extraditionPage(v: View, opts: { requests: Request[]; total: number; stages: readonly string[]; now: number }): string {
  const columns = ['', ...opts.stages];
  const card = (r: Request) => {
    const out = directionCode(r.direction) === 'outbound';
    const d = deadlineOf(r, opts.now);
    const other = (out ? r.to : r.from).slice(0, 2);
    return html`<article class="card${d === 'overdue' ? ' overdue' : ''}" data-id="${r.id}" data-stage="${r.stage}">
      <a href="/requests/${r.id}"><strong>${subjectLine(v, r)}</strong></a>
      <div class="small">${v.t(out ? 'board.outbound' : 'board.inbound', { country: countryName(v, other) })}</div>
      <div class="small">${formatTime(v, r.createdAt, 'date')} · ${deadlineCell(v, r, d)}</div>
    </article>`;
  };
  const body = html`
  <h1>${v.t('board.title')}</h1>
  <p class="muted">${v.t('board.intro')}</p>
  <div data-live-part="board">${
    opts.requests.length === 0
      ? html`<p class="empty">${v.t('board.empty')}</p>`
      : html`<div class="board">${columns.map((stage) => {
          const inColumn = opts.requests.filter((r) => r.stage === stage);
          const title = stage ? codeText('extradition_stages', stage, v.lang) : v.t('board.noStage');
          return html`<section aria-label="${title}" data-column="${stage || 'none'}"><h2>${title} <span class="muted small">(${inColumn.length})</span></h2>${inColumn.map(card)}</section>`;
        })}</div>`
  }</div>
  ${opts.total > opts.requests.length ? html`<p class="muted" data-truncated>${v.t('board.truncated', { shown: opts.requests.length, total: opts.total })}</p>` : ''}`;
  return layout(v, { title: v.t('board.title'), active: 'extradition', body });
}
