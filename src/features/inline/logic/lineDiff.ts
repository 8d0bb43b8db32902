/**
 * The inline diff's text work: which lines of the selection a proposal keeps, removes and adds, and the
 * smallest edit that turns what the editor shows into the next frame.
 */

/** `pending`: an original line the streaming answer has not reached yet (neither kept nor removed so far). */
export type LineKind = 'same' | 'removed' | 'added' | 'pending';

export interface BlockLine {
  kind: LineKind;
  text: string;
}

/** Above this many cells the line-by-line comparison gives up and shows all old lines removed, all new added. */
const MAX_COMPARISON_CELLS = 4_000_000;

/** Longest-common-subsequence diff of two line lists; within a changed stretch, removed lines come first. */
export function diffLines(original: readonly string[], proposed: readonly string[]): BlockLine[] {
  let head = 0;
  while (head < original.length && head < proposed.length && original[head] === proposed[head]) head++;
  let tail = 0;
  while (tail < original.length - head && tail < proposed.length - head && original[original.length - 1 - tail] === proposed[proposed.length - 1 - tail]) tail++;
  const a = original.slice(head, original.length - tail);
  const b = proposed.slice(head, proposed.length - tail);
  const middle = a.length * b.length > MAX_COMPARISON_CELLS ? changed(a, b) : lcsDiff(a, b);
  return [...original.slice(0, head).map(same), ...middle, ...original.slice(original.length - tail).map(same)];
}

function same(text: string): BlockLine {
  return { kind: 'same', text };
}

function changed(removed: readonly string[], added: readonly string[]): BlockLine[] {
  return [...removed.map((text) => ({ kind: 'removed' as const, text })), ...added.map((text) => ({ kind: 'added' as const, text }))];
}

function lcsDiff(a: readonly string[], b: readonly string[]): BlockLine[] {
  const width = b.length + 1;
  // lengths[i * width + j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] = a[i] === b[j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const lines: BlockLine[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    lines.push(...changed(removed, added));
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      flush();
      lines.push(same(a[i]));
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
      removed.push(a[i++]);
    } else {
      added.push(b[j++]);
    }
  }
  removed.push(...a.slice(i));
  added.push(...b.slice(j));
  flush();
  return lines;
}

/**
 * The lines to show for a proposal. While it streams, the original lines after the last one the answer
 * has matched are shown as pending, below what has arrived, rather than as removed. Only a line with a
 * letter or digit anchors that match: a lone `}` or blank line in the answer would otherwise pair with
 * the end of the original long before the answer gets there.
 */
export function blockLines(original: readonly string[], proposed: readonly string[], streaming: boolean): BlockLine[] {
  const lines = diffLines(original, proposed);
  if (!streaming) return lines;
  let anchor = -1;
  lines.forEach((line, index) => {
    if (line.kind === 'same' && /[\p{L}\p{N}]/u.test(line.text)) anchor = index;
  });
  const rest = lines.slice(anchor + 1);
  return [
    ...lines.slice(0, anchor + 1),
    ...rest.filter((line) => line.kind !== 'removed').map((line) => ({ kind: 'added' as const, text: line.text })),
    ...rest.filter((line) => line.kind !== 'added').map((line) => ({ kind: 'pending' as const, text: line.text })),
  ];
}

/** Lines a decision leaves: accepting keeps all but the removed ones; rejecting all but the added ones. */
export function decidedLines(lines: readonly BlockLine[], accept: boolean): string[] {
  return lines.filter((line) => line.kind !== (accept ? 'removed' : 'added')).map((line) => line.text);
}

export function countChanges(lines: readonly BlockLine[]): { added: number; removed: number } {
  return { added: lines.filter((line) => line.kind === 'added').length, removed: lines.filter((line) => line.kind === 'removed').length };
}

/** Splits text into lines on `\n` or `\r\n`. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The one replacement (offsets into `before`) that turns `before` into `after`: their common start and end are left alone. */
export function middleEdit(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start < shortest && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < shortest - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  // Never split a CRLF pair.
  if (start > 0 && before[start - 1] === '\r') start--;
  if (tail > 0 && before[before.length - tail] === '\n' && before[before.length - tail - 1] === '\r') tail--;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** Line and character of an offset into text (lines end with `\n`). */
export function positionIn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * The whole lines a selection touches, as the text before it on its first line, the selected text and
 * the text after it on its last line. A replacement goes between them; a selection that ended at the
 * start of a line took that line break, which the replacement gives back (the block stops before it).
 */
export interface SelectionLines {
  before: string;
  after: string;
  endsAtLineStart: boolean;
}

export function proposedBlockText(parts: SelectionLines, replacement: string): string {
  const body = parts.endsAtLineStart ? replacement.replace(/\r?\n$/, '') : replacement;
  return parts.before + body + parts.after;
}
