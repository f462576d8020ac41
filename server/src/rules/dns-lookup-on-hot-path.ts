// `dns.lookup` runs the blocking getaddrinfo(3) on one of libuv's 4 threads, shared with fs, crypto
// and zlib. Per request, a slow resolver starves unrelated file I/O; Node caches nothing.
import { runFrequency } from '../analysis/context';
import { createRule } from './createRule';

type MessageIds = 'hotPath';

export default createRule<MessageIds>({
  meta: {
    id: 'dns-lookup-on-hot-path',
    lesson: 'dns-in-node',
    severity: 'info',
    title: '`dns.lookup` on every request',
    description:
      '`dns.lookup` calls the system resolver (getaddrinfo) on libuv\'s thread pool — 4 threads by default, shared with file system, crypto and zlib work — and Node keeps no cache. Looked up per request, a slow resolver (about 10 s per EAI_AGAIN) blocks pool threads and stalls unrelated file I/O. Resolve once and cache with the TTL, use `dns.resolve*` (c-ares, off the pool), or let a keep-alive pool amortise lookups.',
    messages: {
      hotPath: '`{{api}}` runs {{where}}: each call takes one of libuv\'s 4 pool threads (shared with fs, crypto, zlib) for as long as the resolver needs, and Node caches nothing. Cache the answer or use `dns.resolve*`.',
    },
    fixable: false,
  },
  check(context) {
    for (const call of context.model.calls) {
      if (call.api !== 'dns.lookup') continue;
      const freq = runFrequency(context.model.nodeOf(call));
      if (freq !== 'per-request' && freq !== 'per-iteration') continue;
      context.report({ messageId: 'hotPath', data: { api: call.api, where: freq === 'per-request' ? 'on every request' : 'on every loop iteration' }, range: call.calleeRange });
    }
  },
});
