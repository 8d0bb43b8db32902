/**
 * The one error style: a short sentence of what happened, a detail line (status, request id) and the next
 * action. Every feature builds what it shows from here; the editor glue only draws it.
 */
import { BasetenError } from './errors';

/** What the user can do next: a button under the message. */
export type NextAction = 'set_key' | 'input_template' | 'show_logs';

export interface FailureReport {
  /** One sentence: "Predict on echo · production failed: the model refused the input: Expecting value." */
  message: string;
  /** "HTTP 400 from the model · request 1a2b…", or empty when nothing more is known. */
  detail: string;
  action: NextAction;
}

export interface FailureContext {
  /** The input was text that the input template wrapped into JSON: a refusal may mean the model wants other JSON. */
  wrappedText?: boolean;
}

const KEY_STATUSES = new Set([401, 403]);
const INPUT_STATUSES = new Set([400, 422]);

/** `what` names the attempt: "Predict on echo · production", "Submitting the async request". */
export function describeFailure(what: string, error: unknown, context: FailureContext = {}): FailureReport {
  const reason = error instanceof Error ? error.message : String(error);
  const basetenError = error instanceof BasetenError ? error : undefined;
  const status = basetenError?.kind === 'http' ? basetenError.status : undefined;
  let message = `${what} failed: ${lowerFirst(reason)}`;
  let action: NextAction = 'show_logs';
  if (status !== undefined && KEY_STATUSES.has(status)) action = 'set_key';
  else if (status !== undefined && INPUT_STATUSES.has(status) && context.wrappedText) {
    action = 'input_template';
    message = `${endSentence(message)} The text was sent through the input template; the model may expect other JSON`;
  }
  return { message: endSentence(message), detail: basetenError?.detail() ?? '', action };
}

function lowerFirst(text: string): string {
  // "Baseten…", "HTTP…", "JSON…": names keep their capital.
  return /^[A-Z][a-z]/.test(text) && !/^Baseten\b/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

function endSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
