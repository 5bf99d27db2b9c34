import { GetNodeInfoRequest, ListQuarantineRequest, type GetNodeInfoResponse, type QuarantinedMessage } from '../../generated/enlace/v1/node.js';
import type { Principal } from '../../services/index.js';
import type { GatewayContext } from '../context.js';

export async function nodeInfo(ctx: GatewayContext, p: Principal): Promise<GetNodeInfoResponse> {
  return ctx.node.call(p, ctx.node.node, ctx.node.node.getNodeInfo, GetNodeInfoRequest.fromPartial({}));
}

export async function quarantine(ctx: GatewayContext, p: Principal, pageSize = 20): Promise<QuarantinedMessage[]> {
  return (await ctx.node.call(p, ctx.node.node, ctx.node.node.listQuarantine, ListQuarantineRequest.fromPartial({ pageSize }))).messages;
}

/** Countries this node can send to: active peers other than itself, sorted. */
export function destinations(info: GetNodeInfoResponse): string[] {
  return info.peers
    .filter((p) => p.country !== info.country && p.status === 'active')
    .map((p) => p.country)
    .sort();
}
