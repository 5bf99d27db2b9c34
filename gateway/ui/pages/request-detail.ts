import type { GetRequestResponse, ReceiptInfo, Request, Step, TimelineEvent } from '../../../generated/enlace/v1/exchange.js';
import { duplicatePanel } from '../duplicate.js';
import type { RequestKind } from '../../app/codes.js';
import { requiredAnswerFields } from '../../app/typed-compose.js';
import { PROVIDED_FORM, PROVIDED_PREFIX, RESPONSE_FORMS, RESPONSE_PREFIX } from '../../app/typed-forms.js';
import { typedFieldsets, typedView } from '../typed.js';
import type { Problems } from '../form.js';
import { directionCode, eventCode, statusCode } from '../../app/codes.js';
import { codeText, deadlineOf } from '../../app/lifecycle.js';
import { html, type Html, type Part } from '../html.js';
import { flash, layout } from '../layout.js';
import { subjectLine } from '../subject.js';
import { addressName, civilDate, countryName, formatTime, label, type View } from '../view.js';
import { eventWords, technicalDetail } from '../timeline.js';
import { protectionPanel } from './protection.js';
import { deadlineDetail } from '../deadline.js';
import { attachmentsPanel } from '../documents.js';
import { linksPanel, restrictionsBanner } from '../links.js';

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
    return html`<strong>${v.t('timeline.deliveredTo', { country: countryName(v, receipt.signerCountry || other), time: formatTime(v, e.at, 'time') })}</strong>, <span class="${receipt.signatureVerified ? 'ok' : 'bad'}">${verified}</span>${receiptDetails(v, receipt)}`;
  }
  const text = eventWords(v, e) ?? label(v, 'event', code, { country: countryName(v, other), time: when });
  return html`<strong>${text}</strong>${technicalDetail(v, e)}`;
}

/** One lifecycle step: who (country), what, the stage, whether it is on the shared timeline, its delivery, the note and the typed answer. */
function stepLine(v: View, st: Step): Html {
  const what =
    st.action === 'record_stage'
      ? `${v.t('detail.stage')}: ${codeText('extradition_stages', st.stage, v.lang)}${st.stageDate ? ` (${civilDate(v.lang, st.stageDate)})` : ''}`
      : label(v, 'action', st.action);
  const delivery = st.delivery ? label(v, 'step.delivery', st.delivery) : '';
  const state = st.state && st.state !== 'ordered' ? html` <span class="small ${st.state === 'declined' ? 'bad' : 'muted'}" data-state="${st.state}">${label(v, 'step.state', st.state)}</span>` : '';
  return html`<strong>${countryName(v, st.by)} · ${what}</strong>${state}${delivery ? html` <span class="small ${st.delivery === 'rejected' ? 'bad' : st.delivery === 'pending' ? 'muted' : 'ok'}" data-delivery="${st.delivery}">${delivery}</span>` : ''}
    ${st.note ? html`<blockquote class="note">${st.note}</blockquote>` : ''}
    ${st.response ? html`<div class="answer">${typedView(v.lang, st.response, true)}</div>` : ''}`;
}

