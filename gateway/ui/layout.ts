import { LANG_NAMES, LANGS } from '../i18n/index.js';
import { html, type Html, type Part } from './html.js';
import type { UserRole } from '../db/users.js';
import { countryName, hasRole, SCREEN_ROLES, type MessageKey, type View } from './view.js';

export type NavKey =
  'inbox' | 'outbox' | 'compose' | 'drafts' | 'notifications' | 'extradition' | 'directory' | 'network' | 'users' | 'approvals' | 'audit' | 'statistics' | 'cases' | 'account' | 'none';

const NAV: { key: NavKey; href: string; label: MessageKey; roles: readonly UserRole[] }[] = [
  { key: 'inbox', href: '/inbox', label: 'nav.inbox', roles: SCREEN_ROLES.requests },
  { key: 'outbox', href: '/outbox', label: 'nav.outbox', roles: SCREEN_ROLES.requests },
  { key: 'compose', href: '/compose', label: 'nav.compose', roles: SCREEN_ROLES.compose },
  { key: 'drafts', href: '/drafts', label: 'nav.drafts', roles: SCREEN_ROLES.compose },
  { key: 'cases', href: '/cases', label: 'nav.cases', roles: SCREEN_ROLES.requests },
  { key: 'extradition', href: '/extradition', label: 'nav.extradition', roles: SCREEN_ROLES.extradition },
  { key: 'directory', href: '/directory', label: 'nav.directory', roles: SCREEN_ROLES.directory },
  { key: 'network', href: '/network', label: 'nav.network', roles: SCREEN_ROLES.network },
  { key: 'users', href: '/admin/users', label: 'nav.users', roles: SCREEN_ROLES.users },
  { key: 'approvals', href: '/approvals', label: 'nav.approvals', roles: SCREEN_ROLES.approvals },
  { key: 'audit', href: '/audit', label: 'nav.audit', roles: SCREEN_ROLES.audit },
  { key: 'statistics', href: '/statistics', label: 'nav.statistics', roles: SCREEN_ROLES.statistics },
];

function languageSwitcher(v: View): Html {
  return html`<nav class="langs" aria-label="${v.t('nav.language')}"><ul>${LANGS.map(
    (l) => html`<li><a href="/lang/${l}?next=${encodeURIComponent(v.path)}" lang="${l}" hreflang="${l}"${l === v.lang ? html` aria-current="true"` : ''}>${LANG_NAMES[l]}</a></li>`,
  )}</ul></nav>`;
}

/** The whole document around a page: header with navigation, language switcher, live region. */
export function layout(v: View, opts: { title: string; active: NavKey; body: Part; flash?: Part }): string {
  const nav = v.user
    ? html`<nav class="main-nav" aria-label="${v.t('nav.main')}"><ul>${NAV.filter((n) => hasRole(v, n.roles)).map(
        (n) => html`<li><a href="${n.href}"${n.key === opts.active ? html` aria-current="page"` : ''}>${v.t(n.label)}</a></li>`,
      )}</ul></nav>`
    : '';
  const bell =
    v.unread !== undefined
      ? html`<a class="bell" href="/notifications" data-bell aria-label="${v.t('notify.bell', { count: v.unread })}" data-label="${v.t('notify.bell', { count: '{count}' })}"${opts.active === 'notifications' ? html` aria-current="page"` : ''}><svg class="bell-icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg><span class="count" data-count${v.unread ? '' : html` hidden`}>${v.unread}</span></a>`
      : '';
  const account = v.user
    ? html`<div class="account">
        <a href="/account"${opts.active === 'account' ? html` aria-current="page"` : ''}>${v.user.displayName}</a>
        <span class="roles">${v.user.roles.map((r) => v.t(`role.${r}` as MessageKey)).join(', ')}</span>
        <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit" class="link">${v.t('nav.logout')}</button></form>
      </div>`
    : '';
  const doc = html`<!doctype html>
<html lang="${v.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${v.csrf}">
<title>${opts.title} · Enlace ${countryName(v, v.country)}</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body data-lang="${v.lang}"${v.user && hasRole(v, SCREEN_ROLES.requests) ? html` data-live="1"` : ''}>
<a class="skip" href="#main">${v.t('nav.skip')}</a>
<header class="top">
  <div class="brand"><a href="/">Enlace</a> <span class="country" title="${v.t('app.node')}">${countryName(v, v.country)}</span></div>
  ${nav}
  <div class="tools">${languageSwitcher(v)}${bell}${account}</div>
</header>
<div id="live" class="live" role="status" aria-live="polite" data-new-label="${v.t('live.arrived')}" data-update-label="${v.t('live.updated')}" data-open-label="${v.t('live.open')}" data-kept-label="${v.t('live.keptTyping')}"></div>
<main id="main" tabindex="-1">
${opts.flash ?? ''}
${opts.body}
</main>
<footer class="foot">${v.t('app.footer', { country: countryName(v, v.country) })}</footer>
</body>
</html>`;
  return doc.value;
}

/** The result of an action (a request sent, a step taken, a refusal): the script moves the focus to it. */
export function flash(kind: 'ok' | 'error', text: string): Html {
  return html`<div class="flash ${kind}" role="${kind === 'error' ? 'alert' : 'status'}" tabindex="-1" data-flash>${text}</div>`;
}
