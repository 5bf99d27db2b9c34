import type { Logger } from 'pino';
import type { TokenIssuer } from '../auth/index.js';
import type { ExchangeDeps } from '../exchange/index.js';
import type { Registry } from '../registry/index.js';
import type { NetworkStats } from '../stats/index.js';

/** What RPC handlers may use. */
export interface ApiContext {
  exchange: ExchangeDeps;
  issuer: TokenIssuer;
  kickRelay: () => void;
  version: string;
  logger: Logger;
  registry: Registry;
  stats: NetworkStats;
}
