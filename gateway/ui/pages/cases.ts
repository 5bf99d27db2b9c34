import type { Case, CaseEvent, ListCasesResponse } from '../../../generated/enlace/v1/cases.js';
import type { GetCaseResponse, Request } from '../../../generated/enlace/v1/exchange.js';
import { statusCode } from '../../app/codes.js';
import type { CaseFilter } from '../../app/cases.js';
import { isContentRole } from '../../db/users.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { counterpartOf } from '../links.js';
import { subjectLine } from '../subject.js';
import { countryName, formatTime, label, type View } from '../view.js';

/** The case title for content roles; for the others, that it is withheld when there is one (the node sends them only `has_title`, §25.2). */
function caseTitle(v: View, c: Case): Html {
  if (c.title) return html`<span data-case-title>${c.title}</span>`;
  if (c.hasTitle && !v.user?.roles.some(isContentRole)) return html`<span class="muted" data-title-withheld>${v.t('cases.titleWithheld')}</span>`;
  return html`<span class="muted" data-no-title>${v.t('cases.noTitle')}</span>`;
}

export function casesListPage(v: View, o: { data: ListCasesResponse; filter: CaseFilter; owners: string[] }): string {
  const { data, filter } = o;
  const title = v.t('cases.title');
  const body = html`
  <div class="page-head"><h1>${title}</h1></div>
  <p class="muted">${v.t('cases.intro')}</p>
  <form class="filters" method="get" action="/cases" role="search" aria-label="${v.t('list.filters')}">
    <div class="field grow"><label for="f-q">${v.t('cases.search')}</label><input id="f-q" name="q" type="search" value="${filter.q ?? ''}"></div>
    <div class="field"><label for="f-owner">${v.t('cases.owner')}</label>
      <select id="f-owner" name="owner"><option value="">${v.t('list.any')}</option>
      ${o.owners.map((c) => html`<option value="${c}"${c === filter.owner ? html` selected` : ''}>${countryName(v, c)}</option>`)}</select></div>
    <div class="actions"><button type="submit">${v.t('list.apply')}</button> <a href="/cases">${v.t('list.clear')}</a></div>
  </form>
  ${
    data.cases.length === 0
      ? html`<p class="empty">${v.t(filter.q || filter.owner ? 'list.noMatch' : 'cases.empty')}</p>`
      : html`<table class="requests cases" data-cases>
    <caption class="sr-only">${title}</caption>
    <thead><tr><th scope="col">${v.t('cases.reference')}</th><th scope="col">${v.t('cases.titleCol')}</th><th scope="col">${v.t('cases.owner')}</th><th scope="col">${v.t('cases.counterparts')}</th><th scope="col">${v.t('cases.requests')}</th><th scope="col">${v.t('cases.updated')}</th></tr></thead>
    <tbody>${data.cases.map(
      (c) => html`<tr data-case="${c.id}">
        <td data-label="${v.t('cases.reference')}"><a href="/cases/${c.id}">${c.reference}</a></td>
        <td data-label="${v.t('cases.titleCol')}">${caseTitle(v, c)}</td>
        <td data-label="${v.t('cases.owner')}">${countryName(v, c.owner)}</td>
        <td data-label="${v.t('cases.counterparts')}">${c.counterparts.map((x) => countryName(v, x)).join(', ')}</td>
        <td data-label="${v.t('cases.requests')}">${v.t('cases.counts', { total: c.requestCount, open: c.openCount })}</td>
        <td data-label="${v.t('cases.updated')}">${formatTime(v, c.updatedAt)}</td>
      </tr>`,
    )}</tbody></table>`
  }
  ${data.nextPageToken ? html`<nav class="pager" aria-label="${v.t('list.pages')}"><a rel="next" href="/cases?${new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), ...(filter.owner ? { owner: filter.owner } : {}), before: data.nextPageToken }).toString()}">${v.t('list.older')}</a></nav>` : ''}`;
  return layout(v, { title, active: 'cases', body });
}

