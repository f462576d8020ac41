// The lesson page's script, for the VS Code webview and the static site alike. It turns each
// sequence-diagram placeholder into an interactive figure: step through the packets (buttons and
// ←/→/Home/End/Escape), each step's explanation, an RTT control that recomputes the timeline and the
// total, and the text alternative kept in sync. In the webview it also routes lesson links to the
// extension and keeps its state (lesson, RTT, steps, scroll) with getState/setState, which VS Code
// hands back after a reload. Everything from the page is inserted as text; the only HTML inserted
// comes from the diagram engine, which escapes what it draws.
// The engine's stylesheet first, so the lesson stylesheet may refine it.
import 'wirelens:diagram-css';
import './lesson.css';
import { mainLabel } from '../../../server/src/diagrams/labels';
import { formatMs, renderBytes, renderSvg, renderTable, resolveSequence, validateDiagram, type SequenceDiagram } from '../../../server/src/diagrams/index';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives a reload (the panel serializer reads `lesson` and `context`). */
export interface LessonViewState {
  lesson: string;
  /** RTT chosen with the control (ms), shared by the lesson's diagrams. */
  rtt?: number;
  /** Current step per figure id; absent = showing all packets. */
  steps: Record<string, number>;
  scrollY?: number;
  /** The user's call that led here (from the page), so the panel can show it again after a reload. */
  context?: unknown;
}

/** Messages from the page to the extension. */
export type LessonMessage =
  | { type: 'openLesson'; lesson: string; fragment?: string; back?: boolean }
  | { type: 'pickLesson' }
  | { type: 'revealCall' };

const vscodeApi: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const lessonId = document.body.dataset.lesson ?? '';

function pageContext(): unknown {
  try {
    return document.body.dataset.context ? JSON.parse(document.body.dataset.context) : undefined;
  } catch {
    return undefined;
  }
}

function loadState(): LessonViewState {
  const saved = (vscodeApi ? vscodeApi.getState() : history.state) as Partial<LessonViewState> | null | undefined;
  const context = pageContext();
  if (saved && saved.lesson === lessonId) return { lesson: lessonId, steps: { ...(saved.steps ?? {}) }, rtt: saved.rtt, scrollY: saved.scrollY, context };
  // Another lesson was shown before: keep the reader's RTT choice, not the steps or the scroll position.
  return { lesson: lessonId, steps: {}, rtt: saved?.rtt, context };
}

const state = loadState();
let saveQueued = false;
function saveState(): void {
  if (saveQueued) return;
  saveQueued = true;
  queueMicrotask(() => {
    saveQueued = false;
    if (vscodeApi) vscodeApi.setState(state);
    else history.replaceState(state, '');
  });
}

function prefersReducedMotion(): boolean {
  return document.body.classList.contains('vscode-reduce-motion') || window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; attrs?: Record<string, string> } = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  return node;
}

/** Round RTTs for diagrams whose range lies outside the page's choices (loopback, same-rack). */
const RTT_LADDER_MS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000];

/**
 * The RTTs offered for one diagram: the page's choices (10/50/150/300 ms and the user's setting) and
 * the diagram's own RTT, inside the diagram's range; at least three when the range allows, filled
 * with round values nearest the diagram's RTT.
 */
function rttChoices(diagram: SequenceDiagram): number[] {
  const fromPage = (document.body.dataset.rttChoices ?? '').split(',').map(Number).filter((n) => Number.isFinite(n) && n > 0);
  const [min, max] = diagram.rttRange ?? [1, 1000];
  const nominal = diagram.rtt ?? 50;
  const inRange = (n: number) => n >= min && n <= max;
  const choices = new Set([...fromPage, nominal].filter(inRange));
  const extra = RTT_LADDER_MS.filter((n) => inRange(n) && !choices.has(n)).sort((a, b) => Math.abs(Math.log(a / nominal)) - Math.abs(Math.log(b / nominal)));
  while (choices.size < 3 && extra.length) choices.add(extra.shift()!);
  return [...choices].sort((a, b) => a - b);
}

