import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DirectoryServiceService } from '../../generated/enlace/v1/directory.js';
import { ExchangeServiceService } from '../../generated/enlace/v1/exchange.js';
import { NodeServiceService } from '../../generated/enlace/v1/node.js';
import { StatsServiceService } from '../../generated/enlace/v1/stats.js';
import { MAX_ATTACHMENT_BYTES } from '../attachments/index.js';
import type { GrpcTls } from '../config.js';
import type { ApiContext } from './context.js';
import { directoryRoutes, exchangeRoutes, nodeRoutes, statsRoutes } from './routes/index.js';

const PROTO_ROOT = fileURLToPath(new URL('../../proto/', import.meta.url));
const PROTO_FILES = ['enlace/v1/envelope.proto', 'enlace/v1/exchange.proto', 'enlace/v1/node.proto', 'enlace/v1/directory.proto', 'enlace/v1/stats.proto'];
const HEALTH_PROTO = join(dirname(createRequire(import.meta.url).resolve('grpc-health-check/package.json')), 'proto/health/v1/health.proto');

/**
 * Largest gRPC message either way: a submit with 50 MiB of attachments, a payload of up to
 * 4 MiB and the framing; GetAttachment answers with up to 50 MiB. Clients need the same limit.
 */
export const MAX_MESSAGE_BYTES = MAX_ATTACHMENT_BYTES + 6 * 1024 * 1024;

export const SERVICE_NAMES = ['enlace.v1.ExchangeService', 'enlace.v1.NodeService', 'enlace.v1.DirectoryService', 'enlace.v1.StatsService'] as const;

export interface GrpcHandle {
  server: Server;
  port: number;
  /** Port of the plaintext loopback listener, when one was asked for. */
  loopbackPort?: number;
  health: HealthImplementation;
  close(): Promise<void>;
}

/**
 * Server credentials: TLS with the node's certificate, requiring client certificates signed
 * by `clientCaFile` when it is set; insecure only when `tls` is undefined (the caller has
 * checked that plaintext was asked for explicitly).
 */
export function serverCredentials(tls: GrpcTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const clientCa = tls.clientCaFile ? readFileSync(tls.clientCaFile) : null;
  return ServerCredentials.createSsl(clientCa, [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }], clientCa !== null);
}

/**
 * Starts the node's gRPC server: Exchange, Node, Directory, Stats, grpc.health.v1 and server
 * reflection, on `host:port` with `tls` (or plaintext when it is undefined), and also in
 * plaintext on `loopback` when given (a loopback address, for a gateway on the same host).
 */
export async function startGrpcServer(ctx: ApiContext, host: string, port: number, tls?: GrpcTls, loopback?: { host: string; port: number }): Promise<GrpcHandle> {
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
  server.addService(ExchangeServiceService, exchangeRoutes(ctx));
  server.addService(NodeServiceService, nodeRoutes(ctx));
  server.addService(DirectoryServiceService, directoryRoutes(ctx));
  server.addService(StatsServiceService, statsRoutes(ctx));
  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(SERVICE_NAMES.map((s) => [s, 'SERVING'])) });
  health.addToServer(server);
  const definitions = loadSync([...PROTO_FILES, HEALTH_PROTO], { includeDirs: [PROTO_ROOT], keepCase: true });
  new ReflectionService(definitions).addToServer(server);
  const bind = (address: string, creds: ServerCredentials) => new Promise<number>((resolve, reject) => server.bindAsync(address, creds, (err, p) => (err ? reject(err) : resolve(p))));
  const bound = await bind(`${host}:${port}`, serverCredentials(tls));
  const loopbackPort = loopback ? await bind(`${loopback.host}:${loopback.port}`, ServerCredentials.createInsecure()) : undefined;
  return {
    server,
    port: bound,
    ...(loopbackPort !== undefined ? { loopbackPort } : {}),
    health,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of ['', ...SERVICE_NAMES]) health.setStatus(s, 'NOT_SERVING');
        const timer = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
