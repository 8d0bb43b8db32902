/**
 * Pretty-prints JSON the way `JSON.stringify(value, null, 2)` lays it out, working on UTF-8 bytes as they
 * arrive: no text is decoded and no value is parsed, so a 10 MB answer costs one pass over its bytes and one
 * decode of the printed result. Strings, numbers and keywords are copied as written. It checks the grammar as
 * strictly as `JSON.parse` does and stops at the first byte that makes the text invalid. Plain code: no editor
 * APIs. (src/client/jsonScanner.ts checks the same grammar on decoded text, for callers that hold a string.)
 */
import { Expect, isDigit, isHexDigit, isShortEscape, mayClose } from '../../../client/jsonScanner';

/** A token cut by the end of a chunk, carried into the next one. */
const enum Partial {
  None,
  String,
  /** After a backslash in a string. */
  Escape,
  /** Inside `\u` and its four hex digits; `hexLeft` says how many are missing. */
  Unicode,
  Number,
  Keyword,
}

/** Where a number is: after which part of `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`. */
const enum Num {
  Start,
  Minus,
  Zero,
  Int,
  Dot,
  Fraction,
  Exponent,
  ExponentSign,
  ExponentDigits,
}

const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = 32;
const NEWLINE = 10;
const KEYWORDS = [Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];

/** A number may end in these states; in the others a digit is still owed. */
function numberMayEnd(state: Num): boolean {
  return state === Num.Zero || state === Num.Int || state === Num.Fraction || state === Num.ExponentDigits;
}

/**
 * Called with each string value as written (quotes and escapes included): where it lies in the output, and the
 * printer, whose `path()` says where the value is.
 */
export type StringSink = (output: Buffer, start: number, end: number, printer: JsonPrinter) => void;

export class JsonPrinter {
  private out: Buffer;
  private length = 0;
  private expect = Expect.Value;
  private partial = Partial.None;
  private partialIsKey = false;
  private hexLeft = 0;
  private num = Num.Start;
  private keyword = 0;
  private keywordAt = 0;
  /** Output offset of the string being copied (its opening quote). */
  private stringStart = 0;
  /** After an opening bracket nothing is written until the next token shows whether the container is empty. */
  private open = false;
  private failed = false;
  /** One entry per open container. */
  private readonly inObject: boolean[] = [];
  private readonly index: number[] = [];
  private readonly keyStart: number[] = [];
  private readonly keyEnd: number[] = [];

  constructor(
    private readonly onString?: StringSink,
    /** Bytes of output to make room for at once; more is made as needed. */
    capacity = 64 * 1024,
  ) {
    this.out = Buffer.allocUnsafe(capacity);
  }

  /** False once the text is known not to be JSON. */
  get valid(): boolean {
    return !this.failed;
  }

  /** Bytes printed so far. */
  get size(): number {
    return this.length;
  }

  /** Prints what `bytes` adds; returns false (and ignores all further input) once the text is not JSON. */
  write(bytes: Uint8Array): boolean {
    if (this.failed) return false;
    let i = 0;
    const n = bytes.length;
    if (this.partial !== Partial.None) i = this.resume(bytes, 0);
    while (i < n && i >= 0) {
      const code = bytes[i];
      if (code === SPACE || code === NEWLINE || code === 13 || code === 9) {
        i++;
        continue;
      }
      i = this.token(bytes, i, code);
    }
    if (i < 0) this.failed = true;
    return !this.failed;
  }

  /** Ends the input: the printed text, or undefined when the text is not JSON. */
  end(): Buffer | undefined {
    if (this.partial === Partial.Number && numberMayEnd(this.num)) {
      this.partial = Partial.None;
      this.afterValue();
    }
    if (this.failed || this.partial !== Partial.None || this.expect !== Expect.Nothing) {
      this.failed = true;
      return undefined;
    }
    return this.out.subarray(0, this.length);
  }

  /** A JSONPath-like path of the value being printed, e.g. `$.images[0].data`. */
  path(): string {
    let path = '$';
    for (let depth = 0; depth < this.inObject.length; depth++) {
      if (!this.inObject[depth]) path += `[${this.index[depth]}]`;
      else if (this.keyEnd[depth] > this.keyStart[depth]) {
        const key = JSON.parse(this.out.toString('utf8', this.keyStart[depth], this.keyEnd[depth])) as string;
        path += /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      }
    }
    return path;
  }

