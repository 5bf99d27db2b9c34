/**
 * The set-up most integration tests share, registered as the file's (or the describe's) hooks:
 * a real federation with its nats-server, started nodes, gRPC clients, gateways with the demo
 * users, and Chromium; all of it torn down after the tests, in reverse order.
 *
 * @example
 * const net = withFederation(['AR', 'UY'], { transport: true, api: { ar: ['AR', 'focal_point'], uy: ['UY', 'focal_point'] } });
 * const { api } = net;
 * it('delivers', async () => {
 *   const id = (await api.ar.submit(submitRequestOf())).request!.id;
 * });
 */
import { credentials } from '@grpc/grpc-js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Gateway, GatewayConfig } from '../gateway/index.js';
import type { Clock, ExchangeSettings, NationalNode, Role } from '../services/index.js';
import { chromiumAvailable, launchBrowser, startGateway } from './_browser.js';
import { clientsForIssuer, Federation, grpcCredentials, type Clients, type FederationOptions } from './_util.js';

export interface SetupOptions<C extends string, G extends C, K extends string> extends FederationOptions {
  /** The nodes to start (all of the federation's countries by default), each with its own settings or clock if given in `start`. */
  nodes?: readonly C[];
  start?: Partial<Record<C, { settings?: Partial<ExchangeSettings>; clock?: Clock }>>;
  /** Wait until every started node's transport is up before the tests run. */
  transport?: boolean;
  /** gRPC clients by name: the country whose node they call and the roles their token holds (operator if none), minted at that node's clock as a case system beside it would get it. */
  api?: Record<K, readonly [C, ...Role[]]>;
  /** Gateways to start beside their nodes, with the demo users; `auth` overrides a gateway's sign-in settings, `startGateway` starts them another way. */
  gateways?: readonly G[];
  auth?: Partial<Record<G, Partial<GatewayConfig['auth']>>>;
  startGateway?: (fed: Federation, country: G) => Promise<Gateway>;
  /** What the nodes must hold before the gateways start (data, a directory), run once the nodes and clients are up. */
  beforeGateways?: (net: TestNetwork<C, G, K>) => Promise<void>;
  /** Launch Chromium for the tests; where there is none, nothing is set up (the tests skip themselves with `chromiumAvailable`). */
  browser?: boolean;
  /** How long the set-up may take (the hook timeout of vitest.config.ts if not given). */
  timeoutMs?: number;
}

/** What the tests use. The records are filled in place when the set-up has run, so they can be destructured at once; `fed` and `browser` are read inside the tests. */
export interface TestNetwork<C extends string, G extends C, K extends string> {
  readonly fed: Federation;
  readonly nodes: Readonly<Record<C, NationalNode>>;
  readonly api: Readonly<Record<K, Clients>>;
  readonly gw: Readonly<Record<G, Gateway>>;
  readonly browser: Browser;
  /** Stops a started node and starts it again (with other settings or clock if given); `nodes` then holds the new one. */
  restart(country: C, start?: { settings?: Partial<ExchangeSettings>; clock?: Clock }): Promise<NationalNode>;
}

/** Registers the set-up of a federation of `countries` as beforeAll, and its teardown as afterAll. */
export function withFederation<const C extends string, const G extends C = never, const K extends string = never>(countries: readonly C[], opts: SetupOptions<C, G, K> = {}): TestNetwork<C, G, K> {
  let fed: Federation | undefined;
  let browser: Browser | undefined;
  const nodes = {} as Record<C, NationalNode>;
  const api = {} as Record<K, Clients>;
  const gw = {} as Record<G, Gateway>;
  const handle: TestNetwork<C, G, K> = {
    get fed() {
      if (!fed) throw new Error('the federation is not set up yet: use it inside a test or a later hook');
      return fed;
    },
    get browser() {
      if (!browser) throw new Error('no browser: pass { browser: true } to withFederation');
      return browser;
    },
    nodes,
    api,
    gw,
    async restart(country, start) {
      await handle.fed.stopNode(country);
      return (nodes[country] = await handle.fed.startNode(country, start));
    },
  };
  if (opts.browser && !chromiumAvailable()) return handle;

  beforeAll(async () => {
    const started = await Federation.create([...countries], opts);
    fed = started;
    const toStart = opts.nodes ?? countries;
    const running = await Promise.all(toStart.map((c) => started.startNode(c, opts.start?.[c])));
    toStart.forEach((c, i) => (nodes[c] = running[i]!));
    if (opts.transport) await Promise.all(running.map((n) => n.waitForTransport()));
    for (const [name, [country, ...roles]] of Object.entries(opts.api ?? {}) as [K, readonly [C, ...Role[]]][]) {
      const node = nodes[country];
      const creds = node.cfg.grpc.tls ? await grpcCredentials() : credentials.createInsecure();
      api[name] = await clientsForIssuer(node.issuer, node.grpcAddress, roles.length ? roles : undefined, opts.start?.[country]?.clock?.now() ?? Date.now(), creds);
    }
    await opts.beforeGateways?.(handle);
    const start = opts.startGateway ?? ((f: Federation, c: G) => startGateway(f, c, opts.auth?.[c]));
    await Promise.all((opts.gateways ?? []).map(async (c) => (gw[c] = await start(started, c))));
    if (opts.browser) browser = await launchBrowser();
  }, opts.timeoutMs);

  afterAll(async () => {
    for (const c of Object.values<Clients>(api)) c.close();
    await browser?.close();
    await Promise.all(Object.values<Gateway>(gw).map((g) => g.destroy()));
    await fed?.destroy();
  });

  return handle;
}
