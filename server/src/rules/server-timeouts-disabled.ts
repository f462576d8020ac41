// `headersTimeout` and `requestTimeout` are what stops a client that opens connections and trickles
// bytes (Slowloris) from holding sockets forever. Setting them to 0 removes that limit.
import ts = require('typescript');
import { enclosingStatement, removeProperty, removeStatement } from '../analysis/edits';
import { range } from '../analysis/fileModel';
import { httpServers } from '../analysis/servers';
import type { Fix } from '../analysis/types';
import { staticValue } from '../analysis/values';
import { createRule } from './createRule';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { isExpressionStatement, isIdentifier, isPropertyAssignment } = ts;

type MessageIds = 'disabled';

const LIMITS: Record<string, string> = {
  headersTimeout: '60 s (Node 18+)',
  requestTimeout: '300 s (Node 18+)',
};

export default createRule<MessageIds>({
  meta: {
    id: 'server-timeouts-disabled',
    lesson: 'retransmission-and-timeouts',
    severity: 'warning',
    title: 'Server request timeouts disabled',
    description:
      'An HTTP server bounds how long a client may take to send its headers (`headersTimeout`, 60 s) and its whole request (`requestTimeout`, 300 s since Node 18). Setting either to 0 lets a client open a connection and send a byte now and then for as long as it likes; a few hundred such connections hold file descriptors and parser state until the process runs out. Keep the defaults, or raise them for the routes that need it.',
    messages: {
      disabled: '`{{property}}: 0` removes the server\'s limit (default {{limit}}): a client that trickles bytes (Slowloris) holds the socket forever, and a few hundred such connections exhaust the process\'s file descriptors.',
    },
    fixable: true,
  },
  check(context) {
    const { model, sourceFile: sf } = context;
    for (const server of httpServers(model)) {
      if (server.creator && server.framework === 'node') {
        const obj = model.optionsObject(server.creator);
        for (const p of obj?.properties ?? []) {
          if (!isPropertyAssignment(p) || !isIdentifier(p.name) || !(p.name.text in LIMITS)) continue;
          const v = staticValue(p.initializer, model.scopeOf(server.creator));
          if (v.kind !== 'number' || v.value !== 0) continue;
          context.report({
            messageId: 'disabled',
            data: { property: p.name.text, limit: LIMITS[p.name.text] },
            range: range(p, sf),
            fixes: [{ title: `Remove \`${p.name.text}: 0\` (keep Node's limit)`, edits: [removeProperty(p, sf)], preferred: true }],
          });
        }
      }
      for (const w of server.writes) {
        if (w.path.length !== 1 || !(w.path[0] in LIMITS)) continue;
        const v = staticValue(w.assignment.right, w.scope);
        if (v.kind !== 'number' || v.value !== 0) continue;
        const statement = enclosingStatement(w.assignment);
        const fixes: Fix[] = statement && isExpressionStatement(statement) && statement.expression === w.assignment
          ? [{ title: `Remove the assignment (keep Node's limit)`, edits: [removeStatement(statement, sf)], preferred: true }]
          : [];
        context.report({ messageId: 'disabled', data: { property: w.path[0], limit: LIMITS[w.path[0]] }, range: range(w.assignment, sf), fixes });
      }
    }
  },
});
