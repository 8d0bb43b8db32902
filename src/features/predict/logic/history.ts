/**
 * The list of recent predict requests kept in VS Code's global state. An entry holds what is needed to show,
 * re-run and copy a request; never a header, so never the key. Plain Node: no editor APIs.
 */
import type { PredictResponseKind } from '../../../client';
import { PredictOn, PredictRequest, parseOn, parseTarget } from './request';

export const DEFAULT_HISTORY_SIZE = 50;
/** Larger payloads are not kept: global state is loaded into memory at every start. */
export const MAX_HISTORY_PAYLOAD_BYTES = 256 * 1024;

export interface HistoryEntry {
  id: string;
  /** ISO time the request was sent. */
  at: string;
  on: PredictOn;
  target: PredictRequest['target'];
  /** Absent when it was larger than MAX_HISTORY_PAYLOAD_BYTES. */
  payload?: unknown;
  payloadBytes: number;
  outcome: 'ok' | 'error' | 'cancelled';
  status?: number;
  latencyMs?: number;
  size?: number;
  requestId?: string;
  kind?: PredictResponseKind;
  error?: string;
  /** The response document (this session only) or file. */
  responseUri?: string;
  file?: string;
}

export function historyEntry(request: PredictRequest, fields: Omit<HistoryEntry, 'on' | 'target' | 'payload' | 'payloadBytes'>): HistoryEntry {
  const payloadBytes = Buffer.byteLength(JSON.stringify(request.payload) ?? '');
  return {
    ...fields,
    on: request.on,
    target: request.target,
    ...(payloadBytes <= MAX_HISTORY_PAYLOAD_BYTES ? { payload: request.payload } : {}),
    payloadBytes,
  };
}

/** Newest first, at most `max`; an entry with the same id replaces the older one. */
export function addToHistory(entries: readonly HistoryEntry[], entry: HistoryEntry, max = DEFAULT_HISTORY_SIZE): HistoryEntry[] {
  return [entry, ...entries.filter((e) => e.id !== entry.id)].slice(0, Math.max(1, max));
}

/** What global state held, minus anything that is not a well-formed entry (an older version's, a hand edit). */
export function readHistory(raw: unknown): HistoryEntry[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((item): item is HistoryEntry => {
    if (!item || typeof item !== 'object') return false;
    const entry = item as HistoryEntry;
    return typeof entry.id === 'string' && typeof entry.at === 'string' && !!parseOn(entry.on) && !!parseTarget(entry.target);
  });
}

export function requestOf(entry: HistoryEntry): PredictRequest | undefined {
  if (!('payload' in entry)) return undefined;
  return { on: entry.on, target: entry.target, payload: entry.payload };
}
