import { STATUSES } from '../../../services/vocabulary.js';
import type { Box, BoxFilter } from '../../app/requests.js';
import { REQUEST_KINDS } from '../../app/codes.js';
import { codeText, DUE_SOON_DAYS } from '../../app/lifecycle.js';
import type { Case } from '../../../generated/enlace/v1/cases.js';
import { caseFilterField } from '../links.js';
import { CONTENT_ROLES } from '../../db/users.js';
import { deadlineCell } from '../deadline.js';
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import { subjectLine } from '../subject.js';
import { addressName, countryName, formatTime, hasRole, label, SCREEN_ROLES, type View } from '../view.js';

/** Every status, from the one vocabulary (services/vocabulary.ts). */
export const LIST_STATUSES = STATUSES;

function countCard(v: View, key: string, n: number, href: string, text: string, tone = ''): ReturnType<typeof html> {
  return html`<li class="count ${tone}"><a href="${href}" data-count="${key}"><span class="n">${n}</span> <span class="what">${text}</span></a></li>`;
}

/** The deadline cell lives with the rest of the deadline wording (gateway/ui/deadline.ts). */
export { deadlineCell };

/** The query string of a filter (and a page of it), so the pager keeps the filter. */
function filterQuery(f: BoxFilter, page: { before?: string; skip?: number } = {}): string {
  const q = new URLSearchParams();
  for (const key of ['status', 'counterpart', 'kind', 'q', 'due'] as const) if (f[key]) q.set(key, f[key]);
  if (f.unread) q.set('unread', '1');
  if (f.caseId) q.set('case', f.caseId);
  if (page.before) q.set('before', page.before);
  if (page.skip) q.set('skip', String(page.skip));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** "51–100 of 230", a link back to the newest and one to older requests. */
function pager(v: View, base: string, data: Box, filter: BoxFilter): Html | '' {
  if (data.rows.length === 0) return '';
  const from = data.skip + 1;
  const to = data.skip + data.rows.length;
  const range = data.matching === undefined ? v.t('list.rangeOpen', { from, to }) : v.t('list.range', { from, to, total: data.matching });
  return html`<nav class="pager" aria-label="${v.t('list.pages')}">
    <span data-range>${range}</span>
    ${data.skip > 0 ? html` <a href="${base}${filterQuery(filter)}" data-page="newest">${v.t('list.newest')}</a>` : ''}
    ${data.older ? html` <a rel="next" href="${base}${filterQuery(filter, { before: data.older, skip: to })}" data-page="older">${v.t('list.older')}</a>` : ''}
  </nav>`;
}

export function requestsListPage(v: View, opts: { box: 'inbox' | 'outbox'; data: Box; filter: BoxFilter; counterparts: string[]; cases?: Case[] }): string {
  const { data, filter } = opts;
  const inbox = opts.box === 'inbox';
  const base = `/${opts.box}`;
  const title = v.t(inbox ? 'inbox.title' : 'outbox.title');
  const body = html`
  <div class="page-head">
    <h1>${title}</h1>
    ${hasRole(v, SCREEN_ROLES.compose) ? html`<a class="button primary" href="/compose">${v.t('nav.compose')}</a>` : ''}
  </div>
  <ul class="counts" aria-label="${v.t('list.counts')}" data-live-part="counts">
    ${countCard(v, 'total', data.counts.total, base, v.t('list.total'))}
    ${inbox ? countCard(v, 'new', data.counts.new, `${base}?unread=1`, v.t('list.new'), data.counts.new ? 'attention' : '') : ''}
    ${countCard(v, 'dueSoon', data.counts.dueSoon, `${base}?due=soon`, v.t('list.dueSoon', { days: DUE_SOON_DAYS }), data.counts.dueSoon ? 'attention' : '')}
    ${countCard(v, 'overdue', data.counts.overdue, `${base}?due=overdue`, v.t('list.overdue'), data.counts.overdue ? 'alarm' : '')}
    ${countCard(v, 'failed', data.counts.failed, `${base}?status=failed`, v.t('list.failed'), data.counts.failed ? 'alarm' : '')}
  </ul>
  <form class="filters" method="get" action="${base}" role="search" aria-label="${v.t('list.filters')}">
    <div class="field"><label for="f-status">${v.t('list.status')}</label>
      <select id="f-status" name="status"><option value="">${v.t('list.any')}</option>
      ${LIST_STATUSES.map((s) => html`<option value="${s}"${s === filter.status ? html` selected` : ''}>${label(v, 'status', s)}</option>`)}</select></div>
    <div class="field"><label for="f-counterpart">${v.t(inbox ? 'list.from' : 'list.to')}</label>
      <select id="f-counterpart" name="counterpart"><option value="">${v.t('list.any')}</option>
      ${opts.counterparts.map((c) => html`<option value="${c}"${c === filter.counterpart ? html` selected` : ''}>${countryName(v, c)}</option>`)}</select></div>
    <div class="field"><label for="f-kind">${v.t('list.kind')}</label>
      <select id="f-kind" name="kind"><option value="">${v.t('list.any')}</option>
      ${REQUEST_KINDS.map((k) => html`<option value="${k}"${k === filter.kind ? html` selected` : ''}>${label(v, 'kind', k)}</option>`)}</select></div>
    ${caseFilterField(v, opts.cases ?? [], filter.caseId)}
    <div class="field grow"><label for="f-q">${v.t('list.search')}</label><input id="f-q" name="q" type="search" value="${filter.q ?? ''}" aria-describedby="q-hint"></div>
    <div class="actions"><button type="submit">${v.t('list.apply')}</button> <a href="${base}">${v.t('list.clear')}</a></div>
    <p class="hint filters-hint" id="q-hint">${v.t(hasRole(v, CONTENT_ROLES) ? 'list.searchHintContent' : 'list.searchHintMetadata')}</p>
    <p class="hint filters-hint" id="case-hint">${v.t('list.caseHint')}</p>
  </form>
  <div data-live-part="table" data-box="${opts.box}">${
    data.rows.length === 0
      ? html`<p class="empty">${v.t(data.counts.total === 0 ? (inbox ? 'inbox.empty' : 'outbox.empty') : 'list.noMatch')}</p>`
      : html`<table class="requests" data-box="${opts.box}">
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${v.t('list.date')}</th><th scope="col">${v.t(inbox ? 'list.from' : 'list.to')}</th><th scope="col">${v.t('list.kind')}</th><th scope="col">${v.t('list.subject')}</th><th scope="col">${v.t('list.reference')}</th><th scope="col">${v.t('list.status')}</th><th scope="col">${v.t('list.deadline')}</th></tr></thead>
    <tbody>${data.rows.map(
      (row) => html`<tr class="${row.unread ? 'unread' : ''}" data-id="${row.request.id}">
        <td data-label="${v.t('list.date')}">${formatTime(v, row.request.createdAt)}</td>
        <td data-label="${v.t(inbox ? 'list.from' : 'list.to')}">${addressName(v, inbox ? row.request.from : row.request.to)}</td>
        <td data-label="${v.t('list.kind')}">${label(v, 'kind', row.request.kind)}</td>
        <td data-label="${v.t('list.subject')}"><a href="/requests/${row.request.id}">${subjectLine(v, row.request)}</a>${row.unread ? html` <span class="badge new">${v.t('list.newBadge')}</span>` : ''}</td>
        <td data-label="${v.t('list.reference')}">${row.request.senderReference}</td>
        <td data-label="${v.t('list.status')}"><span class="status s-${row.status}">${label(v, 'status', row.status)}</span>${row.request.stage ? html`<br><span class="small">${codeText('extradition_stages', row.request.stage, v.lang)}</span>` : ''}</td>
        <td data-label="${v.t('list.deadline')}">${deadlineCell(v, row.request, row.deadline)}</td>
      </tr>`,
    )}</tbody></table>`
  }${pager(v, base, data, filter)}</div>`;
  return layout(v, { title, active: opts.box, body });
}