function receiptDetails(v: View, r: ReceiptInfo): Html {
  return html`<details class="receipt"><summary>${v.t('receipt.show')}</summary><dl class="facts small">
    <dt>${v.t('receipt.id')}</dt><dd><code data-technical>${r.receiptEnvelopeId}</code></dd>
    <dt>${v.t('receipt.signer')}</dt><dd>${countryName(v, r.signerCountry)} · <code data-technical>${r.signerKeyId}</code></dd>
    <dt>${v.t('receipt.outcome')}</dt><dd>${label(v, 'receipt', r.outcome)}${r.reasonCode ? ` (${r.reasonCode})` : ''}</dd>
    <dt>${v.t('receipt.received')}</dt><dd>${formatTime(v, r.receivedAt)}</dd>
    <dt>${v.t('receipt.sha')}</dt><dd><code class="wrap" data-technical>${hex(r.envelopeSha256)}</code></dd>
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
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'bigint' ? String(x) : '';
}

export function requestDetailPage(
  v: View,
  res: GetRequestResponse,
  opts: { actions?: Part; notice?: string; error?: string; payload?: Part; now: number; related?: ReadonlyMap<string, Request> },
): string {
  const r = res.request!;
  const redactedNote = r.payloadRedacted ? html`<p class="redacted-note"><span class="redacted">■■■■</span> ${v.t('detail.redacted')}</p>` : '';
  const content = r.erased
    ? html`<p class="muted">${v.t('detail.erased')}</p>`
    : r.typed
      ? html`${redactedNote}${typedView(v.lang, r.typed, false)}`
      : r.payloadRedacted
        ? redactedNote
        : (opts.payload ?? payloadView(v, r.payload, r.payloadType));
  const attachments = attachmentsPanel(v, r.id, r.attachments, r.links?.handling ?? []);
  type Item = { at: number; html: Html; cls: string };
  const items: Item[] = [
    // Steps come structured (res.steps); their timeline lines would only repeat them in words.
    ...res.timeline.filter((e) => eventCode(e.type) !== 'transition').map((e) => ({ at: Number(e.at), cls: `e-${eventCode(e.type)}`, html: eventLine(v, e, res) })),
    ...res.steps.map((st) => ({ at: Number(st.at), cls: `e-step s-${st.status}`, html: stepLine(v, st) })),
  ].sort((a, b) => a.at - b.at);
  const outbound = directionCode(r.direction) === 'outbound';
  const status = statusCode(r.status);
  const body = html`
  <p class="crumbs"><a href="${outbound ? '/outbox' : '/inbox'}">${v.t(outbound ? 'outbox.title' : 'inbox.title')}</a></p>
  <div class="page-head"><h1>${subjectLine(v, r)}</h1><span class="status big s-${status}" data-status="${status}" data-live-part="status">${label(v, 'status', status)}</span></div>
  ${restrictionsBanner(v, r)}
  <p class="letter-link"><a href="/requests/${r.id}/letter.pdf" type="application/pdf" data-letter>${v.t('letter.link')}</a></p>
  <div class="columns">
    <section class="panel" aria-labelledby="h-facts">
      <h2 id="h-facts">${v.t('detail.facts')}</h2>
      <dl class="facts">
        <dt>${v.t('detail.kind')}</dt><dd>${label(v, 'kind', r.kind)}</dd>
        <dt>${v.t('detail.from')}</dt><dd>${addressName(v, r.from)}</dd>
        <dt>${v.t('detail.to')}</dt><dd>${addressName(v, r.to)}</dd>
        <dt>${v.t('detail.reference')}</dt><dd>${r.senderReference || '—'}</dd>
        <dt>${v.t('detail.side')}</dt><dd>${label(v, 'side', r.side)}</dd>
        <dt>${v.t('detail.urgency')}</dt><dd>${codeText('urgency', r.urgency || 'normal', v.lang)}</dd>
        <dt>${v.t('detail.deadline')}</dt><dd>${deadlineDetail(v, r, deadlineOf(r, opts.now))}</dd>
        ${r.stage ? html`<dt>${v.t('detail.stage')}</dt><dd data-stage="${r.stage}">${codeText('extradition_stages', r.stage, v.lang)}</dd>` : ''}
        <dt>${v.t('detail.created')}</dt><dd>${formatTime(v, r.createdAt)}</dd>
        <dt>${v.t('detail.id')}</dt><dd><code data-technical>${r.id}</code></dd>
        ${r.failureReason ? html`<dt>${v.t('detail.failure')}</dt><dd class="bad">${r.failureReason}</dd>` : ''}
      </dl>
      <h2>${v.t('detail.content')}</h2>
      ${content}
      ${attachments}
      ${protectionPanel(v, r)}
    </section>
    ${linksPanel(v, r, opts.related ?? new Map())}
    <section class="panel" aria-labelledby="h-timeline">
      <h2 id="h-timeline">${v.t('detail.timeline')}</h2>
      <ol class="timeline" id="timeline" data-request="${r.id}" data-live-part="timeline">
        ${items.map((it) => html`<li class="ev ${it.cls}"><time datetime="${new Date(it.at).toISOString()}">${formatTime(v, it.at)}</time> ${it.html}</li>`)}
      </ol>
      <div data-live-part="actions">${opts.actions ?? ''}</div>
    </section>
  </div>
  ${duplicatePanel(v, r)}`;
  return layout(v, { title: subjectLine(v, r), active: outbound ? 'outbox' : 'inbox', body, flash: opts.error ? flash('error', opts.error) : opts.notice ? flash('ok', opts.notice) : '' });
}

/** One form for the steps this node may take now (the node says which), with a shared note; extradition stages apart. */
export function actionsPanel(
  v: View,
  r: NonNullable<GetRequestResponse['request']>,
  csrf: string,
  stageOptions: readonly string[],
  answer: { values?: Record<string, unknown>; problems?: Problems } = {},
): Html {
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
    ${
      actions.some((a) => a === 'complete' || a === 'partially_execute' || a === 'refuse') && RESPONSE_FORMS[r.kind as RequestKind]
        ? html`<details class="answer-form"${answer.problems && Object.keys(answer.problems).length ? html` open` : ''}><summary>${v.t('answer.title')}</summary><p class="hint">${v.t('answer.hint')}</p>
      ${typedFieldsets(v, RESPONSE_FORMS[r.kind as RequestKind], RESPONSE_PREFIX, answer.values ?? {}, answer.problems ?? {}, requiredAnswerFields(r.kind as RequestKind), true)}</details>`
        : ''
    }
    ${
      actions.includes('provide_information')
        ? html`<details class="answer-form provided-form" open><summary>${v.t('provided.title')}</summary><p class="hint">${v.t('provided.hint')}</p>
      ${typedFieldsets(v, PROVIDED_FORM, PROVIDED_PREFIX, answer.values ?? {}, answer.problems ?? {})}</details>`
        : ''
    }
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
        <select id="f-stage" name="stage" required><option value="">${v.t('compose.choose')}</option>${stageOptions.map((st) => html`<option value="${st}">${codeText('extradition_stages', st, v.lang)}</option>`)}</select></div>
      <div class="field"><label for="f-stageDate">${v.t('actions.stageDate')}</label><input id="f-stageDate" name="stageDate" type="date" value="${today}"></div>
      <div class="field"><label for="f-stage-note">${v.t('actions.note')}</label><input id="f-stage-note" name="note" type="text"></div>
      <button type="submit" class="primary">${v.t('action.record_stage')}</button>
    </fieldset>
  </form>`
      : ''
  }`;
}

/** Steps that cannot be taken back ask first; the form re-posts what was typed, with the confirmation. */
export const CONFIRMED_ACTIONS = ['withdraw', 'refuse'] as const;

/** The extradition stages that end a request the same way, recorded with record_stage: asked first too. */
const CONFIRMED_STAGES: Record<string, (typeof CONFIRMED_ACTIONS)[number]> = { withdrawn: 'withdraw', refused: 'refuse' };

/** The confirmation a step needs before it is sent, if any: withdraw, refuse, or a stage that withdraws or refuses. */
export function confirmationOf(action: string, stage: string): (typeof CONFIRMED_ACTIONS)[number] | undefined {
  return CONFIRMED_ACTIONS.find((a) => a === action) ?? (action === 'record_stage' ? CONFIRMED_STAGES[stage] : undefined);
}

export function confirmPanel(v: View, r: NonNullable<GetRequestResponse['request']>, action: (typeof CONFIRMED_ACTIONS)[number], values: Record<string, unknown>): Html {
  const other = r.side === 'requesting' ? r.to.slice(0, 2) : r.from.slice(0, 2);
  const kept = Object.entries(values).filter(([k]) => k !== '_csrf' && k !== 'confirmed' && k !== 'action');
  const hidden = kept.flatMap(([k, x]) => (Array.isArray(x) ? x : [x]).map((one) => html`<input type="hidden" name="${k}" value="${String(one ?? '')}">`));
  return html`<section class="confirm" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text" data-confirm="${action}">
    <h2 id="confirm-title">${v.t(`confirm.${action}.title`)}</h2>
    <p id="confirm-text">${v.t(`confirm.${action}.text`, { country: countryName(v, other) })}</p>
    <form method="post" action="/requests/${r.id}/actions">
      <input type="hidden" name="_csrf" value="${v.csrf}">
      <input type="hidden" name="action" value="${values.action === 'record_stage' ? 'record_stage' : action}">
      <input type="hidden" name="confirmed" value="1">
      ${hidden}
      <button type="submit" class="danger" autofocus>${v.t(`confirm.${action}.yes`)}</button>
      <a class="button" href="/requests/${r.id}">${v.t('confirm.back')}</a>
    </form>
  </section>`;
}
