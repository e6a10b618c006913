/**
 * The queue the postgres.js pool keeps its connections and waiting queries in,
 * as patched (patches/postgres+3.4.9.patch): under sustained load it grew by
 * one hole per pipelined query, so every query cost more than the one before.
 * The patch must keep it an exact FIFO queue with removal.
 */
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { testTarget } from './helpers.ts';

interface Queue<T> {
  readonly length: number;
  push(x: T): T;
  shift(): T | undefined;
  remove(x: T): T | null;
}

// The driver's exports do not include its internals: load the patched file itself.
const queueModule = new URL('../node_modules/postgres/src/queue.js', import.meta.url).href;
const { default: Queue } = (await import(queueModule)) as { default: <T>(initial?: T[]) => Queue<T> };

type Op = { kind: 'push' } | { kind: 'shift' } | { kind: 'remove'; pick: number };

/** Runs the operations on the queue and on a plain array, requiring the same answers throughout. */
function agreesWithArray(ops: readonly Op[]) {
  const queue = Queue<number>();
  const model: number[] = [];
  let next = 0;
  for (const op of ops) {
    if (op.kind === 'push') {
      expect(queue.push(next)).toBe(next);
      model.push(next++);
    } else if (op.kind === 'shift') {
      if (model.length === 0) continue; // the pool never shifts an empty queue
      expect(queue.shift()).toBe(model.shift());
    } else {
      // Any value ever pushed, present or not.
      const value = next === 0 ? 0 : op.pick % next;
      const at = model.indexOf(value);
      if (at !== -1) model.splice(at, 1);
      expect(queue.remove(value)).toBe(at === -1 ? null : value);
    }
    expect(queue.length).toBe(model.length);
  }
}

describe('postgres.js pool queue', () => {
  it('behaves as a FIFO queue with removal, whatever the order of operations', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.constant({ kind: 'push' as const }),
      fc.constant({ kind: 'shift' as const }),
      fc.nat().map((pick) => ({ kind: 'remove' as const, pick })),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 3_000 }), (ops) => agreesWithArray(ops)), { numRuns: 200 });
  });

  it('stays exact through the busy queue pattern of sustained load: shift and push, emptied by remove', () => {
    // Ten busy connections; a pipelined query takes the first and puts it back
    // at the end; a connection that goes idle is removed wherever it is.
    const ops: Op[] = Array.from({ length: 10 }, () => ({ kind: 'push' as const }));
    for (let i = 0; i < 20_000; i++) {
      ops.push({ kind: 'shift' }, { kind: 'push' });
      if (i % 7 === 0) ops.push({ kind: 'remove', pick: i * 31 }, { kind: 'push' });
    }
    agreesWithArray(ops);
  });
});

const target = testTarget();

describe.skipIf(target.kind !== 'postgres')('postgres.js pipelining many queries on a small pool', () => {
  const sql = postgres(target.kind === 'postgres' ? target.url : '', { max: 2, onnotice: () => {} });
  afterAll(() => sql.end({ timeout: 1 }));

  it('answers every query with its own result', async () => {
    let next = 0;
    const wrong: number[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < 20_000) {
          const n = next++;
          const [row] = await sql.unsafe<{ n: number }[]>('select $1::int as n', [n], { prepare: true });
          if (row?.n !== n) wrong.push(n);
        }
      }),
    );
    expect(wrong).toEqual([]);
  });
});
