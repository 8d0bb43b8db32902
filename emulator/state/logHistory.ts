/**
 * Past traffic in a deployment's logs, for tests that need more lines than they can make by calling it:
 * `count` request lines spread over the `spanMs` before now, each request received then completed on one of
 * its replicas with a request id, every tenth slow (a WARNING), with DEBUG body sizes between.
 */
import { randomBytes } from 'node:crypto';
import type { LogLine, Runnable } from './state';
import { replicaName } from './state';

/** The most lines a deployment keeps (Lifecycle's cap). */
export const LOG_HISTORY_MAX = 2000;

export function backfillLogs(target: Runnable, count: number, spanMs: number, now = Date.now()): number {
  const wanted = Math.max(0, Math.min(Math.floor(count), LOG_HISTORY_MAX));
  const lines: LogLine[] = [];
  const replicas = Math.max(1, target.activeReplicaCount);
  for (let i = 0; lines.length < wanted; i++) {
    const at = now - spanMs + Math.floor((spanMs * i) / Math.max(1, wanted / 3));
    const requestId = randomBytes(16).toString('hex');
    const replica = replicaName(target.id, i % replicas);
    const ms = i % 10 === 9 ? 1800 + (i % 7) * 37 : 8 + (i % 13);
    const request: LogLine[] = [
      { at, nanos: 0, message: 'Received predict request', level: 'INFO', replica, requestId },
      { at, nanos: 1, message: `Request body: ${40 + (i % 50)} bytes`, level: 'DEBUG', replica, requestId },
      ms > 1000
        ? { at: at + ms, nanos: 0, message: `Slow predict: completed in ${ms} ms, over the 1000 ms the autoscaler aims for`, level: 'WARNING', replica, requestId }
        : { at: at + ms, nanos: 0, message: `Completed predict in ${ms} ms (HTTP 200)`, level: 'INFO', replica, requestId },
    ];
    lines.push(...request.slice(0, wanted - lines.length));
  }
  target.logs = [...lines, ...target.logs].sort((a, b) => a.at - b.at || (a.nanos ?? 0) - (b.nanos ?? 0)).slice(-LOG_HISTORY_MAX);
  return lines.length;
}
