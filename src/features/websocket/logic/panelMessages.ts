/**
 * Messages from the session page and the state it saved are checked before use: the page shows
 * untrusted model output, so the host accepts only well-formed protocol messages.
 */
import { parseTargetRef } from '../../../client/target';
import type { SavedSession, TranscriptEntry, WebviewToHost } from './protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseEntry(value: unknown): TranscriptEntry | undefined {
  if (!isRecord(value) || typeof value.id !== 'number' || typeof value.at !== 'number' || typeof value.size !== 'number') return undefined;
  if (value.direction !== 'sent' && value.direction !== 'received' && value.direction !== 'event') return undefined;
  if (value.kind !== 'text' && value.kind !== 'binary' && value.kind !== 'event') return undefined;
  const entry: TranscriptEntry = { id: value.id, at: value.at, direction: value.direction, kind: value.kind, size: value.size };
  if (typeof value.text === 'string') entry.text = value.text;
  if (value.truncated === true) entry.truncated = true;
  if (typeof value.hex === 'string') entry.hex = value.hex;
  if (typeof value.file === 'string') entry.file = value.file;
  if (value.level === 'info' || value.level === 'error') entry.level = value.level;
  if (typeof value.code === 'number') entry.code = value.code;
  return entry;
}

/** The state a restored panel's page had saved, or undefined when it is not one. */
export function parseSavedSession(value: unknown): SavedSession | undefined {
  if (!isRecord(value) || value.version !== 1 || !Array.isArray(value.entries)) return undefined;
  const target = parseTargetRef(value.target);
  if (!target) return undefined;
  const entries = value.entries.map(parseEntry).filter((entry): entry is TranscriptEntry => !!entry);
  return {
    version: 1,
    target,
    entries,
    hidden: typeof value.hidden === 'number' && value.hidden >= 0 ? value.hidden : 0,
    autoScroll: value.autoScroll !== false,
    mode: value.mode === 'json' ? 'json' : 'text',
    draft: typeof value.draft === 'string' ? value.draft : '',
  };
}

export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'connect':
    case 'disconnect':
    case 'reconnect':
    case 'ping':
    case 'clear':
    case 'export':
    case 'sendFile':
      return { type: raw.type };
    case 'send':
      return (raw.mode === 'text' || raw.mode === 'json') && typeof raw.text === 'string' ? { type: 'send', mode: raw.mode, text: raw.text } : undefined;
    default:
      return undefined;
  }
}
