/**
 * What the WebSocket session panel's extension side and its webview say to each other, and the state the
 * page saves. Plain data only: it crosses `postMessage` and is saved as the webview's state.
 */
import type { TargetRef } from '../../../client/target';

export type Direction = 'sent' | 'received' | 'event';

/** One line of the transcript: a message either way, or something that happened to the connection. */
export interface TranscriptEntry {
  id: number;
  /** Epoch milliseconds. */
  at: number;
  direction: Direction;
  kind: 'text' | 'binary' | 'event';
  /** Bytes of the message (0 for events). */
  size: number;
  /** A text message (cut when `truncated`), or what happened, in words. */
  text?: string;
  truncated?: boolean;
  /** A binary message: its first bytes in hex. */
  hex?: string;
  /** A binary message's file name, when it was sent from a file. */
  file?: string;
  level?: 'info' | 'error';
  /** A close event's code. */
  code?: number;
}

export type ConnectionStatus = 'connecting' | 'open' | 'closing' | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  url?: string;
  requestId?: string;
  /** How the last connection ended. */
  close?: { code: number; reason: string; explanation: string };
  /** Why the last connection could not be made. */
  error?: string;
  /** Round trip of the last ping, in milliseconds. */
  rttMs?: number;
  /** While connecting: the target was scaled to zero, so the connection waits for a cold start. */
  coldStart?: boolean;
}

export type SendMode = 'text' | 'json';

/** What the page keeps with `setState`, and what a panel is restored from after a reload. */
export interface SavedSession {
  version: 1;
  target: TargetRef;
  entries: TranscriptEntry[];
  /** Entries before `entries` that are no longer shown. */
  hidden: number;
  autoScroll: boolean;
  mode: SendMode;
  draft: string;
}

export type HostToWebview =
  | { type: 'init'; target: TargetRef; entries: TranscriptEntry[]; hidden: number; connection: ConnectionState; maxRendered: number }
  /** New entries; `skipped` came in the same batch but were too many to show. */
  | { type: 'entries'; entries: TranscriptEntry[]; skipped: number }
  | { type: 'connection'; connection: ConnectionState }
  | { type: 'sent'; ok: boolean; error?: string }
  | { type: 'maxRendered'; maxRendered: number }
  /** The panel became the active one (the user came back to it, or it just opened). */
  | { type: 'returned' };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'connect' }
  | { type: 'disconnect' }
  | { type: 'reconnect' }
  | { type: 'ping' }
  | { type: 'clear' }
  | { type: 'export' }
  | { type: 'sendFile' }
  | { type: 'send'; mode: SendMode; text: string };
