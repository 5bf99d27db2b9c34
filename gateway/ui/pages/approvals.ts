import type { RoleGrant } from '../../db/grants.js';
import { csrfField } from '../form.js';
import { html } from '../html.js';
import { flash, layout } from '../layout.js';
import { formatTime, type MessageKey, type View } from '../view.js';

/** Content roles asked for people of this node, for the holders of those roles to approve or refuse. */
export function approvalsPage(v: View, o: { pending: RoleGrant[]; mayDecide: (g: RoleGrant) => boolean; notice?: string }): string {
  const body = html`<h1>${v.t('grants.title')}</h1>
  <p class="muted">${v.t('grants.intro')}</p>
  <section class="panel">
    ${
      o.pending.length === 0
        ? html`<p data-no-grants>${v.t('grants.none')}</p>`
        : html`<table class="grid grants">
      <thead><tr><th scope="col">${v.t('grants.person')}</th><th scope="col">${v.t('grants.role')}</th><th scope="col">${v.t('grants.askedBy')}</th><th scope="col">${v.t('grants.askedAt')}</th><th scope="col">${v.t('users.actions')}</th></tr></thead>
      <tbody>${o.pending.map(
        (g) => html`<tr data-grant="${g.id}"><th scope="row">${g.username}</th><td>${v.t(`role.${g.role}` as MessageKey)}</td><td>${g.requestedBy}</td><td>${formatTime(v, g.requestedAt)}</td>
        <td class="row-actions">${
          o.mayDecide(g)
            ? html`<form method="post" action="/approvals/${g.id}/approve">${csrfField(v.csrf)}<button type="submit" class="primary" aria-label="${v.t('grants.approve')}: ${g.username}">${v.t('grants.approve')}</button></form>
          <form method="post" action="/approvals/${g.id}/refuse">${csrfField(v.csrf)}<button type="submit" aria-label="${v.t('grants.refuse')}: ${g.username}">${v.t('grants.refuse')}</button></form>`
            : html`<span class="muted">${v.t(g.username === v.user?.username ? 'grants.ownGrant' : 'grants.youAsked')}</span>`
        }</td></tr>`,
      )}</tbody></table>`
    }
  </section>`;
  return layout(v, { title: v.t('grants.title'), active: 'approvals', body, flash: o.notice ? flash('ok', o.notice) : '' });
}
