import type { DirectoryEntry } from '../../../generated/enlace/v1/directory.js';
import type { TemplateSummary } from '../../db/drafts.js';
import { REQUEST_KINDS, type RequestKind } from '../../app/codes.js';
import type { ComposeInput } from '../../app/compose.js';
import { pickText } from '../../app/directory.js';
import { requiredFields, type TypedCheck } from '../../app/typed-compose.js';
import { REQUEST_FORMS, TYPED_PREFIX } from '../../app/typed-forms.js';
import { LANG_NAMES, translateDynamic, translator, type Lang } from '../../i18n/index.js';
import { caseFieldset, caseReview, linkHiddenFields } from '../case-fields.js';
import { documentsField } from '../documents.js';
import { csrfField, errorSummary, input, select, type Problems } from '../form.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { saveAsTemplate, templatesPanel } from '../templates.js';
import { fieldLabel, typedFieldsets, typedView } from '../typed.js';
import { countryName, label, type View } from '../view.js';

export type ComposeValues = Record<string, string | string[]>;

const str = (values: ComposeValues, k: string) => (typeof values[k] === 'string' ? values[k] : '');

function authorityOptions(v: View, candidates: DirectoryEntry[]): { value: string; label: string }[] {
  return candidates.map((c) => ({ value: c.contact!.id, label: `${pickText(c.contact!.authority, v.lang)}${c.contact!.roleTitle ? ` — ${c.contact!.roleTitle}` : ''}` }));
}

/** Labels of every field of the form by name, for the error summary. */
export function composeLabels(v: View, kind: RequestKind | undefined): Record<string, string> {
  const out: Record<string, string> = {
    kind: v.t('compose.kind'),
    toCountry: v.t('compose.toCountry'),
    toAuthority: v.t('compose.toAuthority'),
    subject: v.t('compose.subject'),
    senderReference: v.t('compose.senderReference'),
    caseReference: v.t('compose.caseReference'),
    caseTitle: v.t('compose.caseTitle'),
    override: v.t('compose.override'),
  };
  if (kind) for (const f of REQUEST_FORMS[kind]) out[TYPED_PREFIX + f.path] = fieldLabel(v.lang, f.path);
  return out;
}

/**
 * The compose wizard: type and destination first (the competent authority comes from the
 * directory), then the typed form of that request type; every field is checked as you type.
 */
export function composePage(
  v: View,
  o: { values: ComposeValues; destinations: string[]; candidates: DirectoryEntry[]; problems?: Problems; error?: string; notice?: string; templates?: readonly TemplateSummary[] },
): string {
  const p = o.problems ?? {};
  const val = o.values;
  const kindValue = str(val, 'kind');
  const kind = (REQUEST_KINDS as readonly string[]).includes(kindValue) ? (kindValue as RequestKind) : undefined;
  const labels = composeLabels(v, kind);
  const ready = !!kind;
  const body = html`
  <h1>${v.t('compose.title')}</h1>
  <p class="muted">${v.t(ready ? 'compose.intro' : 'compose.chooseFirst')}</p>
  ${errorSummary(v.t('v.summary'), p, labels)}
  <form method="post" action="/compose" id="compose" class="compose" data-check="/api/v1/compose/check" data-resolve="/api/v1/directory/resolve" data-autosave="/api/v1/drafts" novalidate>
    ${csrfField(v.csrf)}
    <input type="hidden" name="idem" value="${str(val, 'idem')}">
    <input type="hidden" name="draft" value="${str(val, 'draft')}">
    ${linkHiddenFields(v, val)}
    <p class="draft-status muted small" data-draft-status aria-live="polite" data-saved="${v.t('drafts.saved', { time: '{time}' })}" data-failed="${v.t('drafts.failed')}" data-signed-out="${v.t('drafts.signedOut')}" data-sign-in="${v.t('drafts.signInAgain')}" data-login="${str(val, 'draft') ? `/login?next=${encodeURIComponent(`/compose?draft=${str(val, 'draft')}`)}` : ''}">${str(val, 'draft') ? v.t('drafts.resumed') : ''}</p>
    <fieldset><legend>${v.t('compose.where')}</legend>
      ${select({ name: 'kind', label: labels.kind!, value: kindValue, required: true, problems: p, empty: v.t('compose.choose'), options: REQUEST_KINDS.map((k) => ({ value: k, label: label(v, 'kind', k) })), attrs: html` data-rerender="1"` })}
      ${select({ name: 'toCountry', label: labels.toCountry!, value: str(val, 'toCountry'), required: true, problems: p, empty: v.t('compose.choose'), options: o.destinations.map((c) => ({ value: c, label: countryName(v, c) })) })}
      ${select({ name: 'toAuthority', label: labels.toAuthority!, value: str(val, 'toAuthority'), problems: p, hint: v.t('compose.toAuthorityHint'), empty: v.t('compose.automatic'), options: authorityOptions(v, o.candidates) })}
      <div class="actions"><button type="submit" name="step" value="form" data-continue>${v.t('compose.continue')}</button></div>
    </fieldset>
    <div data-typed-part aria-live="polite">${
      kind
        ? html`<h2>${v.t('compose.formFor', { kind: label(v, 'kind', kind) })}</h2>
    <fieldset><legend>${v.t('compose.what')}</legend>
      ${input({ name: 'subject', label: labels.subject!, value: str(val, 'subject'), required: true, problems: p, hint: v.t('compose.subjectHint') })}
      ${input({ name: 'senderReference', label: labels.senderReference!, value: str(val, 'senderReference'), problems: p })}
    </fieldset>
    ${typedFieldsets(v, REQUEST_FORMS[kind], TYPED_PREFIX, val, p, requiredFields(kind))}
    ${caseFieldset(v, { values: val, kind, destinations: o.destinations, problems: p })}
    <div class="actions"><button type="submit" name="step" value="review" class="primary">${v.t('compose.review')}</button></div>`
        : ''
    }</div>
    ${o.templates ? saveAsTemplate(v, str(val, 'templateName')) : ''}
  </form>
  ${o.templates ? templatesPanel(v, o.templates) : ''}`;
  return layout(v, { title: v.t('compose.title'), active: 'compose', body, flash: o.error ? flash('error', o.error) : o.notice ? flash('ok', o.notice) : '' });
}

