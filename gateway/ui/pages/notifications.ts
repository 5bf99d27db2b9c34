import type { Notification } from '../../notifications/store.js';
import { csrfField, input, type Problems } from '../form.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { countryName, formatTime, label, type MessageKey, type View } from '../view.js';

/** The person's notifications, newest first: what happened, the request's type and country, a link that marks it read. */
export function notificationsPage(v: View, rows: readonly Notification[]): string {
  const unread = rows.filter((n) => !n.read).length;
  const body = html`
  <h1>${v.t('notify.title')}</h1>
  <p class="muted">${v.t('notify.intro')}</p>
  ${unread ? html`<form method="post" action="/notifications/read" class="inline">${csrfField(v.csrf)}<button type="submit" class="secondary">${v.t('notify.markAll')}</button></form>` : ''}
  ${
    rows.length === 0
      ? html`<p class="empty">${v.t('notify.empty')}</p>`
      : html`<ul class="plain notifications">${rows.map(
          (n) => html`<li data-notification="${n.id}" data-kind="${n.kind}"${n.read ? '' : html` class="unread"`}>
        <a href="/notifications/${n.id}/open"><strong>${v.t(`notify.kind.${n.kind}` as MessageKey)}</strong></a>
        ${n.read ? '' : html`<span class="badge">${v.t('notify.unread')}</span>`}
        <span>${v.t('notify.about', { type: label(v, 'kind', n.requestKind), country: countryName(v, n.counterpart) })}</span>
        <span class="muted small">${formatTime(v, n.at)}</span>
      </li>`,
        )}</ul>`
  }`;
  return layout(v, { title: v.t('notify.title'), active: 'notifications', body });
}

/** The account page's notification e-mail setting: an address opts in, an empty one opts out. */
export function mailSection(v: View, address: string, opts: { saved?: boolean; problems?: Problems } = {}): Html {
  return html`<section aria-labelledby="mail-title">
      <h2 id="mail-title">${v.t('notify.mail.title')}</h2>
      ${opts.saved ? flash('ok', v.t('notify.mail.saved')) : ''}
      <p class="muted">${v.t('notify.mail.intro')}</p>
      <form method="post" action="/account/notifications" novalidate>
        ${csrfField(v.csrf)}
        ${input({ name: 'email', label: v.t('notify.mail.address'), type: 'email', autocomplete: 'email', value: address, hint: v.t('notify.mail.hint'), problems: opts.problems ?? {} })}
        <button type="submit" class="secondary">${v.t('notify.mail.save')}</button>
      </form>
    </section>`;
}
