import { attr, html, type Html, type Part } from './html.js';

/** Field problems by field name, already translated. */
export type Problems = Record<string, string>;

interface FieldOpts {
  name: string;
  label: string;
  value?: string;
  problems?: Problems;
  hint?: string;
  required?: boolean;
  /** Marked required without the browser's own check: needed once an optional form is filled in. */
  marked?: boolean;
  type?: string;
  autocomplete?: string;
  attrs?: Html;
}

function described(name: string, hint: string | undefined, problem: string | undefined): Html {
  const ids = [hint ? `${name}-hint` : '', problem ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function after(name: string, hint: string | undefined, problem: string | undefined): Html {
  return html`${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}<p class="field-error" id="${name}-error" data-error-for="${name}"${problem ? '' : html` hidden`}>${problem ?? ''}</p>`;
}

/** A labelled input with its hint and an error slot that the live validation fills. */
export function input(o: FieldOpts): Html {
  const problem = o.problems?.[o.name];
  return html`<div class="field${problem ? ' invalid' : ''}">
    <label for="f-${o.name}">${o.label}${o.required || o.marked ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    <input id="f-${o.name}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${attr('required', !!o.required)}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${problem ? html` aria-invalid="true"` : ''}${described(o.name, o.hint, problem)}${o.attrs ?? ''}>
    ${after(o.name, o.hint, problem)}
  </div>`;
}

export function textarea(o: FieldOpts & { rows?: number }): Html {
  const problem = o.problems?.[o.name];
  return html`<div class="field${problem ? ' invalid' : ''}">
    <label for="f-${o.name}">${o.label}${o.required || o.marked ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    <textarea id="f-${o.name}" name="${o.name}" rows="${o.rows ?? 5}"${attr('required', !!o.required)}${problem ? html` aria-invalid="true"` : ''}${described(o.name, o.hint, problem)}${o.attrs ?? ''}>${o.value ?? ''}</textarea>
    ${after(o.name, o.hint, problem)}
  </div>`;
}

export function select(o: FieldOpts & { options: { value: string; label: string }[]; empty?: string }): Html {
  const problem = o.problems?.[o.name];
  return html`<div class="field${problem ? ' invalid' : ''}">
    <label for="f-${o.name}">${o.label}${o.required || o.marked ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    <select id="f-${o.name}" name="${o.name}"${attr('required', !!o.required)}${problem ? html` aria-invalid="true"` : ''}${described(o.name, o.hint, problem)}${o.attrs ?? ''}>
      ${o.empty !== undefined ? html`<option value="">${o.empty}</option>` : ''}
      ${o.options.map((opt) => html`<option value="${opt.value}"${attr('selected', opt.value === o.value)}>${opt.label}</option>`)}
    </select>
    ${after(o.name, o.hint, problem)}
  </div>`;
}

export function checkboxes(o: { name: string; legend: string; options: { value: string; label: string }[]; values: string[]; problems?: Problems; required?: boolean; id?: string }): Html {
  const problem = o.problems?.[o.name];
  const id = o.id ?? o.name;
  return html`<fieldset class="field checks${problem ? ' invalid' : ''}"${problem ? html` aria-describedby="${id}-error"` : ''}>
    <legend>${o.legend}${o.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</legend>
    ${o.options.map(
      (opt, i) =>
        html`<label class="check" for="f-${id}-${i}"><input type="checkbox" id="f-${id}-${i}" name="${o.name}" value="${opt.value}"${attr('checked', o.values.includes(opt.value))}> ${opt.label}</label>`,
    )}
    ${after(id, undefined, problem)}
  </fieldset>`;
}

export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

export function errorSummary(title: string, problems: Problems, labels: Record<string, string>): Part {
  const entries = Object.entries(problems);
  if (entries.length === 0) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>${title}</h2><ul>${entries.map(([field, msg]) =>
    labels[field] ? html`<li><a href="#f-${field}">${labels[field]}: ${msg}</a></li>` : html`<li>${msg}</li>`,
  )}</ul></div>`;
}