  /** One token starting at `i`; returns where the next one may start, or -1 when the text is not JSON. */
  private token(bytes: Uint8Array, i: number, code: number): number {
    const expect = this.expect;
    switch (code) {
      case 123: // {
      case 91: // [
        if (expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return -1;
        this.beforeValue();
        this.reserve(1);
        this.out[this.length++] = code;
        this.inObject.push(code === 123);
        this.index.push(0);
        this.keyStart.push(0);
        this.keyEnd.push(0);
        this.open = true;
        this.expect = code === 123 ? Expect.KeyOrCloseObject : Expect.ValueOrCloseArray;
        return i + 1;
      case 125: // }
      case 93: {
        // ]
        const closesObject = code === 125;
        const allowed = mayClose(expect, this.inObject[this.inObject.length - 1], closesObject);
        if (!allowed) return -1;
        this.inObject.pop();
        this.index.pop();
        this.keyStart.pop();
        this.keyEnd.pop();
        if (!this.open) this.newline();
        this.reserve(1);
        this.out[this.length++] = code;
        this.open = false;
        this.afterValue();
        return i + 1;
      }
      case 44: {
        // ,
        if (expect !== Expect.CommaOrClose) return -1;
        const top = this.inObject.length - 1;
        if (this.inObject[top]) this.expect = Expect.Key;
        else {
          this.index[top]++;
          this.expect = Expect.Value;
        }
        this.reserve(1);
        this.out[this.length++] = 44;
        this.newline();
        return i + 1;
      }
      case 58: // :
        if (expect !== Expect.Colon) return -1;
        this.expect = Expect.Value;
        this.reserve(2);
        this.out[this.length++] = 58;
        this.out[this.length++] = SPACE;
        return i + 1;
      case QUOTE: {
        const isKey = expect === Expect.Key || expect === Expect.KeyOrCloseObject;
        if (!isKey && expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return -1;
        this.beforeValue();
        this.stringStart = this.length;
        this.reserve(1);
        this.out[this.length++] = QUOTE;
        this.partial = Partial.String;
        this.partialIsKey = isKey;
        return this.stringBody(bytes, i + 1);
      }
      default: {
        if (expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return -1;
        if (code === 45 || isDigit(code)) {
          this.beforeValue();
          this.partial = Partial.Number;
          this.num = Num.Start;
          return this.numberBody(bytes, i);
        }
        const keyword = code === 116 ? 0 : code === 102 ? 1 : code === 110 ? 2 : -1;
        if (keyword < 0) return -1;
        this.beforeValue();
        this.partial = Partial.Keyword;
        this.keyword = keyword;
        this.keywordAt = 0;
        return this.keywordBody(bytes, i);
      }
    }
  }

  /** Carries on with the token the last chunk cut. */
  private resume(bytes: Uint8Array, i: number): number {
    switch (this.partial) {
      case Partial.String:
      case Partial.Escape:
      case Partial.Unicode:
        return this.stringBody(bytes, i);
      case Partial.Number:
        return this.numberBody(bytes, i);
      case Partial.Keyword:
        return this.keywordBody(bytes, i);
      default:
        return i;
    }
  }

  /** Copies a string (or the rest of one) from `i`; returns just after its closing quote, or `bytes.length` when cut. */
  private stringBody(bytes: Uint8Array, i: number): number {
    const n = bytes.length;
    const runStart = i;
    // The escape state of a string cut inside an escape.
    if (this.partial === Partial.Escape || this.partial === Partial.Unicode) {
      const after = this.escapeBody(bytes, i);
      if (after < 0) return -1;
      if (!this.escapeComplete()) {
        this.copy(bytes, i, after);
        return after;
      }
      i = after;
    }
    for (;;) {
      if (i >= n) {
        this.copy(bytes, runStart, n);
        return n;
      }
      const code = bytes[i];
      if (code === QUOTE) {
        this.copy(bytes, runStart, i + 1);
        this.partial = Partial.None;
        this.endString();
        return i + 1;
      }
      if (code === BACKSLASH) {
        this.partial = Partial.Escape;
        const after = this.escapeBody(bytes, i + 1);
        if (after < 0) return -1;
        if (!this.escapeComplete()) {
          this.copy(bytes, runStart, after);
          return after;
        }
        i = after;
        continue;
      }
      if (code < 32) return -1;
      i++;
    }
  }

  /** After `escapeBody`: whether the escape ended within the bytes it had. */
  private escapeComplete(): boolean {
    return this.partial === Partial.String;
  }

  /**
   * Checks an escape from just after its backslash (or from where a cut left it). Leaves `partial` at String
   * when the escape is complete, or at Escape/Unicode when the bytes ran out; returns where it stopped.
   */
  private escapeBody(bytes: Uint8Array, i: number): number {
    const n = bytes.length;
    if (this.partial === Partial.Escape) {
      if (i >= n) return n;
      const code = bytes[i];
      if (isShortEscape(code)) {
        this.partial = Partial.String;
        return i + 1;
      }
      if (code !== 117) return -1;
      this.partial = Partial.Unicode;
      this.hexLeft = 4;
      i++;
    }
    while (this.hexLeft > 0) {
      if (i >= n) return n;
      if (!isHexDigit(bytes[i])) return -1;
      this.hexLeft--;
      i++;
    }
    this.partial = Partial.String;
    return i;
  }

  private numberBody(bytes: Uint8Array, i: number): number {
    const n = bytes.length;
    const start = i;
    let state = this.num;
    for (; i < n; i++) {
      const code = bytes[i];
      const digit = isDigit(code);
      let next: Num | -1;
      switch (state) {
        case Num.Start:
          next = code === 45 ? Num.Minus : code === 48 ? Num.Zero : Num.Int;
          break;
        case Num.Minus:
          next = code === 48 ? Num.Zero : digit ? Num.Int : -1;
          break;
        case Num.Zero:
          next = code === 46 ? Num.Dot : code === 101 || code === 69 ? Num.Exponent : -1;
          break;
        case Num.Int:
          next = digit ? Num.Int : code === 46 ? Num.Dot : code === 101 || code === 69 ? Num.Exponent : -1;
          break;
        case Num.Dot:
          next = digit ? Num.Fraction : -1;
          break;
        case Num.Fraction:
          next = digit ? Num.Fraction : code === 101 || code === 69 ? Num.Exponent : -1;
          break;
        case Num.Exponent:
          next = code === 43 || code === 45 ? Num.ExponentSign : digit ? Num.ExponentDigits : -1;
          break;
        case Num.ExponentSign:
        case Num.ExponentDigits:
          next = digit ? Num.ExponentDigits : -1;
          break;
      }
      if (next === -1) {
        if (!numberMayEnd(state)) return -1;
        this.copy(bytes, start, i);
        this.partial = Partial.None;
        this.afterValue();
        return i;
      }
      state = next;
    }
    this.num = state;
    this.copy(bytes, start, n);
    return n;
  }

  private keywordBody(bytes: Uint8Array, i: number): number {
    const word = KEYWORDS[this.keyword];
    const start = i;
    const n = bytes.length;
    while (this.keywordAt < word.length) {
      if (i >= n) {
        this.copy(bytes, start, n);
        return n;
      }
      if (bytes[i] !== word[this.keywordAt]) return -1;
      this.keywordAt++;
      i++;
    }
    this.copy(bytes, start, i);
    this.partial = Partial.None;
    this.afterValue();
    return i;
  }

  private endString(): void {
    if (this.partialIsKey) {
      const top = this.inObject.length - 1;
      this.keyStart[top] = this.stringStart;
      this.keyEnd[top] = this.length;
      this.expect = Expect.Colon;
      return;
    }
    this.onString?.(this.out, this.stringStart, this.length, this);
    this.afterValue();
  }

  private afterValue(): void {
    this.expect = this.inObject.length ? Expect.CommaOrClose : Expect.Nothing;
  }

  private beforeValue(): void {
    if (this.open) this.newline();
    this.open = false;
  }

  /** A line break and the indentation of the current depth. */
  private newline(): void {
    const width = 2 * this.inObject.length;
    this.reserve(1 + width);
    const out = this.out;
    out[this.length++] = NEWLINE;
    for (let k = 0; k < width; k++) out[this.length++] = SPACE;
  }

  private copy(bytes: Uint8Array, from: number, to: number): void {
    const count = to - from;
    if (count <= 0) return;
    this.reserve(count);
    // Most tokens are short: a loop costs less than the view a bulk copy needs.
    if (count < 64) {
      const out = this.out;
      let at = this.length;
      for (let i = from; i < to; i++) out[at++] = bytes[i];
      this.length = at;
      return;
    }
    this.out.set(bytes.subarray(from, to), this.length);
    this.length += count;
  }

  /**
   * Room for `bytes` more. Growing copies everything printed so far into new memory, which costs more than the
   * printing itself: callers that know the body's size ask for enough room up front (untouched room is free).
   */
  private reserve(bytes: number): void {
    if (this.length + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.length + bytes));
    this.out.copy(grown, 0, 0, this.length);
    this.out = grown;
  }
}
