/**
 * Preloaded into a server process by the live-update tests and the fan-out
 * bench (`node --expose-gc --import ./test/gc-probe.mjs …`): on SIGUSR2 it
 * runs a full garbage collection and prints `gc-probe <n>` (n counts the
 * collections), so that the heap read from /metrics right after is the live
 * heap, comparable before and after subscribers come and go, and not
 * whatever garbage the last young-generation collection left.
 */
let collections = 0;
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  collections += 1;
  process.stdout.write(`gc-probe ${collections}\n`);
});
