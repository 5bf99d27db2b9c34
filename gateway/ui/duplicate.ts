import type { Request } from '../../generated/enlace/v1/exchange.js';
import { html, type Html } from './html.js';
import { hasRole, SCREEN_ROLES, type View } from './view.js';

/**
 * "Duplicate": a new request started from this one (GET /compose?from=). What is copied is what
 * the node showed this person: the content for content roles (persons' identity only if they
 * tick it), the metadata for the others; the documents never.
 */
export function duplicatePanel(v: View, r: Request): Html | '' {
  if (!hasRole(v, SCREEN_ROLES.compose)) return '';
  const content = !!r.typed && !r.erased && !r.payloadRedacted;
  return html`<section class="panel" aria-labelledby="h-duplicate" data-duplicate>
    <h2 id="h-duplicate">${v.t('duplicate.title')}</h2>
    <form method="get" action="/compose">
      <input type="hidden" name="from" value="${r.id}">
      <p class="muted">${v.t(content ? 'duplicate.copied' : 'duplicate.copiedMetadata')}</p>
      ${content ? html`<p><label class="check" for="f-dup-persons"><input type="checkbox" id="f-dup-persons" name="persons" value="1"> ${v.t('duplicate.withPersons')}</label></p>` : ''}
      <div class="actions"><button type="submit" data-duplicate-start>${v.t('duplicate.start')}</button></div>
    </form>
  </section>`;
}
