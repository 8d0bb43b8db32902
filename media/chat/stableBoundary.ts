/**
 * Where a streaming answer can be cut so that the part before never renders differently as more text
 * arrives, and whether a code fence is open at its end. Pure (no DOM), so it is unit-tested in Node.
 */

/** A fence open at the end of the scanned text. */
export interface OpenFence {
  /** The fence's characters (three or more backticks or tildes). */
  marker: string;
  /** Spaces before the opening marker (0–3): as many are stripped from each content line. */
  indent: number;
  /** Where the opening fence line starts. */
  start: number;
  /** Where the block's content starts (after the opening line). */
  contentStart: number;
}

/** How far a text has been scanned; pass it back to scan only what arrived since. */
export interface BoundaryScan {
  /** After the last blank line outside a fence, or after the closing line of a fence opened at the margin. */
  boundary: number;
  /** The start of the first line not scanned yet (the text's last line, while it has no newline). */
  position: number;
  fence?: OpenFence;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})/;

/** Scans `text` from where `previous` stopped (or from `from`, which must be a stable place). */
export function scanBoundary(text: string, previous: BoundaryScan | number): BoundaryScan {
  const start = typeof previous === 'number' ? { boundary: previous, position: previous } : previous;
  let { boundary, position, fence } = start;
  while (position < text.length) {
    const end = text.indexOf('\n', position);
    if (end < 0) break;
    const line = text.slice(position, end);
    const match = FENCE.exec(line);
    const marker = match?.[2];
    if (fence) {
      if (marker && marker[0] === fence.marker[0] && marker.length >= fence.marker.length && !line.trim().slice(marker.length).trim()) {
        // A fence opened at the margin is a top-level block: nothing after it can change how it renders.
        if (fence.indent === 0) boundary = end + 1;
        fence = undefined;
      }
    } else if (marker && !(marker[0] === '`' && line.slice(match[0].length).includes('`'))) {
      fence = { marker, indent: match[1].length, start: position, contentStart: end + 1 };
    } else if (!line.trim()) {
      boundary = end + 1;
    }
    position = end + 1;
  }
  return fence ? { boundary, position, fence } : { boundary, position };
}

/**
 * Where an answer can be cut so that the part before never renders differently as more text arrives:
 * after the last blank line that is outside a code fence (or after a fence opened at the margin, once it
 * closes). Scans from `from`, which must be such a place.
 */
export function stableBoundary(text: string, from: number): number {
  return scanBoundary(text, from).boundary;
}

/**
 * A line that starts a block other than a paragraph (or turns the lines above into a heading): a list item,
 * heading, quote, table row, fence, thematic break or setext underline, HTML, indented code.
 */
const OTHER_BLOCK = /^(?: {0,3}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|#{1,6}(?:[ \t]|$)|>|\||`{3}|~{3}|<|(?:[-*_=][ \t]*)+$)| {4}|\t)/m;

/** Whether `text` from `from` to `to` reads as lines of one plain paragraph (inline markdown only). */
export function isPlainParagraph(text: string, from: number, to: number): boolean {
  return !OTHER_BLOCK.test(text.slice(from, to));
}

/**
 * Where a paragraph still streaming can be cut, so that the part from `from` to the cut renders on its own
 * as it will in the whole: after the last space or line break before `before`, outside code spans (an even
 * number of backticks before it). -1 when there is no such place. Emphasis or a link that spans the cut shows
 * as typed until the answer ends and is rendered whole.
 */
export function paragraphCut(text: string, from: number, before: number): number {
  let backticks = 0;
  for (let i = from; i < before; i++) if (text.charCodeAt(i) === 96) backticks++;
  for (let i = before - 1; i > from; i--) {
    const code = text.charCodeAt(i);
    if (code === 96) backticks--;
    else if ((code === 32 || code === 10) && backticks % 2 === 0) return i + 1;
  }
  return -1;
}
