/**
 * Preloaded into each node process by the benchmark (`node --import`): on SIGUSR2 it
 * writes the process's own memory accounting to stderr, so the benchmark can split RSS
 * into V8 heap, memory outside it that V8 knows of (external: Buffers, WebAssembly
 * memories) and the rest (the Node binary, threads, native allocations).
 */
const MiB = 2 ** 20;

process.on('SIGUSR2', () => {
  const m = process.memoryUsage();
  const mib = (n: number) => Math.round((n / MiB) * 10) / 10;
  process.stderr.write(
    `${JSON.stringify({ memoryProbe: { rss: mib(m.rss), heapTotal: mib(m.heapTotal), heapUsed: mib(m.heapUsed), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) } })}\n`,
  );
});
