import { describe, expect, it } from 'vitest';
import { FairQueue } from './fair-queue.js';

const KiB = 1024;

describe('FairQueue: deficit round robin by bytes between lanes', () => {
  it('serves a small message of another lane after at most one quantum of a backlog', () => {
    const q = new FairQueue<string>(1024 * KiB);
    for (let i = 0; i < 12; i++) q.push('AR', `a${i}`, 512 * KiB);
    q.push('BR', 'b0', 2 * KiB);
    expect(q.take(100, Infinity)).toEqual(['a0', 'a1', 'b0', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11']);
  });

  it('gives two backlogs the same bytes over time, whatever the size of their messages', () => {
    const q = new FairQueue<string>(64 * KiB);
    for (let i = 0; i < 400; i++) q.push('small', 's', 4 * KiB);
    for (let i = 0; i < 40; i++) q.push('large', 'L', 40 * KiB);
    const first = q.take(200, Infinity);
    const bytes = (lane: string) => first.filter((x) => x === lane).length * (lane === 's' ? 4 : 40) * KiB;
    expect(Math.abs(bytes('s') - bytes('L'))).toBeLessThanOrEqual(64 * KiB + 40 * KiB);
  });

  it('keeps order within a lane, and a message larger than the quantum still goes, after enough turns', () => {
    const q = new FairQueue<number>(100);
    q.push('X', 1, 350);
    q.push('X', 2, 10);
    q.push('Y', 3, 50);
    expect(q.take(10, Infinity)).toEqual([3, 1, 2]);
    expect(q.length).toBe(0);
  });

  it('stops a batch at the byte limit unless the first message alone exceeds it, and the cut turn goes on next time', () => {
    const q = new FairQueue<string>(1000);
    q.push('X', 'x0', 300);
    q.push('X', 'x1', 300);
    q.push('X', 'x2', 300);
    q.push('Y', 'y0', 300);
    expect(q.take(10, 500)).toEqual(['x0']);
    expect(q.take(10, 700)).toEqual(['x1', 'x2']);
    expect(q.take(10, 100)).toEqual(['y0']);
    expect(q.bytes('X')).toBe(0);
  });

  it('takes no credit into a new backlog from a lane that ran empty', () => {
    const q = new FairQueue<string>(1000);
    q.push('X', 'x0', 10);
    expect(q.take(10, Infinity)).toEqual(['x0']);
    q.push('X', 'x1', 1000);
    q.push('X', 'x2', 1000);
    q.push('Y', 'y0', 1000);
    expect(q.take(10, Infinity)).toEqual(['x1', 'y0', 'x2']);
  });

  it('respects the message limit and hands back what waits on drain', () => {
    const q = new FairQueue<number>(1000);
    for (let i = 0; i < 5; i++) q.push('X', i, 1);
    expect(q.take(2, Infinity)).toEqual([0, 1]);
    expect(q.drain()).toEqual([2, 3, 4]);
    expect(q.take(10, Infinity)).toEqual([]);
  });
});
