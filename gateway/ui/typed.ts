import { RequestPayload, ResponsePayload } from '../../generated/enlace/v1/requests.js';
import { codes, label as codeLabel } from '../../services/requests/codes.js';
import { REDACTED } from '../../services/requests/redact.js';
import { alternativesOf, isVictimBasis, plainPath, PROVIDED_FORM, REQUEST_FORMS, RESPONSE_FORMS, type TypedField } from '../app/typed-forms.js';
import type { RequestKind } from '../app/codes.js';
import { namedOptions } from '../app/world.js';
import { translateDynamic, type Lang } from '../i18n/index.js';
import { checkboxes, input, select, textarea, type Problems } from './form.js';
import { html, type Html, type Part } from './html.js';
import { civilDate } from './view.js';
import type { View } from './view.js';

const lastName = (path: string) =>
  path
    .split('.')
    .filter((p) => !/^(\d+|\*)$/.test(p))
    .at(-1)!;

/** Fields whose own name says too little ("code", "type") take their parent's label. */
const BY_PARENT: Record<string, string> = {
  'documents.type': 'document_type',
  'legal_bases.code': 'legal_bases',
  'refusal_grounds.code': 'refusal_grounds',
  'measures.code': 'measures',
  'sentences.type': 'sentences',
  'persons.role': 'role',
  'items.text': 'information_text',
  'answers.text': 'answer_text',
  'document_references.reference': 'document_reference',
  'document_references.date': 'document_date',
};

export function fieldLabel(lang: Lang, path: string): string {
  const parts = path.split('.').filter((p) => !/^(\d+|\*)$/.test(p));
  const name = BY_PARENT[parts.slice(-2).join('.')] ?? lastName(path);
  return translateDynamic(lang, `field.${name}`, name.replaceAll('_', ' '));
}

function groupLabel(lang: Lang, group: string): string {
  return translateDynamic(lang, `group.${group}`, group);
}

/** Several countries from the named list (a select that takes more than one). */
function countriesSelect(v: View, o: { name: string; label: string; values: string[]; problems: Problems; required: boolean }): Html {
  const problem = o.problems[o.name];
  const chosen = new Set(o.values.flatMap((x) => x.split(/[\s,;]+/)).map((x) => x.toUpperCase()));
  return html`<div class="field${problem ? ' invalid' : ''}">
    <label for="f-${o.name}">${o.label}${o.required ? html`<span class="req" aria-hidden="true"> *</span>` : ''}</label>
    <select id="f-${o.name}" name="${o.name}" multiple size="5"${problem ? html` aria-invalid="true"` : ''} aria-describedby="${o.name}-hint${problem ? html` ${o.name}-error` : ''}">
      ${namedOptions(v.lang, 'region').map((c) => html`<option value="${c.value}"${chosen.has(c.value) ? html` selected` : ''}>${c.label}</option>`)}
    </select>
    <p class="hint" id="${o.name}-hint">${v.t('typed.severalHint')}</p><p class="field-error" id="${o.name}-error" data-error-for="${o.name}"${problem ? '' : html` hidden`}>${problem ?? ''}</p>
  </div>`;
}

/**
 * The fields of one typed form, by section, named `prefix + path`; `required`: the fields the
 * node requires (marked). `optionalForm`: the whole form may be left empty (an answer), so the
 * marks are not the browser's own check, which would block every step sent without it.
 */
export function typedFieldsets(
  v: View,
  fields: readonly TypedField[],
  prefix: string,
  values: Record<string, unknown>,
  problems: Problems,
  required: ReadonlySet<string> = new Set(),
  optionalForm = false,
): Html {
  const groups = [...new Set(fields.map((f) => f.group))];
  const str = (name: string) => (typeof values[name] === 'string' ? values[name] : Array.isArray(values[name]) ? String((values[name] as string[]).at(-1)) : '');
  const arr = (name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : typeof values[name] === 'string' && values[name] ? [values[name]] : []);
  // A list offered with several entries (the answers to questions 1 and 2) numbers its labels, so no two fields read alike.
  const repeated = new Set(fields.map((f) => plainPath(f.path)).filter((p, i, all) => all.indexOf(p) !== i));
  const one = (f: TypedField): Html => {
    const name = prefix + f.path;
    const entry = repeated.has(plainPath(f.path)) ? /\.(\d+)\.[^.]+$/.exec(f.path)?.[1] : undefined;
    const lbl = fieldLabel(v.lang, f.path) + (entry === undefined ? '' : ` ${Number(entry) + 1}`);
    const either = alternativesOf(f.path).map((o) => fieldLabel(v.lang, o));
    const hints = [
      f.victim && f.group !== 'victim' ? v.t('typed.victimHint') : '',
      either.length ? v.t(isVictimBasis(f.path) ? 'typed.eitherVictim' : 'typed.either', { other: either.join(', ') }) : '',
    ].filter(Boolean);
    const hint = hints.length ? hints.join(' ') : undefined;
    const base = { name, label: lbl, value: str(name), problems, required: !optionalForm && required.has(name), marked: required.has(name), ...(hint ? { hint } : {}) };
    switch (f.kind) {
      case 'text':
        return input(base);
      case 'country':
        return select({ ...base, value: base.value.toUpperCase(), empty: v.t('compose.choose'), options: namedOptions(v.lang, 'region') });
      case 'language':
        return select({ ...base, empty: v.t('compose.choose'), options: namedOptions(v.lang, 'language') });
      case 'countries':
        return countriesSelect(v, { name, label: lbl, values: arr(name), problems, required: required.has(name) });
      case 'number':
        return input({ ...base, type: 'number', attrs: html` min="0" step="1"` });
      case 'date':
        return input({ ...base, type: 'date' });
      case 'textarea':
      case 'lines':
        return textarea({ ...base, rows: f.kind === 'lines' ? 3 : 4 });
      case 'bool':
        return html`<div class="field"><label class="check" for="f-${name}"><input type="checkbox" id="f-${name}" name="${name}"${str(name) === 'on' ? html` checked` : ''}${hint ? html` aria-describedby="${name}-hint"` : ''}> ${lbl}</label>${hint ? html`<p class="hint" id="${name}-hint">${hint}</p>` : ''}<p class="field-error" id="${name}-error" data-error-for="${name}"${problems[name] ? '' : html` hidden`}>${problems[name] ?? ''}</p></div>`;
      case 'code':
        return select({ ...base, empty: v.t('compose.choose'), options: codes(f.table!).map((c) => ({ value: c, label: codeLabel(f.table!, c, v.lang) })) });
      case 'codes':
        return checkboxes({ name, legend: lbl, values: arr(name), problems, required: required.has(name), options: codes(f.table!).map((c) => ({ value: c, label: codeLabel(f.table!, c, v.lang) })) });
      default: {
        const _exhaustive: never = f.kind;
        return _exhaustive;
      }
    }
  };
  return html`${groups.map(
    (g) =>
      html`<fieldset class="typed"><legend>${groupLabel(v.lang, g)}${g === 'victim' ? html` <span class="badge">${v.t('typed.victimBadge')}</span>` : ''}</legend>${g === 'victim' ? html`<p class="hint wide">${v.t('typed.victimHint')}</p>` : ''}${fields.filter((f) => f.group === g).map(one)}</fieldset>`,
  )}`;
}

