import type { AttachmentInfo } from '../../generated/enlace/v1/exchange.js';
import { MEDIA_TYPES } from '../../services/attachments/index.js';
import { documentRules, formatBytes } from '../app/documents.js';
import { html, type Html } from './html.js';
import { handlingLabel } from './links.js';
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
    <h3 class="doc-list-title" id="h-doc-list" data-documents-heading hidden>${v.t('docs.list')}</h3>
    <ol class="doc-list" aria-labelledby="h-doc-list" data-documents-list hidden></ol>
    <div class="upload-progress" data-upload hidden>
      <progress max="100" value="0" aria-labelledby="upload-label"></progress>
      <span id="upload-label" aria-live="polite" data-upload-label></span>
    </div>
  </section>`;
}

/** A document's type as people name it ("PDF"), whatever the node stored. */
export function documentType(mediaType: string): string {
  return (MEDIA_TYPES as Record<string, { label: string } | undefined>)[mediaType]?.label ?? mediaType;
}

/**
 * The documents of a request on its page: name, type, size and the SHA-256 this node computed
 * of the file in clear. A role that does not see contents gets no name, no hash and no link
 * (the node gives it none): it sees how many documents there are, of which type and size.
 */
export function attachmentsPanel(v: View, requestId: string, attachments: readonly AttachmentInfo[], handling: readonly string[] = []): Html | '' {
  if (!attachments.length) return '';
  const withheld = attachments.some((a) => !a.fileName);
  // A downloaded copy leaves the page: the request's use restrictions (§25.3) are said beside the links too.
  const restricted = handling.length > 0 && attachments.some((a) => a.fileName);
  return html`<section class="attachments" aria-labelledby="h-attachments">
    <h2 id="h-attachments">${v.t('detail.attachments')}</h2>
    ${withheld ? html`<p class="muted small" data-documents-withheld>${v.t('docs.withheld')}</p>` : ''}
    ${restricted ? html`<p class="notice" data-documents-restricted>${v.t('docs.restricted')} <strong>${handling.map((c) => handlingLabel(v, c)).join(' · ')}</strong></p>` : ''}
    <ol class="doc-files">${attachments.map((a) => {
      const meta = html`<span class="doc-meta">${documentType(a.mediaType)} · ${formatBytes(v.lang, a.size)}</span>`;
      const hash = a.sha256.byteLength
        ? html`<div class="doc-hash"><span class="small muted">${v.t('docs.sha')}</span> <code class="wrap" data-sha256>${Buffer.from(a.sha256).toString('hex')}</code></div>`
        : '';
      return a.fileName
        ? html`<li data-attachment="${a.id}"><a class="doc-name" href="/requests/${requestId}/attachments/${a.id}" download="${a.fileName}">${a.fileName}</a> ${meta}${hash}</li>`
        : html`<li data-attachment="${a.id}"><span class="doc-name"><span class="redacted">■■■■</span></span> ${meta}</li>`;
    })}</ol>
  </section>`;
}
