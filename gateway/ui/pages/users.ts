import type { RoleGrant } from '../../db/grants.js';
import { USER_ROLES, type User } from '../../db/users.js';
import { LANG_NAMES, LANGS } from '../../i18n/index.js';
import { checkboxes, csrfField, errorSummary, input, select, type Problems } from '../form.js';
import { html } from '../html.js';
import { flash, layout } from '../layout.js';
import { countryName, formatTime, type MessageKey, type View } from '../view.js';

export interface UsersPageOpts {
  users: User[];
  /** Content roles waiting for a second person's approval. */
  pending: RoleGrant[];
  values?: Record<string, string | string[]>;
  problems?: Problems;
  /** A password just set, shown once. */
  issued?: { username: string; password: string };
  notice?: string;
  error?: string;
}

export function usersPage(v: View, o: UsersPageOpts): string {
  const p = o.problems ?? {};
  const val = o.values ?? {};
  const str = (k: string) => (typeof val[k] === 'string' ? val[k] : '');
  const roles = Array.isArray(val.roles) ? val.roles : typeof val.roles === 'string' ? [val.roles] : [];
  const labels = { username: v.t('users.username'), displayName: v.t('users.displayName'), roles: v.t('users.roles'), lang: v.t('users.lang') };
  const body = html`
  <h1>${v.t('users.title', { country: countryName(v, v.country) })}</h1>
  ${
    o.issued
      ? html`<div class="panel issued" role="status"><h2>${v.t('users.issuedTitle')}</h2>
    <p>${v.t('users.issued', { username: o.issued.username })}</p>
    <p class="password"><code data-issued-password>${o.issued.password}</code></p>
    <p class="muted">${v.t('users.issuedHint')}</p></div>`
      : ''
  }
  <section class="panel" aria-labelledby="h-list">
    <h2 id="h-list">${v.t('users.list')}</h2>
    <table class="grid users">
      <thead><tr><th scope="col">${labels.username}</th><th scope="col">${labels.displayName}</th><th scope="col">${labels.roles}</th><th scope="col">${v.t('users.state')}</th><th scope="col">${v.t('users.lastLogin')}</th><th scope="col">${v.t('users.actions')}</th></tr></thead>
      <tbody>${o.users.map(
        (u) => html`<tr data-user="${u.username}"><th scope="row">${u.username}</th><td>${u.displayName}</td>
        <td>${u.roles.map((r) => v.t(`role.${r}` as MessageKey)).join(', ') || '—'}${o.pending
          .filter((g) => g.userId === u.id)
          .map((g) => html`<br><span class="badge" data-pending-role="${g.role}">${v.t('users.pendingRole', { role: v.t(`role.${g.role}` as MessageKey) })}</span>`)}</td>
        <td><span class="status ${u.disabled ? 'u-disabled' : 'u-active'}">${v.t(u.disabled ? 'users.disabled' : 'users.active')}</span>${u.mustChangePassword ? html` <span class="badge">${v.t('users.mustChange')}</span>` : ''}</td>
        <td>${u.lastLoginAt ? formatTime(v, u.lastLoginAt) : '—'}</td>
        <td class="row-actions">${
          u.username === v.user?.username
            ? html`<span class="muted">${v.t('users.you')}</span>`
            : html`<form method="post" action="/admin/users/${u.id}/${u.disabled ? 'enable' : 'disable'}">${csrfField(v.csrf)}<button type="submit" aria-label="${v.t(u.disabled ? 'users.enable' : 'users.disable')}: ${u.username}">${v.t(u.disabled ? 'users.enable' : 'users.disable')}</button></form>
            <form method="post" action="/admin/users/${u.id}/reset">${csrfField(v.csrf)}<button type="submit" aria-label="${v.t('users.reset')}: ${u.username}">${v.t('users.reset')}</button></form>
            <details class="roles-edit"><summary>${v.t('users.changeRoles')}</summary><form method="post" action="/admin/users/${u.id}/roles">${csrfField(v.csrf)}
            ${checkboxes({ name: 'roles', id: `roles-${u.id}`, legend: `${labels.roles}: ${u.username}`, values: [...u.roles, ...o.pending.filter((g) => g.userId === u.id).map((g) => g.role)], options: USER_ROLES.filter((r) => r !== 'operator').map((r) => ({ value: r, label: v.t(`role.${r}` as MessageKey) })) })}
            <button type="submit">${v.t('users.saveRoles')}</button></form></details>`
        }</td></tr>`,
      )}</tbody>
    </table>
  </section>
  <section class="panel" aria-labelledby="h-new">
    <h2 id="h-new">${v.t('users.create')}</h2>
    ${errorSummary(v.t('v.summary'), p, labels)}
    <form method="post" action="/admin/users" novalidate class="user-form">
      ${csrfField(v.csrf)}
      ${input({ name: 'username', label: labels.username, value: str('username'), required: true, problems: p, hint: v.t('users.usernameHint'), autocomplete: 'off' })}
      ${input({ name: 'displayName', label: labels.displayName, value: str('displayName'), required: true, problems: p })}
      <p class="hint">${v.t('users.fourEyes')}</p>
      ${checkboxes({ name: 'roles', legend: labels.roles, values: roles, required: true, problems: p, options: USER_ROLES.filter((r) => r !== 'operator').map((r) => ({ value: r, label: v.t(`role.${r}` as MessageKey) })) })}
      ${select({ name: 'lang', label: labels.lang, value: str('lang') || v.lang, problems: p, options: LANGS.map((l) => ({ value: l, label: LANG_NAMES[l] })) })}
      <button type="submit" class="primary">${v.t('users.createSubmit')}</button>
    </form>
  </section>`;
  return layout(v, { title: v.t('users.title', { country: countryName(v, v.country) }), active: 'users', body, flash: o.error ? flash('error', o.error) : o.notice ? flash('ok', o.notice) : '' });
}
