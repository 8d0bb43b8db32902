/** Words and numbers for response titles and messages. Plain Node: no editor APIs. */
import { targetLabel } from '../../../client/target';
import type { TargetRef } from '../../../client/target';

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export interface TitleFields {
  status: number;
  /** Undefined while the body is still arriving. */
  ms?: number;
  size?: number;
  requestId?: string;
}

/** "echo · production · 200 · 85 ms · 1.2 KB · 3f9a01bc4d2e": what a response's tab says. */
export function responseTitle(request: TargetRef, fields: TitleFields): string {
  const parts = [targetLabel(request), String(fields.status)];
  if (fields.ms === undefined) parts.push('streaming…');
  else parts.push(formatMs(fields.ms));
  if (fields.size !== undefined) parts.push(formatSize(fields.size));
  if (fields.requestId) parts.push(`req ${fields.requestId.slice(0, 12)}`);
  return parts.join(' · ');
}
