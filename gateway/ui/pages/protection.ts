import type { Request } from '../../../generated/enlace/v1/exchange.js';
import { statusCode } from '../../app/codes.js';
import { html, type Html } from '../html.js';
import { formatTime, hasRole, SCREEN_ROLES, type View } from '../view.js';
import type { MessageKey } from '../view.js';

/**
 * What became of the persons' data of a request, at this node and at the other state: a legal
 * hold, an erasure asked or answered, a victim's withdrawal of consent (docs/protocol.md §21).
 * Grounds are typed by people: roles without content access get "[redacted]" from the node.
 */
export function protectionPanel(v: View, r: Request): Html {
  const other = r.side === 'requesting' ? r.to.slice(0, 2) : r.from.slice(0, 2);
  const lines: string[] = [];
  // A ground is sealed with the case key: once the case is erased here it is gone too.
  const ground = (text: string) => text || v.t('protection.groundGone');
  if (r.legalHold) lines.push(v.t('protection.legalHold', { ground: r.legalHold }));
  if (r.peerErasure) lines.push(v.t(`protection.peerErasure.${r.peerErasure}` as MessageKey, { country: other, ground: ground(r.peerErasureReason) }));
  if (r.consentWithdrawal) {
    lines.push(v.t(`protection.consent.${r.consentWithdrawal}` as MessageKey, { date: formatTime(v, r.consentWithdrawnAt, 'date'), ground: ground(r.consentLegalGround) }));
  }
  if (r.peerConsent) lines.push(v.t(`protection.peerConsent.${r.peerConsent}` as MessageKey, { country: other, ground: ground(r.peerConsentReason) }));
  const form = canWithdraw(v, r) ? consentForm(v, r) : '';
  if (lines.length === 0 && !form) return html``;
  return html`<h2>${v.t('protection.title')}</h2>
    ${lines.length ? html`<ul class="plain protection" data-consent="${r.consentWithdrawal}" data-peer-consent="${r.peerConsent}">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : ''}
    ${form}`;
}

/** Recording a withdrawal is a decision on the case, for the roles that act on it, while something of the victim is left. */
function canWithdraw(v: View, r: Request): boolean {
  return hasRole(v, SCREEN_ROLES.act) && !r.erased && r.consentWithdrawal === '' && statusCode(r.status) !== 'submitted' && r.peerErasure === '';
}

function consentForm(v: View, r: Request): Html {
  return html`<details class="consent-form"><summary>${v.t('consent.withdraw')}</summary>
  <form method="post" action="/requests/${r.id}/consent">
    <input type="hidden" name="_csrf" value="${v.csrf}">
    <p class="hint">${v.t('consent.explain')}</p>
    <div class="field"><label for="f-ground">${v.t('consent.ground')}</label>
      <textarea id="f-ground" name="legalGround" rows="2" maxlength="500" aria-describedby="ground-hint"></textarea>
      <p class="hint" id="ground-hint">${v.t('consent.groundHint')}</p></div>
    <div class="field"><label><input type="checkbox" name="confirm" value="1" required> ${v.t('consent.confirm')}</label></div>
    <button type="submit" class="danger">${v.t('consent.submit')}</button>
  </form></details>`;
}
