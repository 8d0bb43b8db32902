/** Identifiers shaped like Baseten's. */
import { randomBytes } from 'node:crypto';

/** 32 hex characters, as in `X-Baseten-Request-Id` and async `request_id`. */
/** `X-Baseten-Request-Id` as recorded: 37 hex digits. */
export function newRequestId(): string {
  return randomBytes(19).toString('hex').slice(0, 37);
}

/** An async request's `request_id`, as Baseten documents it: 32 hex digits. */
export function newAsyncRequestId(): string {
  return randomBytes(16).toString('hex');
}

export function newChatCompletionId(): string {
  return `chatcmpl-${randomBytes(16).toString('hex')}`;
}

export function newToolCallId(): string {
  return `chatcmpl-tool-${randomBytes(16).toString('hex')}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lower-case alphanumerics: 8 for models and chains, 7 for deployments. */
export function newResourceId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