function requestRow(v: View, r: Request): Html {
  const status = statusCode(r.status);
  return html`<tr data-id="${r.id}" data-counterpart="${counterpartOf(r)}">
    <td data-label="${v.t('list.date')}">${formatTime(v, r.createdAt)}</td>
    <td data-label="${v.t('cases.counterpart')}">${countryName(v, counterpartOf(r))}</td>
    <td data-label="${v.t('list.kind')}">${label(v, 'kind', r.kind)}</td>
    <td data-label="${v.t('list.subject')}"><a href="/requests/${r.id}">${subjectLine(v, r)}</a></td>
    <td data-label="${v.t('list.status')}"><span class="status s-${status}">${label(v, 'status', status)}</span></td>
  </tr>`;
}

function eventLine(v: View, e: CaseEvent): Html {
  const country = countryName(v, e.counterpart);
  return html`<li class="ev e-${e.type}" data-event="${e.type}" data-request="${e.requestId}"><time datetime="${new Date(Number(e.at)).toISOString()}">${formatTime(v, e.at)}</time>
    <strong>${label(v, 'event', e.type, { country, time: formatTime(v, e.at, 'time') })}</strong> · <a href="/requests/${e.requestId}">${label(v, 'kind', e.kind)} · ${country}</a></li>`;
}

/** A case at this node: its reference, title (content roles), the requests this node is party to, and the timeline across them. */
export function casePage(v: View, res: GetCaseResponse): string {
  const c = res.case!;
  const title = v.t('cases.heading', { reference: c.reference });
  const body = html`
  <p class="crumbs"><a href="/cases">${v.t('cases.title')}</a></p>
  <div class="page-head"><h1>${title}</h1></div>
  <dl class="facts">
    <dt>${v.t('cases.titleCol')}</dt><dd>${caseTitle(v, c)}</dd>
    <dt>${v.t('cases.owner')}</dt><dd>${countryName(v, c.owner)}</dd>
    <dt>${v.t('cases.updated')}</dt><dd>${formatTime(v, c.updatedAt)}</dd>
  </dl>
  <p class="muted">${v.t('cases.partyOnly')}</p>
  <div class="columns">
    <section class="panel" aria-labelledby="h-case-requests">
      <h2 id="h-case-requests">${v.t('cases.requestsHeading')}</h2>
      <table class="requests" data-case-requests>
        <caption class="sr-only">${v.t('cases.requestsHeading')}</caption>
        <thead><tr><th scope="col">${v.t('list.date')}</th><th scope="col">${v.t('cases.counterpart')}</th><th scope="col">${v.t('list.kind')}</th><th scope="col">${v.t('list.subject')}</th><th scope="col">${v.t('list.status')}</th></tr></thead>
        <tbody>${res.requests.map((r) => requestRow(v, r))}</tbody>
      </table>
      <p><a href="/inbox?case=${c.id}">${v.t('cases.inInbox')}</a> · <a href="/outbox?case=${c.id}">${v.t('cases.inOutbox')}</a></p>
    </section>
    <section class="panel" aria-labelledby="h-case-timeline">
      <h2 id="h-case-timeline">${v.t('cases.timeline')}</h2>
      <ol class="timeline" data-case-timeline>${res.timeline.map((e) => eventLine(v, e))}</ol>
    </section>
  </div>`;
  return layout(v, { title, active: 'cases', body });
}

/** After a request to several states (§25.4): each recipient's own request and its status. */
export function sentPage(v: View, o: { requests: Request[]; override: boolean }): string {
  const title = v.t('sent.title');
  const body = html`
  <h1 tabindex="-1" data-focus>${title}</h1>
  <p>${v.t('sent.intro', { count: o.requests.length })}</p>
  ${o.override ? html`<p class="notice" data-override-recorded>${v.t('sent.override')}</p>` : ''}
  <ul class="plain sent-list" data-sent>${o.requests.map((r) => {
    const status = statusCode(r.status);
    return html`<li data-id="${r.id}" data-to="${counterpartOf(r)}"><a href="/requests/${r.id}">${countryName(v, counterpartOf(r))} · ${subjectLine(v, r)}</a> <span class="status s-${status}" data-status="${status}">${label(v, 'status', status)}</span></li>`;
  })}</ul>`;
  return layout(v, { title, active: 'compose', body, flash: flash('ok', v.t('compose.sent')) });
}
