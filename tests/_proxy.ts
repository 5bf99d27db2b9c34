import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between one node and its broker, so that a test can cut the path without
 * touching either process. `partition()` stops moving bytes both ways (the sockets stay open,
 * nothing gets through, as when a route is lost; new connections hang) until `heal()`;
 * `slow(ms)` delays every chunk by `ms`, in order; `cut()` closes the connections through it. TLS passes through untouched: the proxy
 * only sees ciphertext.
 */
export class TcpProxy {
  readonly port: number;
  readonly #server: Server;
  readonly #upstreamPort: number;
  readonly #pairs = new Set<[Socket, Socket]>();
  readonly #held: Socket[] = [];
  #partitioned = false;
  #delayMs = 0;

  private constructor(server: Server, port: number, upstreamPort: number) {
    this.#server = server;
    this.port = port;
    this.#upstreamPort = upstreamPort;
    server.on('connection', (client) => {
      client.on('error', () => client.destroy());
      if (this.#partitioned) {
        client.pause();
        this.#held.push(client);
      } else this.#join(client);
    });
  }

  static async start(upstreamPort: number): Promise<TcpProxy> {
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    return new TcpProxy(server, port, upstreamPort);
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Nothing moves either way until `heal`. */
  partition(): void {
    this.#partitioned = true;
    for (const [a, b] of this.#pairs) {
      a.pause();
      b.pause();
    }
  }

  /** Every chunk is delivered `ms` later (0: at once). */
  slow(ms: number): void {
    this.#delayMs = ms;
  }

  heal(): void {
    this.#reopen((s) => s.resume());
  }

  /** Closes every connection through it, as a server's death does to its clients, and lets new ones through. */
  cut(): void {
    this.#reopen((s) => s.destroy());
  }

  /** Ends a partition or a slow link: `each` for both sockets of every connection, then the held ones join. */
  #reopen(each: (s: Socket) => void): void {
    this.#partitioned = false;
    this.#delayMs = 0;
    for (const [a, b] of this.#pairs) {
      each(a);
      each(b);
    }
    for (const c of this.#held.splice(0)) if (!c.destroyed) this.#join(c);
  }

  async stop(): Promise<void> {
    for (const [a, b] of this.#pairs) {
      a.destroy();
      b.destroy();
    }
    for (const c of this.#held.splice(0)) c.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #join(client: Socket): void {
    const upstream = connect(this.#upstreamPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const close = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    this.#pipe(client, upstream);
    this.#pipe(upstream, client);
    client.resume();
  }

  /** Copies `from` to `to`, each chunk after the delay in force when it arrived, never out of order. */
  #pipe(from: Socket, to: Socket): void {
    let tail = Promise.resolve();
    from.on('data', (chunk: Buffer) => {
      const delay = this.#delayMs;
      tail = tail
        .then(() => (delay ? new Promise((r) => setTimeout(r, delay)) : undefined))
        .then(() => {
          if (!to.destroyed) to.write(chunk);
        });
    });
  }
}