/** "165 ms"; long totals also in whole milliseconds, so a different RTT visibly changes them. */
function totalText(ms: number): string {
  return ms >= 1000 ? `${formatMs(ms)} (${Math.round(ms).toLocaleString('en-US')} ms)` : formatMs(ms);
}

/** One interactive sequence figure. */
class SequenceFigure {
  private readonly steps: number;
  private step: number;
  private rtt: number;
  private readonly svgHost: HTMLElement;
  private readonly status: HTMLElement;
  private readonly explain: HTMLElement;
  private readonly bytes: HTMLElement;
  private readonly total: HTMLOutputElement;
  private readonly tableHost: HTMLElement | null;
  private readonly buttons: Record<'first' | 'previous' | 'next' | 'last' | 'all', HTMLButtonElement>;

  constructor(
    private readonly figure: HTMLElement,
    private readonly diagram: SequenceDiagram,
  ) {
    this.steps = diagram.messages.length;
    const choices = rttChoices(diagram);
    const scalable = resolveSequence(diagram).rttScalable;
    const savedRtt = state.rtt;
    this.rtt = scalable && savedRtt !== undefined && choices.includes(savedRtt) ? savedRtt : diagram.rtt ?? 50;
    const savedStep = state.steps[figure.id];
    this.step = savedStep !== undefined && savedStep >= 1 && savedStep <= this.steps ? savedStep : this.overviewStep;

    this.svgHost = figure.querySelector<HTMLElement>('.wl-figure-scroll') ?? figure;
    this.tableHost = figure.querySelector<HTMLElement>('.wl-figure-table');
    figure.classList.add('wl-interactive');

    const controls = el('div', { className: 'wl-controls', attrs: { role: 'group', 'aria-label': `Step through: ${diagram.title}` } });
    const button = (act: string, label: string, title: string) => {
      const b = el('button', { className: `wl-button wl-step-${act}`, text: label, attrs: { type: 'button', title, 'data-act': act } });
      controls.append(b);
      return b;
    };
    this.buttons = {
      first: button('first', '« First', 'First packet (Home)'),
      previous: button('previous', '◀ Previous', 'Previous packet (←)'),
      next: button('next', 'Next ▶', 'Next packet (→)'),
      last: button('last', 'Last »', 'Last packet (End)'),
      all: button('all', 'Show all', 'All packets at once (Escape)'),
    };
    this.status = el('span', { className: 'wl-step-status' });
    controls.append(this.status);

    if (scalable && choices.length > 1) {
      const selectId = `${figure.id}-rtt`;
      const label = el('label', { className: 'wl-rtt-label', text: 'RTT ', attrs: { for: selectId } });
      const select = el('select', { className: 'wl-rtt', attrs: { id: selectId } });
      const userRtt = Number(document.body.dataset.userRtt);
      for (const ms of choices) {
        const suffix = ms === userRtt ? ' (your setting)' : ms === diagram.rtt ? ' (drawn at)' : '';
        const option = el('option', { text: `${formatMs(ms)}${suffix}`, attrs: { value: String(ms) } });
        option.selected = ms === this.rtt;
        select.append(option);
      }
      select.addEventListener('change', () => this.setRtt(Number(select.value)));
      controls.append(label, select);
    } else {
      controls.append(el('span', { className: 'wl-rtt-fixed', text: scalable ? '' : 'Drawn at measured times' }));
    }
    this.total = el('output', { className: 'wl-total', attrs: { 'aria-live': 'polite' } });
    controls.append(this.total);

    this.explain = el('p', { className: 'wl-step-explain', attrs: { 'aria-live': 'polite' } });
    this.bytes = el('div', { className: 'wl-step-bytes' });
    this.svgHost.before(controls);
    this.svgHost.after(this.explain, this.bytes);

    controls.addEventListener('click', (e) => {
      const act = (e.target as Element).closest('button')?.dataset.act;
      if (act) this.act(act);
    });
    figure.addEventListener('keydown', (e) => this.onKey(e));
    // A click on an arrow or its label jumps to that packet.
    this.svgHost.addEventListener('click', (e) => {
      const message = (e.target as Element).closest('[data-kind="message"]');
      const step = Number(message?.getAttribute('data-step'));
      if (step >= 1) this.goTo(step);
    });

    this.render();
  }

