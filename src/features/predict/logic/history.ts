/**
 * The list of recent predict requests kept in VS Code's global state. An entry holds what is needed to show,
 * re-run and copy a request; never a header, so never the key. Plain Node: no editor APIs.
 */
import type { PredictResponseKind } from '../../../client';
import { parseTargetRef } from '../../../client';
import type { Owner } from '../../../client';
import type { PredictRequest } from './request';

export const DEFAULT_HISTORY_SIZE = 50;
/** Larger payloads are not kept: global state is loaded into memory at every start. */
export const MAX_HISTORY_PAYLOAD_BYTES = 256 * 1024;

export interface HistoryEntry {
  id: string;
  /** ISO time the request was sent. */
  at: string;
  owner: Owner;
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

export function historyEntry(request: PredictRequest, fields: Omit<HistoryEntry, 'owner' | 'target' | 'payload' | 'payloadBytes'>): HistoryEntry {
  const payloadBytes = Buffer.byteLength(JSON.stringify(request.payload) ?? '');
  return {
    ...fields,
    owner: request.owner,
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
  const entries: HistoryEntry[] = [];
  for (const item of raw) {
    // Entries saved before `TargetRef` named the owner `on`: their target is read the same way.
    const ref = parseTargetRef(item);
    const entry = item as HistoryEntry & { on?: unknown };
    if (!ref || typeof entry.id !== 'string' || typeof entry.at !== 'string') continue;
    const { on: _on, ...rest } = entry;
    entries.push({ ...rest, ...ref });
  }
  return entries;
}

export function requestOf(entry: HistoryEntry): PredictRequest | undefined {
  if (!('payload' in entry)) return undefined;
  return { owner: entry.owner, target: entry.target, payload: entry.payload };
}
