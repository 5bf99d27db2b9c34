import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isEnlaceError } from '../../keys/index.js';
import { CatchUp } from './catch-up.js';

describe('CatchUp: the registry wait that follows progress', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps waiting past its timeout while values keep arriving, and resolves when caught up', async () => {
    const c = new CatchUp();
    let settled: string | undefined;
    void c.wait(1_000).then(
      () => (settled = 'resolved'),
      () => (settled = 'rejected'),
    );
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(600);
      c.progress();
    }
    expect(settled).toBeUndefined();
    c.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe('resolved');
  });

  it('rejects ERR_UNAVAILABLE after the timeout without progress, the last failure as its cause', async () => {
    const c = new CatchUp();
    const failure = new Error('the bucket cannot be read');
    const outcome = c.wait(1_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(600);
    c.progress();
    c.failed(failure);
    await vi.advanceTimersByTimeAsync(999);
    expect(c.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(isEnlaceError(err) && err.code).toBe('ERR_UNAVAILABLE');
    expect((err as Error).cause).toBe(failure);
  });

  it('resolves at once when already finished', async () => {
    const c = new CatchUp();
    c.finish();
    await expect(c.wait(1)).resolves.toBeUndefined();
  });
});
