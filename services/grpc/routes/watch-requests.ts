import { Metadata } from '@grpc/grpc-js';
import type { ExchangeServiceServer, WatchRequestsRequest, WatchRequestsResponse } from '../../../generated/enlace/v1/exchange.js';
import type { ApiContext } from '../context.js';
import { requestToProto, timelineToProto } from '../convert.js';
import { PERMISSIONS, serverStream } from '../guard.js';
import { toStoreDirection } from '../validate.js';

export function watchRequestsRoute(ctx: ApiContext): Pick<ExchangeServiceServer, 'watchRequests'> {
  return {
    watchRequests: serverStream<WatchRequestsRequest, WatchRequestsResponse>(ctx, PERMISSIONS.readRequests, (call, principal) => {
      const direction = toStoreDirection(call.request.direction);
      const unsubscribe = ctx.exchange.events.subscribe((e) => {
        if (direction && e.request.direction !== direction) return;
        call.write({
          event: timelineToProto({ requestId: e.request.id, type: e.type, at: e.at, detail: e.detail }),
          request: requestToProto(e.request, { roles: principal.roles, now: ctx.exchange.clock.now() }),
          cursor: '',
        });
      });
      call.sendMetadata(new Metadata());
      return unsubscribe;
    }),
  };
}
