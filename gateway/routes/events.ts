import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WatchRequestsRequest, type WatchRequestsResponse } from '../../generated/enlace/v1/exchange.js';
import { directionCode, eventCode, statusCode } from '../app/codes.js';
import { principalOf, type GatewayContext } from '../context.js';
import type { User } from '../db/users.js';
import { translator, type Translate } from '../i18n/index.js';
import { subjectLine } from '../ui/subject.js';
import { countryName, label, SCREEN_ROLES, type View } from '../ui/view.js';
import { requireUser, viewOf } from '../web.js';

const HEARTBEAT_MS = 15_000;
/** Idle and absolute session limits are checked this often; ending a session closes the stream at once. */
const RECHECK_MS = 5_000;

/**
 * Server-sent events: the gateway follows the node's WatchRequests with the person's own
 * token and forwards each event, already worded in their language. The stream ends when the
 * browser leaves, the node stream ends, or any session of the person ends (logout, password
 * change or reset, role change, disabling: at once; idle or expired: within seconds).
 */
export function eventRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.get('/events', (req, reply) => eventStream(ctx, req, reply));
}

/** An open event stream: what the handler writes to it and how it ends. */
interface Live {
  send: (event: string, data: unknown) => void;
  close: () => void;
  isClosed: () => boolean;
  /** The node's stream, ended with this one. */
  onClose: (cancel: () => void) => void;
}

async function eventStream(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const user = requireUser(req, SCREEN_ROLES.requests);
  const v = viewOf(ctx, req);
  const t = translator(v.lang);
  const live = openLive(ctx, req, reply, user, t);
  const onEvent = (e: WatchRequestsResponse) => {
    const message = requestMessage(v, t, e);
    if (message) live.send('request', message);
  };
  try {
    const cancel = await ctx.node.watch(principalOf(user), WatchRequestsRequest.fromPartial({}), onEvent, (err) => {
      if (err && !live.isClosed()) {
        req.log.info({ err: { code: err.code, message: err.message, detail: (err.cause as { details?: string } | undefined)?.details } }, 'event stream from the node ended');
        live.send('problem', { text: t('live.lost') });
      }
      live.close();
    });
    live.onClose(cancel);
    if (live.isClosed()) cancel();
    else live.send('ready', { text: t('live.connected') });
  } catch {
    live.send('problem', { text: t('live.lost') });
    live.close();
  }
}

/** Takes the response over as a stream, with its heartbeat, and ends it when the browser leaves or a session of the person ends. */
function openLive(ctx: GatewayContext, req: FastifyRequest, reply: FastifyReply, user: User, t: Translate): Live {
  const session = req.enlace.session!;
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  const send = (event: string, data: unknown) => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

  let closed = false;
  let cancel: (() => void) | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(recheck);
    unsubscribe();
    unnotify();
    cancel?.();
    res.end();
  };
  const ended = () => {
    if (closed) return;
    send('ended', { text: t('live.ended') });
    close();
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const unsubscribe = ctx.sessions.onEnded(user.id, ended);
  // The bell follows the person's notifications (gateway/notifications), counted for them.
  const unnotify = ctx.notifications.onRecorded((n) => {
    if (n.roles.some((r) => user.roles.includes(r))) send('notification', { unread: ctx.notifications.unreadCount(user), kind: n.kind, text: t('notify.live', { what: t(`notify.kind.${n.kind}`) }) });
  });
  const recheck = setInterval(() => {
    if (!ctx.sessions.isLive(session.idHash, ctx.now())) ended();
  }, RECHECK_MS);
  req.raw.on('close', close);
  return {
    send,
    close,
    isClosed: () => closed,
    onClose: (c) => {
      cancel = c;
    },
  };
}

/** A request event as the page shows it, worded in the person's language; nothing for an event without its request. */
function requestMessage(v: View, t: Translate, e: WatchRequestsResponse) {
  const r = e.request;
  if (!r || !e.event) return undefined;
  const direction = directionCode(r.direction);
  const type = eventCode(e.event.type);
  const other = direction === 'inbound' ? r.from : r.to;
  const subject = subjectLine(v, r);
  return {
    id: r.id,
    type,
    direction,
    status: statusCode(r.status),
    statusLabel: label(v, 'status', statusCode(r.status)),
    subject,
    counterpart: other,
    at: Number(e.event.at),
    text:
      type === 'received'
        ? t('live.received', { country: countryName(v, other.slice(0, 2)), subject })
        : t('live.event', { event: label(v, 'event', type, { country: countryName(v, other.slice(0, 2)), time: '' }).trim(), subject }),
  };
}
