import type { ContentRole } from '../../db/users.js';
import { csrfField, errorSummary, input, type Problems } from '../form.js';
import { html, raw, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { formatTime, type MessageKey, type View } from '../view.js';

export interface AccountPageOpts {
  mustChange: boolean;
  mustEnrol: boolean;
  lastLoginAt: number | null;
  totpEnrolled: boolean;
  pendingRoles: ContentRole[];
  /** A TOTP secret being set up: its QR code (SVG made by the server) and its base32 text. */
  enrolment?: { svg: string; secret: string };
  problems?: Problems;
  notice?: string;
  error?: string;
  /** The notification e-mail setting (ui/pages/notifications.ts), when the gateway sends e-mail. */
  mail?: Html;
}

export function accountPage(v: View, opts: AccountPageOpts): string {
  const labels = { current: v.t('account.current'), password: v.t('account.new'), confirm: v.t('account.confirm'), code: v.t('login.code') };
  const p = opts.problems ?? {};
  const warning = opts.mustChange ? v.t('account.mustChange') : opts.mustEnrol ? v.t('account.mustEnrol') : '';
  return layout(v, {
    title: v.t('account.title'),
    active: 'account',
    flash: opts.error ? flash('error', opts.error) : opts.notice ? flash('ok', opts.notice) : warning ? flash('error', warning) : '',
    body: html`<section class="panel narrow">
      <h1>${v.t('account.title')}</h1>
      <dl class="facts">
        <dt>${v.t('account.username')}</dt><dd>${v.user?.username ?? ''}</dd>
        <dt>${v.t('account.roles')}</dt><dd>${(v.user?.roles ?? []).map((r) => v.t(`role.${r}` as MessageKey)).join(', ') || '—'}</dd>
        ${opts.pendingRoles.length ? html`<dt>${v.t('account.pendingRoles')}</dt><dd data-pending-roles>${opts.pendingRoles.map((r) => v.t(`role.${r}` as MessageKey)).join(', ')}</dd>` : ''}
        <dt>${v.t('account.lastLogin')}</dt><dd>${opts.lastLoginAt ? formatTime(v, opts.lastLoginAt) : '—'}</dd>
        <dt>${v.t('account.totp')}</dt><dd data-totp>${v.t(opts.totpEnrolled ? 'account.totpOn' : 'account.totpOff')}</dd>
      </dl>
      <h2>${v.t('account.change')}</h2>
      ${errorSummary(v.t('v.summary'), p, labels)}
      <form method="post" action="/account/password" novalidate>
        ${csrfField(v.csrf)}
        ${input({ name: 'current', label: labels.current, type: 'password', required: true, autocomplete: 'current-password', problems: p })}
        ${input({ name: 'password', label: labels.password, type: 'password', required: true, autocomplete: 'new-password', hint: v.t('account.newHint'), problems: p })}
        ${input({ name: 'confirm', label: labels.confirm, type: 'password', required: true, autocomplete: 'new-password', problems: p })}
        <button type="submit" class="primary">${v.t('account.save')}</button>
      </form>
      ${
        opts.mustChange || opts.totpEnrolled
          ? ''
          : html`<h2>${v.t('account.totpTitle')}</h2>
      ${
        opts.enrolment
          ? html`<p>${v.t('account.totpScan')}</p>
        <figure class="qr" data-totp-qr>${raw(opts.enrolment.svg)}<figcaption>${v.t('account.totpSecret')} <code data-totp-secret>${opts.enrolment.secret}</code></figcaption></figure>
        <form method="post" action="/account/totp/confirm" novalidate>
          ${csrfField(v.csrf)}
          ${input({ name: 'code', label: labels.code, required: true, autocomplete: 'one-time-code', problems: p })}
          <button type="submit" class="primary">${v.t('account.totpConfirm')}</button>
        </form>`
          : html`<p class="muted">${v.t('account.totpIntro')}</p>
        <form method="post" action="/account/totp/start">${csrfField(v.csrf)}<button type="submit">${v.t('account.totpStart')}</button></form>`
      }`
      }
      ${opts.mail ?? ''}
    </section>`,
  });
}
