/**
 * Prepares `inputs` one by one, in order, and hands them to `commit` in parts: a part closes
 * as soon as the weight of its prepared items reaches `budget` (so every part holds at least
 * one item). Stops at the first part `commit` refuses and returns the inputs not yet prepared.
 *
 * @example
 * const left = await commitInParts(batch, prepare, (item) => bytesHeld(item), 64 << 20, commit);
 * for (const msg of left) msg.nak();
 */
export async function commitInParts<I, T>(inputs: readonly I[], prepare: (input: I) => Promise<T>, weight: (item: T) => number, budget: number, commit: (part: T[]) => Promise<boolean>): Promise<I[]> {
  let at = 0;
  while (at < inputs.length) {
    const part: T[] = [];
    let held = 0;
    while (at < inputs.length && held < budget) {
      const item = await prepare(inputs[at++]!);
      held += weight(item);
      part.push(item);
    }
    if (!(await commit(part))) return inputs.slice(at);
  }
  return [];
}
