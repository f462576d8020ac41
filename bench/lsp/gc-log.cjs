// Preloaded into the language server by `bench/ab.mjs --gc` (`node --require bench/lsp/gc-log.cjs
// dist/server.js --stdio`): writes every garbage collection's kind and pause to stderr, as
// `wirelens-bench-gc <kind> <ms>`. stdout, the LSP channel, is never touched.
'use strict';
const { PerformanceObserver, constants } = require('node:perf_hooks');

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental-marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
};

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) process.stderr.write(`wirelens-bench-gc ${KINDS[entry.detail?.kind] ?? 'other'} ${entry.duration.toFixed(2)}\n`);
}).observe({ entryTypes: ['gc'] });
