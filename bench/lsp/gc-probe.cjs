// Preloaded into the language server by the memory measurements only (`node --expose-gc
// --require bench/lsp/gc-probe.cjs dist/server.js --stdio`): on SIGUSR2 it runs a full garbage
// collection and writes the heap figures to stderr, so the bench can tell retained memory (a leak)
// from heap that V8 has simply not collected yet. stdout, the LSP channel, is never touched.
'use strict';
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  process.stderr.write(`wirelens-bench-heap ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss })}\n`);
});
