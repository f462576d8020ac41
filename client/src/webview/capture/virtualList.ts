// A virtualised list box: only the rows in view (plus a few either side) exist in the DOM, however many
// rows the list has, so a capture of millions of packets costs the page a few dozen elements. Rows
// have a fixed height. Past the height browsers can scroll (~33 M px), the scroll position maps onto
// the rows proportionally. Keyboard: ↑/↓, PageUp/PageDown, Home/End move the selection (it follows
// the focus, as in VS Code's lists); Enter activates. Screen readers get role=listbox/option with
// aria-setsize/aria-posinset and aria-activedescendant on the focusable list.

export interface VirtualListOptions {
  /** Element the list goes into (emptied). */
  host: HTMLElement;
  /** Accessible name of the list. */
  label: string;
  /** Prefix of the option ids (unique on the page). */
  idPrefix: string;
  rowHeight: number;
  /** Fills a (recycled) row element for row `index`; called again when `refresh` runs. */
  renderRow(element: HTMLElement, index: number): void;
  /** The rows in view changed (to fetch rows that are not loaded yet). */
  onRange?(first: number, last: number): void;
  /** The selection moved (click or keyboard). */
  onSelect?(index: number): void;
  /** Enter on the selected row, or a double click. */
  onActivate?(index: number): void;
}

/** Largest scrollable height used; browsers clamp element heights somewhere above 30 M px. */
const MAX_SCROLL_PX = 8_000_000;
const OVERSCAN = 6;

export class VirtualList {
  readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rows = new Map<number, HTMLElement>();
  private readonly spare: HTMLElement[] = [];
  private count = 0;
  private selected = -1;
  private frame = 0;