  /** Rendering one past the last message shows every packet as sent, none highlighted. */
  private get overviewStep(): number {
    return this.steps + 1;
  }

  private get stepping(): boolean {
    return this.step >= 1 && this.step <= this.steps;
  }

  private act(act: string): void {
    if (act === 'first') this.goTo(1);
    else if (act === 'last') this.goTo(this.steps);
    else if (act === 'next') this.goTo(this.stepping ? Math.min(this.steps, this.step + 1) : 1);
    else if (act === 'previous') this.goTo(this.stepping ? Math.max(1, this.step - 1) : this.steps);
    else if (act === 'all') this.goTo(this.overviewStep);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.target as Element;
    if (target.closest('select, input, textarea, summary, details')) return;
    const act = { ArrowRight: 'next', ArrowLeft: 'previous', Home: 'first', End: 'last', Escape: 'all' }[e.key];
    if (!act) return;
    if (act === 'all' && !this.stepping) return;
    e.preventDefault();
    this.act(act);
  }

  private goTo(step: number): void {
    if (step === this.step) return;
    this.step = step;
    if (this.stepping) state.steps[this.figure.id] = step;
    else delete state.steps[this.figure.id];
    saveState();
    this.applyStep();
  }

  private setRtt(rtt: number): void {
    this.rtt = rtt;
    state.rtt = rtt;
    saveState();
    // The other figures follow the same RTT, so the lesson reads as one scenario.
    for (const other of figures) if (other !== this) other.followRtt(rtt);
    this.render();
  }

  followRtt(rtt: number): void {
    const select = this.figure.querySelector<HTMLSelectElement>('select.wl-rtt');
    if (!select || !Array.from(select.options).some((o) => Number(o.value) === rtt)) return;
    select.value = String(rtt);
    this.rtt = rtt;
    this.render();
  }

  /** Full re-render: a new RTT moves every arrow. */
  private render(): void {
    const prefix = `${this.figure.id}-svg`;
    this.svgHost.innerHTML = renderSvg(this.diagram, { rtt: this.rtt, step: this.step, idPrefix: prefix });
    if (this.tableHost) {
      const open = (this.tableHost as HTMLDetailsElement).open;
      const summary = this.tableHost.querySelector('summary');
      this.tableHost.innerHTML = renderTable(this.diagram, this.rtt);
      if (summary) this.tableHost.prepend(summary);
      (this.tableHost as HTMLDetailsElement).open = open;
    }
    const totalMs = resolveSequence(this.diagram, this.rtt).totalMs;
    this.total.textContent = `Total ${totalText(totalMs)}`;
    this.total.dataset.totalMs = String(totalMs);
    this.figure.dataset.rttMs = String(this.rtt);
    this.showStep();
  }

  /**
   * Step change without replacing the drawing: the renderer's output for the new step differs only
   * in classes (past / current / future, phases included), so those are copied onto the elements in
   * place and the CSS can fade them (unless the reader asked for reduced motion).
   */
  private applyStep(): void {
    const svg = this.svgHost.querySelector('svg');
    const template = document.createElement('template');
    template.innerHTML = renderSvg(this.diagram, { rtt: this.rtt, step: this.step, idPrefix: `${this.figure.id}-svg` });
    const fresh = template.content.querySelector('svg');
    const current = svg ? [svg, ...Array.from(svg.querySelectorAll('*'))] : [];
    const wanted = fresh ? [fresh, ...Array.from(fresh.querySelectorAll('*'))] : [];
    if (!svg || !fresh || current.length !== wanted.length || current.some((node, i) => node.tagName !== wanted[i]!.tagName)) {
      if (fresh) this.svgHost.replaceChildren(fresh);
    } else {
      current.forEach((node, i) => {
        const cls = wanted[i]!.getAttribute('class');
        if (cls !== node.getAttribute('class')) {
          if (cls === null) node.removeAttribute('class');
          else node.setAttribute('class', cls);
        }
      });
      svg.setAttribute('data-step', String(this.step));
    }
    this.showStep();
  }

