import type { AuditEntry } from '../../../generated/enlace/v1/node.js';
import type { AccountAuditRow } from '../../db/audit.js';
import type { RoleGrant } from '../../db/grants.js';
import { ACCOUNT_ACTIONS } from '../../db/audit.js';
import { USER_ROLES } from '../../db/users.js';
import { AUDIT_ACTIONS } from '../../../services/vocabulary.js';
import { statsDetail, STATS_ACTIONS } from '../audit-stats.js';
import { input, select } from '../form.js';
import { html, type Html } from '../html.js';
import { flash, layout } from '../layout.js';
import { countryName, formatTime, label, type MessageKey, type View } from '../view.js';

export interface AuditPageOpts {
  q: { person?: string | undefined; action?: string | undefined; requestId?: string | undefined; from?: string | undefined; to?: string | undefined };
  /** Absent when the node did not answer. */
  node?: { entries: AuditEntry[]; chainIntact: boolean; total: number; older?: number };
  accounts: AccountAuditRow[];
  grants: RoleGrant[];
}

/** Role codes in a detail ("focal_point -> focal_point,auditor") as the reader's words. */
function roleWords(v: View, detail: string): string {
  return detail.replace(/[a-z_]+/g, (w) => ((USER_ROLES as readonly string[]).includes(w) ? v.t(`role.${w}` as MessageKey) : w));
}

/** An entry's action in the reader's words; the code beside it, as the CSV export and the filter know it. */
function actionCell(v: View, action: string): Html {
  return html`<span data-action="${action}">${label(v, 'audit.code', action)}</span> <code class="muted small">${action}</code>`;
}

/** The field classes a read returned ("identity,metadata"), in the reader's words. */
function fieldWords(v: View, fields: string): string {
  const words = fields
    .split(',')
    .filter(Boolean)
    .map((f) => label(v, 'audit.fieldClass', f));
  return words.length ? words.join(', ') : '—';
}

/** The actions one can filter on: the node's, then the gateway's account actions. */
function actionFilter(v: View, value: string): Html {
  const options = [...AUDIT_ACTIONS.map((a) => ({ value: a, label: label(v, 'audit.code', a) })), ...ACCOUNT_ACTIONS.map((a) => ({ value: a, label: label(v, 'acct', a) }))];
  return select({ name: 'action', label: v.t('audit.action'), value, options, empty: v.t('audit.anyAction') });
}

