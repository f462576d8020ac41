// Preloaded into the language server by the memory measurements only (`node --expose-gc
// --require bench/lsp/gc-probe.cjs dist/server.js --stdio`): on SIGUSR2 it runs a full garbage
// collection and writes the heap figures to stderr, so the bench can tell retained memory (a leak)
// from heap that V8 has simply not collected yet. stdout, the LSP channel, is never touched.
'use strict';
const v8 = require('node:v8');
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  // Machine code V8 compiled (code spaces): it grows while functions get optimised, and is no data of
  // the server's, so a leak is told by the heap without it.
  let codeUsed = 0;
  for (const space of v8.getHeapSpaceStatistics()) if (space.space_name.includes('code')) codeUsed += space.space_used_size;
  process.stderr.write(`wirelens-bench-heap ${JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, codeUsed, external: m.external, rss: m.rss })}\n`);
});
