import type { GetNodeInfoRequest, GetNodeInfoResponse, NodeServiceServer } from '../../../generated/enlace/v1/node.js';
import { currentKeySet } from '../../../keys/index.js';
import { outboxAndQuarantine } from '../../exchange/index.js';
import type { ApiContext } from '../context.js';
import { PERMISSIONS, unary } from '../guard.js';

export function getNodeInfoRoute(ctx: ApiContext): Pick<NodeServiceServer, 'getNodeInfo'> {
  return {
    getNodeInfo: unary<GetNodeInfoRequest, GetNodeInfoResponse>(ctx, PERMISSIONS.nodeInfo, async () => {
      const { trust, ring, country, networkId } = ctx.exchange;
      const current = currentKeySet(ring);
      return {
        country,
        networkId,
        signingKeyId: current.signing.kid,
        encryptionKeyId: current.encryption.kid,
        version: ctx.version,
        peers: trust
          .countries()
          .filter((c) => c !== country)
          .map((c) => {
            const d = trust.descriptor(c)!;
            return { country: c, status: d.status, keyIds: d.keys.map((k) => k.kid), validUntil: d.validUntil };
          }),
        ...outboxAndQuarantine(ctx.exchange),
        clockOffsets: ctx.exchange.clockHealth?.readings() ?? [],
        clockSkewThresholdMs: ctx.exchange.clockHealth?.thresholdMs ?? 0,
        clockSkewed: ctx.exchange.clockHealth?.skewed() ?? false,
      };
    }),
  };
}