  /** Everything around the drawing that follows the step: table row, buttons, status, explanation, bytes. */
  private showStep(): void {
    for (const row of Array.from(this.figure.querySelectorAll('tr[data-step]'))) {
      const current = this.stepping && Number(row.getAttribute('data-step')) === this.step;
      row.classList.toggle('wl-current-row', current);
      if (current) row.setAttribute('aria-current', 'step');
      else row.removeAttribute('aria-current');
    }
    this.buttons.first.disabled = this.step === 1;
    this.buttons.previous.disabled = this.step === 1;
    this.buttons.next.disabled = this.step === this.steps;
    this.buttons.last.disabled = this.step === this.steps;
    this.buttons.all.disabled = !this.stepping;
    this.figure.dataset.step = this.stepping ? String(this.step) : 'all';

    this.bytes.replaceChildren();
    if (!this.stepping) {
      this.status.textContent = `${this.steps} packets`;
      this.explain.textContent = this.diagram.description ?? 'Use Next or the → key to go through the packets one by one.';
      return;
    }
    const resolved = resolveSequence(this.diagram, this.rtt).messages[this.step - 1];
    const message = this.diagram.messages[this.step - 1]!;
    this.status.textContent = `Packet ${this.step} of ${this.steps}`;
    const when = resolved ? (message.lost ? `sent at ${formatMs(resolved.sendMs)}, lost` : `${formatMs(resolved.sendMs)} → ${formatMs(resolved.arriveMs)}`) : '';
    const host = (id: string) => this.diagram.hosts.find((h) => h.id === id)?.label ?? id;
    const head = el('strong', { text: `${mainLabel(message)} (${host(message.from)} → ${host(message.to)}, ${when})` });
    this.explain.replaceChildren(head, document.createTextNode(message.explain ? ` ${message.explain}` : ''));
    if (message.bytes) this.bytes.innerHTML = renderBytes(message);
    const current = this.svgHost.querySelector<SVGGElement>(`[data-kind="message"][data-step="${this.step}"]`);
    if (current && typeof current.scrollIntoView === 'function') {
      current.scrollIntoView({ block: 'nearest', inline: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    }
  }
}

const figures: SequenceFigure[] = [];

function setUpFigures(): void {
  for (const figure of Array.from(document.querySelectorAll<HTMLElement>('figure.wl-figure[data-spec]'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(figure.dataset.spec ?? '');
    } catch {
      continue;
    }
    const checked = validateDiagram(parsed);
    if (!checked.ok || checked.diagram.kind !== 'sequence') continue;
    figures.push(new SequenceFigure(figure, checked.diagram));
  }
}

function post(message: LessonMessage): void {
  vscodeApi?.postMessage(message);
}

/** In the webview, lesson links and the call link go through the extension; on the site they are plain links. */
function setUpLinks(): void {
  if (!vscodeApi) return;
  document.addEventListener('click', (e) => {
    const link = (e.target as Element).closest?.('a');
    if (!link) return;
    if (link.dataset.lesson) {
      e.preventDefault();
      const message: LessonMessage = { type: 'openLesson', lesson: link.dataset.lesson, back: link.dataset.nav === 'back' };
      if (link.dataset.fragment) message.fragment = link.dataset.fragment;
      post(message);
    } else if (link.dataset.nav === 'pick') {
      e.preventDefault();
      post({ type: 'pickLesson' });
    } else if (link.dataset.reveal) {
      e.preventDefault();
      post({ type: 'revealCall' });
    }
  });
}

function setUpScroll(): void {
  const fragment = document.body.dataset.fragment;
  if (state.scrollY) window.scrollTo(0, state.scrollY);
  else if (fragment) document.getElementById(fragment)?.scrollIntoView({ block: 'start' });
  let timer: number | undefined;
  window.addEventListener('scroll', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      state.scrollY = Math.round(window.scrollY);
      saveState();
    }, 150);
  });
}

setUpFigures();
setUpLinks();
setUpScroll();
saveState();
document.body.classList.add('wl-ready');
