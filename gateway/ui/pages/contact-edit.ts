import type { ThemeInfo } from '../../../generated/enlace/v1/directory.js';
import { REQUEST_KINDS } from '../../app/codes.js';
import { LANG_NAMES, LANGS } from '../../i18n/index.js';
import { checkboxes, csrfField, errorSummary, input, textarea, type Problems } from '../form.js';
import { html } from '../html.js';
import { flash, layout } from '../layout.js';
import { label, type View } from '../view.js';
import { themeLabel } from './directory.js';

type Values = Record<string, string | string[]>;

export function contactEditPage(v: View, o: { values: Values; themes: ThemeInfo[]; isNew: boolean; problems?: Problems; error?: string }): string {
  const p = o.problems ?? {};
  const s = (k: string) => (typeof o.values[k] === 'string' ? o.values[k] : '');
  const l = (k: string) => (Array.isArray(o.values[k]) ? o.values[k] : typeof o.values[k] === 'string' && o.values[k] ? [o.values[k]] : []);
  const labels: Record<string, string> = {
    id: v.t('dir.id'),
    authority_es: v.t('dir.authority'),
    themes: v.t('dir.themes'),
    languages: v.t('dir.languages'),
    email: v.t('dir.email'),
    phone: v.t('dir.phone'),
    timeZone: v.t('dir.timeZone'),
    close: v.t('dir.close'),
    validUntil: v.t('dir.validUntil'),
  };
  const days = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: String(d), label: new Intl.DateTimeFormat(v.lang, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d))) }));
  const body = html`
  <p class="crumbs"><a href="/directory">${v.t('dir.title')}</a></p>
  <h1>${v.t(o.isNew ? 'dir.new' : 'dir.edit')}</h1>
  ${errorSummary(v.t('v.summary'), p, labels)}
  <form method="post" action="/directory/save" novalidate class="compose">
    ${csrfField(v.csrf)}
    <input type="hidden" name="expectedVersion" value="${s('expectedVersion') || '0'}">
    ${o.isNew ? input({ name: 'id', label: labels.id!, value: s('id'), required: true, problems: p, hint: v.t('dir.idHint') }) : html`<input type="hidden" name="id" value="${s('id')}"><p><strong>${labels.id}:</strong> <code>${v.country}/${s('id')}</code></p>`}
    <fieldset><legend>${v.t('dir.authority')} <span class="req" aria-hidden="true">*</span></legend>
      <p class="hint">${v.t('dir.authorityHint')}</p>
      ${LANGS.map((lang) => input({ name: `authority_${lang}`, label: LANG_NAMES[lang], value: s(`authority_${lang}`), problems: p, attrs: html` lang="${lang}"` }))}
    </fieldset>
    <fieldset><legend>${v.t('dir.unit')}</legend>
      ${LANGS.map((lang) => input({ name: `unit_${lang}`, label: LANG_NAMES[lang], value: s(`unit_${lang}`), problems: p, attrs: html` lang="${lang}"` }))}
    </fieldset>
    ${checkboxes({ name: 'themes', legend: labels.themes!, values: l('themes'), required: true, problems: p, options: o.themes.map((t) => ({ value: t.code, label: themeLabel(o.themes, t.code, v.lang) })) })}
    ${checkboxes({ name: 'requestKinds', legend: v.t('dir.kinds'), values: l('requestKinds'), problems: p, options: REQUEST_KINDS.map((k) => ({ value: k, label: label(v, 'kind', k) })) })}
    ${checkboxes({ name: 'languages', legend: labels.languages!, values: l('languages'), required: true, problems: p, options: LANGS.map((lang) => ({ value: lang, label: LANG_NAMES[lang] })) })}
    <fieldset><legend>${v.t('dir.contact')}</legend>
      ${input({ name: 'roleTitle', label: v.t('dir.roleTitle'), value: s('roleTitle'), problems: p })}
      ${input({ name: 'person', label: v.t('dir.person'), value: s('person'), problems: p })}
      ${input({ name: 'email', label: labels.email!, value: s('email'), type: 'email', required: true, problems: p })}
      ${input({ name: 'phone', label: labels.phone!, value: s('phone'), type: 'tel', problems: p, hint: v.t('dir.phoneHint') })}
      ${input({ name: 'address', label: v.t('dir.address'), value: s('address'), problems: p })}
    </fieldset>
    <fieldset><legend>${v.t('dir.hours')}</legend>
      <label class="check" for="f-available247"><input type="checkbox" id="f-available247" name="available247"${s('available247') ? html` checked` : ''}> ${v.t('dir.h24')}</label>
      ${input({ name: 'timeZone', label: labels.timeZone!, value: s('timeZone'), required: true, problems: p, hint: v.t('dir.timeZoneHint') })}
      ${checkboxes({ name: 'days', legend: v.t('dir.days'), values: l('days'), problems: p, options: days })}
      ${input({ name: 'open', label: v.t('dir.open'), value: s('open'), type: 'time', problems: p })}
      ${input({ name: 'close', label: labels.close!, value: s('close'), type: 'time', problems: p })}
    </fieldset>
    <fieldset><legend>${v.t('dir.valid')}</legend>
      ${input({ name: 'validFrom', label: v.t('dir.validFrom'), value: s('validFrom'), type: 'date', problems: p })}
      ${input({ name: 'validUntil', label: labels.validUntil!, value: s('validUntil'), type: 'date', problems: p })}
      ${input({ name: 'lastVerified', label: v.t('dir.verified'), value: s('lastVerified'), type: 'date', problems: p })}
    </fieldset>
    ${textarea({ name: 'notes', label: v.t('dir.notes'), value: s('notes'), problems: p, rows: 3 })}
    <div class="actions"><button type="submit" class="primary">${v.t('dir.save')}</button> <a href="/directory">${v.t('dir.cancel')}</a></div>
  </form>
  ${
    o.isNew
      ? ''
      : html`<form method="post" action="/directory/${v.country}/${s('id')}/retire" class="panel">
    ${csrfField(v.csrf)}
    <h2>${v.t('dir.retire')}</h2>
    ${input({ name: 'reason', label: v.t('dir.retireReason'), value: '', problems: p })}
    <button type="submit" class="danger">${v.t('dir.retire')}</button>
  </form>`
  }`;
  return layout(v, { title: v.t(o.isNew ? 'dir.new' : 'dir.edit'), active: 'directory', body, flash: o.error ? flash('error', o.error) : '' });
}
