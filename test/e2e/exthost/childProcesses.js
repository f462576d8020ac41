// @ts-check
// What the extension-host suites (test/e2e/exthost/suite, test/reliability/exthost) read of the
// language server processes: the children of this extension host, from Linux /proc.
'use strict';
const fs = require('node:fs');

/**
 * The processes whose parent is this one: pid and command line.
 * @returns {Array<{ pid: number; argv: string[] }>}
 */
function childProcesses() {
  /** @type {Array<{ pid: number; argv: string[] }>} */
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      out.push({ pid: Number(entry), argv: fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

module.exports = { childProcesses };
