import type { TimelineEvent } from '../../generated/enlace/v1/exchange.js';
import { codeText } from '../app/lifecycle.js';
import { translateDynamic } from '../i18n/index.js';
import { html, type Html } from './html.js';
import { addressName, countryName, label, type View } from './view.js';

/**
 * A timeline event in the reader's language, from its code and parameters (README, "Timeline
 * events"): countries by name, actions and stages by their labels; undefined for an event
 * without a code (written before codes existed), which the caller words from its type.
 */
export function eventWords(v: View, e: TimelineEvent): string | undefined {
  if (!e.code) return undefined;
  const p = e.params;
  const params = {
    country: p.country && p.authority ? addressName(v, `${p.country}/${p.authority}`) : p.country ? countryName(v, p.country) : '',
    action: p.action ? label(v, 'action', p.action) : '',
    stage: p.stage ? codeText('extradition_stages', p.stage, v.lang) : '',
  };
  const key =
    e.code === 'step' && p.stage && p.action === 'record_stage' ? 'timeline.code.stage' : e.code === 'delivered_to' && p.late === 'yes' ? 'timeline.code.delivered_late' : `timeline.code.${e.code}`;
  return translateDynamic(v.lang, key, translateDynamic(v.lang, 'timeline.code.other', 'event'), params);
}

/** What only an operator needs (the signing key's id, the node's own sentence), folded away and labelled. */
export function technicalDetail(v: View, e: TimelineEvent): Html | '' {
  const key = e.params.key_id;
  if (!key && (e.code || !e.detail)) return '';
  return html` <details class="technical small"><summary>${v.t('timeline.technical')}</summary><dl class="facts">${key ? html`<dt>${v.t('timeline.keyId')}</dt><dd><code class="wrap">${key}</code></dd>` : ''}${!e.code && e.detail ? html`<dt>${v.t('timeline.nodeNote')}</dt><dd lang="en">${e.detail}</dd>` : ''}</dl></details>`;
}
