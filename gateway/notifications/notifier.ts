import { ListRequestsRequest, WatchRequestsRequest, type Request, type WatchRequestsResponse } from '../../generated/enlace/v1/exchange.js';
import type { Principal } from '../../services/index.js';
import { DUE_SOON_DAYS } from '../app/lifecycle.js';
import type { Logger } from '../logger.js';
import type { NodeClient } from '../node/client.js';
import type { Mailer } from './mailer.js';
import { notificationOfDeadline, notificationOfEvent } from './rules.js';
import type { NewNotification, NotificationStore } from './store.js';

/**
 * The gateway's own reader of the node: it needs no case content (notifications carry
 * metadata only), so it holds the read-only auditor role, and every list it makes is in the
 * node's audit log under this name.
 */
export const NOTIFIER_PRINCIPAL: Principal = { subject: 'gateway:notifications', roles: ['auditor'] };

const RECONNECT_MS = 5_000;
/** At most this many requests of each deadline state are looked at per scan (one node page). */
const SCAN_PAGE = 500;

export interface NotifierDeps {
  node: NodeClient;
  store: NotificationStore;
  mailer?: Mailer;
  country: string;
  logger: Logger;
  now: () => number;
  /** How often deadlines are looked at (due soon, overdue). */
  scanMs: number;
}

/**
 * Turns what happens at the node into notifications for the people who should act: it follows
 * WatchRequests from the last cursor it stored (events while the gateway was down are replayed
 * by the node's journal), and scans deadlines on a timer. `start` / `destroy`.
 */
export class Notifier {
  readonly #d: NotifierDeps;
  #cancel: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reconnect: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Settles when the watch stream is open (tests wait for it before making events). */
  readonly ready: Promise<void>;
  #resolveReady!: () => void;

  constructor(deps: NotifierDeps) {
    this.#d = deps;
    this.ready = new Promise((r) => (this.#resolveReady = r));
  }

  start(): void {
    void this.#watch();
    void this.scanDeadlines().catch((e: unknown) => this.#d.logger.info({ err: { message: (e as Error).message } }, 'deadline scan failed'));
    this.#timer = setInterval(() => void this.scanDeadlines().catch(() => undefined), this.#d.scanMs);
    this.#timer.unref();
  }

  async #watch(): Promise<void> {
    if (this.#stopped) return;
    const again = () => {
      this.#cancel = undefined;
      if (!this.#stopped) this.#reconnect = setTimeout(() => void this.#watch(), RECONNECT_MS);
    };
    try {
      const cancel = await this.#d.node.watch(NOTIFIER_PRINCIPAL, WatchRequestsRequest.fromPartial({ resumeAfter: this.#d.store.cursor() }), (e) => this.#onEvent(e), again);
      if (this.#stopped) return cancel();
      this.#cancel = cancel;
      this.#resolveReady();
    } catch (e) {
      this.#d.logger.info({ err: { message: (e as Error).message } }, 'notifications: the node is not reachable; trying again');
      again();
    }
  }

  #onEvent(e: WatchRequestsResponse): void {
    const n = notificationOfEvent(e);
    if (n) this.#record(n);
    if (e.cursor) this.#d.store.setCursor(e.cursor);
  }

  /** Records `n` (once) and mails the people who asked; false when it was recorded before. */
  #record(n: NewNotification): boolean {
    if (this.#d.store.record(n) === undefined) return false;
    const to = this.#d.mailer ? this.#d.store.mailRecipients(n.roles) : [];
    if (to.length) void this.#d.mailer!.send(n, to);
    return true;
  }

  /** Records due-soon and overdue notifications for the deadlines this state must meet; answers how many are new. */
  async scanDeadlines(): Promise<number> {
    const { node, country } = this.#d;
    const list = async (q: Partial<ListRequestsRequest>): Promise<Request[]> =>
      (await node.call(NOTIFIER_PRINCIPAL, node.exchange, node.exchange.listRequests, ListRequestsRequest.fromPartial({ ...q, pageSize: SCAN_PAGE }))).requests;
    const [soon, overdue] = await Promise.all([list({ dueWithinDays: DUE_SOON_DAYS }), list({ overdue: true })]);
    const now = this.#d.now();
    const found = [...soon.filter((r) => !r.overdue).map((r) => notificationOfDeadline(r, country, 'due_soon', now)), ...overdue.map((r) => notificationOfDeadline(r, country, 'overdue', now))];
    return found.filter((n) => n !== undefined && this.#record(n)).length;
  }

  destroy(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#reconnect);
    this.#cancel?.();
    this.#d.mailer?.close();
  }
}
