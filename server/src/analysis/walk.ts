// Tree walks for rules and services that must look inside a subtree (a function body, an options
// object). Iterative, so a file nested thousands of levels deep (long `a + b + …` or `.then()`
// chains in generated code) cannot overflow the stack.
import ts = require('typescript');

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { forEachChild } = ts;

export type WalkControl = void | 'skip' | 'stop';

/**
 * Visits `root` and its descendants depth-first in source order. The visitor returns `'skip'` to
 * leave a node's children out, `'stop'` to end the walk.
 */
export function walkTree(root: ts.Node, visit: (node: ts.Node) => WalkControl): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  const collect = (c: ts.Node): undefined => {
    children.push(c);
    return undefined;
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    const control = visit(node);
    if (control === 'stop') return;
    if (control === 'skip') continue;
    children.length = 0;
    forEachChild(node, collect);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/** True when some node in the subtree satisfies `test` (stops at the first). */
export function someNode(root: ts.Node, test: (node: ts.Node) => boolean, skip?: (node: ts.Node) => boolean): boolean {
  let found = false;
  walkTree(root, (n) => {
    if (test(n)) {
      found = true;
      return 'stop';
    }
    return skip?.(n) ? 'skip' : undefined;
  });
  return found;
}

/** In a list sorted by position: the first index whose position (`posAt`) is at least `pos`. */
export function lowerBound(length: number, posAt: (i: number) => number, pos: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (posAt(mid) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
