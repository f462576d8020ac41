// The calls inside a response handler that receive the request itself (`abortHandshake(ws, req,
// reason)`): whoever gets the request can destroy it, which also releases the response's socket, so
// the response-body analysis counts such a call as consuming the response.
//
// Whether a call receives the request takes resolving its arguments, which costs more than the
// path walk that asks: a large handler holds dozens of calls, and the walk usually stops at the
// first read of the response. So the calls are asked range by range, only where the walk looks.
import ts = require('typescript');
import type { CallSite } from './facts';
import type { FileModel } from './fileModel';
import { unwrapExpression } from './resolve';
import { lowerBound } from './walk';

const { isIdentifier, isPropertyAccessExpression } = ts;

/**
 * How many of the facts' call sites, from the first, are in position order: the facts walk lists
 * them in source order and appends only the subtrees it deferred (very deep nesting) at the end.
 */
const POSITION_ORDERED_PREFIX = {};

function positionOrderedPrefix(model: FileModel): number {
  // Facts kept by statement exist only when the walk set nothing aside: every site is in order.
  if (model.facts.statements) return model.facts.calls.length;
  return model.memo(POSITION_ORDERED_PREFIX, () => {
    const sites = model.facts.calls;
    let length = 1;
    while (length < sites.length && sites[length - 1]!.node.pos <= sites[length]!.node.pos) length++;
    return Math.min(length, sites.length);
  });
}

/** The call sites inside `region` (a node starting inside it lies inside it: nodes nest or are disjoint). */
function callSitesWithin(model: FileModel, region: ts.Node): CallSite[] {
  const sites = model.facts.calls;
  const ordered = positionOrderedPrefix(model);
  const inside = (site: CallSite) => site.node.pos >= region.pos && site.node.pos < region.end;
  const found: CallSite[] = [];
  for (let i = lowerBound(ordered, (k) => sites[k]!.node.pos, region.pos); i < ordered && sites[i]!.node.pos < region.end; i++) found.push(sites[i]!);
  for (let i = ordered; i < sites.length; i++) if (inside(sites[i]!)) found.push(sites[i]!);
  return found;
}

/**
 * The calls in one region that receive the object created at `origin` as an argument: the test of
 * FileModel.argumentUsesIn, asked lazily, call by call, where the response-body walk looks.
 */
export class RequestHandoffs {
  private readonly sites: CallSite[];
  /** Where each call starts (its first token), ascending. */
  private readonly starts: number[];
  private readonly verdicts: Array<boolean | undefined>;

  constructor(
    private readonly model: FileModel,
    private readonly origin: ts.Node,
    region: ts.Node,
  ) {
    const sf = model.sourceFile;
    const byStart = callSitesWithin(model, region).map((site) => ({ site, start: site.node.getStart(sf) }));
    byStart.sort((a, b) => a.start - b.start);
    this.sites = byStart.map((s) => s.site);
    this.starts = byStart.map((s) => s.start);
    this.verdicts = new Array(this.sites.length);
  }

  /** Whether a call that starts in [pos, end) receives the object. */
  anyStartingIn(pos: number, end: number): boolean {
    const starts = this.starts;
    for (let i = lowerBound(starts.length, (k) => starts[k]!, pos); i < starts.length && starts[i]! < end; i++) {
      if (this.receives(i)) return true;
    }
    return false;
  }

  private receives(i: number): boolean {
    let verdict = this.verdicts[i];
    if (verdict === undefined) {
      const site = this.sites[i]!;
      verdict = false;
      for (const arg of site.node.arguments ?? []) {
        const e = unwrapExpression(arg);
        if (!isIdentifier(e) && !isPropertyAccessExpression(e)) continue;
        const value = this.model.resolver.resolve(e, site.scope);
        if (value?.origin === this.origin && !value.viaMember) {
          verdict = true;
          break;
        }
      }
      this.verdicts[i] = verdict;
    }
    return verdict;
  }
}
