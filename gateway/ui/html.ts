/** Trusted markup: produced by `html` or `raw`, inserted without escaping. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESC[c]!);
}

function render(p: Part): string {
  if (p === null || p === undefined || p === false || p === true) return '';
  if (p instanceof Html) return p.value;
  if (Array.isArray(p)) return p.map(render).join('');
  return escape(String(p));
}

/**
 * HTML with every interpolated value escaped, except values that are already Html.
 *
 * @example html`<p title="${userText}">${t('inbox.title')}</p>`
 */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

export function raw(markup: string): Html {
  return new Html(markup);
}

/** `selected`/`checked`-style boolean attributes. */
export function attr(name: string, on: boolean): Html {
  return new Html(on ? ` ${name}` : '');
}