/** Which code table a value belongs to, from the forms (by path without indices). */
function fieldOf(kind: string, path: string, response: boolean): TypedField | undefined {
  const forms = response ? RESPONSE_FORMS : REQUEST_FORMS;
  const fields = response && kind === 'provided_information' ? PROVIDED_FORM : (forms[kind as RequestKind] ?? []);
  return fields.find((f) => plainPath(f.path) === path);
}

/** A country or language code as its name in `lang`. */
function codeName(lang: Lang, type: 'region' | 'language', code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type, fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function valueView(lang: Lang, kind: string, path: string, x: unknown, response: boolean, yesNo: [string, string], redacted: string): Part {
  if (x === REDACTED) return html`<span class="redacted" title="${redacted}">■■■■</span> <span class="muted small">${redacted}</span>`;
  if (Array.isArray(x)) {
    if (x.every((i) => typeof i !== 'object')) return x.map((i) => render(i)).join(', ');
    return html`${x.map((i) => html`<div class="sub">${valueView(lang, kind, path, i, response, yesNo, redacted)}</div>`)}`;
  }
  // A photograph is shown as what it is, never as its bytes in base64 (they are case content all the same).
  if (path.endsWith('photo') && x && typeof x === 'object' && typeof (x as { data?: unknown }).data === 'string') {
    const bytes = Math.floor(((x as { data: string }).data.length * 3) / 4);
    return translateDynamic(lang, 'typed.photoAttached', 'photograph attached ({kb} KB)', { kb: String(Math.max(1, Math.round(bytes / 1024))) });
  }
  if (x && typeof x === 'object') {
    return html`<dl class="facts">${Object.entries(x as Record<string, unknown>)
      .filter(([, val]) => !(Array.isArray(val) && val.length === 0) && val !== '' && val !== false)
      .map(([k, val]) => {
        const p = path ? `${path}.${snake(k)}` : snake(k);
        const nested = (val !== null && typeof val === 'object' && !Array.isArray(val)) || (Array.isArray(val) && val.some((i) => i !== null && typeof i === 'object'));
        return nested
          ? html`<dt class="group">${fieldLabel(lang, p)}</dt><dd class="group">${valueView(lang, kind, p, val, response, yesNo, redacted)}</dd>`
          : html`<dt>${fieldLabel(lang, p)}</dt><dd>${valueView(lang, kind, p, val, response, yesNo, redacted)}</dd>`;
      })}</dl>`;
  }
  return render(x);

  function render(val: unknown): string {
    if (typeof val === 'boolean') return val ? yesNo[0] : yesNo[1];
    const field = fieldOf(kind, path, response);
    if (typeof val !== 'string' || !field) return String(val);
    if (field.table) return codeLabel(field.table, val, lang);
    if (field.kind === 'country' || field.kind === 'countries') return codeName(lang, 'region', val);
    if (field.kind === 'date') return civilDate(lang, val);
    return field.kind === 'language' ? codeName(lang, 'language', val) : val;
  }
}

/** A typed request or answer as labelled facts in `lang`: codes as their labels, victim data withheld shown as such. */
export function typedView(lang: Lang, payload: RequestPayload | ResponsePayload, response: boolean): Html {
  const json = (response ? ResponsePayload.toJSON(payload as ResponsePayload) : RequestPayload.toJSON(payload as RequestPayload)) as Record<string, unknown>;
  const kindKey = Object.keys(json).find((k) => k !== 'language');
  if (!kindKey) return html``;
  const kind = snake(kindKey);
  const yesNo: [string, string] = [translateDynamic(lang, 'common.yes', 'yes'), translateDynamic(lang, 'common.no', 'no')];
  return html`<div class="typed-view" lang="${lang}">${valueView(lang, kind, '', json[kindKey], response, yesNo, translateDynamic(lang, 'typed.redacted', 'withheld'))}</div>`;
}
