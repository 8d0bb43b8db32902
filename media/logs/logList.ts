/**
 * The log lines as a virtualised grid: every line is kept in an array, only the rows in view (and a few
 * around them) are in the DOM, each one line high, so 100,000 lines cost what 50 do. The grid has the focus;
 * the active row is its `aria-activedescendant`, moved with the arrow keys, Page Up/Down, Home and End.
 * Message text is untrusted and only ever set as textContent.
 */
import type { LogRow } from '../../src/features/logs/logic/protocol';
import { firstLine, formatLogTime, levelWord } from '../../src/features/logs/logic/logFormat';

const OVERSCAN = 10;

export interface LogListOptions {
  /** The active row changed (by key or click); -1 when none. */
  onActive?: (index: number) => void;
  now?: () => number;
}

interface RowElement {
  root: HTMLElement;
  time: HTMLElement;
  level: HTMLElement;
  replica: HTMLElement;
  request: HTMLElement;
  message: HTMLElement;
  index: number;
}

export class LogList {
  rows: LogRow[] = [];
  active = -1;
  private rowHeight = 0;
  private readonly pool: RowElement[] = [];
  private frame = 0;
  private readonly now: () => number;

  constructor(
    private readonly grid: HTMLElement,
    private readonly canvas: HTMLElement,
    private readonly options: LogListOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    grid.addEventListener('scroll', () => this.scheduleRender(), { passive: true });
    grid.addEventListener('keydown', (event) => this.onKey(event));
    canvas.addEventListener('click', (event) => {
      const rowElement = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (rowElement) this.setActive(Number(rowElement.dataset.index), false);
    });
    new ResizeObserver(() => this.scheduleRender()).observe(grid);
  }

  /** Whether the view is at the bottom, so new lines should keep it there. */
  get atBottom(): boolean {
    return this.grid.scrollTop + this.grid.clientHeight >= this.grid.scrollHeight - this.height() * 2;
  }

  replace(rows: LogRow[]): void {
    this.rows = rows;
    this.active = -1;
    this.forgetFilled();
    this.renderNow();
    this.grid.scrollTop = this.grid.scrollHeight;
  }

  /** New lines at the end; the view follows them when it was at the bottom. */
  append(rows: LogRow[]): void {
    const follow = this.atBottom;
    for (const row of rows) this.rows.push(row);
    this.renderNow();
    if (follow) this.grid.scrollTop = this.grid.scrollHeight;
  }

  /** Earlier lines in front; the lines in view stay where they are. */
  prepend(rows: LogRow[]): void {
    const before = this.grid.scrollTop;
    this.rows = rows.concat(this.rows);
    if (this.active >= 0) this.active += rows.length;
    this.forgetFilled();
    this.renderNow();
    this.grid.scrollTop = before + rows.length * this.height();
  }

  setActive(index: number, scroll = true): void {
    if (!this.rows.length) return;
    this.active = Math.max(0, Math.min(this.rows.length - 1, index));
    if (scroll) this.scrollIntoView(this.active);
    this.renderNow();
    this.options.onActive?.(this.active);
  }

  /** Index of the first row of a request, or -1. */
  find(predicate: (row: LogRow) => boolean): number {
    return this.rows.findIndex(predicate);
  }

  /** Number of row elements in the DOM (the benchmark and tests read it). */
  get rendered(): number {
    return this.pool.filter((row) => !row.root.hidden).length;
  }

  /** The rows' indexes moved: every pooled row is filled again. */
  private forgetFilled(): void {
    for (const element of this.pool) element.index = -1;
  }

  private height(): number {
    if (!this.rowHeight) {
      const probe = this.makeRow();
      probe.root.style.visibility = 'hidden';
      probe.message.textContent = 'M';
      this.canvas.append(probe.root);
      this.rowHeight = probe.root.getBoundingClientRect().height || 20;
      probe.root.remove();
    }
    return this.rowHeight;
  }

