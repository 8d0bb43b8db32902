/** What the logs tab's host and page say to each other. Plain types: the page bundles them. */
import type { LogLevel } from '../../../client/logs';
import type { LogViewFilter } from './logFilter';

/** One line as the page shows it. */
export interface LogRow {
  timeMs: number;
  level: LogLevel | null;
  replica: string | null;
  requestId: string | null;
  message: string;
}

export interface LogsViewState {
  loading: boolean;
  following: boolean;
  /** Follow is paused while the tab is hidden. */
  paused: boolean;
  /** Earlier lines can be loaded within the range. */
  canLoadEarlier: boolean;
  /** The range holds no line before the first one shown. */
  reachedStart: boolean;
  /** What failed, in one sentence with what to do. */
  error?: string;
  /** Total lines held. */
  count: number;
}

export type HostToPage =
  | { type: 'init'; title: string; filter: LogViewFilter; following: boolean; focusRequestId?: string; nowMs: number }
  | { type: 'lines'; place: 'start' | 'end' | 'all'; rows: LogRow[]; done: boolean }
  | { type: 'state'; state: LogsViewState };

export type PageToHost =
  | { type: 'ready' }
  | { type: 'filter'; filter: LogViewFilter }
  | { type: 'follow'; on: boolean }
  | { type: 'loadEarlier' }
  | { type: 'retry' };
