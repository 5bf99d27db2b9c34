import { documentRules, formatBytes } from '../app/documents.js';
import { html, type Html } from './html.js';
import type { View } from './view.js';

/**
 * The documents of a request being sent: a plain file input (enough without JavaScript) in a
 * drop zone; the script (gateway/ui/static/app.js) adds the list with reorder and remove
 * buttons, checks each file with the node's rules given here, and shows the upload progress.
 * `problems`: the server's refusals, already in the user's language, all of them.
 */
export function documentsField(v: View, problems: readonly string[]): Html {
  const rules = documentRules();
  const accept = Object.entries(rules.types)
    .flatMap(([type, t]) => [type, ...t.ext.map((e) => `.${e}`)])
    .join(',');
  const messages = {
    type: v.t('docs.rule.type', { name: '{name}' }),
    extension: v.t('docs.rule.extension', { name: '{name}', ext: '{ext}', type: '{type}' }),
    name: v.t('docs.rule.name', { name: '{name}' }),
    empty: v.t('docs.rule.empty', { name: '{name}' }),
    count: v.t('docs.rule.count', { max: '{max}', count: '{count}' }),
    total: v.t('docs.rule.total', { size: '{size}', max: '{max}' }),
    up: v.t('docs.up'),
    down: v.t('docs.down'),
    remove: v.t('docs.remove'),
    none: v.t('docs.none'),
    sending: v.t('docs.sending', { percent: '{percent}' }),
    failed: v.t('docs.uploadFailed'),
  };
  return html`<section class="panel documents" aria-labelledby="h-docs" data-documents data-rules="${JSON.stringify(rules)}" data-messages="${JSON.stringify(messages)}">
    <h2 id="h-docs">${v.t('docs.title')}</h2>
    <p class="hint" id="documents-hint">${v.t('docs.hint', { count: rules.maxCount, size: formatBytes(v.lang, rules.maxBytes) })} ${v.t('docs.notInDraft')}</p>
    <div class="doc-problems" id="documents-error" tabindex="-1" role="alert" data-documents-problems${problems.length ? '' : html` hidden`}>
      <p>${v.t('docs.problems')}</p>
      <ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>
      ${problems.length ? html`<p>${v.t('docs.chooseAgain')}</p>` : ''}
    </div>
    <div class="dropzone" data-dropzone>
      <label for="f-documents">${v.t('docs.add')}</label>
      <input type="file" id="f-documents" name="documents" multiple accept="${accept}" aria-describedby="documents-hint documents-error">
      <span class="muted" data-drop-hint hidden>${v.t('docs.drop')}</span>
    </div>
    <h3 class="visually-hidden" id="h-doc-list" data-documents-heading hidden>${v.t('docs.list')}</h3>
    <ol class="doc-list" aria-labelledby="h-doc-list" data-documents-list hidden></ol>
    <div class="upload-progress" data-upload hidden>
      <progress max="100" value="0" aria-labelledby="upload-label"></progress>
      <span id="upload-label" aria-live="polite" data-upload-label></span>
    </div>
  </section>`;
}
