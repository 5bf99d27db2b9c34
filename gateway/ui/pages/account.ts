import { csrfField, errorSummary, input, type Problems } from '../form.js';
import { html } from '../html.js';
import { flash, layout } from '../layout.js';
import { formatTime, type MessageKey, type View } from '../view.js';

export function accountPage(v: View, opts: { mustChange: boolean; lastLoginAt: number | null; problems?: Problems; notice?: string; error?: string }): string {
  const labels = { current: v.t('account.current'), password: v.t('account.new'), confirm: v.t('account.confirm') };
  return layout(v, {
    title: v.t('account.title'),
    active: 'account',
    flash: opts.error ? flash('error', opts.error) : opts.notice ? flash('ok', opts.notice) : opts.mustChange ? flash('error', v.t('account.mustChange')) : '',
    body: html`<section class="panel narrow">
      <h1>${v.t('account.title')}</h1>
      <dl class="facts">
        <dt>${v.t('account.username')}</dt><dd>${v.user?.username ?? ''}</dd>
        <dt>${v.t('account.roles')}</dt><dd>${(v.user?.roles ?? []).map((r) => v.t(`role.${r}` as MessageKey)).join(', ')}</dd>
        <dt>${v.t('account.lastLogin')}</dt><dd>${opts.lastLoginAt ? formatTime(v, opts.lastLoginAt) : '—'}</dd>
      </dl>
      <h2>${v.t('account.change')}</h2>
      ${errorSummary(v.t('v.summary'), opts.problems ?? {}, labels)}
      <form method="post" action="/account/password" novalidate>
        ${csrfField(v.csrf)}
        ${input({ name: 'current', label: labels.current, type: 'password', required: true, autocomplete: 'current-password', ...(opts.problems ? { problems: opts.problems } : {}) })}
        ${input({ name: 'password', label: labels.password, type: 'password', required: true, autocomplete: 'new-password', hint: v.t('account.newHint'), ...(opts.problems ? { problems: opts.problems } : {}) })}
        ${input({ name: 'confirm', label: labels.confirm, type: 'password', required: true, autocomplete: 'new-password', ...(opts.problems ? { problems: opts.problems } : {}) })}
        <button type="submit" class="primary">${v.t('account.save')}</button>
      </form>
    </section>`,
  });
}
