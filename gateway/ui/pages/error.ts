import { html } from '../html.js';
import { layout } from '../layout.js';
import type { View } from '../view.js';

export function errorPage(v: View, status: number, message: string): string {
  return layout(v, {
    title: v.t('error.title'),
    active: 'none',
    body: html`<section class="panel narrow"><h1>${v.t('error.title')}</h1>
      <p class="error-text" role="alert">${message}</p>
      <p class="muted">${v.t('error.status', { status })}</p>
      <p><a href="/">${v.t('error.home')}</a></p></section>`,
  });
}