function queryString(q: AuditPageOpts['q'], extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, val] of Object.entries({ ...q, ...extra })) if (val) p.set(k, String(val));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function auditPage(v: View, o: AuditPageOpts): string {
  const q = o.q;
  const t = (k: string) => v.t(k as MessageKey);
  const chain = o.node
    ? o.node.chainIntact
      ? html`<p class="verdict ok" data-chain="intact">${v.t('audit.chainOk', { total: o.node.total })}</p>`
      : html`<p class="verdict bad" role="alert" data-chain="broken">${v.t('audit.chainBroken')}</p>`
    : '';
  const body = html`<h1>${v.t('audit.title', { country: countryName(v, v.country) })}</h1>
  <form method="get" action="/audit" class="panel filters" role="search">
    ${input({ name: 'person', label: v.t('audit.person'), value: q.person ?? '' })}
    ${actionFilter(v, q.action ?? '')}
    ${input({ name: 'requestId', label: v.t('audit.requestId'), value: q.requestId ?? '' })}
    ${input({ name: 'from', label: v.t('audit.from'), value: q.from ?? '', type: 'date' })}
    ${input({ name: 'to', label: v.t('audit.to'), value: q.to ?? '', type: 'date' })}
    <button type="submit">${v.t('audit.filter')}</button>
  </form>
  <section class="panel" aria-labelledby="h-node">
    <h2 id="h-node">${v.t('audit.nodeLog')}</h2>
    ${chain}
    <p><a href="/audit/node.csv${queryString(q)}" download>${v.t('audit.csv')}</a></p>
    ${
      !o.node
        ? html`<p class="verdict bad">${v.t('audit.nodeUnavailable')}</p>`
        : o.node.entries.length === 0
          ? html`<p>${v.t('audit.none')}</p>`
          : html`<table class="grid audit" data-audit="node"><thead><tr><th scope="col">${v.t('audit.at')}</th><th scope="col">${v.t('audit.actor')}</th><th scope="col">${v.t('audit.roles')}</th><th scope="col">${v.t('audit.action')}</th><th scope="col">${v.t('audit.request')}</th><th scope="col">${v.t('audit.fields')}</th><th scope="col">${v.t('audit.detail')}</th></tr></thead>
      <tbody>${o.node.entries.map(
        (e) =>
          html`<tr data-seq="${String(e.seq)}"><td>${formatTime(v, Number(e.at))}</td><td>${e.actor}</td><td>${e.roles
            .split(',')
            .filter(Boolean)
            .map((r) => label(v, 'role', r))
            .join(
              ', ',
            )}</td><td>${actionCell(v, e.action)}</td><td>${e.requestId ? html`<a href="/requests/${e.requestId}"><code data-technical>${e.requestId}</code></a>` : '—'}</td><td>${fieldWords(v, e.fields)}</td><td>${STATS_ACTIONS.includes(e.action) ? statsDetail(v, e.detail) : '—'}</td></tr>`,
      )}</tbody></table>
      ${o.node.older ? html`<p><a href="/audit${queryString(q, { before: String(o.node.older) })}">${v.t('audit.older')}</a></p>` : ''}`
    }
  </section>
  <section class="panel" aria-labelledby="h-grants">
    <h2 id="h-grants">${v.t('audit.grants')}</h2>
    ${
      o.grants.length === 0
        ? html`<p>${v.t('audit.none')}</p>`
        : html`<table class="grid" data-audit="grants"><thead><tr><th scope="col">${v.t('grants.person')}</th><th scope="col">${v.t('grants.role')}</th><th scope="col">${v.t('grants.askedBy')}</th><th scope="col">${v.t('grants.askedAt')}</th><th scope="col">${v.t('audit.decision')}</th><th scope="col">${v.t('audit.decidedBy')}</th></tr></thead>
      <tbody>${o.grants.map(
        (g) =>
          html`<tr data-grant="${g.id}"><td>${g.username}</td><td>${t(`role.${g.role}`)}</td><td>${g.requestedBy}</td><td>${formatTime(v, g.requestedAt)}</td><td>${t(`grants.decision.${g.decision ?? 'pending'}`)}</td><td>${g.decidedBy ?? '—'}${g.decidedAt ? html` · ${formatTime(v, g.decidedAt)}` : ''}</td></tr>`,
      )}</tbody></table>`
    }
  </section>
  <section class="panel" aria-labelledby="h-accounts">
    <h2 id="h-accounts">${v.t('audit.accounts')}</h2>
    <p class="muted">${v.t('audit.accountsNoChain')}</p>
    <p><a href="/audit/accounts.csv${queryString(q)}" download>${v.t('audit.csv')}</a></p>
    ${
      o.accounts.length === 0
        ? html`<p>${v.t('audit.none')}</p>`
        : html`<table class="grid" data-audit="accounts"><thead><tr><th scope="col">${v.t('audit.at')}</th><th scope="col">${v.t('audit.actor')}</th><th scope="col">${v.t('audit.action')}</th><th scope="col">${v.t('audit.target')}</th><th scope="col">${v.t('audit.detail')}</th></tr></thead>
      <tbody>${o.accounts.map(
        (r) => html`<tr data-acct="${r.action}"><td>${formatTime(v, r.at)}</td><td>${r.actor}</td><td>${t(`acct.${r.action}`)}</td><td>${r.target}</td><td>${roleWords(v, r.detail)}</td></tr>`,
      )}</tbody></table>`
    }
  </section>
  <p class="muted"><a href="/network">${v.t('audit.quarantine')}</a></p>`;
  return layout(v, { title: v.t('audit.title', { country: countryName(v, v.country) }), active: 'audit', body, flash: o.node?.chainIntact === false ? flash('error', v.t('audit.chainBroken')) : '' });
}
