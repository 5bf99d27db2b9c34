import type { GetRequestResponse, ReceiptInfo, TimelineEvent } from '../../../generated/enlace/v1/exchange.js';
import { directionCode, eventCode, statusCode } from '../../app/codes.js';
import { html, type Html, type Part } from '../html.js';
import { flash, layout } from '../layout.js';
import { formatTime, label, type View } from '../view.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** A timeline line in words: "Delivered to UY 14:02, signature verified". */
function eventLine(v: View, e: TimelineEvent, res: GetRequestResponse): Html {
  const r = res.request!;
  const code = eventCode(e.type);
  const other = directionCode(r.direction) === 'outbound' ? r.to.slice(0, 2) : r.from.slice(0, 2);
  const when = formatTime(v, e.at);
  const receipt = res.receipt;
  if (code === 'delivered' && receipt) {
    const verified = receipt.signatureVerified ? v.t('timeline.verified') : v.t('timeline.notVerified');
    return html`<strong>${v.t('timeline.deliveredTo', { country: receipt.signerCountry || other, time: when })}</strong>, <span class="${receipt.signatureVerified ? 'ok' : 'bad'}">${verified}</span>${receiptDetails(v, receipt)}`;
  }
  const text = label(v, 'event', code, { country: other, time: when });
  return html`<strong>${text}</strong>${e.detail ? html` <span class="detail">${e.detail}</span>` : ''}`;
}

function receiptDetails(v: View, r: ReceiptInfo): Html {
  return html`<details class="receipt"><summary>${v.t('receipt.show')}</summary><dl class="facts small">
    <dt>${v.t('receipt.id')}</dt><dd><code>${r.receiptEnvelopeId}</code></dd>
    <dt>${v.t('receipt.signer')}</dt><dd>${r.signerCountry} · <code>${r.signerKeyId}</code></dd>
    <dt>${v.t('receipt.outcome')}</dt><dd>${label(v, 'receipt', r.outcome)}${r.reasonCode ? ` (${r.reasonCode})` : ''}</dd>
    <dt>${v.t('receipt.received')}</dt><dd>${formatTime(v, r.receivedAt)}</dd>
    <dt>${v.t('receipt.sha')}</dt><dd><code class="wrap">${hex(r.envelopeSha256)}</code></dd>
  </dl></details>`;
}

/** JSON payloads as a definition list; anything else as its size and type. */
export function payloadView(v: View, payload: Uint8Array, type: string): Part {
  if (payload.byteLength === 0) return html`<p class="muted">${v.t('detail.noPayload')}</p>`;
  if (type === 'application/json') {
    try {
      const data = JSON.parse(new TextDecoder().decode(payload)) as unknown;
      return valueView(v, data);
    } catch {
      // shown as bytes below
    }
  }
  return html`<p class="muted">${v.t('detail.binary', { bytes: payload.byteLength, type })}</p>`;
}

function valueView(v: View, x: unknown): Part {
  if (Array.isArray(x)) return html`<ul class="plain">${x.map((i) => html`<li>${valueView(v, i)}</li>`)}</ul>`;
  if (x && typeof x === 'object') {
    return html`<dl class="facts">${Object.entries(x as Record<string, unknown>).map(([k, val]) => html`<dt>${label(v, 'field', k)}</dt><dd>${valueView(v, val)}</dd>`)}</dl>`;
  }
  if (typeof x === 'boolean') return x ? v.t('common.yes') : v.t('common.no');
  return String(x ?? '');
}

export function requestDetailPage(v: View, res: GetRequestResponse, opts: { actions?: Part; notice?: string; payload?: Part } = {}): string {
  const r = res.request!;
  const outbound = directionCode(r.direction) === 'outbound';
  const status = statusCode(r.status);
  const body = html`
  <p class="crumbs"><a href="${outbound ? '/outbox' : '/inbox'}">${v.t(outbound ? 'outbox.title' : 'inbox.title')}</a></p>
  <div class="page-head"><h1>${r.subject}</h1><span class="status big s-${status}" data-status="${status}" data-live-part="status">${label(v, 'status', status)}</span></div>
  <div class="columns">
    <section class="panel" aria-labelledby="h-facts">
      <h2 id="h-facts">${v.t('detail.facts')}</h2>
      <dl class="facts">
        <dt>${v.t('detail.kind')}</dt><dd>${label(v, 'kind', r.kind)}</dd>
        <dt>${v.t('detail.from')}</dt><dd>${r.from}</dd>
        <dt>${v.t('detail.to')}</dt><dd>${r.to}</dd>
        <dt>${v.t('detail.reference')}</dt><dd>${r.senderReference || '—'}</dd>
        <dt>${v.t('detail.created')}</dt><dd>${formatTime(v, r.createdAt)}</dd>
        <dt>${v.t('detail.id')}</dt><dd><code>${r.id}</code></dd>
        ${r.failureReason ? html`<dt>${v.t('detail.failure')}</dt><dd class="bad">${r.failureReason}</dd>` : ''}
      </dl>
      <h2>${v.t('detail.content')}</h2>
      ${opts.payload ?? payloadView(v, r.payload, r.payloadType)}
    </section>
    <section class="panel" aria-labelledby="h-timeline">
      <h2 id="h-timeline">${v.t('detail.timeline')}</h2>
      <ol class="timeline" id="timeline" data-request="${r.id}" data-live-part="timeline">
        ${res.timeline.map((e) => html`<li class="ev e-${eventCode(e.type)}"><time datetime="${new Date(Number(e.at)).toISOString()}">${formatTime(v, e.at)}</time> ${eventLine(v, e, res)}</li>`)}
      </ol>
      <div data-live-part="actions">${opts.actions ?? ''}</div>
    </section>
  </div>`;
  return layout(v, { title: r.subject, active: outbound ? 'outbox' : 'inbox', body, flash: opts.notice ? flash('ok', opts.notice) : '' });
}
