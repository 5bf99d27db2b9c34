import type { Case } from '../../generated/enlace/v1/cases.js';
import type { Request } from '../../generated/enlace/v1/exchange.js';
import { HANDLING_CODES } from '../../services/requests/links.js';
import { directionCode } from '../app/codes.js';
import { followUpKinds } from '../app/cases.js';
import { REQUEST_KINDS } from '../app/codes.js';
import { html, type Html } from './html.js';
import { subjectLine } from './subject.js';
import { countryName, hasRole, label, SCREEN_ROLES, type View } from './view.js';

/** A handling code's label in the page's language (services/requests/links.ts), the code itself if unknown. */
export function handlingLabel(v: View, code: string): string {
  const entry = (HANDLING_CODES.entries as unknown as Record<string, Record<string, string> | undefined>)[code];
  return entry?.[v.lang] ?? code;
}

/** The use restrictions of a request (§25.3), first on its page and hard to miss; nothing when it has none. */
export function restrictionsBanner(v: View, r: Request): Html | '' {
  const codes = r.links?.handling ?? [];
  if (codes.length === 0) return '';
  return html`<section class="restrictions" role="note" aria-labelledby="h-restrictions" data-restrictions>
    <h2 id="h-restrictions"><span aria-hidden="true">⚠</span> ${v.t('restrict.title')}</h2>
    <ul>${codes.map((c) => html`<li data-handling="${c}"><strong>${handlingLabel(v, c)}</strong></li>`)}</ul>
    <p class="small">${v.t('restrict.carry')}</p>
  </section>`;
}

/** The other state of a request, as this node sees it. */
export function counterpartOf(r: Request): string {
  return (directionCode(r.direction) === 'outbound' ? r.to : r.from).split('/')[0] ?? '';
}

/** What a follow-up of `kind` after a request of `parentKind` is called on its button. */
function followUpText(v: View, parentKind: string, kind: string): string {
  if (kind === 'additional_information') return v.t('links.followup.info');
  if (parentKind === 'nationality_verification' && kind === 'nationality_verification') return v.t('links.followup.travel');
  if (parentKind === 'extradition' && kind === 'extradition') return v.t('links.followup.formal');
  return v.t('links.followup.other', { kind: label(v, 'kind', kind) });
}

function linkTo(v: View, id: string, related: ReadonlyMap<string, Request>): Html {
  const other = related.get(id);
  return html`<a href="/requests/${id}" data-linked="${id}">${other ? `${label(v, 'kind', other.kind)} · ${subjectLine(v, other)}` : v.t('links.unnamed')}</a>`;
}

/** Compose prefilled for a request linked to `r`: the parent, the counterpart and the case reference. */
export function followUpHref(r: Request, kind: string): string {
  const q = new URLSearchParams({ parent: r.id, kind, to: counterpartOf(r) });
  if (r.links?.caseReference) q.set('caseRef', r.links.caseReference);
  return `/compose?${q.toString()}`;
}

/**
 * The request's case, the request it follows up on and those that follow up on it (both
 * sides show both, §25.1), and for those who compose: linked requests to start and the
 * information to pass on.
 */
export function linksPanel(v: View, r: Request, related: ReadonlyMap<string, Request>): Html {
  const l = r.links;
  const children = l?.childRequestIds ?? [];
  const compose = hasRole(v, SCREEN_ROLES.compose) && !r.erased;
  const kinds = compose ? followUpKinds(r.kind).filter((k) => (REQUEST_KINDS as readonly string[]).includes(k)) : [];
  const passOn = new URLSearchParams({ derived: r.id, kind: 'spontaneous_information' });
  if (l?.caseReference) passOn.set('caseRef', l.caseReference);
  return html`<section class="panel links" aria-labelledby="h-links" data-links>
    <h2 id="h-links">${v.t('links.title')}</h2>
    <dl class="facts">
      <dt>${v.t('cases.case')}</dt><dd>${l?.caseId ? html`<a href="/cases/${l.caseId}" data-case-link>${l.caseReference}</a>` : '—'}</dd>
      <dt>${v.t('links.parent')}</dt><dd data-parent>${l?.parentRequestId ? linkTo(v, l.parentRequestId, related) : '—'}</dd>
      <dt>${v.t('links.children')}</dt><dd data-children>${children.length ? html`<ul class="plain">${children.map((id) => html`<li>${linkTo(v, id, related)}</li>`)}</ul>` : '—'}</dd>
    </dl>
    ${
      kinds.length
        ? html`<p class="small">${v.t('links.start', { country: countryName(v, counterpartOf(r)) })}</p>
    <ul class="plain follow-ups">${kinds.map((k) => html`<li><a class="button" href="${followUpHref(r, k)}" data-follow-up="${k}">${followUpText(v, r.kind, k)}</a></li>`)}</ul>`
        : ''
    }
    ${compose ? html`<p><a href="/compose?${passOn.toString()}" data-pass-on>${v.t('links.passOn')}</a></p>` : ''}
  </section>`;
}

/**
 * The inbox and outbox filter by case: its reference (the title is content and not shown in a list
 * control). It offers the cases of the rows shown (and the one selected); the hint says where all are.
 */
export function caseFilterField(v: View, cases: readonly Case[], selected: string | undefined): Html {
  return html`<div class="field"><label for="f-case">${v.t('cases.case')}</label>
      <select id="f-case" name="case" aria-describedby="case-hint"><option value="">${v.t('list.any')}</option>
      ${cases.map((c) => html`<option value="${c.id}"${c.id === selected ? html` selected` : ''}>${c.reference} (${countryName(v, c.owner)})</option>`)}</select></div>`;
}
