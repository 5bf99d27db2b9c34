import { csrfField, input, type Problems } from '../form.js';
import { html } from '../html.js';
import { flash, layout } from '../layout.js';
import type { View } from '../view.js';

export function loginPage(v: View, opts: { username?: string; next?: string; error?: string; problems?: Problems; notice?: string }): string {
  return layout(v, {
    title: v.t('login.title'),
    active: 'none',
    flash: opts.error ? flash('error', opts.error) : opts.notice ? flash('ok', opts.notice) : '',
    body: html`<section class="panel narrow login">
      <h1>${v.t('login.heading', { country: v.country })}</h1>
      <p class="muted">${v.t('login.intro')}</p>
      <form method="post" action="/login" novalidate>
        ${csrfField(v.csrf)}
        <input type="hidden" name="next" value="${opts.next ?? ''}">
        ${input({ name: 'username', label: v.t('login.username'), value: opts.username ?? '', required: true, autocomplete: 'username', ...(opts.problems ? { problems: opts.problems } : {}) })}
        ${input({ name: 'password', label: v.t('login.password'), type: 'password', required: true, autocomplete: 'current-password', ...(opts.problems ? { problems: opts.problems } : {}) })}
        <button type="submit" class="primary">${v.t('login.submit')}</button>
      </form>
    </section>`,
  });
}

/** The second step of a sign-in: the 6-digit code of the person's authenticator app. */
export function codePage(v: View, opts: { next?: string; error?: string; problems?: Problems }): string {
  return layout(v, {
    title: v.t('login.codeTitle'),
    active: 'none',
    flash: opts.error ? flash('error', opts.error) : '',
    body: html`<section class="panel narrow login">
      <h1>${v.t('login.codeTitle')}</h1>
      <p class="muted">${v.t('login.codeIntro')}</p>
      <form method="post" action="/login/code" novalidate>
        ${csrfField(v.csrf)}
        <input type="hidden" name="next" value="${opts.next ?? ''}">
        ${input({ name: 'code', label: v.t('login.code'), required: true, autocomplete: 'one-time-code', ...(opts.problems ? { problems: opts.problems } : {}) })}
        <button type="submit" class="primary">${v.t('login.codeSubmit')}</button>
      </form>
      <form method="post" action="/logout">${csrfField(v.csrf)}<button type="submit">${v.t('login.cancel')}</button></form>
    </section>`,
  });
}
