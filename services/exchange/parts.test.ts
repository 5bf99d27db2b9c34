import { describe, expect, it } from 'vitest';
import { commitInParts } from './parts.js';

describe('commitInParts', () => {
  const run = async (weights: number[], budget: number, refuse = -1) => {
    const parts: number[][] = [];
    const prepared: number[] = [];
    const left = await commitInParts(
      weights.map((_, i) => i),
      async (i) => (prepared.push(i), i),
      (i) => weights[i]!,
      budget,
      async (part) => (parts.push(part), parts.length - 1 !== refuse),
    );
    return { parts, prepared, left };
  };

  it('commits everything in one part while the budget holds', async () => {
    expect((await run([0, 0, 0], 10)).parts).toEqual([[0, 1, 2]]);
  });

  it('closes a part once its weight reaches the budget, keeping the order', async () => {
    expect((await run([40, 30, 1, 0, 70, 5], 64)).parts).toEqual([[0, 1], [2, 3, 4], [5]]);
  });

  it('puts an item heavier than the budget in a part of its own', async () => {
    expect((await run([100, 100], 64)).parts).toEqual([[0], [1]]);
  });

  it('stops at a refused commit and returns what it never prepared', async () => {
    const r = await run([40, 30, 1, 0, 70, 5], 64, 0);
    expect(r.parts).toEqual([[0, 1]]);
    expect(r.prepared).toEqual([0, 1]);
    expect(r.left).toEqual([2, 3, 4, 5]);
  });
});
