/**
 * One answer in the transcript. Streaming text is rendered incrementally: the stable part (up to the
 * last blank line outside a code fence) is rendered once and kept; only the tail is re-rendered per
 * batch, at most once a frame. When the answer ends it is rendered whole once.
 */
import type { AnswerDelta, AnswerStats, AssistantTurn } from '../../src/chat/protocol';
import type { ToolCall } from '../../src/client/types';
import { renderMarkdown, stableBoundary } from './markdown';

export interface CodeActions {
  decorate(container: HTMLElement): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function statsLine(stats: AnswerStats): string {
  const parts: string[] = [];
  if (stats.timeToFirstTokenMs !== undefined) parts.push(`first token ${stats.timeToFirstTokenMs} ms`);
  if (stats.tokensPerSecond !== undefined) parts.push(`${stats.tokensPerSecond} tok/s`);
  if (stats.promptTokens !== undefined) parts.push(`${stats.promptTokens} prompt`);
  if (stats.completionTokens !== undefined) parts.push(`${stats.completionTokens} completion`);
  if (stats.cachedTokens) parts.push(`${stats.cachedTokens} cached`);
  if (stats.reasoningTokens) parts.push(`${stats.reasoningTokens} reasoning`);
  if (stats.finishReason && stats.finishReason !== 'stop') parts.push(`finish: ${stats.finishReason}`);
  return parts.join(' · ');
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
  private frame?: number;

  constructor(
    private turn: AssistantTurn,
    private readonly code: CodeActions,
  ) {
    this.root = element('article', 'turn assistant');
    this.root.dataset.answerId = turn.id;
    this.root.append(element('header', 'who', turn.model));
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
    this.text = turn.text;
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    // The whole answer once, so that anything the incremental cut rendered apart (a loose list) is exact.
    this.committed.innerHTML = renderMarkdown(this.text);
    this.committedLength = this.text.length;
    this.tail.replaceChildren();
    this.code.decorate(this.committed);
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

  private renderIncrement(): void {
    const boundary = stableBoundary(this.text, this.committedLength);
    if (boundary > this.committedLength) {
      const block = element('div');
      block.innerHTML = renderMarkdown(this.text.slice(this.committedLength, boundary));
      this.code.decorate(block);
      this.committed.append(block);
      this.committedLength = boundary;
    }
    this.tail.innerHTML = renderMarkdown(this.text.slice(this.committedLength));
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
    if (turn.state === 'failed') {
      const error = element('div', 'error', turn.error ?? 'The request failed.');
      error.setAttribute('role', 'alert');
      this.footer.append(error);
    }
    if (turn.state === 'stopped') this.footer.append(element('div', 'stopped', 'Stopped.'));
    const figures = statsLine(turn.stats);
    if (figures) this.footer.append(element('div', 'stats', figures));
    if (turn.stats.requestId) {
      const id = element('div', 'request-id', `request ${turn.stats.requestId}`);
      id.title = 'X-Baseten-Request-Id: quote it to Baseten support';
      this.footer.append(id);
    }
  }
}
