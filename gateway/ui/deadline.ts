import type { Deadline as DeadlineProto, Request } from '../../generated/enlace/v1/exchange.js';
import type { Deadline } from '../app/lifecycle.js';
import type { MessageKey } from '../i18n/index.js';
import { html, type Html } from './html.js';
import { countryName, formatTime, type View } from './view.js';

/**
 * Deadlines in words (issue 17): what is due, from whom, by when, and how much is left, as the
 * node computed them in the requested state's calendar (Request.deadline). The last day is a
 * calendar date of that state, shown as that date in every time zone.
 */

/** "8 Jun 2026" for a YYYY-MM-DD date, whatever the reader's time zone. */
export function formatDay(v: View, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(v.lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

function plural(v: View, base: string, n: number): string {
  const form = new Intl.PluralRules(v.lang).select(n) === 'one' ? 'one' : 'other';
  return v.t(`${base}.${form}` as MessageKey, { n });
}

/** "10 working days left", "last day today", "2 days overdue". */
export function timeLeft(v: View, d: DeadlineProto): string {
  if (d.paused) return v.t('deadline.pausedNow');
  const unit = d.counting === 'calendar_days' ? 'calendar' : 'working';
  if (d.daysLeft === 0) return v.t('deadline.lastDay');
  return d.daysLeft > 0 ? plural(v, `deadline.left.${unit}`, d.daysLeft) : plural(v, `deadline.late.${unit}`, -d.daysLeft);
}

/** The list cell: the last day, and what is left, highlighted when soon or overdue. */
export function deadlineCell(v: View, r: Request, d: Deadline): Html {
  if (d === 'none') return html`<span class="muted">—</span>`;
  const date = r.deadline ? formatDay(v, r.deadline.dueDate) : formatTime(v, r.dueAt, 'date');
  const left = r.deadline ? html` <span class="small" data-days-left="${r.deadline.daysLeft}">· ${timeLeft(v, r.deadline)}</span>` : '';
  if (d === 'overdue') return html`<span class="status overdue" data-deadline="overdue">${v.t('deadline.overdue', { date })}</span>${left}`;
  if (d === 'paused') return html`<span class="muted" data-deadline="paused">${v.t('deadline.paused', { date })}</span>`;
  return html`<span class="${d === 'soon' ? 'status s-information_requested' : ''}" data-deadline="${d}">${v.t('deadline.due', { date })}</span>${left}`;
}

/** The detail page's sentence: who must send what by when, what is left, and the counting rule. */
export function deadlineDetail(v: View, r: Request, d: Deadline): Html {
  const dl = r.deadline;
  if (!dl || d === 'none') return deadlineCell(v, r, d);
  const who = countryName(v, dl.from);
  const what = v.t(dl.what === 'formal_request' ? 'deadline.what.formal_request' : 'deadline.what.answer', { country: who, date: formatDay(v, dl.dueDate) });
  const rule =
    dl.counting === 'calendar_days'
      ? v.t('deadline.rule.calendar', { days: dl.days })
      : v.t('deadline.rule.working', { days: dl.days, country: countryName(v, dl.what === 'answer' ? dl.from : r.side === 'requesting' ? r.to.slice(0, 2) : r.from.slice(0, 2)) });
  return html`<span data-deadline="${d}" data-due-what="${dl.what}" data-due-from="${dl.from}"><strong>${what}</strong><br>${deadlineCell(v, r, d)}<br><span class="muted small" data-rule>${rule}</span></span>`;
}