  constructor(private readonly options: VirtualListOptions) {
    this.viewport = document.createElement('div');
    this.viewport.className = 'wl-vlist';
    this.viewport.tabIndex = 0;
    this.viewport.setAttribute('role', 'listbox');
    this.viewport.setAttribute('aria-label', options.label);
    this.spacer = document.createElement('div');
    this.spacer.className = 'wl-vlist-spacer';
    this.viewport.append(this.spacer);
    options.host.replaceChildren(this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule());
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const index = this.indexAt(e.target);
      if (index !== undefined) this.select(index, { scroll: false });
    });
    this.viewport.addEventListener('dblclick', (e) => {
      const index = this.indexAt(e.target);
      if (index !== undefined) this.options.onActivate?.(index);
    });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  get length(): number {
    return this.count;
  }

  get selectedIndex(): number {
    return this.selected;
  }

  /** Number of row elements in the DOM (the tests check it stays small). */
  get renderedRows(): number {
    return this.rows.size;
  }

  setCount(count: number): void {
    this.count = Math.max(0, count);
    if (this.selected >= this.count) this.selected = -1;
    this.spacer.style.height = `${Math.min(MAX_SCROLL_PX, this.count * this.options.rowHeight)}px`;
    this.viewport.setAttribute('aria-busy', 'false');
    this.refresh();
  }

  /** Re-renders the rows in view (after their data arrived or changed). */
  refresh(): void {
    for (const [index, row] of this.rows) {
      this.recycle(index, row);
    }
    this.render();
  }

  /** Re-renders one row if it is in view. */
  refreshRow(index: number): void {
    const row = this.rows.get(index);
    if (row) this.fill(row, index);
  }

  select(index: number, how: { scroll?: boolean; notify?: boolean } = {}): void {
    if (this.count === 0) return;
    const next = Math.max(0, Math.min(this.count - 1, index));
    const changed = next !== this.selected;
    this.selected = next;
    if (how.scroll !== false) this.scrollToIndex(next);
    this.render();
    this.viewport.setAttribute('aria-activedescendant', `${this.options.idPrefix}-${next}`);
    if (changed && how.notify !== false) this.options.onSelect?.(next);
  }

  clearSelection(): void {
    this.selected = -1;
    this.viewport.removeAttribute('aria-activedescendant');
    this.refresh();
  }

  scrollToIndex(index: number): void {
    const { rowHeight } = this.options;
    const view = this.viewport.clientHeight || rowHeight * 10;
    const virtualTop = this.virtualTop();
    const rowTop = index * rowHeight;
    let target = virtualTop;
    if (rowTop < virtualTop) target = rowTop;
    else if (rowTop + rowHeight > virtualTop + view) target = rowTop + rowHeight - view;
    if (target !== virtualTop) this.viewport.scrollTop = this.toScrollTop(target);
  }

  private virtualHeight(): number {
    return this.count * this.options.rowHeight;
  }

  /** Where the top of the view is, in unscaled row pixels. */
  private virtualTop(): number {
    const view = this.viewport.clientHeight;
    const maxScroll = Math.min(MAX_SCROLL_PX, this.virtualHeight()) - view;
    const maxVirtual = this.virtualHeight() - view;
    if (maxScroll <= 0 || maxVirtual <= 0) return 0;
    return (Math.min(this.viewport.scrollTop, maxScroll) / maxScroll) * maxVirtual;
  }

  private toScrollTop(virtualTop: number): number {
    const view = this.viewport.clientHeight;
    const maxScroll = Math.min(MAX_SCROLL_PX, this.virtualHeight()) - view;
    const maxVirtual = this.virtualHeight() - view;
    if (maxScroll <= 0 || maxVirtual <= 0) return 0;
    return (Math.max(0, Math.min(virtualTop, maxVirtual)) / maxVirtual) * maxScroll;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const { rowHeight } = this.options;
    const view = this.viewport.clientHeight || rowHeight * 20;
    const virtualTop = this.virtualTop();
    const first = Math.max(0, Math.floor(virtualTop / rowHeight) - OVERSCAN);
    const last = Math.min(this.count - 1, Math.ceil((virtualTop + view) / rowHeight) + OVERSCAN);
    for (const [index, row] of this.rows) {
      if (index < first || index > last) this.recycle(index, row);
    }
    const scrollTop = this.viewport.scrollTop;
    for (let index = first; index <= last; index++) {
      let row = this.rows.get(index);
      if (!row) {
        row = this.spare.pop() ?? this.createRow();
        this.rows.set(index, row);
        this.fill(row, index);
        if (!row.isConnected) this.viewport.append(row);
      }
      // Rows sit where they belong relative to the view (scaled scrolling moves the view, not the rows).
      row.style.transform = `translateY(${Math.round(scrollTop + index * rowHeight - virtualTop)}px)`;
      const selected = index === this.selected;
      row.classList.toggle('wl-selected', selected);
      row.setAttribute('aria-selected', String(selected));
    }
    if (this.count > 0 && last >= first) this.options.onRange?.(Math.max(0, first), last);
  }

  private createRow(): HTMLElement {
    const row = document.createElement('div');
    row.className = 'wl-vlist-row';
    row.setAttribute('role', 'option');
    row.style.height = `${this.options.rowHeight}px`;
    return row;
  }

  private fill(row: HTMLElement, index: number): void {
    row.id = `${this.options.idPrefix}-${index}`;
    row.dataset.index = String(index);
    row.setAttribute('aria-setsize', String(this.count));
    row.setAttribute('aria-posinset', String(index + 1));
    this.options.renderRow(row, index);
  }

  private recycle(index: number, row: HTMLElement): void {
    this.rows.delete(index);
    row.remove();
    row.replaceChildren();
    row.className = 'wl-vlist-row';
    this.spare.push(row);
  }

  private indexAt(target: EventTarget | null): number | undefined {
    const row = (target as Element | null)?.closest?.('.wl-vlist-row') as HTMLElement | null;
    const index = Number(row?.dataset.index);
    return row && Number.isInteger(index) ? index : undefined;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const page = Math.max(1, Math.floor((this.viewport.clientHeight || this.options.rowHeight * 10) / this.options.rowHeight) - 1);
    const from = this.selected < 0 ? -1 : this.selected;
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from < 0 ? 0 : from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: this.count - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      this.select(moves[e.key]!);
    } else if ((e.key === 'Enter' || e.key === ' ') && this.selected >= 0) {
      e.preventDefault();
      this.options.onActivate?.(this.selected);
    }
  }
}