/** The request as the recipient reads it: kind, subject and every field labelled in their language; free text as written. */
function preview(lang: Lang, input: ComposeInput, typed: TypedCheck): Html {
  const t = translator(lang);
  return html`<dl class="facts" lang="${lang}">
    <dt>${t('compose.kind')}</dt><dd>${translateDynamic(lang, `kind.${input.kind}`, input.kind)}</dd>
    <dt>${t('compose.subject')}</dt><dd>${input.subject}</dd>
    ${input.senderReference ? html`<dt>${t('detail.reference')}</dt><dd>${input.senderReference}</dd>` : ''}
  </dl>${typedView(lang, typed.payload, false)}`;
}

function hiddenFields(values: ComposeValues): Html {
  return html`${Object.entries(values)
    .filter(([k]) => k !== '_csrf' && k !== 'step')
    .flatMap(([k, val]) => (Array.isArray(val) ? val : [val]).map((x) => html`<input type="hidden" name="${k}" value="${x}">`))}`;
}

/**
 * The last step: what the recipient will read, the documents to send with it, and the send.
 * The form is multipart/form-data so that the plain file input works without JavaScript;
 * `documentProblems` are the server's refusals of the documents, in the user's language.
 */
export function reviewPage(
  v: View,
  o: { values: ComposeValues; input: ComposeInput; typed: TypedCheck; authority?: DirectoryEntry; recipientLang: Lang; error?: string; documentProblems?: string[] },
): string {
  const required = o.typed.missing.filter((m) => m.required);
  const advised = o.typed.missing.filter((m) => !m.required);
  const what = (m: TypedCheck['missing'][number]) => fieldLabel(v.lang, m.path.replace(/\[\d+\]/g, ''));
  const body = html`
  <h1 tabindex="-1" data-focus>${v.t('review.title')}</h1>
  <section class="panel" aria-labelledby="h-check">
    <h2 id="h-check">${v.t('review.check')}</h2>
    <ul class="checklist">
      ${required.length === 0 ? html`<li class="ok"><span aria-hidden="true">✓</span> ${v.t('review.complete')}</li>` : ''}
      ${required.map((m) => html`<li class="bad" data-missing="${m.path}"><span aria-hidden="true">✗</span> ${v.t('review.required', { what: what(m) })}</li>`)}
      ${advised.map((m) => html`<li class="opt" data-advice="${m.path}"><span aria-hidden="true">–</span> ${v.t('review.recommended', { what: what(m) })}</li>`)}
    </ul>
    ${caseReview(v, o.values)}
    <p>${v.t('review.destination', { country: countryName(v, o.input.toCountry), authority: o.authority ? pickText(o.authority.contact!.authority, v.lang) : v.t('compose.automatic') })}</p>
  </section>
  <section class="panel" aria-labelledby="h-preview">
    <h2 id="h-preview">${v.t('review.preview', { language: LANG_NAMES[o.recipientLang] })}</h2>
    <p class="muted">${v.t('review.previewHint')}</p>
    ${preview(o.recipientLang, o.input, o.typed)}
  </section>
  <form method="post" action="/compose" enctype="multipart/form-data" data-upload-form>
    ${csrfField(v.csrf)}
    ${hiddenFields(o.values)}
    ${documentsField(v, o.documentProblems ?? [])}
    <div class="actions">
      <button type="submit" name="step" value="edit">${v.t('review.edit')}</button>
      <button type="submit" name="step" value="send" class="primary"${required.length ? html` disabled` : ''}>${v.t('review.send')}</button>
      ${required.length ? html`<span class="bad">${v.t('review.blocked')}</span>` : ''}
    </div>
  </form>`;
  return layout(v, { title: v.t('review.title'), active: 'compose', body, flash: o.error ? flash('error', o.error) : '' });
}
