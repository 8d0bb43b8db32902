/**
 * The one strict JSON scanner: it reads JSON text token by token, checking the grammar as it goes, and on
 * the first character that makes the text invalid JSON stops and says where it is. The WebSocket input
 * check locates errors with it (the predict pretty printer checks the same grammar on bytes as they arrive:
 * src/features/predict/logic/jsonPrinter.ts).
 * What it accepts is exactly what `JSON.parse` accepts. Plain code: no Node or editor APIs (a webview uses it).
 */

// Const enums: their values are written into the code that uses them, so the printer's per-token switch
// compares numbers, not properties looked up on each token.
export const enum JsonToken {
  OpenObject,
  CloseObject,
  OpenArray,
  CloseArray,
  Comma,
  Colon,
  /** A string in key position. */
  Key,
  /** A string in value position. */
  String,
  /** A number, true, false or null. */
  Literal,
  /** The text ended after one complete value. */
  End,
  /** The text is not JSON; `errorOffset` says where. */
  Error,
}

/** What may come next (the predict printer follows the same grammar on bytes). */
export const enum Expect {
  Value,
  ValueOrCloseArray,
  KeyOrCloseObject,
  Key,
  Colon,
  CommaOrClose,
  /** The top-level value is complete: only whitespace may follow. */
  Nothing,
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isHexDigit(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** `"`, `\`, `/`, b, f, n, r, t: the escapes that take no digits. */
export function isShortEscape(code: number): boolean {
  return code === 34 || code === 92 || code === 47 || code === 98 || code === 102 || code === 110 || code === 114 || code === 116;
}

/** Whether `}` (closesObject) or `]` may come now, inside an object (innermostIsObject) or an array. */
export function mayClose(expect: Expect, innermostIsObject: boolean | undefined, closesObject: boolean): boolean {
  return expect === Expect.CommaOrClose ? innermostIsObject === closesObject : expect === (closesObject ? Expect.KeyOrCloseObject : Expect.ValueOrCloseArray);
}

export class JsonScanner {
  /** Where the last token starts (after any whitespace). */
  start = 0;
  /** Just after the last token. */
  end = 0;
  /** Set once `next` returned `Error`: the offset of the first character that makes the text invalid. */
  errorOffset = -1;
  private expect: Expect = Expect.Value;
  /** One entry per open container: true for an object, false for an array. */
  private readonly inObject: boolean[] = [];

  constructor(private readonly text: string) {}

  /** How many containers are open. */
  get depth(): number {
    return this.inObject.length;
  }

  next(): JsonToken {
    const text = this.text;
    let i = this.end;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    this.start = i;
    if (i >= text.length) return this.expect === Expect.Nothing ? JsonToken.End : this.fail(i);
    const expect = this.expect;
    const code = text.charCodeAt(i);
    switch (code) {
      case 123: // {
      case 91: // [
        if (expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return this.fail(i);
        this.inObject.push(code === 123);
        this.expect = code === 123 ? Expect.KeyOrCloseObject : Expect.ValueOrCloseArray;
        this.end = i + 1;
        return code === 123 ? JsonToken.OpenObject : JsonToken.OpenArray;
      case 125: // }
      case 93: {
        // ]
        const closesObject = code === 125;
        const allowed = mayClose(expect, this.inObject[this.inObject.length - 1], closesObject);
        if (!allowed) return this.fail(i);
        this.inObject.pop();
        this.end = i + 1;
        return this.afterValue(closesObject ? JsonToken.CloseObject : JsonToken.CloseArray);
      }
      case 44: // ,
        if (expect !== Expect.CommaOrClose) return this.fail(i);
        this.expect = this.inObject[this.inObject.length - 1] ? Expect.Key : Expect.Value;
        this.end = i + 1;
        return JsonToken.Comma;
      case 58: // :
        if (expect !== Expect.Colon) return this.fail(i);
        this.expect = Expect.Value;
        this.end = i + 1;
        return JsonToken.Colon;
      case 34: {
        // "
        const isKey = expect === Expect.Key || expect === Expect.KeyOrCloseObject;
        if (!isKey && expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return this.fail(i);
        const end = this.stringEnd(i);
        if (end < 0) return JsonToken.Error;
        this.end = end;
        if (!isKey) return this.afterValue(JsonToken.String);
        this.expect = Expect.Colon;
        return JsonToken.Key;
      }
      default: {
        if (expect !== Expect.Value && expect !== Expect.ValueOrCloseArray) return this.fail(i);
        const end = code === 45 || isDigit(code) ? this.numberEnd(i) : this.keywordEnd(i);
        if (end < 0) return this.fail(i);
        this.end = end;
        return this.afterValue(JsonToken.Literal);
      }
    }
  }

  private afterValue(token: JsonToken): JsonToken {
    this.expect = this.inObject.length ? Expect.CommaOrClose : Expect.Nothing;
    return token;
  }

  private fail(offset: number): JsonToken {
    this.errorOffset = offset;
    return JsonToken.Error;
  }

  /** Just after the closing quote of the string opening at `start`, or -1 (with `errorOffset` set). */
  private stringEnd(start: number): number {
    const text = this.text;
    let i = start + 1;
    for (;;) {
      // NaN past the end, which fails the control-character test below.
      const code = text.charCodeAt(i);
      if (code === 34) return i + 1;
      if (code === 92) {
        const escaped = text.charCodeAt(i + 1);
        if (isShortEscape(escaped)) {
          i += 2;
          continue;
        }
        if (escaped !== 117) return this.failInToken(i + 1);
        for (let digit = i + 2; digit < i + 6; digit++) {
          if (!isHexDigit(text.charCodeAt(digit))) return this.failInToken(digit);
        }
        i += 6;
        continue;
      }
      if (!(code >= 32)) return this.failInToken(i);
      i++;
    }
  }

  private failInToken(offset: number): number {
    this.fail(offset);
    return -1;
  }

  /**
   * Just after the longest number at `start`, or -1 when none starts there. A fraction or exponent with no
   * digit is left out, so "1." ends after the 1 and the dot is what is reported.
   */
  private numberEnd(start: number): number {
    const text = this.text;
    let i = start;
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else if (isDigit(text.charCodeAt(i))) {
      while (isDigit(text.charCodeAt(i))) i++;
    } else return -1;
    if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      const sign = text.charCodeAt(i + 1);
      const firstDigit = sign === 43 || sign === 45 ? i + 2 : i + 1;
      if (isDigit(text.charCodeAt(firstDigit))) {
        i = firstDigit + 1;
        while (isDigit(text.charCodeAt(i))) i++;
      }
    }
    return i;
  }

  /** Just after true, false or null at `start`, or -1. */
  private keywordEnd(start: number): number {
    const text = this.text;
    if (text.startsWith('true', start) || text.startsWith('null', start)) return start + 4;
    if (text.startsWith('false', start)) return start + 5;
    return -1;
  }
}
