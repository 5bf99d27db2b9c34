import { HANDLING_CHOICES, SEVERAL_KINDS } from '../app/cases.js';
import { checkboxes, input, textarea, type Problems } from './form.js';
import { html, type Html } from './html.js';
import { handlingLabel } from './links.js';
import { countryName, type View } from './view.js';

type Values = Record<string, string | string[]>;

const str = (values: Values, k: string) => (typeof values[k] === 'string' ? values[k] : '');
const list = (values: Values, k: string) => (Array.isArray(values[k]) ? values[k] : typeof values[k] === 'string' && values[k] ? [values[k]] : []);

/** The compose fields that stay outside the typed part (it is redrawn when the type changes): the parent and the source passed on. */
export function linkHiddenFields(v: View, values: Values): Html {
  const parent = str(values, 'parent');
  const derived = str(values, 'derived');
  return html`<input type="hidden" name="parent" value="${parent}"><input type="hidden" name="derived" value="${derived}">
    ${parent ? html`<p class="notice" data-compose-parent>${v.t('compose.parentNote')} <a href="/requests/${parent}">${v.t('compose.parentLink')}</a></p>` : ''}
    ${derived ? html`<p class="notice" data-compose-derived>${v.t('compose.derivedNote')} <a href="/requests/${derived}">${v.t('compose.parentLink')}</a></p>` : ''}`;
}

/**
 * Case, use restrictions, further recipients and the override of a restriction (§25): a
 * fieldset of the typed part. Further recipients only for the types that may go to several
 * states; the override only when the request passes on information from another.
 */
export function caseFieldset(v: View, o: { values: Values; kind: string; destinations: string[]; problems: Problems }): Html {
  const { values, problems } = o;
  const first = str(values, 'toCountry');
  const several = SEVERAL_KINDS.includes(o.kind);
  return html`<fieldset data-case-fields><legend>${v.t('compose.links')}</legend>
    ${input({ name: 'caseReference', label: v.t('compose.caseReference'), value: str(values, 'caseReference'), problems, hint: v.t('compose.caseReferenceHint') })}
    ${input({ name: 'caseTitle', label: v.t('compose.caseTitle'), value: str(values, 'caseTitle'), problems, hint: v.t('compose.caseTitleHint') })}
    ${checkboxes({ name: 'handling', legend: v.t('compose.handling'), values: list(values, 'handling'), problems, options: HANDLING_CHOICES.map((c) => ({ value: c, label: handlingLabel(v, c) })) })}
    ${
      several
        ? html`${checkboxes({ name: 'alsoTo', legend: v.t('compose.alsoTo'), values: list(values, 'alsoTo'), problems, options: o.destinations.filter((c) => c !== first).map((c) => ({ value: c, label: countryName(v, c) })) })}
    <p class="hint">${v.t('compose.alsoToHint')}</p>`
        : ''
    }
    ${str(values, 'derived') ? textarea({ name: 'override', label: v.t('compose.override'), value: str(values, 'override'), problems, hint: v.t('compose.overrideHint'), rows: 3 }) : ''}
  </fieldset>`;
}

/** The review's lines for the same: case, restrictions, every recipient. */
export function caseReview(v: View, values: Values): Html {
  const handling = list(values, 'handling');
  const also = list(values, 'alsoTo');
  const to = [str(values, 'toCountry'), ...also].filter(Boolean);
  return html`<dl class="facts" data-review-links>
    ${str(values, 'caseReference') ? html`<dt>${v.t('compose.caseReference')}</dt><dd>${str(values, 'caseReference')}</dd>` : ''}
    ${handling.length ? html`<dt>${v.t('compose.handling')}</dt><dd>${handling.map((c) => handlingLabel(v, c)).join(' · ')}</dd>` : ''}
    ${also.length ? html`<dt>${v.t('review.recipients')}</dt><dd data-recipients>${to.map((c) => countryName(v, c)).join(', ')}</dd>` : ''}
  </dl>`;
}
