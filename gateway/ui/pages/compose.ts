import type { DirectoryEntry } from '../../../generated/enlace/v1/directory.js';
import { pickText } from '../../app/directory.js';
import { completeness, COMPOSE_FIELDS, type ComposeInput } from '../../app/compose.js';
import { REQUEST_KINDS } from '../../app/codes.js';
import { LANG_NAMES, translateDynamic, translator, type Lang } from '../../i18n/index.js';
import { csrfField, errorSummary, input, select, textarea, type Problems } from '../form.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { countryName, label, type MessageKey, type View } from '../view.js';

export type ComposeValues = Partial<Record<(typeof COMPOSE_FIELDS)[number] | 'idem', string>>;

export function fieldLabels(v: View): Record<string, string> {
  return Object.fromEntries(COMPOSE_FIELDS.map((f) => [f, v.t(`compose.${f}` as MessageKey)]));
}

function authorityOptions(v: View, candidates: DirectoryEntry[]): { value: string; label: string }[] {
  return candidates.map((c) => ({ value: c.contact!.id, label: `${pickText(c.contact!.authority, v.lang)}${c.contact!.roleTitle ? ` — ${c.contact!.roleTitle}` : ''}` }));
}

export function composePage(v: View, opts: { values: ComposeValues; destinations: string[]; candidates: DirectoryEntry[]; problems?: Problems; error?: string }): string {
  const p = opts.problems ?? {};
  const val = opts.values;
  const labels = fieldLabels(v);
  const body = html`
  <h1>${v.t('compose.title')}</h1>
  <p class="muted">${v.t('compose.intro')}</p>
  ${errorSummary(v.t('v.summary'), p, labels)}
  <form method="post" action="/compose" id="compose" class="compose" data-check="/api/v1/compose/check" data-resolve="/api/v1/directory/resolve" novalidate>
    ${csrfField(v.csrf)}
    <input type="hidden" name="idem" value="${val.idem ?? ''}">
    <fieldset><legend>${v.t('compose.where')}</legend>
      ${select({ name: 'kind', label: labels.kind!, value: val.kind ?? '', required: true, problems: p, empty: v.t('compose.choose'), options: REQUEST_KINDS.map((k) => ({ value: k, label: label(v, 'kind', k) })) })}
      ${select({ name: 'toCountry', label: labels.toCountry!, value: val.toCountry ?? '', required: true, problems: p, empty: v.t('compose.choose'), options: opts.destinations.map((c) => ({ value: c, label: countryName(v, c) })) })}
      ${select({ name: 'toAuthority', label: labels.toAuthority!, value: val.toAuthority ?? '', problems: p, hint: v.t('compose.toAuthorityHint'), empty: v.t('compose.automatic'), options: authorityOptions(v, opts.candidates) })}
    </fieldset>
    <fieldset><legend>${v.t('compose.what')}</legend>
      ${input({ name: 'subject', label: labels.subject!, value: val.subject ?? '', required: true, problems: p, hint: v.t('compose.subjectHint') })}
      ${input({ name: 'senderReference', label: labels.senderReference!, value: val.senderReference ?? '', problems: p })}
      ${textarea({ name: 'facts', label: labels.facts!, value: val.facts ?? '', required: true, problems: p, hint: v.t('compose.factsHint'), rows: 6 })}
      ${input({ name: 'person', label: labels.person!, value: val.person ?? '', problems: p, hint: v.t('compose.personHint') })}
      ${input({ name: 'legalBasis', label: labels.legalBasis!, value: val.legalBasis ?? '', problems: p })}
      ${input({ name: 'requestedBy', label: labels.requestedBy!, value: val.requestedBy ?? '', type: 'date', problems: p })}
    </fieldset>
    <div class="actions"><button type="submit" name="step" value="review" class="primary">${v.t('compose.review')}</button></div>
  </form>`;
  return layout(v, { title: v.t('compose.title'), active: 'compose', body, flash: opts.error ? flash('error', opts.error) : '' });
}

/** Labels of the request in the recipient's language: request type and field names; free text stays as written. */
function preview(lang: Lang, values: ComposeInput): Html {
  const t = translator(lang);
  const row = (key: MessageKey, value: string) => (value ? html`<dt>${t(key)}</dt><dd>${value}</dd>` : '');
  return html`<dl class="facts" lang="${lang}">
    ${row('compose.kind', translateDynamic(lang, `kind.${values.kind}`, values.kind))}
    ${row('compose.subject', values.subject)}
    ${row('compose.senderReference', values.senderReference)}
    ${row('compose.facts', values.facts)}
    ${row('compose.person', values.person)}
    ${row('compose.legalBasis', values.legalBasis)}
    ${row('compose.requestedBy', values.requestedBy)}
  </dl>`;
}

export function reviewPage(v: View, opts: { values: ComposeInput; authority?: DirectoryEntry; recipientLang: Lang; error?: string }): string {
  const val = opts.values;
  const checks = completeness(val, {});
  const missing = checks.filter((c) => c.required && !c.ok);
  const hidden = COMPOSE_FIELDS.map((f) => html`<input type="hidden" name="${f}" value="${val[f]}">`);
  const body = html`
  <h1>${v.t('review.title')}</h1>
  <section class="panel" aria-labelledby="h-check">
    <h2 id="h-check">${v.t('review.check')}</h2>
    <ul class="checklist">${checks.map(
      (c) => html`<li class="${c.ok ? 'ok' : c.required ? 'bad' : 'opt'}"><span aria-hidden="true">${c.ok ? '✓' : c.required ? '✗' : '–'}</span> ${v.t(`compose.${c.item}` as MessageKey)}: ${v.t(c.ok ? 'review.present' : c.required ? 'review.missing' : 'review.optional')}</li>`,
    )}</ul>
    <p>${v.t('review.destination', { country: val.toCountry, authority: opts.authority ? pickText(opts.authority.contact!.authority, v.lang) : v.t('compose.automatic') })}</p>
  </section>
  <section class="panel" aria-labelledby="h-preview">
    <h2 id="h-preview">${v.t('review.preview', { language: LANG_NAMES[opts.recipientLang] })}</h2>
    <p class="muted">${v.t('review.previewHint')}</p>
    ${preview(opts.recipientLang, val)}
  </section>
  <form method="post" action="/compose" class="actions">
    ${csrfField(v.csrf)}
    <input type="hidden" name="idem" value="${val.idem}">
    ${hidden}
    <button type="submit" name="step" value="edit">${v.t('review.edit')}</button>
    <button type="submit" name="step" value="send" class="primary"${missing.length ? html` disabled` : ''}>${v.t('review.send')}</button>
  </form>`;
  return layout(v, { title: v.t('review.title'), active: 'compose', body, flash: opts.error ? flash('error', opts.error) : '' });
}
