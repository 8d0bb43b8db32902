/**
 * The inline prompt's text work: the question built from a template, and the replacement read out of
 * an answer (models wrap code in a fence and sometimes add a sentence around it).
 */

export const DEFAULT_INLINE_TEMPLATE = '${instruction}\n\n${file} (${language}):\n```${language}\n${selection}\n```';

export const DEFAULT_INLINE_SYSTEM_PROMPT =
  'You edit code in the user\'s editor. Reply with only the full replacement for the given code, in one fenced code block, with no explanation before or after it. Keep the original indentation.';

export interface TemplateValues {
  instruction: string;
  selection: string;
  file: string;
  language: string;
}

/** Fills `${instruction}`, `${selection}`, `${file}` and `${language}`; other text is kept as written. */
export function fillTemplate(template: string, values: TemplateValues): string {
  // One pass, so a value that itself contains `${…}` is never expanded again.
  const filled = template.replace(/\$\{(instruction|selection|file|language)\}/g, (_match, name: keyof TemplateValues) => values[name]);
  return template.includes('${instruction}') ? filled : `${values.instruction}\n\n${filled}`;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})[^\n]*\n/m;

/**
 * The code to put in place of the selection: the first fenced block of the answer (still open while it
 * streams), or the whole answer when it has no fence. The selection's own trailing newline is kept.
 */
export function replacementFrom(answer: string, selection: string): string {
  let code: string;
  const open = OPENING_FENCE.exec(answer);
  if (open) {
    const fence = open[2];
    const start = open.index + open[0].length;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'm');
    const rest = answer.slice(start);
    const close = closing.exec(rest);
    code = close ? rest.slice(0, close.index) : rest;
    code = code.replace(/\n$/, '');
  } else {
    code = answer.replace(/^\s*\n/, '').replace(/\s+$/, '');
  }
  const trailing = /\r?\n$/.exec(selection)?.[0];
  return trailing && !code.endsWith('\n') ? code + trailing : code;
}
