import type { NodeMembership } from '../../../generated/enlace/v1/directory.js';
import type { GetNodeInfoResponse, QuarantinedMessage } from '../../../generated/enlace/v1/node.js';
import { html, type Html } from '../html.js';
import { layout } from '../layout.js';
import { countryName, formatTime, label, type View } from '../view.js';

export function networkPage(v: View, opts: { info: GetNodeInfoResponse; members: NodeMembership[]; quarantine?: QuarantinedMessage[] }): string {
  const { info } = opts;
  const member = (c: string) => opts.members.find((m) => m.country === c);
  // Every node the registry knows (this one included), else the peers the node trusts.
  const rows = opts.members.length
    ? opts.members.map((m) => ({ country: m.country, status: m.status, validUntil: m.validUntil, keyIds: m.signingKeyIds }))
    : info.peers.map((p) => ({ country: p.country, status: p.status, validUntil: p.validUntil, keyIds: p.keyIds }));
  const body = html`
  <h1>${v.t('network.title')}</h1>
  <ul class="counts" aria-label="${v.t('network.summary')}">
    <li class="count"><span class="n" data-count="peers">${rows.length}</span> <span class="what">${v.t('network.nodes')}</span></li>
    <li class="count${info.pendingOutbox ? ' attention' : ''}"><span class="n" data-count="pending">${info.pendingOutbox}</span> <span class="what">${v.t('network.pending')}</span></li>
    ${opts.quarantine ? html`<li class="count${info.quarantined ? ' alarm' : ''}"><span class="n" data-count="quarantined">${info.quarantined}</span> <span class="what">${v.t('network.quarantined')}</span></li>` : ''}
  </ul>
  <section class="panel" aria-labelledby="h-this">
    <h2 id="h-this">${v.t('network.thisNode')}</h2>
    <dl class="facts">
      <dt>${v.t('network.country')}</dt><dd>${countryName(v, info.country)} (${info.country})</dd>
      <dt>${v.t('network.networkId')}</dt><dd><code data-technical>${info.networkId}</code></dd>
      <dt>${v.t('network.version')}</dt><dd>${info.version}</dd>
      <dt>${v.t('network.signingKey')}</dt><dd><code data-technical>${info.signingKeyId}</code></dd>
      <dt>${v.t('network.encryptionKey')}</dt><dd><code data-technical>${info.encryptionKeyId}</code></dd>
    </dl>
  </section>
  ${clocksPanel(v, info)}
  <section class="panel" aria-labelledby="h-peers">
    <h2 id="h-peers">${v.t('network.peers')}</h2>
    <table class="grid">
      <thead><tr><th scope="col">${v.t('network.country')}</th><th scope="col">${v.t('network.status')}</th><th scope="col">${v.t('network.validUntil')}</th><th scope="col">${v.t('network.contactPoints')}</th><th scope="col">${v.t('network.directoryLog')}</th><th scope="col">${v.t('network.keys')}</th></tr></thead>
      <tbody>${rows.map((p) => {
        const m = member(p.country);
        return html`<tr data-country="${p.country}"><th scope="row">${countryName(v, p.country)} (${p.country})${p.country === info.country ? html` <span class="badge">${v.t('network.thisNodeBadge')}</span>` : ''}</th>
          <td><span class="status n-${p.status}">${label(v, 'nodeStatus', p.status)}</span></td>
          <td>${formatTime(v, p.validUntil, 'date')}</td>
          <td>${m ? m.contactPoints : '—'}</td>
          <td>${m && Number(m.logSeq) ? `#${m.logSeq}` : '—'}</td>
          <td><code class="small" data-technical>${p.keyIds.map((k) => k.slice(0, 10) + '…').join(' ')}</code></td></tr>`;
      })}</tbody>
    </table>
  </section>
  ${
    opts.quarantine
      ? html`<section class="panel" aria-labelledby="h-quarantine">
    <h2 id="h-quarantine">${v.t('network.quarantineTitle')}</h2>
    ${
      opts.quarantine.length === 0
        ? html`<p class="empty">${v.t('network.quarantineEmpty')}</p>`
        : html`<table class="grid"><thead><tr><th scope="col">${v.t('network.received')}</th><th scope="col">${v.t('network.code')}</th><th scope="col">${v.t('network.from')}</th><th scope="col">${v.t('network.kind')}</th><th scope="col">${v.t('network.size')}</th></tr></thead>
      <tbody>${opts.quarantine.map((q) => html`<tr><td>${formatTime(v, q.receivedAt)}</td><td><code>${q.code}</code></td><td>${q.from}</td><td>${q.kind}</td><td>${q.size}</td></tr>`)}</tbody></table>`
    }
  </section>`
      : ''
  }`;
  return layout(v, { title: v.t('network.title'), active: 'network', body });
}

/** Measured clock offsets (GetNodeInfo.clock_offsets): this node against the broker, each peer against this node. */
function clocksPanel(v: View, info: GetNodeInfoResponse): Html {
  const threshold = Number(info.clockSkewThresholdMs);
  const seconds = (ms: number) => `${ms > 0 ? '+' : ''}${(ms / 1000).toFixed(1)} s`;
  return html`<section class="panel" aria-labelledby="h-clocks" data-clock-skewed="${info.clockSkewed ? 'yes' : 'no'}">
    <h2 id="h-clocks">${v.t('network.clocks')}</h2>
    ${info.clockSkewed ? html`<p class="alarm" role="alert">${v.t('network.clockSkewed', { minutes: Math.round(threshold / 60_000) })}</p>` : ''}
    ${
      info.clockOffsets.length === 0
        ? html`<p class="empty">${v.t('network.clockNotMeasured')}</p>`
        : html`<table class="grid"><thead><tr><th scope="col">${v.t('network.clockAgainst')}</th><th scope="col">${v.t('network.clockOffset')}</th><th scope="col">${v.t('network.clockMeasured')}</th></tr></thead>
      <tbody>${info.clockOffsets.map((c) => {
        const ms = Number(c.offsetMs);
        const what = c.source === 'broker' ? v.t('network.clockBroker') : v.t('network.clockPeer', { country: `${countryName(v, c.source)} (${c.source})` });
        return html`<tr data-clock="${c.source}" class="${Math.abs(ms) > threshold ? 'alarm' : ''}"><th scope="row">${what}</th><td data-offset-ms="${ms}">${seconds(ms)}</td><td>${formatTime(v, Number(c.measuredAt))}</td></tr>`;
      })}</tbody></table>`
    }
  </section>`;
}
