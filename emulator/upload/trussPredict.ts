/**
 * How an uploaded Truss answers predict in the emulator. The emulator runs no Python: it reads the `predict`
 * method of the model class in model.py and evaluates its first `return` expression with a tiny interpreter
 * that knows Python literals (strings, f-strings, numbers, True/False/None, dicts, lists, tuples), the
 * method's input parameter, subscripts (`model_input["name"]`) and `.get(key, default)`. So a change to the
 * returned value in model.py (by a full deploy or a live patch) changes the answer, which is what the
 * extension's deploy and watch flows must prove. Anything else is answered as the model's own error (HTTP 500,
 * as Truss reports an exception in predict), naming the expression it could not run.
 */

export type PredictResult = { ok: true; output: unknown } | { ok: false; message: string };

interface PredictMethod {
  parameter: string;
  expression: string;
}

/** Finds `def predict(self, <param>…)` in the class and its first return expression (which may span lines). */
export function findPredict(source: string, className = 'Model'): PredictMethod | string {
  const lines = source.split(/\r?\n/);
  const classLine = lines.findIndex((line) => new RegExp(`^class\\s+${className}\\b`).test(line));
  if (classLine < 0) return `model.py has no class ${className}`;
  let defLine = -1;
  let parameter = '';
  for (let i = classLine + 1; i < lines.length; i++) {
    if (/^\S/.test(lines[i]) && lines[i].trim() && !lines[i].startsWith('#')) break;
    const match = /^(\s+)(?:async\s+)?def\s+predict\s*\(\s*self\s*(?:,\s*([A-Za-z_]\w*))?/.exec(lines[i]);
    if (match) {
      defLine = i;
      parameter = match[2] ?? '';
      break;
    }
  }
  if (defLine < 0) return `class ${className} in model.py has no predict method`;
  const defIndent = /^\s*/.exec(lines[defLine])![0].length;
  for (let i = defLine + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() && /^\s*/.exec(line)![0].length <= defIndent) break;
    const match = /^\s*return\b(.*)$/.exec(line);
    if (!match) continue;
    let expression = match[1];
    for (let j = i + 1; !balanced(expression) && j < lines.length; j++) expression += `\n${lines[j]}`;
    return { parameter, expression: expression.trim() || 'None' };
  }
  return { parameter, expression: 'None' };
}

function balanced(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (char === '#') while (i < text.length && text[i] !== '\n') i++;
  }
  return depth <= 0 && !quote;
}

class Interpreter {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly variables: Record<string, unknown>,
  ) {}

  run(): unknown {
    const value = this.expression();
    this.space();
    if (this.at < this.text.length) throw new Error(`unexpected "${this.text.slice(this.at, this.at + 20)}"`);
    return value;
  }

  private space(): void {
    while (this.at < this.text.length) {
      if (/\s/.test(this.text[this.at])) this.at++;
      else if (this.text[this.at] === '#') while (this.at < this.text.length && this.text[this.at] !== '\n') this.at++;
      else break;
    }
  }

  private eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.at)) {
      this.at += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.eat(token)) throw new Error(`expected "${token}" at "${this.text.slice(this.at, this.at + 20)}"`);
  }

  private expression(): unknown {
    let value = this.atom();
    for (;;) {
      if (this.eat('[')) {
        const key = this.expression();
        this.expect(']');
        value = subscript(value, key);
      } else if (this.eat('.get(')) {
        const key = this.expression();
        const fallback = this.eat(',') ? this.expression() : null;
        this.expect(')');
        value = isObject(value) && typeof key === 'string' && key in value ? value[key] : fallback;
      } else return value;
    }
  }

  private atom(): unknown {
    this.space();
    const rest = this.text.slice(this.at);
    const fString = /^[fF](['"])/.exec(rest);
    if (fString) {
      this.at++;
      return this.formatted(this.string());
    }
    if (rest.startsWith('"') || rest.startsWith("'")) return this.string();
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    const word = /^[A-Za-z_]\w*/.exec(rest);
    if (word) {
      this.at += word[0].length;
      if (word[0] === 'True') return true;
      if (word[0] === 'False') return false;
      if (word[0] === 'None') return null;
      if (word[0] in this.variables) return this.variables[word[0]];
      throw new Error(`unknown name "${word[0]}"`);
    }
    if (this.eat('{')) return this.dict();
    if (this.eat('[')) return this.items(']');
    if (this.eat('(')) {
      const items = this.items(')');
      return items.length === 1 && !this.text.slice(0, this.at).trimEnd().endsWith(',)') ? items[0] : items;
    }
    throw new Error(`cannot run "${rest.slice(0, 30)}"`);
  }

  private dict(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    while (!this.eat('}')) {
      const key = this.expression();
      this.expect(':');
      result[String(key)] = this.expression();
      if (!this.eat(',')) {
        this.expect('}');
        break;
      }
    }
    return result;
  }

  private items(close: string): unknown[] {
    const result: unknown[] = [];
    while (!this.eat(close)) {
      result.push(this.expression());
      if (!this.eat(',')) {
        this.expect(close);
        break;
      }
    }
    return result;
  }

  private string(): string {
    const quote = this.text[this.at];
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const char = this.text[this.at];
      if (char === quote) {
        this.at++;
        return out;
      }
      if (char === '\\') {
        const next = this.text[++this.at];
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else out += char;
    }
    throw new Error('unterminated string');
  }

  private formatted(template: string): string {
    return template.replace(/\{([^{}]+)\}/g, (_, inner: string) => {
      const value = new Interpreter(inner, this.variables).run();
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function subscript(value: unknown, key: unknown): unknown {
  if (Array.isArray(value) && typeof key === 'number') {
    if (key >= value.length || key < -value.length) throw new Error(`IndexError: list index ${key} out of range`);
    return value[key < 0 ? value.length + key : key];
  }
  if (isObject(value) && typeof key === 'string') {
    if (!(key in value)) throw new Error(`KeyError: '${key}'`);
    return value[key];
  }
  throw new Error(`TypeError: cannot index ${JSON.stringify(value)} with ${JSON.stringify(key)}`);
}

/** Runs the model's predict on one JSON input. */
export function runTrussPredict(source: string, input: unknown, className = 'Model'): PredictResult {
  const method = findPredict(source, className);
  if (typeof method === 'string') return { ok: false, message: method };
  try {
    const variables = method.parameter ? { [method.parameter]: input } : {};
    return { ok: true, output: new Interpreter(method.expression, variables).run() };
  } catch (error) {
    return { ok: false, message: `Exception while running predict: ${(error as Error).message} (the emulator evaluates only literal return values and the input; see emulator/README.md)` };
  }
}
