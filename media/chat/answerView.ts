/**
 * One answer in the transcript. Streaming text is rendered incrementally: the stable part (up to the
 * last blank line outside a code fence, or the end of a closed top-level fence) is rendered once and
 * kept; only the tail is re-rendered per batch, at most once a frame. A code block still open at the
 * tail is not re-rendered: its opening is rendered once (so markdown-it puts the block where it
 * belongs) and the code that arrives is appended to it as plain text, highlighted once when its fence
 * closes or the answer ends. A long paragraph still open at the tail is shown in kept pieces
 * (`OpenParagraph`). When the answer ends it is rendered whole once.
 */
import type { AnswerDelta, AnswerStats, AssistantTurn } from '../../src/features/chat/logic/protocol';
import type { ToolCall } from '../../src/client/types';
import { renderMarkdown, scanBoundary, type BoundaryScan } from './markdown';
import { OpenParagraph } from './openParagraph';

export interface CodeActions {
  decorate(container: HTMLElement): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The answer's figures in a few words: speed and size, and why it ended when that was not the model's own choice. */
export function statsLine(stats: AnswerStats): string {
  const parts: string[] = [];
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`${seconds(stats.timeToFirstTokenMs)} to first token`);
  if (stats.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond} tok/s`);
  if (stats.completionTokens !== undefined) parts.push(`${stats.completionTokens.toLocaleString('en-US')} tokens`);
  if (stats.finishReason === 'length') parts.push('cut at the token limit');
  else if (stats.finishReason && stats.finishReason !== 'stop') parts.push(`ended: ${stats.finishReason.replace(/_/g, ' ')}`);
  return parts.join(' · ');
}

/** Every figure, one a line: what the statistics line shows on hover. */
export function statsDetails(stats: AnswerStats): string {
  const lines: string[] = [];
  if (stats.timeToFirstTokenMs !== undefined) lines.push(`Time to first token: ${stats.timeToFirstTokenMs} ms`);
  if (stats.tokensPerSecond !== undefined) lines.push(`Speed: ${stats.tokensPerSecond} tokens per second`);
  if (stats.durationMs !== undefined) lines.push(`Duration: ${seconds(stats.durationMs)}`);
  if (stats.promptTokens !== undefined) lines.push(`Prompt tokens: ${stats.promptTokens}`);
  if (stats.completionTokens !== undefined) lines.push(`Completion tokens: ${stats.completionTokens}`);
  if (stats.cachedTokens) lines.push(`Cached prompt tokens: ${stats.cachedTokens}`);
  if (stats.reasoningTokens) lines.push(`Reasoning tokens: ${stats.reasoningTokens}`);
  if (stats.finishReason) lines.push(`Finish reason: ${stats.finishReason}`);
  return lines.join('\n');
}

/** What markdown-it does to a fence's content lines: up to `indent` leading spaces removed from each. */
function stripIndent(text: string, indent: number): string {
  return indent === 0 ? text : text.replace(new RegExp(`^ {1,${indent}}`, 'gm'), '');
}

/** Characters of an open code block per block element while it streams. */
const CHARS_PER_BLOCK = 4096;

/** A new block of lines in a streaming code block, before its partial last line; its text node. */
function streamLines(code: Element): Text {
  const block = element('span', 'stream-lines');
  const text = document.createTextNode('');
  block.append(text);
  code.insertBefore(block, code.lastElementChild);
  return text;
}

export class AnswerView {
  readonly root: HTMLElement;
  private readonly reasoningBlock: HTMLDetailsElement;
  private readonly reasoningText: HTMLElement;
  private readonly body: HTMLElement;
  private readonly committed: HTMLElement;
  private readonly tail: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly footer: HTMLElement;
  private text = '';
  private committedLength = 0;
  private scan: BoundaryScan = { boundary: 0, position: 0 };
  /**
   * The code block open at the tail, shown as plain text: complete lines in blocks of a few KB (so that
   * laying out what arrives never lays out the whole block again), then the partial last line.
   */
  private open?: { start: number; indent: number; code: Element; lines: Text; partial: Text; shown: number };
  private paragraph?: OpenParagraph;
  private frame?: number;

  constructor(
    private turn: AssistantTurn,
    private readonly code: CodeActions,
    /** Render a long open paragraph in kept pieces (off only to measure the cost without it). */
    private readonly piecewise = true,
  ) {
    this.root = element('article', 'turn assistant');
    this.root.dataset.answerId = turn.id;
    this.root.append(element('h2', 'who', turn.model));
    this.reasoningBlock = element('details', 'reasoning');
    this.reasoningBlock.append(element('summary', undefined, 'Reasoning'));
    this.reasoningText = element('div', 'reasoning-text');
    this.reasoningBlock.append(this.reasoningText);
    this.body = element('div', 'answer markdown');
    this.committed = element('div');
    this.tail = element('div');
    this.body.append(this.committed, this.tail);
    this.tools = element('div', 'tool-calls');
    this.footer = element('footer', 'answer-footer');
    this.root.append(this.reasoningBlock, this.body, this.tools, this.footer);
    this.reasoningBlock.hidden = !turn.reasoning;
    this.reasoningText.textContent = turn.reasoning;
    this.text = turn.text;
    this.renderToolCalls(turn.toolCalls);
    if (turn.state === 'streaming') {
      this.scheduleRender();
      this.root.setAttribute('aria-busy', 'true');
      this.footer.textContent = 'Streaming…';
    } else {
      this.end(turn);
    }
  }

  get id(): string {
    return this.turn.id;
  }

  get plainText(): string {
    return this.text;
  }

  apply(delta: AnswerDelta): void {
    if (delta.reasoning) {
      this.reasoningBlock.hidden = false;
      // Plain text, appended: reasoning can be long and needs no markup.
      this.reasoningText.append(delta.reasoning);
    }
    if (delta.text) {
      this.text += delta.text;
      this.scheduleRender();
    }
    if (delta.toolCalls) this.renderToolCalls(delta.toolCalls);
  }

  end(turn: AssistantTurn): void {
    this.turn = turn;
    this.root.removeAttribute('aria-busy');
    this.text = turn.text;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const started = performance.now();
    // The whole answer once, so that anything the incremental cut rendered apart (a loose list) is exact.
    this.committed.innerHTML = renderMarkdown(this.text);
    this.committedLength = this.text.length;
    this.scan = { boundary: this.text.length, position: this.text.length };
    this.open = undefined;
    this.paragraph = undefined;
    this.tail.replaceChildren();
    this.code.decorate(this.committed);
    this.footer.dataset.finalRenderMs = (performance.now() - started).toFixed(1);
    this.reasoningText.textContent = turn.reasoning;
    this.reasoningBlock.hidden = !turn.reasoning;
    this.renderToolCalls(turn.toolCalls);
    this.renderFooter(turn);
  }

  private scheduleRender(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.renderIncrement();
    });
  }

  /**
   * What the last streaming render cost the page (script, style and layout), on the footer (a small element tests can read):
   * `data-render-ms` and the answer's length then (`data-rendered-length`), `data-render-max-ms`.
   */
  private recordRender(started: number): void {
    const data = this.footer.dataset;
    data.scriptMs = (performance.now() - started).toFixed(2);
    // Layout included: the page lays the answer out this frame anyway (the transcript follows the output).
    void this.body.offsetHeight;
    const ms = performance.now() - started;
    data.renderMs = ms.toFixed(1);
    data.renderedLength = String(this.text.length);
    data.renderMaxMs = Math.max(ms, Number(data.renderMaxMs ?? 0)).toFixed(1);
  }

  private renderIncrement(): void {
    const started = performance.now();
    this.scan = scanBoundary(this.text, this.scan);
    const boundary = this.scan.boundary;
    if (boundary > this.committedLength) {
      if (!this.keepParagraph(boundary)) {
        const block = element('div');
        block.innerHTML = renderMarkdown(this.text.slice(this.committedLength, boundary));
        this.code.decorate(block);
        this.committed.append(block);
      }
      this.committedLength = boundary;
      this.open = undefined;
      this.paragraph = undefined;
    }
    const fence = this.scan.fence;
    if (fence && this.showOpenBlock(fence.start, fence.indent, fence.contentStart)) {
      this.paragraph = undefined;
    } else if (!this.showOpenParagraph()) {
      this.open = undefined;
      this.paragraph = undefined;
      this.tail.innerHTML = renderMarkdown(this.text.slice(this.committedLength));
    }
    this.recordRender(started);
  }

  /**
   * Shows a long tail that is one plain paragraph in kept pieces (see `OpenParagraph`). False (nothing
   * changed) when the tail is short or holds other blocks, which the caller then renders as markdown.
   */
  private showOpenParagraph(): boolean {
    const start = this.committedLength;
    if (!this.piecewise) return false;
    if (this.paragraph?.start !== start) {
      if (!OpenParagraph.fits(this.text, start)) return false;
      this.paragraph = new OpenParagraph(start);
      this.tail.replaceChildren(this.paragraph.element);
    }
    return this.paragraph.show(this.text);
  }

  /**
   * The stable part grew to `boundary` and is the paragraph shown in pieces, now ended by a blank line: its
   * pieces are kept as they are instead of rendering it again whole. False when the stable part is anything else.
   */
  private keepParagraph(boundary: number): boolean {
    const kept = this.paragraph?.start === this.committedLength ? this.paragraph.finish(this.text, boundary) : undefined;
    if (!kept) return false;
    const block = element('div');
    block.append(kept);
    this.committed.append(block);
    this.tail.replaceChildren();
    return true;
  }

  /**
   * Shows the tail whose last block is a code fence still open: rendered up to its opening line once,
   * then its code appended as text. False (nothing changed) where the rendering has no empty code
   * block last, which the caller then renders as markdown.
   */
  private showOpenBlock(start: number, indent: number, contentStart: number): boolean {
    if (this.open?.start !== start) {
      const rendered = element('div');
      rendered.innerHTML = renderMarkdown(this.text.slice(this.committedLength, contentStart));
      const blocks = rendered.querySelectorAll('pre > code');
      const code = blocks[blocks.length - 1];
      if (!code || code.textContent !== '' || !rendered.lastElementChild?.contains(code)) return false;
      code.classList.add('streaming');
      const partial = document.createTextNode('');
      const partialBlock = element('span', 'stream-lines');
      partialBlock.append(partial);
      code.append(partialBlock);
      const lines = streamLines(code);
      this.tail.replaceChildren(...Array.from(rendered.childNodes));
      this.open = { start, indent, code, lines, partial, shown: contentStart };
    }
    const open = this.open;
    const complete = this.scan.position;
    if (complete > open.shown) {
      if (open.lines.length >= CHARS_PER_BLOCK) open.lines = streamLines(open.code);
      open.lines.appendData(stripIndent(this.text.slice(open.shown, complete), open.indent));
      open.shown = complete;
    }
    const partial = stripIndent(this.text.slice(complete), open.indent);
    if (open.partial.data !== partial) open.partial.data = partial;
    return true;
  }

  private renderToolCalls(calls: ToolCall[]): void {
    this.tools.replaceChildren(
      ...calls.map((call) => {
        const box = element('div', 'tool-call');
        box.append(element('div', 'tool-name', `Tool call: ${call.function.name || '…'}`));
        let args = call.function.arguments;
        try {
          args = JSON.stringify(JSON.parse(args), null, 2);
        } catch {
          // Still streaming, or not JSON: shown as sent.
        }
        box.append(element('pre', 'tool-args', args));
        return box;
      }),
    );
  }

  private renderFooter(turn: AssistantTurn): void {
    this.footer.replaceChildren();
    this.root.classList.toggle('failed', turn.state === 'failed');
    // Said once through the page's status region when it happens; shown here for reading.
    if (turn.state === 'failed') {
      const box = element('div', 'error error-box', turn.error ?? 'The request failed.');
      if (turn.logs) {
        const button = element('button', 'show-logs', 'Show Logs');
        button.type = 'button';
        button.dataset.answerId = turn.id;
        button.title = "Open this deployment's logs around the failure, filtered to its request";
        box.append(' ', button);
      }
      this.footer.append(box);
    }
    if (turn.state === 'stopped') this.footer.append(element('div', 'stopped', 'Stopped.'));
    const figures = statsLine(turn.stats);
    if (figures) {
      const line = element('div', 'stats', figures);
      line.title = statsDetails(turn.stats);
      this.footer.append(line);
    }
    if (turn.stats.requestId) {
      const id = element('div', 'request-id', `request ${turn.stats.requestId}`);
      id.title = 'X-Baseten-Request-Id: quote it to Baseten support';
      this.footer.append(id);
    }
  }
}
