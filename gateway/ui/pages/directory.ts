import type { DirectoryEntry, NodeMembership, SearchResponse, ThemeInfo } from '../../../generated/enlace/v1/directory.js';
import { pickText } from '../../app/directory.js';
import { REQUEST_KINDS } from '../../app/codes.js';
import { LANG_NAMES, LANGS } from '../../i18n/index.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { directoryFileLinks } from './directory-import.js';
import { countryName, formatTime, hasRole, label, SCREEN_ROLES, type View } from '../view.js';

export interface DirectoryQuery {
  text?: string;
  theme?: string;
  country?: string;
  language?: string;
  kind?: string;
}

export function themeLabel(themes: ThemeInfo[], code: string, lang: string): string {
  const t = themes.find((x) => x.code === code);
  return t ? pickText(t.labels, lang) || t.label : code;
}

const DAYS_SHORT = (v: View, d: number) => new Intl.DateTimeFormat(v.lang, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));

export function hoursText(v: View, e: DirectoryEntry): string {
  const c = e.contact!;
  const hours = c.officeHours.map((h) => `${h.days.map((d) => DAYS_SHORT(v, d)).join(' ')} ${h.open}–${h.close}`).join('; ');
  return [c.available247 ? v.t('dir.h24') : '', hours, c.timeZone ? `(${c.timeZone})` : ''].filter(Boolean).join(' ');
}

function entryCard(v: View, e: DirectoryEntry, themes: ThemeInfo[], canEdit: boolean): Html {
  const c = e.contact!;
  return html`<article class="panel entry" data-address="${e.address}">
    <h2><a href="/directory/${c.country}/${c.id}">${pickText(c.authority, v.lang)}</a> <span class="muted small">${countryName(v, c.country)} · <span class="sr-only">${v.t('dir.address')}: </span><code data-technical title="${v.t('dir.address')}">${e.address}</code></span>${e.active ? '' : html` <span class="status s-withdrawn">${v.t('dir.inactive')}</span>`}</h2>
    ${c.unit.length ? html`<p>${pickText(c.unit, v.lang)}</p>` : ''}
    <dl class="facts small">
      <dt>${v.t('dir.themes')}</dt><dd>${c.themes.map((t) => themeLabel(themes, t, v.lang)).join(' · ')}</dd>
      ${c.requestKinds.length ? html`<dt>${v.t('dir.kinds')}</dt><dd>${c.requestKinds.map((k) => label(v, 'kind', k)).join(' · ')}</dd>` : ''}
      <dt>${v.t('dir.languages')}</dt><dd>${c.languages.map((l) => ((LANGS as readonly string[]).includes(l) ? LANG_NAMES[l as keyof typeof LANG_NAMES] : l)).join(', ')}</dd>
      <dt>${v.t('dir.contact')}</dt><dd>${c.roleTitle}${c.person ? ` — ${c.person}` : ''}<br><a href="mailto:${c.email}">${c.email}</a>${c.phone ? html` · <a href="tel:${c.phone}">${c.phone}</a>` : ''}</dd>
      <dt>${v.t('dir.hours')}</dt><dd>${hoursText(v, e)}</dd>
    </dl>
    ${canEdit && c.country === v.country ? html`<p><a class="button" href="/directory/${c.country}/${c.id}/edit">${v.t('dir.edit')}</a></p>` : ''}
  </article>`;
}

export function directoryPage(v: View, o: { q: DirectoryQuery; res: SearchResponse; themes: ThemeInfo[]; nodes: NodeMembership[]; notice?: string }): string {
  const admin = hasRole(v, SCREEN_ROLES.directoryEdit);
  const sel = (name: string, labelText: string, value: string | undefined, options: { value: string; label: string }[]) =>
    html`<div class="field"><label for="f-${name}">${labelText}</label><select id="f-${name}" name="${name}"><option value="">${v.t('list.any')}</option>${options.map(
      (opt) => html`<option value="${opt.value}"${opt.value === value ? html` selected` : ''}>${opt.label}</option>`,
    )}</select></div>`;
  const body = html`
  <div class="page-head"><h1>${v.t('dir.title')}</h1>
    ${admin ? html`<div class="actions"><a class="button primary" href="/directory/new">${v.t('dir.new')}</a><a class="button" href="/directory/import">${v.t('dir.import')}</a></div>` : ''}</div>
  ${admin ? directoryFileLinks(v) : ''}
  <form class="filters" method="get" action="/directory" role="search" aria-label="${v.t('dir.search')}">
    <div class="field grow"><label for="f-text">${v.t('dir.text')}</label><input id="f-text" name="text" type="search" value="${o.q.text ?? ''}"></div>
    ${sel(
      'theme',
      v.t('dir.theme'),
      o.q.theme,
      o.themes.map((t) => ({ value: t.code, label: themeLabel(o.themes, t.code, v.lang) })),
    )}
    ${sel(
      'country',
      v.t('dir.country'),
      o.q.country,
      o.nodes.map((n) => ({ value: n.country, label: countryName(v, n.country) })),
    )}
    ${sel(
      'language',
      v.t('dir.language'),
      o.q.language,
      LANGS.map((l) => ({ value: l, label: LANG_NAMES[l] })),
    )}
    ${sel(
      'kind',
      v.t('dir.kind'),
      o.q.kind,
      REQUEST_KINDS.map((k) => ({ value: k, label: label(v, 'kind', k) })),
    )}
    <div class="actions"><button type="submit">${v.t('dir.searchButton')}</button> <a href="/directory">${v.t('list.clear')}</a></div>
  </form>
  <p class="muted" role="status" data-total="${o.res.total}">${v.t('dir.found', { count: o.res.total })}</p>
  <div class="entries">${o.res.hits.length ? o.res.hits.map((h) => entryCard(v, h.entry!, o.themes, admin)) : html`<p class="empty">${v.t('dir.none')}</p>`}</div>`;
  return layout(v, { title: v.t('dir.title'), active: 'directory', body, flash: o.notice ? flash('ok', o.notice) : '' });
}

export function entryPage(v: View, e: DirectoryEntry, themes: ThemeInfo[]): string {
  const c = e.contact!;
  const body = html`<p class="crumbs"><a href="/directory">${v.t('dir.title')}</a></p>
    ${entryCard(v, e, themes, hasRole(v, SCREEN_ROLES.directoryEdit))}
    <section class="panel"><dl class="facts small">
      ${c.address ? html`<dt>${v.t('dir.address')}</dt><dd>${c.address}</dd>` : ''}
      ${c.notes ? html`<dt>${v.t('dir.notes')}</dt><dd>${c.notes}</dd>` : ''}
      <dt>${v.t('dir.valid')}</dt><dd>${c.validFrom || '…'} – ${c.validUntil || '…'}</dd>
      <dt>${v.t('dir.verified')}</dt><dd>${c.lastVerified || '—'}</dd>
      <dt>${v.t('dir.version')}</dt><dd>${e.version} · ${formatTime(v, e.updatedAt)} · ${e.updatedBy}</dd>
    </dl></section>`;
  return layout(v, { title: pickText(c.authority, v.lang), active: 'directory', body });
}
