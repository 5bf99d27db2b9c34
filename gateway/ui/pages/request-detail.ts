import type { GetRequestResponse, ReceiptInfo, TimelineEvent } from '../../../generated/enlace/v1/exchange.js';
import { directionCode, eventCode, statusCode } from '../../app/codes.js';
import { codeText, deadlineOf, parseStep } from '../../app/lifecycle.js';
import { html, type Html, type Part } from '../html.js';
import { flash, layout } from '../layout.js';
import { formatTime, label, type View } from '../view.js';
import { deadlineCell } from './requests-list.js';

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
  if (code === 'transition') {
    const step = parseStep(e.detail);
    if (step) {
      const role = label(v, 'role', step.role);
      const what = step.action === 'record_stage' ? v.t('timeline.stage', { role, stage: codeText('extradition_stages', step.stage, v.lang) }) : v.t('timeline.step', { role, action: label(v, 'action', step.action) });
      return html`<strong>${what}</strong>${step.note ? html`<blockquote class="note">${step.note}</blockquote>` : ''}`;
    }
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

export function requestDetailPage(v: View, res: GetRequestResponse, opts: { actions?: Part; notice?: string; error?: string; payload?: Part; now: number }): string {
  const r = res.request!;
  const content = r.erased
    ? html`<p class="muted">${v.t('detail.erased')}</p>`
    : r.payloadRedacted
      ? html`<p class="redacted-note"><span class="redacted">■■■■</span> ${v.t('detail.redacted')}</p>`
      : (opts.payload ?? payloadView(v, r.payload, r.payloadType));
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
        <dt>${v.t('detail.side')}</dt><dd>${label(v, 'side', r.side)}</dd>
        <dt>${v.t('detail.urgency')}</dt><dd>${codeText('urgency', r.urgency || 'normal', v.lang)}</dd>
        <dt>${v.t('detail.deadline')}</dt><dd>${deadlineCell(v, r, deadlineOf(r, opts.now))}</dd>
        ${r.stage ? html`<dt>${v.t('detail.stage')}</dt><dd data-stage="${r.stage}">${codeText('extradition_stages', r.stage, v.lang)}</dd>` : ''}
        <dt>${v.t('detail.created')}</dt><dd>${formatTime(v, r.createdAt)}</dd>
        <dt>${v.t('detail.id')}</dt><dd><code>${r.id}</code></dd>
        ${r.failureReason ? html`<dt>${v.t('detail.failure')}</dt><dd class="bad">${r.failureReason}</dd>` : ''}
      </dl>
      <h2>${v.t('detail.content')}</h2>
      ${content}
    </section>
    <section class="panel" aria-labelledby="h-timeline">
      <h2 id="h-timeline">${v.t('detail.timeline')}</h2>
      <ol class="timeline" id="timeline" data-request="${r.id}" data-live-part="timeline">
        ${res.timeline.map((e) => html`<li class="ev e-${eventCode(e.type)}"><time datetime="${new Date(Number(e.at)).toISOString()}">${formatTime(v, e.at)}</time> ${eventLine(v, e, res)}</li>`)}
      </ol>
      <div data-live-part="actions">${opts.actions ?? ''}</div>
    </section>
  </div>`;
  return layout(v, { title: r.subject, active: outbound ? 'outbox' : 'inbox', body, flash: opts.error ? flash('error', opts.error) : opts.notice ? flash('ok', opts.notice) : '' });
}

/** One form for the steps this node may take now (the node says which), with a shared note; extradition stages apart. */
export function actionsPanel(v: View, r: NonNullable<GetRequestResponse['request']>, csrf: string, stageOptions: readonly string[]): Html {
  const actions = r.allowedActions.filter((a) => a !== 'record_stage');
  const canStage = r.allowedActions.includes('record_stage');
  if (actions.length === 0 && !canStage) return html`<h2>${v.t('actions.title')}</h2><p class="muted" data-actions="none">${v.t('actions.none')}</p>`;
  const today = new Date().toISOString().slice(0, 10);
  return html`<h2>${v.t('actions.title')}</h2>
  ${
    actions.length
      ? html`<form method="post" action="/requests/${r.id}/actions" class="actions-form">
    <input type="hidden" name="_csrf" value="${csrf}">
    <div class="field"><label for="f-note">${v.t('actions.note')}</label>
      <textarea id="f-note" name="note" rows="3" aria-describedby="note-hint"></textarea>
      <p class="hint" id="note-hint">${v.t('actions.noteHint')}</p></div>
    <div class="actions">${actions.map((a) => html`<button type="submit" name="action" value="${a}" class="${a === 'refuse' || a === 'withdraw' ? 'danger' : a === 'acknowledge' || a === 'complete' || a === 'provide_information' ? 'primary' : ''}">${label(v, 'action', a)}</button>`)}</div>
  </form>`
      : ''
  }
  ${
    canStage
      ? html`<form method="post" action="/requests/${r.id}/actions" class="stage-form">
    <input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="action" value="record_stage">
    <fieldset><legend>${v.t('actions.stageTitle')}</legend>
      <div class="field"><label for="f-stage">${v.t('actions.stage')}</label>
        <select id="f-stage" name="stage">${stageOptions.map((st) => html`<option value="${st}">${codeText('extradition_stages', st, v.lang)}</option>`)}</select></div>
      <div class="field"><label for="f-stageDate">${v.t('actions.stageDate')}</label><input id="f-stageDate" name="stageDate" type="date" value="${today}"></div>
      <div class="field"><label for="f-stage-note">${v.t('actions.note')}</label><input id="f-stage-note" name="note" type="text"></div>
      <button type="submit" class="primary">${v.t('action.record_stage')}</button>
    </fieldset>
  </form>`
      : ''
  }`;
}
