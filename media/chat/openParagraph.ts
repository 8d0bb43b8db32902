/**
 * A long paragraph still streaming (no blank line yet), shown as one `<p>` of pieces: each piece of about
 * `CHARS_PER_PIECE` characters is rendered once as inline markdown and kept; only the last, `live`, is
 * rendered again per frame. The pieces are inline, so the paragraph flows as one, with no gap at a cut.
 * Older pieces are sealed (see `sealLines`) so that laying out the live piece does not grow with the paragraph.
 */
import { isPlainParagraph, paragraphCut, renderInlineMarkdown } from './markdown';

const CHARS_PER_PIECE = 4096;
/** Unsealed kept pieces before the older ones are sealed. */
const PIECES_BEFORE_SEALING = 4;

function span(className?: string): HTMLElement {
  const node = document.createElement('span');
  if (className) node.className = className;
  return node;
}

/** The top of the line that character `offset` of a text node is drawn on (undefined when it is not drawn). */
function lineTop(range: Range, text: Text, offset: number): number | undefined {
  range.setStart(text, offset);
  range.setEnd(text, offset + 1);
  return Array.from(range.getClientRects()).find((box) => box.width > 0)?.top;
}

/** Where the last line that starts inside a text node starts (an offset), or -1 when the node sits on one line. */
function lastLineStart(text: Text): number {
  const range = document.createRange();
  const length = text.data.length;
  if (length < 2) return -1;
  const first = lineTop(range, text, 0);
  const last = lineTop(range, text, length - 1);
  if (first === undefined || last === undefined || last <= first + 1) return -1;
  // The tops grow with the offset: the first character drawn on the last line's top.
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    const top = lineTop(range, text, middle);
    if (top !== undefined && top >= last - 1) high = middle;
    else low = middle + 1;
  }
  return low;
}

export class OpenParagraph {
  readonly element: HTMLElement;
  private readonly live = span();
  /** Where the live piece starts: the text before it is in kept pieces. */
  private kept: number;
  /** Kept pieces not sealed yet, oldest first. */
  private pieces: HTMLElement[] = [];

  /** Whether the text from `start` is long enough to be worth pieces, and one plain paragraph. */
  static fits(text: string, start: number): boolean {
    return text.length - start > CHARS_PER_PIECE && isPlainParagraph(text, start, text.length);
  }

  constructor(readonly start: number) {
    this.kept = start;
    this.element = document.createElement('p');
    this.element.className = 'open-paragraph';
    this.element.append(this.live);
  }

  /** Shows the paragraph as `text` now ends. False (nothing changed) once it is no longer one plain paragraph. */
  show(text: string): boolean {
    const end = text.length;
    if (!isPlainParagraph(text, this.kept, end)) return false;
    this.sealLines();
    while (end - this.kept > CHARS_PER_PIECE) {
      const cut = paragraphCut(text, this.kept, this.kept + CHARS_PER_PIECE);
      if (cut < 0) break;
      const piece = span();
      piece.innerHTML = renderInlineMarkdown(text.slice(this.kept, cut).trimEnd());
      piece.append(' ');
      this.element.insertBefore(piece, this.live);
      this.pieces.push(piece);
      this.kept = cut;
    }
    this.live.innerHTML = renderInlineMarkdown(text.slice(this.kept, end));
    return true;
  }

  /**
   * The paragraph ended at `boundary` (a blank line follows): its element, with the live piece rendered up to
   * the end, or undefined when the text up to `boundary` is not this one paragraph.
   */
  finish(text: string, boundary: number): HTMLElement | undefined {
    const rest = text.slice(this.kept, boundary).trimEnd();
    if (/\n[ \t]*\n/.test(rest) || !isPlainParagraph(rest, 0, rest.length)) return undefined;
    this.live.innerHTML = renderInlineMarkdown(rest);
    this.element.classList.remove('open-paragraph');
    return this.element;
  }

  /**
   * A paragraph of inline pieces is laid out whole whenever its live piece changes. The older kept pieces, up
   * to the start of a line (found in the layout the last frame left, before this frame changes anything), move
   * into a block of their own inside the paragraph: it ends where its last line wrapped anyway, so it looks
   * the same, and it is not laid out again.
   */
  private sealLines(): void {
    const pieces = this.pieces;
    if (pieces.length < PIECES_BEFORE_SEALING) return;
    const index = pieces.length - 2;
    const piece = pieces[index];
    const texts = Array.from(piece.childNodes).filter((node): node is Text => node.nodeType === Node.TEXT_NODE);
    for (let i = texts.length - 1; i >= 0; i--) {
      const offset = lastLineStart(texts[i]);
      if (offset <= 0) continue;
      const rest = texts[i].splitText(offset);
      const head = span();
      while (piece.firstChild && piece.firstChild !== rest) head.append(piece.firstChild);
      const sealed = span('sealed-lines');
      sealed.append(...pieces.slice(0, index), head);
      this.element.insertBefore(sealed, piece);
      this.pieces = pieces.slice(index);
      return;
    }
  }
}
