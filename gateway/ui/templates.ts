import type { TemplateSummary } from '../db/drafts.js';
import { input } from './form.js';
import { html, type Html } from './html.js';
import { countryName, label, type View } from './view.js';

/** The person's templates on the compose page: start a request from one, or delete it. */
export function templatesPanel(v: View, templates: readonly TemplateSummary[]): Html {
  return html`<section class="panel" aria-labelledby="h-templates" data-templates>
    <h2 id="h-templates">${v.t('templates.title')}</h2>
    <p class="muted">${v.t('templates.intro')}</p>
    ${
      templates.length === 0
        ? html`<p class="empty">${v.t('templates.empty')}</p>`
        : html`<ul class="plain drafts">${templates.map(
            (t) => html`<li data-template="${t.id}">
        <strong>${t.name}</strong>${t.kind ? html` <span class="muted small">${label(v, 'kind', t.kind)}${t.toCountry ? html` → ${countryName(v, t.toCountry)}` : ''}</span>` : ''}
        <a href="/compose?template=${t.id}">${v.t('templates.use')}</a>
        <form method="post" action="/templates/${t.id}/delete" class="inline"><input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit" class="link danger" aria-label="${v.t('templates.delete')}: ${t.name}">${v.t('templates.delete')}</button></form>
      </li>`,
          )}</ul>`
    }
  </section>`;
}

/** Inside the compose form: its values as they are, saved under a name (POST /templates). */
export function saveAsTemplate(v: View, name: string): Html {
  return html`<fieldset class="save-template"><legend>${v.t('templates.save')}</legend>
    ${input({ name: 'templateName', label: v.t('templates.name'), value: name, hint: v.t('templates.nameHint'), attrs: html` maxlength="60"` })}
    <div class="actions"><button type="submit" formaction="/templates" formnovalidate data-save-template>${v.t('templates.save')}</button></div>
  </fieldset>`;
}