  private scrollIntoView(index: number): void {
    const height = this.height();
    const top = index * height;
    // The sticky header covers the first row's height at the top.
    const header = this.grid.firstElementChild?.getBoundingClientRect().height ?? 0;
    if (top < this.grid.scrollTop) this.grid.scrollTop = top;
    else if (top + height > this.grid.scrollTop + this.grid.clientHeight - header) this.grid.scrollTop = top + height - this.grid.clientHeight + header;
  }

  private onKey(event: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.grid.clientHeight / this.height()) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (event.key in moves) {
      this.setActive(this.active < 0 ? this.firstVisible() : this.active + moves[event.key]);
    } else if (event.key === 'Home') {
      this.setActive(0);
    } else if (event.key === 'End') {
      this.setActive(this.rows.length - 1);
    } else {
      return;
    }
    event.preventDefault();
  }

  private firstVisible(): number {
    return Math.min(this.rows.length - 1, Math.floor(this.grid.scrollTop / this.height()));
  }

  private scheduleRender(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  /** Sizes the canvas to every row and fills the rows in view. */
  renderNow(): void {
    const height = this.height();
    this.canvas.style.height = `${this.rows.length * height}px`;
    this.grid.setAttribute('aria-rowcount', String(this.rows.length + 1));
    const first = Math.max(0, Math.floor(this.grid.scrollTop / height) - OVERSCAN);
    const visible = Math.ceil((this.grid.clientHeight || 600) / height) + 2 * OVERSCAN;
    const last = Math.min(this.rows.length, first + visible);
    const indexes: number[] = [];
    for (let i = first; i < last; i++) indexes.push(i);
    // The active row stays in the DOM so that aria-activedescendant always names an element.
    if (this.active >= 0 && (this.active < first || this.active >= last)) indexes.push(this.active);
    while (this.pool.length < indexes.length) {
      const made = this.makeRow();
      this.pool.push(made);
      this.canvas.append(made.root);
    }
    const now = this.now();
    indexes.forEach((index, i) => this.fill(this.pool[i], index, height, now));
    for (let i = indexes.length; i < this.pool.length; i++) {
      this.pool[i].root.hidden = true;
      this.pool[i].index = -1;
      this.pool[i].root.removeAttribute('id');
      this.pool[i].root.classList.remove('active');
    }
    if (this.active >= 0) this.grid.setAttribute('aria-activedescendant', `log-row-${this.active}`);
    else this.grid.removeAttribute('aria-activedescendant');
  }

  private makeRow(): RowElement {
    const root = document.createElement('div');
    root.className = 'row';
    root.setAttribute('role', 'row');
    const cell = (name: string): HTMLElement => {
      const element = document.createElement('span');
      element.className = name;
      element.setAttribute('role', 'gridcell');
      root.append(element);
      return element;
    };
    return { root, time: cell('time'), level: cell('level'), replica: cell('replica'), request: cell('request'), message: cell('message'), index: -1 };
  }

  private fill(element: RowElement, index: number, height: number, now: number): void {
    const { root } = element;
    root.hidden = false;
    root.style.top = `${index * height}px`;
    root.id = `log-row-${index}`;
    root.setAttribute('aria-rowindex', String(index + 2));
    root.setAttribute('aria-selected', String(index === this.active));
    root.classList.toggle('active', index === this.active);
    if (element.index === index) return;
    element.index = index;
    root.dataset.index = String(index);
    const row = this.rows[index];
    root.dataset.level = row.level ?? 'NONE';
    element.time.textContent = formatLogTime(row.timeMs, now);
    element.level.textContent = levelWord(row.level);
    element.replica.textContent = row.replica ?? '';
    element.request.textContent = row.requestId ? row.requestId.slice(0, 8) : '';
    const { text, more } = firstLine(row.message);
    element.message.textContent = more ? `${text}  (+${more} more ${more === 1 ? 'line' : 'lines'})` : text;
  }
}
